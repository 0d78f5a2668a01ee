"""Reads of the plans app: visible plans, deadlines and lateness, budget totals, plan versus actual,
anniversaries of the plan year."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _

from ttdn.core.dates import format_date
from ttdn.core.worklist import APPROVE, DO, WorkItem
from ttdn.orgs.scope import restrict
from ttdn.plans.models import (
    Activity,
    ActivityCategory,
    BudgetLine,
    BudgetSource,
    DeadlineRule,
    Plan,
    PlanState,
    ResultStatus,
)
from ttdn.plans.services import DATA, is_unit_plan


def visible_plans(user: Any) -> QuerySet[Plan]:
    """A body's own plans and those of its sub-units (and predecessors'); the centre sees all."""
    return restrict(Plan.objects.select_related("unit", "unit__parent"), user, "unit")


Rules = dict[tuple[str, int | None], DeadlineRule]


def deadline_rules() -> Rules:
    """Every deadline rule, by (level, year or None for the standing one): one query for a whole list."""
    return {(r.level, r.year): r for r in DeadlineRule.objects.all()}


def deadline(plan: Plan, rules: Rules | None = None) -> dt.date | None:
    """When the plan is due: a unit's to its parent, a province's (or ministry's) to the centre."""
    return due_date("unit" if is_unit_plan(plan) else "province", plan.year, rules)


def due_date(level: str, year: int, rules: Rules | None = None) -> dt.date | None:
    """The deadline of a year's plans at one level ("unit", "province"): the year's own rule, else the standing one."""
    if rules is None:
        rule = (
            DeadlineRule.objects.filter(level=level, year=year).first()
            or DeadlineRule.objects.filter(level=level, year__isnull=True).first()
        )
    else:
        rule = rules.get((level, year)) or rules.get((level, None))
    if rule is None:
        return None
    return dt.date(year + rule.year_offset, rule.month, rule.day)


def lateness(plan: Plan, today: dt.date, rules: Rules | None = None) -> int | None:
    """Days late (None when on time or not yet due): a unit's plan by its submission, a province's by sending."""
    due = deadline(plan, rules)
    if due is None:
        return None
    done_at = plan.submitted_at if is_unit_plan(plan) else plan.sent_at
    done = done_at.date() if done_at else None
    if done is None and plan.state == PlanState.CONSOLIDATED:
        return None
    moment = done or today
    return (moment - due).days if moment > due else None


@dataclass
class Totals:
    """Budget of a plan by category and source (whole đồng)."""

    rows: list[tuple[ActivityCategory, dict[str, int], int]] = field(default_factory=list)
    by_source: dict[str, int] = field(default_factory=dict)
    total: int = 0


def budget_totals(plan: Plan) -> Totals:
    sums = (
        BudgetLine.objects.filter(activity__plan=plan)
        .values("activity__category_id", "source")
        .annotate(n=Sum("amount"))
    )
    per_category: dict[int, dict[str, int]] = {}
    for row in sums:
        per_category.setdefault(row["activity__category_id"], {})[row["source"]] = int(row["n"])
    totals = Totals(by_source={s: 0 for s in BudgetSource.values})
    for category in ActivityCategory.objects.filter(pk__in=per_category):
        amounts = {s: per_category[category.pk].get(s, 0) for s in BudgetSource.values}
        total = sum(amounts.values())
        totals.rows.append((category, amounts, total))
        for source, amount in amounts.items():
            totals.by_source[source] += amount
        totals.total += total
    return totals


def activities_by_category(plan: Plan) -> list[tuple[ActivityCategory, list[Activity]]]:
    groups: dict[int, tuple[ActivityCategory, list[Activity]]] = {}
    for activity in plan.activities.select_related("category", "lead", "source_unit").prefetch_related(
        "budget_lines", "evidence"
    ):
        groups.setdefault(activity.category_id, (activity.category, []))[1].append(activity)
    return sorted(groups.values(), key=lambda g: (g[0].order, g[0].code))


@dataclass
class ActualRow:
    label: str
    planned: int = 0
    done: int = 0
    partly: int = 0
    not_done: int = 0
    planned_cost: int = 0
    actual_cost: int = 0

    @property
    def unreported(self) -> int:
        """Activities without a result yet."""
        return self.planned - self.done - self.partly - self.not_done


def plan_vs_actual(plan: Plan) -> list[ActualRow]:
    """Counts and money by category: planned, done, partly done, not done; planned and spent đồng."""
    rows: dict[int, ActualRow] = {}
    for activity in plan.activities.select_related("category").prefetch_related("budget_lines"):
        row = rows.setdefault(activity.category_id, ActualRow(activity.category.name))
        _count(row, activity)
    total = ActualRow(_("Tổng cộng"))
    for row in rows.values():
        for name in ("planned", "done", "partly", "not_done", "planned_cost", "actual_cost"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return [*rows.values(), total]


def _count(row: ActualRow, activity: Activity) -> None:
    row.planned += 1
    row.done += activity.result == ResultStatus.DONE
    row.partly += activity.result == ResultStatus.PARTLY
    row.not_done += activity.result == ResultStatus.NOT_DONE
    row.planned_cost += activity.planned_cost
    row.actual_cost += activity.actual_cost or 0


def national_plan_vs_actual(user: Any, year: int) -> list[tuple[Plan, ActualRow]]:
    """For the centre: every top-level body's plan of the year with its counts and money."""
    out = []
    for plan in (
        visible_plans(user)
        .filter(year=year, unit__parent__isnull=True)
        .order_by("unit__kind", "unit__sort_key")
    ):
        row = ActualRow(plan.unit.name)
        for activity in plan.activities.prefetch_related("budget_lines"):
            _count(row, activity)
        out.append((plan, row))
    return out


@dataclass
class Anniversary:
    on: dt.date | None
    label: str
    years: int | None
    kind: str  # "relations" or "national"

    @property
    def when(self) -> str:
        return format_date(self.on) if self.on else ""


def anniversaries(year: int) -> tuple[list[Anniversary], str]:
    """National days of the year (round ones marked) and round anniversaries (every 5 years) of
    diplomatic relations, in date order; and the data's source."""
    data = json.loads((DATA / "anniversaries.json").read_text(encoding="utf-8"))
    out: list[Anniversary] = []
    for day in data["national_days"]:
        if not day.get("date"):
            out.append(Anniversary(None, f"{day['name']} ({day.get('note', '')})", None, "national"))
            continue
        month, dom = (int(x) for x in day["date"].split("-"))
        since = day.get("since")
        years = year - since if since else None
        out.append(
            Anniversary(
                dt.date(year, month, dom),
                day["name"],
                years if years and years % 5 == 0 else None,
                "national",
            )
        )
    for relation in data["relations"]:
        established = dt.date.fromisoformat(relation["established"])
        years = year - established.year
        if years > 0 and years % 5 == 0:
            try:
                on = established.replace(year=year)
            except ValueError:  # 29 February in a common year
                on = dt.date(year, 2, 28)
            out.append(Anniversary(on, relation["country"], years, "relations"))
    out.sort(key=lambda a: (a.on is None, a.on or dt.date(year, 12, 31)))
    return out, data["source"]


def record_values(unit: Any, start: dt.date, end: dt.date) -> dict[str, int | bool]:
    """Values report forms can take from the records of a body (and of the bodies it was formed
    from) for a period: an approved plan for the period's year, training courses held and their
    trainees, dedicated TTĐN posts held at the end of the period."""
    from django.db.models import Count, Q

    from ttdn.orgs.selectors import predecessors
    from ttdn.plans.models import StaffPost, TrainingCourse

    bodies = [unit, *predecessors(unit, end)]
    courses = TrainingCourse.objects.filter(unit__in=bodies, held_on__gte=start, held_on__lte=end).aggregate(
        n=Count("id"), trainees=Sum("trainees")
    )
    posts = (
        StaffPost.objects.filter(unit__in=bodies, dedicated=True)
        .filter(Q(since__isnull=True) | Q(since__lte=end))
        .filter(Q(until__isnull=True) | Q(until__gte=end))
    )
    return {
        "plan_approved": Plan.objects.filter(
            unit__in=bodies, year=end.year, state__in=[PlanState.APPROVED, PlanState.SENT]
        ).exists(),
        "training_courses": courses["n"] or 0,
        "trainees": int(courses["trainees"] or 0),
        "dedicated_posts": posts.count(),
    }


def worklist(user: Any) -> list[WorkItem]:
    """Plans waiting for this user: a leader's approval of the body's consolidated plan; for its officers, the
    plans of its units to consolidate, its own plan returned, or approved and not yet sent to the centre."""
    from django.urls import reverse

    from ttdn.accounts.models import Role

    if user.role not in (Role.UNIT_OFFICER, Role.UNIT_LEADER) or not user.org_unit_id:
        return []
    visible = visible_plans(user)
    own = visible.filter(unit_id=user.org_unit_id)
    items: list[WorkItem] = []

    def line(plan: Plan, kind: str, text: str, since: Any, note: str = "") -> WorkItem:
        label = _("%(what)s kế hoạch năm %(year)s của %(unit)s") % {
            "what": text,
            "year": plan.year,
            "unit": plan.unit.name,
        }
        return WorkItem(kind, label, reverse("plans:detail", args=[plan.pk]), since, note)

    if user.role == Role.UNIT_LEADER:
        for plan in own.filter(state=PlanState.SUBMITTED, unit__parent__isnull=True):
            items.append(line(plan, APPROVE, _("Phê duyệt"), plan.submitted_at))
    for plan in visible.filter(state=PlanState.SUBMITTED, unit__parent_id=user.org_unit_id)[:50]:
        items.append(line(plan, DO, _("Tổng hợp"), plan.submitted_at))
    for plan in own.filter(state=PlanState.RETURNED):
        items.append(line(plan, DO, _("Sửa và gửi lại"), plan.updated_at, plan.comment))
    for plan in own.filter(state=PlanState.APPROVED):
        items.append(line(plan, DO, _("Gửi Cục"), plan.approved_at))
    return items


SENDER_KINDS = ("province", "ministry", "ministerial_agency", "government_agency")
SENT, LATE, MISSING = "sent", "late", "missing"


@dataclass
class SendingRow:
    """One body expected to send its plan of the year: its plan (its own, or a predecessor's that it carries
    on), whether it was sent, and how late."""

    unit: Any
    plan: Plan | None
    status: str  # SENT, LATE or MISSING
    late_days: int | None = None
    inherited_from: Any = None

    @property
    def state_label(self) -> str:
        if self.plan is None:
            return _("Chưa có kế hoạch trên hệ thống")
        label = {
            PlanState.DRAFT: _("Đang soạn"),
            PlanState.RETURNED: _("Bị trả lại, đang sửa"),
            PlanState.SUBMITTED: _("Đã trình lãnh đạo, chờ phê duyệt"),
            PlanState.APPROVED: _("Đã phê duyệt, chưa gửi Cục"),
        }.get(self.plan.state, str(self.plan.get_state_display()))
        if self.inherited_from is not None:
            label += " " + _("(kế hoạch của %(unit)s)") % {"unit": self.inherited_from.name}
        return label


def sending_status(user: Any, year: int, *, today: dt.date) -> tuple[dt.date | None, list[SendingRow]]:
    """The centre's "chưa gửi / gửi muộn / đã gửi" lists for the plans of a year: the top-level bodies (provinces,
    ministries and agencies) valid on the deadline (or today, before it), each with the plan that counts for it.
    A plan counts as sent only once sent to the centre (after its own leader approved it); a plan of a body
    that has since merged counts for the body that carries it on."""
    from ttdn.orgs.models import OrgUnit
    from ttdn.orgs.selectors import successors

    due = due_date("province", year)
    on = min(due, today) if due else today
    expected = sorted(
        OrgUnit.objects.valid_on(on).filter(parent__isnull=True, kind__in=SENDER_KINDS),
        key=lambda u: (
            SENDER_KINDS.index(u.kind),
            u.sort_key,
            u.code,
        ),  # provinces first, then the ministries
    )
    by_unit: dict[int, tuple[Plan, Any]] = {}
    ids = {u.pk for u in expected}
    for plan in visible_plans(user).filter(year=year, unit__parent__isnull=True):
        carriers = (
            [plan.unit] if plan.unit_id in ids else [s for s in successors(plan.unit, on) if s.pk in ids]
        )
        for carrier in carriers:
            held = by_unit.get(carrier.pk)
            if held is None or _rank(plan) > _rank(held[0]):
                by_unit[carrier.pk] = (plan, None if carrier.pk == plan.unit_id else plan.unit)
    rows = []
    for unit in expected:
        plan, inherited = by_unit.get(unit.pk, (None, None))
        if plan is None or plan.state != PlanState.SENT or plan.sent_at is None:
            rows.append(SendingRow(unit, plan, MISSING, None, inherited))
            continue
        sent_on = plan.sent_at.date()
        late = (sent_on - due).days if due and sent_on > due else None
        rows.append(SendingRow(unit, plan, LATE if late else SENT, late, inherited))
    return due, rows


def _rank(plan: Plan) -> tuple[int, Any]:
    """Of two plans that count for one body, the one further on (sent before approved before draft)."""
    order = [PlanState.DRAFT, PlanState.RETURNED, PlanState.SUBMITTED, PlanState.APPROVED, PlanState.SENT]
    return (order.index(plan.state) if plan.state in order else -1, plan.updated_at)


def tracking_evidence(years: Any) -> list[Any]:
    """Records of plans that prove tracking items (registered in ``reporting.sources``): a body's own plan for
    the year, approved by its leader (or since sent to the centre), proves "Kế hoạch công tác TTĐN" (the
    plans of its units are parts of it, not plans of their own); a training course held proves "Tập huấn
    công tác TTĐN" for the year it was held, for the body that held it (a department's for its province)."""
    from django.urls import reverse

    from ttdn.plans.models import TrainingCourse
    from ttdn.reporting.sources import Evidence

    plans = Plan.objects.filter(
        state__in=[PlanState.APPROVED, PlanState.SENT], unit__parent__isnull=True
    ).select_related("unit")
    courses = TrainingCourse.objects.select_related("unit")
    if years is not None:
        plans = plans.filter(year__in=list(years))
        courses = courses.filter(held_on__range=(dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)))
    found = []
    for plan in plans:
        day = format_date(plan.approved_at.date()) if plan.approved_at else ""
        label = f"{plan.title} ({plan.number})" if plan.number else plan.title
        found.append(
            Evidence(
                plan.unit_id,
                "ke_hoach",
                plan.year,
                _("%(plan)s, phê duyệt ngày %(day)s") % {"plan": label, "day": day}
                if day
                else _("%(plan)s, đã phê duyệt") % {"plan": label},
                reverse("plans:detail", args=[plan.pk]),
                public_label=_("Kế hoạch TTĐN năm %(year)s, phê duyệt ngày %(day)s")
                % {"year": plan.year, "day": day}
                if day
                else _("Kế hoạch TTĐN năm %(year)s, đã phê duyệt") % {"year": plan.year},
            )
        )
    for course in courses:
        found.append(
            Evidence(
                course.unit_id,
                "tap_huan",
                course.held_on.year,
                _("Lớp tập huấn “%(topic)s” ngày %(day)s, %(n)s học viên")
                % {"topic": course.topic, "day": format_date(course.held_on), "n": course.trainees},
                f"{reverse('plans:staff')}?unit={course.unit.code}",
                public_label=_("Lớp tập huấn ngày %(day)s, %(n)s học viên")
                % {"day": format_date(course.held_on), "n": course.trainees},
            )
        )
    return found
