"""Report submissions: drafts, validation, submit, approve or return, acceptance by the centre, unlock.

Rules live here (the caller sees them), not in ``save()``. Approval levels: a body's officers enter
and submit; then one approval per organisational level above it, lowest first (a department's report
is approved by its province; a top-level body such as a province or a ministry approves its own);
any leader on the way may return it with a comment; the central department accepts, which locks the
data; only an administrator or central officer unlocks, with a reason. Every step is kept
(``SubmissionStep``) and every value change audited.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ttdn.accounts.models import Role
from ttdn.core.audit import acting_as
from ttdn.core.money import MoneyError, parse_vnd
from ttdn.core.periods import CutoffRule, DeadlineRule, Period, PeriodType, parse_period
from ttdn.notices.models import NoticeKind
from ttdn.notices.services import central_people, notify, unit_people
from ttdn.orgs.models import OrgKind, OrgUnit
from ttdn.orgs.scope import in_scope, is_central
from ttdn.reporting.models import (
    ExpectedReporter,
    Indicator,
    IndicatorKind,
    ReportForm,
    StepAction,
    Submission,
    SubmissionState,
    SubmissionStep,
)

MAX_TEXT = 20_000


def period_of(form: ReportForm, code: str) -> Period:
    period = parse_period(code)
    if period.type != PeriodType(form.period_type):
        raise ValidationError(_("Kỳ báo cáo không đúng loại của mẫu."))
    return period


def deadline_of(form: ReportForm, period: Period) -> dt.date:
    rule = (
        DeadlineRule(days_after=form.deadline_days_after)
        if form.deadline_days_after is not None
        else DeadlineRule(
            month=form.deadline_month, day=form.deadline_day, year_offset=form.deadline_year_offset
        )
    )
    return rule.due(period, CutoffRule(form.cutoff_start_day))


def window_of(form: ReportForm, period: Period) -> tuple[dt.date, dt.date]:
    return CutoffRule(form.cutoff_start_day).window(period)


def clean_value(kind: str, raw: Any) -> Any:
    """One typed value from what was typed; raises ValueError with a message for the user."""
    if raw in (None, ""):
        return None
    if kind == IndicatorKind.YES_NO:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in {"1", "true", "co", "có", "x", "yes"}:
            return True
        if text in {"0", "false", "khong", "không", "no"}:
            return False
        raise ValueError(_("chỉ nhận Có hoặc Không"))
    if kind == IndicatorKind.TEXT:
        text = str(raw).strip()
        if len(text) > MAX_TEXT:
            raise ValueError(_("nội dung quá dài"))
        return text
    if kind in (IndicatorKind.COUNT, IndicatorKind.MONEY):
        try:
            return parse_vnd(raw)  # 1.500.000, 1,500,000 and 1500000 đ are all 1500000
        except MoneyError as exc:
            raise ValueError(_("phải là số nguyên không âm")) from exc
    text = str(raw).strip().replace(" ", "")
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation as exc:
        raise ValueError(_("phải là số")) from exc
    if not value.is_finite():  # "NaN", "Infinity" are Decimals but no figure
        raise ValueError(_("phải là số"))
    if not Decimal(0) <= value <= Decimal(100):
        raise ValueError(_("phải từ 0 đến 100"))
    return float(value)


def can_enter(user: Any, unit: OrgUnit) -> bool:
    return (
        user.is_authenticated
        and user.role in (Role.UNIT_OFFICER, Role.UNIT_LEADER)
        and in_scope(user, unit)
        and unit.is_valid_on(timezone.localdate())
    )


def approval_chain(unit: OrgUnit) -> list[OrgUnit]:
    """The bodies whose leaders approve a report of ``unit``, lowest first: every level above it up to
    its top-level body (a province, a ministry); a top-level body approves its own reports."""
    chain: list[OrgUnit] = []
    current = unit.parent
    while current is not None:
        chain.append(current)
        current = current.parent
    return chain or [unit]


def can_decide(user: Any, submission: Submission) -> bool:
    """A leader of the body whose turn it is to approve."""
    if not user.is_authenticated or user.role != Role.UNIT_LEADER or user.org_unit_id is None:
        return False
    return (
        submission.state == SubmissionState.SUBMITTED
        and submission.awaiting_id == user.org_unit_id
        and in_scope(user, submission.unit)  # the awaiting level is the body or above it: within the gate too
    )


def _step(submission: Submission, user: Any, action: str, level: OrgUnit | None, comment: str = "") -> None:
    SubmissionStep.objects.create(
        submission=submission,
        action=action,
        level=level,
        user=user if getattr(user, "is_authenticated", False) else None,
        at=timezone.now(),
        comment=comment,
    )


def can_accept(user: Any) -> bool:
    return (
        user.is_authenticated
        and (user.is_superuser or user.role in (Role.ADMIN, Role.CENTRAL_OFFICER))
        and is_central(user)
    )


def clean_indicator(indicator: Indicator, raw: Any) -> Any:
    """The stored value of one indicator: a dict {category: value} for a disaggregated one."""
    if not indicator.disaggregated:
        if isinstance(raw, dict):
            raise ValueError(_("giá trị không hợp lệ"))
        return clean_value(indicator.kind, raw)
    if raw in (None, ""):
        return None
    if not isinstance(raw, dict):
        raise ValueError(_("hãy nhập theo từng nhóm"))
    parts: dict[str, Any] = {}
    for category in indicator.categories:
        try:
            value = clean_value(indicator.kind, raw.get(category))
        except ValueError as exc:
            raise ValueError(f"{category}: {exc}") from exc
        if value is not None:
            parts[category] = value
    return parts or None


def total_of(value: Any) -> Any:
    """A disaggregated value's total (the sum of its categories); other values as they are."""
    if isinstance(value, dict) and "id" not in value:
        numbers = [v for v in value.values() if isinstance(v, (int, float))]
        return sum(numbers) if numbers else None
    return value


