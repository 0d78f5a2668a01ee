"""Report submissions: drafts, validation, submit, approve or return, acceptance by the centre, unlock.

Rules live here (the caller sees them), not in ``save()``. Approval levels: a body's officers enter
and submit; its leader (or, for a department, a leader of its province) approves or returns; the
central department accepts, which locks the data; only an administrator or central officer unlocks,
with a reason, and the unlock is audited.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ttdn.accounts.models import Role
from ttdn.accounts.selectors import in_scope, is_central
from ttdn.core.audit import acting_as
from ttdn.core.periods import CutoffRule, DeadlineRule, Period, PeriodType, parse_period
from ttdn.orgs.models import OrgKind, OrgUnit
from ttdn.reporting.models import ExpectedReporter, IndicatorKind, ReportForm, Submission, SubmissionState

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
        else DeadlineRule(month=form.deadline_month, day=form.deadline_day, year_offset=form.deadline_year_offset)
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
    text = str(raw).strip().replace(" ", "").replace("đ", "")
    if kind in (IndicatorKind.COUNT, IndicatorKind.MONEY):
        text = text.replace(".", "").replace(",", "")  # 1.500.000 and 1,500,000 are both 1500000
        if not text.isdigit():
            raise ValueError(_("phải là số nguyên không âm"))
        return int(text)
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation as exc:
        raise ValueError(_("phải là số")) from exc
    if not Decimal(0) <= value <= Decimal(100):
        raise ValueError(_("phải từ 0 đến 100"))
    return float(value)


def can_enter(user: Any, unit: OrgUnit) -> bool:
    return user.is_authenticated and user.role in (Role.UNIT_OFFICER, Role.UNIT_LEADER) and in_scope(user, unit) and unit.is_valid_on(timezone.localdate())


def can_decide(user: Any, submission: Submission) -> bool:
    """A leader of the body, or of the body above it (a province for its departments)."""
    if not user.is_authenticated or user.role != Role.UNIT_LEADER or user.org_unit_id is None:
        return False
    return submission.unit_id == user.org_unit_id or submission.unit.parent_id == user.org_unit_id


def can_accept(user: Any) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role in (Role.ADMIN, Role.CENTRAL_OFFICER)) and is_central(user)


@transaction.atomic
def save_draft(user: Any, form: ReportForm, unit: OrgUnit, period_code: str, typed: dict[str, Any]) -> Submission:
    """Keep what was typed (a value left out is kept, never lost); bad values are refused all together."""
    if not can_enter(user, unit):
        raise PermissionDenied
    period_of(form, period_code)
    submission, _created = Submission.objects.select_for_update().get_or_create(form=form, unit=unit, period=period_code)
    if submission.locked:
        raise ValidationError(_("Báo cáo đã gửi hoặc đã duyệt nên không sửa được."))
    kinds = {i.code: i.kind for i in form.indicators.all()}
    errors, values = {}, dict(submission.values)
    for code, raw in typed.items():
        if code not in kinds:
            continue  # a tampered field name changes nothing
        try:
            values[code] = clean_value(kinds[code], raw)
        except ValueError as exc:
            errors[code] = str(exc)
    if errors:
        raise ValidationError(errors)
    if values != submission.values:
        submission.values = values
        with acting_as(user):
            submission.save()
    return submission


def check(form: ReportForm, values: dict[str, Any]) -> list[str]:
    """Messages of the rules and required indicators the values break (empty: may be submitted)."""
    problems = [_("Chưa nhập: %(name)s") % {"name": i.name} for i in form.indicators.all() if i.required and values.get(i.code) is None]
    for rule in form.rules.all():
        left = values.get(rule.left)
        rights = [values.get(code.strip()) for code in rule.right.split("+")]
        if not isinstance(left, (int, float)) or not all(isinstance(r, (int, float)) for r in rights):
            continue
        total = sum(rights)
        ok = left >= total if rule.operator == ">=" else left <= total if rule.operator == "<=" else left == total
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
    with acting_as(user):
        locked.save()
    return locked


@transaction.atomic
def decide(user: Any, submission: Submission, *, approve: bool, comment: str = "") -> Submission:
    """A leader approves, or returns with a comment (required), a submitted report."""
    if not can_decide(user, submission):
        raise PermissionDenied
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.state != SubmissionState.SUBMITTED:
        raise ValidationError(_("Chỉ duyệt hoặc trả lại báo cáo đang chờ duyệt."))
    if not approve and not comment.strip():
        raise ValidationError(_("Hãy ghi lý do trả lại."))
    locked.state = SubmissionState.APPROVED if approve else SubmissionState.RETURNED
    locked.decided_at, locked.decided_by, locked.comment = timezone.now(), user, comment.strip()
    with acting_as(user):
        locked.save()
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
    locked.state, locked.comment, locked.decided_by, locked.decided_at = SubmissionState.RETURNED, reason.strip(), user, timezone.now()
    with acting_as(user):
        locked.save()
    return locked


def expected_queryset(form: ReportForm, period: Period, *, under: OrgUnit | None = None):  # noqa: ANN201
    """The bodies expected to report for a period, as one query: expected reporters valid during the
    window, bodies valid at its end (so 2024's denominator is 63 provinces and 2026's is 34)."""
    start, end = window_of(form, period)
    condition = Q(pk__in=[])
    for rule in form.expected.all():
        if (rule.valid_from and rule.valid_from > end) or (rule.valid_to and rule.valid_to < start):
            continue
        if rule.unit_id:
            condition |= Q(pk=rule.unit_id)
        elif rule.kind in OrgKind.values:
            condition |= Q(kind=rule.kind)
    qs = OrgUnit.objects.valid_on(end).filter(condition)
    if under is not None:
        qs = qs.filter(path__startswith=under.path)
    return qs.order_by("sort_key", "code")


def expected_units(form: ReportForm, period: Period) -> list[OrgUnit]:
    return list(expected_queryset(form, period))


def completeness(form: ReportForm, period_code: str, *, under: OrgUnit | None = None) -> dict[str, Any]:
    """Reporting rate = submitted / expected, on time = submitted by the deadline (as DHIS2 defines them),
    counted over the expected bodies only, so a rate never exceeds 100%. Counts come from the
    database; the late and missing bodies are queries, read only when shown."""
    period = period_of(form, period_code)
    expected = expected_queryset(form, period, under=under)
    due = deadline_of(form, period)
    limit = timezone.make_aware(dt.datetime.combine(due + dt.timedelta(days=1), dt.time()))
    sent = Submission.objects.filter(form=form, period=period_code, unit__in=expected, submitted_at__isnull=False).exclude(state=SubmissionState.DRAFT)
    counts = sent.aggregate(submitted=Count("id"), on_time=Count("id", filter=Q(submitted_at__lt=limit)))
    total = expected.count()
    submitted, on_time = counts["submitted"], counts["on_time"]
    return {
        "period": period.label,
        "deadline": due,
        "expected": total,
        "submitted": submitted,
        "on_time": on_time,
        "rate": (submitted / total) if total else None,
        "on_time_rate": (on_time / total) if total else None,
        "late": expected.filter(pk__in=sent.filter(submitted_at__gte=limit).values("unit_id")),
        "missing": expected.exclude(pk__in=sent.values("unit_id")),
    }


FORMS_DATA = __import__("pathlib").Path(__file__).parent / "data" / "report_forms.json"


@transaction.atomic
def load_forms() -> int:
    """Create the report forms of the data file (with indicators, checks and expected reporters) once."""
    from ttdn.reporting.models import Indicator, ValidationRule

    raw = json.loads(FORMS_DATA.read_text(encoding="utf-8"))
    created = 0
    for item in raw["forms"]:
        if ReportForm.objects.filter(code=item["code"]).exists():
            continue
        form = ReportForm.objects.create(
            code=item["code"], name=item["name"], period_type=item["period_type"], cutoff_start_day=item["cutoff_start_day"],
            deadline_month=item["deadline"].get("month"), deadline_day=item["deadline"].get("day"),
            deadline_days_after=item["deadline"].get("days_after"), source=item["source"],
        )
        for order, ind in enumerate(raw["indicators"]):
            Indicator.objects.create(form=form, code=ind["code"], name=ind["name"], kind=ind["kind"], required=ind.get("required", False), order=order)
        for rule in raw["rules"]:
            ValidationRule.objects.create(form=form, **rule)
        for kind in item["expected_kinds"]:
            ExpectedReporter.objects.create(form=form, kind=kind)
        created += 1
    return created
