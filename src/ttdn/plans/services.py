"""Writes of the plans app: the plan cycle, activities and budget lines, consolidation, results.

Cycle: a unit's plan (a department, a district) goes draft → submitted (to its parent body) →
consolidated (its activities copied into the parent's draft); the parent's plan goes draft →
approved (by its leader) → sent (to the centre). Any step can be returned with a comment: a
submitted plan by the parent's officers, an approved plan by its leader, a sent plan by the centre.
An approved plan marks the ``ke_hoach`` tracking item for its body and year.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ttdn.accounts.models import Role
from ttdn.core.audit import acting_as
from ttdn.core.money import MoneyError, parse_vnd
from ttdn.core.validation import bounded
from ttdn.notices.models import NoticeKind
from ttdn.notices.services import central_people, notify, unit_people
from ttdn.orgs.models import OrgUnit
from ttdn.orgs.scope import in_scope, is_central
from ttdn.plans.models import (
    MAX_AMOUNT,
    Activity,
    ActivityCategory,
    BudgetLine,
    BudgetSource,
    DeadlineRule,
    Plan,
    PlanState,
    PlanStep,
    ResultStatus,
    StaffPost,
    TrainingCourse,
)

DATA = Path(__file__).parent / "data"


# -- reference data ----------------------------------------------------------------------------


@transaction.atomic
def load_reference() -> int:
    """Activity categories and deadline rules from the data files (idempotent)."""
    created = 0
    for order, item in enumerate(
        json.loads((DATA / "categories.json").read_text(encoding="utf-8"))["categories"]
    ):
        _obj, new = ActivityCategory.objects.update_or_create(
            code=item["code"], defaults={"name": item["name"], "order": order}
        )
        created += new
    for rule in json.loads((DATA / "deadlines.json").read_text(encoding="utf-8"))["rules"]:
        _obj, new = DeadlineRule.objects.get_or_create(
            level=rule["level"],
            year=rule.get("year"),
            defaults={"month": rule["month"], "day": rule["day"], "year_offset": rule["year_offset"]},
        )
        created += new
    return created


# -- who may do what ---------------------------------------------------------------------------


def is_unit_plan(plan: Plan) -> bool:
    """A plan of a body under another (a department, a district): it is submitted to its parent."""
    return plan.unit.parent_id is not None


def _staff(user: Any) -> bool:
    return user.is_authenticated and user.role in (Role.UNIT_OFFICER, Role.UNIT_LEADER)


def can_edit(user: Any, plan: Plan) -> bool:
    return _staff(user) and in_scope(user, plan.unit) and plan.editable


def can_submit(user: Any, plan: Plan) -> bool:
    """A unit's plan goes up to its parent; a province's (or ministry's) plan goes to its own leader for
    approval (trình lãnh đạo phê duyệt), which its officers do once it is consolidated."""
    if not (_staff(user) and in_scope(user, plan.unit) and plan.editable):
        return False
    return is_unit_plan(plan) or user.role == Role.UNIT_OFFICER


def can_consolidate(user: Any, plan: Plan) -> bool:
    return _staff(user) and in_scope(user, plan.unit) and plan.editable


def can_approve(user: Any, plan: Plan) -> bool:
    return (
        user.is_authenticated
        and user.role == Role.UNIT_LEADER
        and in_scope(user, plan.unit)
        and (plan.editable or plan.state == PlanState.SUBMITTED)  # a draft, or one its officers submitted
        and not is_unit_plan(plan)
    )


def can_send(user: Any, plan: Plan) -> bool:
    return _staff(user) and in_scope(user, plan.unit) and plan.state == PlanState.APPROVED


def can_return(user: Any, plan: Plan) -> bool:
    if not user.is_authenticated:
        return False
    if plan.state == PlanState.SUBMITTED:
        parent = plan.unit.parent
        if parent is None:  # submitted to its own leader: the leader may send it back
            return user.role == Role.UNIT_LEADER and in_scope(user, plan.unit)
        return _staff(user) and in_scope(user, parent)
    if plan.state == PlanState.CONSOLIDATED:
        target = plan.consolidated_into
        return _staff(user) and target is not None and target.editable and in_scope(user, target.unit)
    if plan.state == PlanState.APPROVED:
        return user.role == Role.UNIT_LEADER and in_scope(user, plan.unit)
    if plan.state == PlanState.SENT:
        return is_central(user) and user.role in (Role.CENTRAL_OFFICER, Role.ADMIN)
    return False


def _step(plan: Plan, user: Any, action: str, comment: str = "") -> None:
    PlanStep.objects.create(
        plan=plan,
        action=action,
        user=user if getattr(user, "is_authenticated", False) else None,
        at=timezone.now(),
        comment=comment,
    )


def _locked(plan: Plan) -> Plan:
    return Plan.objects.select_for_update().select_related("unit").get(pk=plan.pk)


# -- plan and activities -----------------------------------------------------------------------


@transaction.atomic
def create_plan(user: Any, unit: OrgUnit, year: int, *, title: str = "", number: str = "") -> Plan:
    if not (_staff(user) and in_scope(user, unit)):
        raise PermissionDenied
    if not 2000 <= year <= 2100:
        raise ValidationError(_("Năm kế hoạch không hợp lệ."))
    if Plan.objects.filter(unit=unit, year=year).exists():
        raise ValidationError(_("%(unit)s đã có kế hoạch năm %(year)s.") % {"unit": unit.name, "year": year})
    title = bounded(title, 300, _("Tên kế hoạch"))
    number = bounded(number, 60, _("Số, ký hiệu"))
    with acting_as(user):
        plan = Plan.objects.create(
            unit=unit,
            year=year,
            number=number,
            title=title or _("Kế hoạch công tác thông tin đối ngoại năm %(year)s") % {"year": year},
        )
    _step(plan, user, "create")
    return plan


@transaction.atomic
def update_plan(
    user: Any,
    plan: Plan,
    *,
    title: str,
    number: str,
    objectives: str,
    requirements: str,
    bases: list[Any] = (),
    basis_numbers: str = "",
) -> Plan:
    """The plan's heading fields and legal bases (records, or numbers: one the registry lacks is kept as a
    citation, the plan's body's own when it is local)."""
    from ttdn.documents.services import documents_for_numbers

    plan = _locked(plan)
    if not can_edit(user, plan):
        raise PermissionDenied
    title = bounded(title, 300, _("Tên kế hoạch"), required=_("Hãy ghi tên kế hoạch."))
    number = bounded(number, 60, _("Số, ký hiệu"))
    bases = [*bases, *documents_for_numbers(basis_numbers, unit=plan.unit)]
    plan.title, plan.number = title, number
    plan.objectives, plan.requirements = objectives.strip(), requirements.strip()
    with acting_as(user):
        plan.save()
        plan.bases.set(bases)
    return plan


def _lead(user: Any, plan: Plan, code: str) -> OrgUnit:
    """Đơn vị chủ trì: the plan's own body when none is chosen; otherwise a body the user has the right over (a
    province leads with its departments and communes, not with another province)."""
    if not code:
        return plan.unit
    lead = OrgUnit.objects.filter(code=code).first()
    if lead is None:
        raise ValidationError(_("Không tìm thấy đơn vị chủ trì đã chọn."))
    if lead.pk != plan.unit_id and not in_scope(user, lead):
        raise ValidationError(
            _("%(unit)s không thuộc phạm vi của đơn vị lập kế hoạch; hãy ghi đơn vị đó ở ô phối hợp.")
            % {"unit": lead.name}
        )
    return lead


def parse_budget(rows: list[tuple[str, str]]) -> list[tuple[int, str]]:
    """[(amount typed, source)] → [(đồng, source)], refusing negative, absurd or malformed amounts."""
    lines = []
    for raw, source in rows:
        if str(raw or "").strip() == "":
            continue
        if source not in BudgetSource.values:
            raise ValidationError(_("Nguồn kinh phí không hợp lệ."))
        try:
            amount = parse_vnd(raw, maximum=MAX_AMOUNT)
        except MoneyError as exc:
            raise ValidationError(
                _("Số tiền “%(raw)s” %(why)s.") % {"raw": str(raw)[:40], "why": exc}
            ) from exc
        if amount == 0:
            raise ValidationError(_("Số tiền phải lớn hơn 0 (bỏ trống nếu không có kinh phí)."))
        lines.append((amount, source))
    return lines


def parse_cost(raw: str) -> int | None:
    """The actual cost of an activity as typed → whole đồng (None when left empty)."""
    try:
        return parse_vnd(raw, maximum=MAX_AMOUNT)
    except MoneyError as exc:
        raise ValidationError({"actual_cost": _("Kinh phí thực chi %(why)s.") % {"why": exc}}) from exc


@transaction.atomic
def save_activity(
    user: Any,
    plan: Plan,
    data: dict[str, Any],
    budget: list[tuple[str, str]],
    activity: Activity | None = None,
) -> Activity:
    """Add or change an activity with its budget lines (all replaced); nothing is kept if anything is wrong."""
    plan = _locked(plan)
    if not can_edit(user, plan):
        raise PermissionDenied
    title = bounded(data.get("title", ""), 500, _("Tên hoạt động"), required=_("Hãy ghi tên hoạt động."))
    category = ActivityCategory.objects.filter(code=data.get("category")).first()
    if category is None:
        raise ValidationError(_("Hãy chọn nhóm hoạt động."))
    lines = parse_budget(budget)
    lead = _lead(user, plan, str(data.get("lead") or ""))
    if activity is None:
        activity = Activity(plan=plan, order=(plan.activities.count() + 1) * 10)
    elif activity.plan_id != plan.pk:
        raise PermissionDenied
    activity.category, activity.title, activity.lead = category, title, lead
    activity.partners = bounded(data.get("partners", ""), 500, _("Đơn vị phối hợp"))
    activity.timeline = bounded(data.get("timeline", ""), 40, _("Thời gian thực hiện"))
    activity.targets = str(data.get("targets", "")).strip()
    with acting_as(user):
        activity.save()
        activity.budget_lines.all().delete()
        _add_lines(activity, [(a, s) for a, s in lines])
    return activity


def _add_lines(activity: Activity, lines: list[tuple[int, str]]) -> None:
    """An activity's budget lines, one write each so that the audit log records every one (a bulk insert is not
    logged); an activity has a handful."""
    for amount, source in lines:
        BudgetLine.objects.create(activity=activity, amount=amount, source=source)


@transaction.atomic
def delete_activity(user: Any, activity: Activity) -> None:
    if not can_edit(user, _locked(activity.plan)):
        raise PermissionDenied
    with acting_as(user):
        activity.delete()


# -- the cycle ---------------------------------------------------------------------------------


@transaction.atomic
def submit(user: Any, plan: Plan) -> Plan:
    plan = _locked(plan)
    if not can_submit(user, plan):
        raise PermissionDenied
    if not plan.activities.exists():
        raise ValidationError(_("Kế hoạch chưa có hoạt động nào."))
    plan.state, plan.submitted_at, plan.comment = PlanState.SUBMITTED, timezone.now(), ""
    with acting_as(user):
        plan.save()
    _step(plan, user, "submit")
    if is_unit_plan(plan):
        notify(
            unit_people(plan.unit.parent, [Role.UNIT_OFFICER]),
            NoticeKind.PLAN_SUBMITTED,
            _("%(what)s đã gửi lên: chờ tổng hợp.") % {"what": _what(plan)},
            _url(plan),
            actor=user,
        )
    else:
        notify(
            unit_people(plan.unit, [Role.UNIT_LEADER]),
            NoticeKind.PLAN_SUBMITTED,
            _("%(what)s trình lãnh đạo phê duyệt.") % {"what": _what(plan)},
            _url(plan),
            actor=user,
        )
    return plan


def _url(plan: Plan) -> str:
    return reverse("plans:detail", args=[plan.pk])


def _what(plan: Plan) -> str:
    return _("Kế hoạch TTĐN năm %(year)s của %(unit)s") % {"year": plan.year, "unit": plan.unit.name}


@transaction.atomic
def return_plan(user: Any, plan: Plan, comment: str) -> Plan:
    plan = _locked(plan)
    if not can_return(user, plan):
        raise PermissionDenied
    if not comment.strip():
        raise ValidationError(_("Hãy ghi lý do trả lại."))
    parent = plan.consolidated_into if plan.state == PlanState.CONSOLIDATED else None
    plan.state, plan.comment, plan.consolidated_into = PlanState.RETURNED, comment.strip(), None
    with acting_as(user):
        plan.save()
        if parent is not None:  # its activities leave the parent's draft with it
            Activity.objects.filter(plan=parent, source_activity__plan=plan).delete()
            _step(
                parent,
                user,
                "return",
                _("Trả lại kế hoạch của %(unit)s: %(why)s")
                % {"unit": plan.unit.name, "why": comment.strip()},
            )
    _step(plan, user, "return", comment.strip())
    notify(
        unit_people(plan.unit),
        NoticeKind.PLAN_RETURNED,
        _("%(what)s bị trả lại: %(why)s") % {"what": _what(plan), "why": comment.strip()},
        _url(plan),
        actor=user,
    )
    return plan


@transaction.atomic
def consolidate(user: Any, plan: Plan) -> list[Plan]:
    """Copy the activities of the submitted plans of the body's units into its draft, grouped by
    category, each keeping the link to its source unit and activity."""
    plan = _locked(plan)
    if not can_consolidate(user, plan):
        raise PermissionDenied
    sources = list(
        Plan.objects.select_for_update()
        .filter(unit__parent=plan.unit, year=plan.year, state=PlanState.SUBMITTED)
        .select_related("unit")
    )
    if not sources:
        raise ValidationError(_("Chưa có kế hoạch nào của đơn vị trực thuộc đã gửi để tổng hợp."))
    order = plan.activities.count() * 10
    with acting_as(user):
        for source in sources:
            for item in source.activities.prefetch_related("budget_lines"):
                order += 10
                copy = Activity.objects.create(
                    plan=plan,
                    category=item.category,
                    title=item.title,
                    lead=item.lead or source.unit,
                    partners=item.partners,
                    timeline=item.timeline,
                    targets=item.targets,
                    source_activity=item,
                    source_unit=source.unit,
                    order=order,
                )
                _add_lines(copy, [(b.amount, b.source) for b in item.budget_lines.all()])
            source.state, source.consolidated_into = PlanState.CONSOLIDATED, plan
            source.save()
            _step(source, user, "consolidate")
            notify(
                unit_people(source.unit),
                NoticeKind.PLAN_APPROVED,
                _("%(what)s đã được tổng hợp vào kế hoạch của %(parent)s.")
                % {"what": _what(source), "parent": plan.unit.name},
                _url(source),
                actor=user,
            )
    _step(plan, user, "consolidate", ", ".join(s.unit.name for s in sources))
    return sources


@transaction.atomic
def merge(user: Any, plan: Plan, activity_ids: list[int]) -> Activity:
    """Merge duplicate activities into the first: budget lines added up per source, partners and
    targets joined, source links kept on the merged one's copies."""
    plan = _locked(plan)
    if not can_edit(user, plan):
        raise PermissionDenied
    items = list(
        plan.activities.filter(pk__in=activity_ids).order_by("order", "id").prefetch_related("budget_lines")
    )
    if len(items) < 2:
        raise ValidationError(_("Chọn ít nhất hai hoạt động để gộp."))
    keep, others = items[0], items[1:]
    totals: dict[str, int] = {}
    for item in items:
        for line in item.budget_lines.all():
            totals[line.source] = totals.get(line.source, 0) + line.amount
    partners = [p.strip() for item in items for p in item.partners.split(";") if p.strip()]
    partners += [o.source_unit.name for o in others if o.source_unit and o.source_unit.name not in partners]
    keep.partners = "; ".join(dict.fromkeys(partners))[:500]
    keep.targets = "\n".join(dict.fromkeys(t.strip() for t in (i.targets for i in items) if t.strip()))
    with acting_as(user):
        keep.save()
        keep.budget_lines.all().delete()
        _add_lines(keep, [(amount, source) for source, amount in totals.items()])
        for other in others:
            other.delete()
    _step(plan, user, "merge", keep.title)
    return keep