@transaction.atomic
def save_draft(
    user: Any,
    form: ReportForm,
    unit: OrgUnit,
    period_code: str,
    typed: dict[str, Any],
    files: dict[str, Any] | None = None,
) -> Submission:
    """Keep what was typed (a value left out is kept, never lost); bad values are refused all together.
    ``files`` maps file indicators to uploads; a refused file refuses the whole save."""
    from ttdn.core.services import store_attachment

    if not can_enter(user, unit):
        raise PermissionDenied
    period_of(form, period_code)
    submission, _created = Submission.objects.select_for_update().get_or_create(
        form=form, unit=unit, period=period_code
    )
    if submission.locked:
        raise ValidationError(_("Báo cáo đã gửi hoặc đã duyệt nên không sửa được."))
    indicators = {i.code: i for i in form.indicators.all()}
    errors, values = {}, dict(submission.values)
    for code, raw in typed.items():
        if code not in indicators:
            continue  # a tampered field name changes nothing
        indicator = indicators[code]
        if indicator.kind == IndicatorKind.FILE:
            if raw is None:
                values[code] = None  # the officer removed the file
            continue
        if indicator.disaggregated and isinstance(raw, dict) and isinstance(values.get(code), dict):
            raw = {**values[code], **raw}  # a category left out keeps its value; one sent empty is cleared
        try:
            values[code] = clean_indicator(indicator, raw)
        except ValueError as exc:
            errors[code] = str(exc)
    if errors:
        raise ValidationError(errors)
    stored = []
    for code, upload in (files or {}).items():
        if code not in indicators or indicators[code].kind != IndicatorKind.FILE:
            continue
        try:
            attachment = store_attachment(user, unit, upload)
        except ValidationError as exc:
            errors[code] = " ".join(exc.messages)
            continue
        stored.append(attachment)
        values[code] = {"id": attachment.pk, "name": attachment.name, "size": attachment.size}
    if errors:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise ValidationError(errors)
    if values != submission.values:
        submission.values = values
        with acting_as(user):
            submission.save()
    return submission


def check(form: ReportForm, values: dict[str, Any]) -> list[str]:
    """Messages of the rules and required indicators the values break (empty: may be submitted)."""
    problems = [
        _("Chưa nhập: %(name)s") % {"name": i.name}
        for i in form.indicators.all()
        if i.required and values.get(i.code) in (None, {}, "")
    ]
    for rule in form.rules.all():
        left = total_of(values.get(rule.left))
        rights = [total_of(values.get(code.strip())) for code in rule.right.split("+")]
        if not isinstance(left, (int, float)) or not all(isinstance(r, (int, float)) for r in rights):
            continue
        total = sum(rights)
        ok = (
            left >= total
            if rule.operator == ">="
            else left <= total
            if rule.operator == "<="
            else left == total
        )
        if not ok:
            problems.append(rule.message)
    return problems


@transaction.atomic
def submit(user: Any, submission: Submission) -> Submission:
    if not can_enter(user, submission.unit):
        raise PermissionDenied
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.state not in (SubmissionState.DRAFT, SubmissionState.RETURNED):
        raise ValidationError(_("Báo cáo này đã được gửi."))
    problems = check(locked.form, locked.values)
    if problems:
        raise ValidationError(problems)
    locked.state, locked.submitted_at = SubmissionState.SUBMITTED, timezone.now()
    locked.awaiting = approval_chain(locked.unit)[0]
    with acting_as(user):
        locked.save()
    _step(locked, user, StepAction.SUBMIT, locked.unit)
    _notify_waiting(user, locked)
    return locked


def _url(submission: Submission) -> str:
    return reverse(
        "reporting:submission", args=[submission.form.code, submission.period, submission.unit.code]
    )


def _what(submission: Submission) -> str:
    return _("Báo cáo %(form)s %(period)s của %(unit)s") % {
        "form": submission.form.name,
        "period": period_of(submission.form, submission.period).label,
        "unit": submission.unit.name,
    }


def _notify_waiting(user: Any, submission: Submission) -> None:
    """The leaders of the level whose turn it is: a report waits for their approval."""
    notify(
        unit_people(submission.awaiting, [Role.UNIT_LEADER]),
        NoticeKind.REPORT_SUBMITTED,
        _("%(what)s chờ lãnh đạo duyệt.") % {"what": _what(submission)},
        _url(submission),
        actor=user,
    )


@transaction.atomic
def decide(user: Any, submission: Submission, *, approve: bool, comment: str = "") -> Submission:
    """The leader of the level whose turn it is approves (the report goes up one level, or is approved
    when that was the last level), or returns it to the body with a comment (required)."""
    locked = Submission.objects.select_for_update().select_related("unit").get(pk=submission.pk)
    if locked.state != SubmissionState.SUBMITTED:
        raise ValidationError(_("Chỉ duyệt hoặc trả lại báo cáo đang chờ duyệt."))
    if not can_decide(user, locked):
        raise PermissionDenied
    if not approve and not comment.strip():
        raise ValidationError(_("Hãy ghi lý do trả lại."))
    level = locked.awaiting
    if approve:
        chain = approval_chain(locked.unit)
        ids = [u.pk for u in chain]
        position = ids.index(level.pk) if level is not None and level.pk in ids else len(chain) - 1
        if position + 1 < len(chain):
            locked.awaiting = chain[position + 1]
        else:
            locked.state, locked.awaiting = SubmissionState.APPROVED, None
            locked.sent_at = locked.sent_at or timezone.now()  # lateness counts from the first sending
    else:
        locked.state, locked.awaiting = SubmissionState.RETURNED, None
    locked.decided_at, locked.decided_by, locked.comment = timezone.now(), user, comment.strip()
    with acting_as(user):
        locked.save()
    _step(locked, user, StepAction.APPROVE if approve else StepAction.RETURN, level, comment.strip())
    if not approve:
        notify(
            unit_people(locked.unit),
            NoticeKind.REPORT_RETURNED,
            _("%(what)s bị trả lại: %(why)s") % {"what": _what(locked), "why": comment.strip()},
            _url(locked),
            actor=user,
        )
    elif locked.state == SubmissionState.SUBMITTED:
        _notify_waiting(user, locked)
    else:
        notify(
            central_people(),
            NoticeKind.REPORT_APPROVED,
            _("%(what)s đã được lãnh đạo duyệt và gửi Cục: chờ tiếp nhận.") % {"what": _what(locked)},
            _url(locked),
            actor=user,
        )
        notify(
            unit_people(locked.unit),
            NoticeKind.REPORT_APPROVED,
            _("%(what)s đã được lãnh đạo duyệt và gửi Cục.") % {"what": _what(locked)},
            _url(locked),
            actor=user,
        )
    return locked