@transaction.atomic
def approve(user: Any, plan: Plan) -> Plan:
    plan = _locked(plan)
    if not can_approve(user, plan):
        raise PermissionDenied
    if not plan.activities.exists():
        raise ValidationError(_("Kế hoạch chưa có hoạt động nào."))
    plan.state, plan.approved_at, plan.comment = PlanState.APPROVED, timezone.now(), ""
    with acting_as(user):
        plan.save()  # the tracking table reads the approved plan as its evidence (plans.selectors)
    _step(plan, user, "approve")
    notify(
        unit_people(plan.unit, [Role.UNIT_OFFICER]),
        NoticeKind.PLAN_APPROVED,
        _("%(what)s đã được lãnh đạo phê duyệt: gửi Cục.") % {"what": _what(plan)},
        _url(plan),
        actor=user,
    )
    return plan


@transaction.atomic
def send(user: Any, plan: Plan) -> Plan:
    plan = _locked(plan)
    if not can_send(user, plan):
        raise PermissionDenied
    plan.state, plan.sent_at = PlanState.SENT, timezone.now()
    with acting_as(user):
        plan.save()
    _step(plan, user, "send")
    notify(
        central_people(),
        NoticeKind.PLAN_SENT,
        _("%(what)s đã gửi Cục.") % {"what": _what(plan)},
        _url(plan),
        actor=user,
    )
    return plan