@transaction.atomic
def accept(user: Any, submission: Submission) -> Submission:
    if not can_accept(user):
        raise PermissionDenied
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.state != SubmissionState.APPROVED:
        raise ValidationError(_("Chỉ tiếp nhận báo cáo đã được lãnh đạo đơn vị duyệt."))
    locked.state, locked.decided_at, locked.decided_by = SubmissionState.ACCEPTED, timezone.now(), user
    with acting_as(user):
        locked.save()
    _step(locked, user, StepAction.ACCEPT, getattr(user, "org_unit", None))
    notify(
        unit_people(locked.unit),
        NoticeKind.REPORT_ACCEPTED,
        _("%(what)s đã được Cục tiếp nhận.") % {"what": _what(locked)},
        _url(locked),
        actor=user,
    )
    return locked


@transaction.atomic
def unlock(user: Any, submission: Submission, reason: str) -> Submission:
    """Reopen a locked report for correction; the reason is kept and the change audited."""
    if not can_accept(user):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Hãy ghi lý do mở khóa."))
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if not locked.locked:
        raise ValidationError(_("Báo cáo này không bị khóa."))
    locked.state, locked.comment, locked.decided_by, locked.decided_at = (
        SubmissionState.RETURNED,
        reason.strip(),
        user,
        timezone.now(),
    )
    locked.awaiting = None
    with acting_as(user):
        locked.save()
    _step(locked, user, StepAction.UNLOCK, getattr(user, "org_unit", None), reason.strip())
    notify(
        unit_people(locked.unit),
        NoticeKind.REPORT_RETURNED,
        _("%(what)s được mở lại để sửa: %(why)s") % {"what": _what(locked), "why": reason.strip()},
        _url(locked),
        actor=user,
    )
    return locked


def lateness(submission: Submission | None, deadline: dt.date, today: dt.date) -> tuple[int, bool] | None:
    """(days late, sent): a report sent to the centre after its deadline, or one not sent while the deadline
    has passed (the warning its page shows); ``None`` when on time or not yet due."""
    if submission is not None and submission.sent_at is not None:
        days = (timezone.localdate(submission.sent_at) - deadline).days
        return (days, True) if days > 0 else None
    days = (today - deadline).days
    return (days, False) if days > 0 else None


def _expected_rules(form: ReportForm, period: Period) -> tuple[list[int], list[str]]:
    """(body ids, kinds) of the expected reporters valid during the period's window; the form's rules
    are read once per form instance (a page computes several periods of the same form)."""
    rules = getattr(form, "_expected_rules", None)
    if rules is None:
        rules = form._expected_rules = [
            (r.unit_id, r.kind, r.valid_from, r.valid_to) for r in form.expected.all()
        ]
    start, end = window_of(form, period)
    ids: list[int] = []
    kinds: list[str] = []
    for unit_id, kind, valid_from, valid_to in rules:
        if (valid_from and valid_from > end) or (valid_to and valid_to < start):
            continue
        if unit_id:
            ids.append(unit_id)
        elif kind in _KINDS:
            kinds.append(kind)
    return ids, kinds


_KINDS = frozenset(OrgKind.values)


def expected_queryset(form: ReportForm, period: Period, *, under: OrgUnit | None = None):  # noqa: ANN201
    """The bodies expected to report for a period, as one query: expected reporters valid during the
    window, bodies valid at its end (so 2024's denominator is 63 provinces and 2026's is 34)."""
    ids, kinds = _expected_rules(form, period)
    qs = OrgUnit.objects.valid_on(window_of(form, period)[1]).filter(Q(pk__in=ids) | Q(kind__in=kinds))
    if under is not None:
        qs = qs.filter(path__startswith=under.path)
    return qs.order_by("sort_key", "code")


def _counts(
    form: ReportForm, period: Period, period_code: str, limit: dt.datetime, under: OrgUnit | None
) -> tuple[int, int, int]:
    """Expected, submitted and on-time counts in one SQL statement (written out: building the same
    query with the ORM costs more than running it). Same conditions as ``expected_queryset``."""
    from django.db import connection

    ids, kinds = _expected_rules(form, period)
    if not ids and not kinds:
        return 0, 0, 0
    end = window_of(form, period)[1]
    units, reports = OrgUnit._meta.db_table, Submission._meta.db_table
    who = []
    params: list[Any] = [limit, form.pk, period_code, SubmissionState.DRAFT]
    if ids:
        who.append(f"u.id IN ({', '.join(['%s'] * len(ids))})")
        params += ids
    if kinds:
        who.append(f"u.kind IN ({', '.join(['%s'] * len(kinds))})")
        params += kinds
    where = f"({' OR '.join(who)}) AND (u.valid_from IS NULL OR u.valid_from <= %s) AND (u.valid_to IS NULL OR u.valid_to >= %s)"
    params += [end, end]
    if under is not None:
        where += " AND u.path LIKE %s"
        params.append(under.path.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
        if connection.vendor == "sqlite":
            where += " ESCAPE '\\'"
    sql = (
        f"SELECT COUNT(u.id), COUNT(s.id), SUM(CASE WHEN s.sent_at < %s THEN 1 ELSE 0 END) FROM {units} u "
        f"LEFT JOIN {reports} s ON s.unit_id = u.id AND s.form_id = %s AND s.period = %s AND s.state <> %s AND s.sent_at IS NOT NULL "
        f"WHERE {where}"
    )
    # The limit is compared in the database's own representation of an aware datetime.
    params[0] = connection.ops.adapt_datetimefield_value(limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        total, submitted, on_time = cursor.fetchone()
    return int(total or 0), int(submitted or 0), int(on_time or 0)


def expected_units(form: ReportForm, period: Period) -> list[OrgUnit]:
    return list(expected_queryset(form, period))


def completeness(form: ReportForm, period_code: str, *, under: OrgUnit | None = None) -> dict[str, Any]:
    """Reporting rate = sent / expected, on time = sent by the deadline (as DHIS2 defines them), where sent means
    approved by the body's own leader and so reached the centre (a report waiting for its leader is not sent),
    counted over the expected bodies only, so a rate never exceeds 100%. Counts come from the
    database; the late and missing bodies are queries, read only when shown."""
    period = period_of(form, period_code)
    expected = _Lazy(lambda: expected_queryset(form, period, under=under))
    due = deadline_of(form, period)
    limit = timezone.make_aware(dt.datetime.combine(due + dt.timedelta(days=1), dt.time()))

    def sent():  # noqa: ANN202
        return Submission.objects.filter(
            form=form, period=period_code, unit__in=expected.query(), sent_at__isnull=False
        ).exclude(state=SubmissionState.DRAFT)

    total, submitted, on_time = _counts(form, period, period_code, limit, under)
    return {
        "period": period.label,
        "deadline": due,
        "expected": total,
        "submitted": submitted,
        "on_time": on_time,
        "rate": (submitted / total) if total else None,
        "on_time_rate": (on_time / total) if total else None,
        "missing_count": total - submitted,
        "late_count": submitted - on_time,
        "expected_bodies": expected,
        "late": _Lazy(
            lambda: expected.query().filter(pk__in=sent().filter(sent_at__gte=limit).values("unit_id"))
        ),
        "missing": _Lazy(lambda: expected.query().exclude(pk__in=sent().values("unit_id"))),
    }


class _Lazy:
    """A query built only when used (building Django queries costs more than counting 34 bodies)."""

    def __init__(self, build: Any) -> None:
        self._build, self._query = build, None

    def query(self) -> Any:
        if self._query is None:
            self._query = self._build()
        return self._query

    def __iter__(self):  # noqa: ANN204
        return iter(self.query())

    def __len__(self) -> int:
        return len(self.query())

    def __getattr__(self, name: str) -> Any:
        return getattr(self.query(), name)


REPORTER_STATUSES = [
    ("", gettext_lazy("Tất cả")),
    ("missing", gettext_lazy("Chưa gửi")),
    ("late", gettext_lazy("Gửi muộn")),
    ("waiting", gettext_lazy("Chờ duyệt")),
    ("returned", gettext_lazy("Bị trả lại")),
    ("sent", gettext_lazy("Đã gửi")),
    ("done", gettext_lazy("Đã duyệt, tiếp nhận")),
]


def reporters_with_status(form: ReportForm, period: Period, stats: dict[str, Any], status: str):  # noqa: ANN201
    """The expected bodies of a completeness result narrowed to one status (drill-down), as a query."""
    if status == "missing":
        return stats["missing"].query()
    if status == "late":
        return stats["late"].query()
    if status == "sent":
        return stats["expected_bodies"].query().exclude(pk__in=stats["missing"].query().values("pk"))
    states = {
        "waiting": [SubmissionState.SUBMITTED],
        "returned": [SubmissionState.RETURNED],
        "done": [SubmissionState.APPROVED, SubmissionState.ACCEPTED],
    }.get(status)
    expected = stats["expected_bodies"].query()
    if states is None:
        return expected
    return expected.filter(
        pk__in=Submission.objects.filter(form=form, period=period.code, state__in=states).values("unit_id")
    )


FORMS_DATA = Path(__file__).resolve().parents[1] / "data" / "report_forms.json"


@transaction.atomic
def load_forms() -> int:
    """Create the report forms of the data file (with indicators, checks and expected reporters) once."""
    from ttdn.reporting.models import ValidationRule

    raw = json.loads(FORMS_DATA.read_text(encoding="utf-8"))
    created = 0
    for item in raw["forms"]:
        if ReportForm.objects.filter(code=item["code"]).exists():
            continue
        form = ReportForm.objects.create(
            code=item["code"],
            name=item["name"],
            period_type=item["period_type"],
            cutoff_start_day=item["cutoff_start_day"],
            deadline_month=item["deadline"].get("month"),
            deadline_day=item["deadline"].get("day"),
            deadline_days_after=item["deadline"].get("days_after"),
            source=item["source"],
        )
        for order, ind in enumerate(raw["indicators"]):
            Indicator.objects.create(
                form=form,
                code=ind["code"],
                name=ind["name"],
                kind=ind["kind"],
                required=ind.get("required", False),
                order=order,
                categories=ind.get("categories", []),
                derived_from=ind.get("derived_from", ""),
            )
        for rule in raw["rules"]:
            ValidationRule.objects.create(form=form, **rule)
        for kind in item["expected_kinds"]:
            ExpectedReporter.objects.create(form=form, kind=kind)
        created += 1
    return created