# -- results, posts, courses ---------------------------------------------------------------------


@transaction.atomic
def record_result(
    user: Any,
    activity: Activity,
    *,
    result: str,
    on: dt.date | None,
    outputs: str,
    actual_cost: str,
    files: list[Any] = (),
) -> Activity:
    from ttdn.core.services import store_attachment

    plan = activity.plan
    if not (_staff(user) and in_scope(user, plan.unit)) or plan.state not in (
        PlanState.APPROVED,
        PlanState.SENT,
    ):
        raise PermissionDenied
    if result not in ResultStatus.values:
        raise ValidationError({"result": _("Hãy chọn kết quả.")})
    cost = parse_cost(actual_cost)
    stored = []
    for upload in files:
        stored.append(store_attachment(user, plan.unit, upload))
    activity.result, activity.result_on, activity.outputs, activity.actual_cost = (
        result,
        on,
        outputs.strip(),
        cost,
    )
    with acting_as(user):
        activity.save()
        activity.evidence.add(*stored)
    return activity


def _owner(user: Any, unit: OrgUnit) -> None:
    if not (_staff(user) and in_scope(user, unit)):
        raise PermissionDenied


@transaction.atomic
def save_post(
    user: Any, unit: OrgUnit, *, title: str, holder: str, since: dt.date | None, dedicated: bool
) -> StaffPost:
    _owner(user, unit)
    title = bounded(title, 200, _("Tên vị trí"), required=_("Hãy ghi tên vị trí."))
    holder = bounded(holder, 200, _("Người đảm nhiệm"))
    with acting_as(user):
        return StaffPost.objects.create(
            unit=unit,
            title=title,
            holder=holder,
            since=since,
            dedicated=dedicated,
        )


@transaction.atomic
def save_course(
    user: Any,
    unit: OrgUnit,
    *,
    held_on: dt.date,
    topic: str,
    trainees: str,
    trainers: str,
    activity: Activity | None,
) -> TrainingCourse:
    _owner(user, unit)
    topic = bounded(topic, 300, _("Chủ đề"), required=_("Hãy ghi chủ đề lớp tập huấn."))
    trainers = bounded(trainers, 300, _("Giảng viên"))
    try:
        count = parse_vnd(trainees, maximum=100_000)
    except MoneyError as exc:
        raise ValidationError(_("Số học viên %(why)s.") % {"why": exc}) from exc
    if not count:
        raise ValidationError(_("Hãy ghi số học viên."))
    with acting_as(user):
        return TrainingCourse.objects.create(
            unit=unit,
            held_on=held_on,
            topic=topic,
            trainees=count,
            trainers=trainers,
            activity=activity,
        )
