"""Demo accounts for ``ttdn setup --demo`` (printed by ``make run``)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ttdn.accounts.models import Role
from ttdn.accounts.services import ensure_user
from ttdn.orgs.models import OrgUnit

DEMO_PASSWORD = "ttdn-demo-2026"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    unit_code: str | None
    full_name: str


DEMO_ACCOUNTS = (
    DemoAccount("quantri", Role.ADMIN, None, "Đỗ Văn Hải"),
    DemoAccount("cuc.canbo", Role.CENTRAL_OFFICER, "BVHTTDL-TTCSTTDN", "Nguyễn Văn An"),
    DemoAccount("cuc.phantich", Role.ANALYST, "BVHTTDL-TTCSTTDN", "Trần Thị Bình"),
    DemoAccount("quangtri.phantich", Role.ANALYST, "T44-2025", "Đặng Văn Khoa"),
    DemoAccount("quangtri.canbo", Role.UNIT_OFFICER, "T44-2025", "Lê Văn Cường"),
    DemoAccount("quangtri.lanhdao", Role.UNIT_LEADER, "T44-2025", "Phạm Thị Dung"),
    DemoAccount("dongnai.canbo", Role.UNIT_OFFICER, "T75-2025", "Hoàng Văn Em"),
    DemoAccount("quangtri.sovhttdl", Role.UNIT_OFFICER, "T44-2025-SVHTTDL", "Ngô Thị Hoa"),
    DemoAccount("bng.xem", Role.VIEWER, "BNG", "Võ Thị Giang"),
)


def load_demo_accounts() -> int:
    created = 0
    for account in DEMO_ACCOUNTS:
        unit = OrgUnit.objects.get(code=account.unit_code) if account.unit_code else None
        _, was_created = ensure_user(
            account.username,
            password=DEMO_PASSWORD,
            role=account.role,
            org_unit=unit,
            full_name=account.full_name,
            email=f"{account.username}@ttdn.example",  # notices go by mail too: to var/mail in the demo
        )
        created += was_created
    return created


def seeds_dir() -> Path | None:
    """The shared seed documents: TTDN_SEEDS_DIR, or shared/seeds beside the repository."""
    candidates = [os.environ.get("TTDN_SEEDS_DIR")]
    candidates += [
        str(Path(__file__).resolve().parents[3].parent / "shared" / "seeds"),
        str(Path.cwd().parent / "shared" / "seeds"),
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


def load_demo_documents() -> tuple[int, Path | None]:
    """Import the seed documents (idempotent)."""
    from ttdn.documents.services import import_file

    folder = seeds_dir()
    if folder is None:
        return 0, None
    created = 0
    for path in sorted(folder.glob("*.txt")):
        if path.name.lower() == "readme.md":
            continue
        created += import_file(path.name, path.read_bytes()).created
    return created, folder


def load_demo_tracking() -> int:
    """Import seed 000's tracking table once (2011-2012, 63 provinces)."""
    from ttdn.reporting import tracking
    from ttdn.reporting.models import TrackingImport
    from ttdn.reporting.services import tracking as services

    folder = seeds_dir()
    seed = next(folder.glob("000_*.txt"), None) if folder else None
    if seed is None:
        return 0
    table = tracking.read_file(seed.name, seed.read_bytes())
    done = TrackingImport.objects.filter(source_name=seed.name).first()
    if done is not None:
        if done.summary.get("document") != table.document:  # imported before tables named their letter
            done.summary = {**done.summary, "document": table.document}
            done.save(update_fields=["summary"])
        return 0
    return services.import_table(table, source_name=seed.name).written


def load_demo_submissions() -> int:
    """A few reports of the yearly form in different states, for the current year (idempotent)."""
    import datetime as dt

    from django.utils import timezone

    from ttdn.reporting.models import ReportForm, StepAction, Submission, SubmissionState, SubmissionStep
    from ttdn.reporting.services.submissions import approval_chain

    form = ReportForm.objects.filter(code="ttdn_nam").first()
    if form is None:
        return 0
    year = timezone.localdate().year
    period = str(year)
    # (body, state, submitted to its leader, approved and so sent to the centre): Đồng Nai's leader approved
    # after the 25/11 deadline, so its report reached the centre late; Huế's still waits for its leader.
    demo = [
        ("T01", SubmissionState.ACCEPTED, dt.datetime(year, 11, 20, 9), dt.datetime(year, 11, 21, 9)),
        ("T75-2025", SubmissionState.APPROVED, dt.datetime(year, 11, 24, 15), dt.datetime(year, 11, 27, 10)),
        ("T46-2025", SubmissionState.SUBMITTED, dt.datetime(year, 11, 28, 10), None),
        ("T44-2025", SubmissionState.DRAFT, None, None),
    ]
    values = {
        "co_ke_hoach": True,
        "so_lop_tap_huan": 4,
        "so_hoc_vien": 260,
        "kinh_phi_ke_hoach": 450000000,
        "kinh_phi_da_chi": {"Ngân sách địa phương": 350500000, "Xã hội hóa": 30000000},
        "ty_le_tin_tieng_nuoc_ngoai": 12.5,
        "so_tin_bai_ngoai_ngu": {"Tiếng Anh": 148, "Tiếng Lào": 36},
        "ket_qua": "Tổ chức 4 lớp tập huấn; ra mắt chuyên trang tiếng Anh.",
    }
    created = 0
    for code, state, sent, approved in demo:
        unit = OrgUnit.objects.filter(code=code).first()
        if unit is None or Submission.objects.filter(form=form, unit=unit, period=period).exists():
            continue
        submission = Submission.objects.create(
            form=form,
            unit=unit,
            period=period,
            state=state,
            values=values if state != SubmissionState.DRAFT else {"so_lop_tap_huan": 2},
            submitted_at=timezone.make_aware(sent) if sent else None,
            sent_at=timezone.make_aware(approved) if approved else None,
            awaiting=approval_chain(unit)[0] if state == SubmissionState.SUBMITTED else None,
        )
        if sent:
            at = timezone.make_aware(sent)
            steps = [(StepAction.SUBMIT, unit, at)]
            if state in (SubmissionState.APPROVED, SubmissionState.ACCEPTED):
                steps.append((StepAction.APPROVE, approval_chain(unit)[-1], timezone.make_aware(approved)))
            if state == SubmissionState.ACCEPTED:
                steps.append((StepAction.ACCEPT, None, timezone.make_aware(approved) + dt.timedelta(days=1)))
            SubmissionStep.objects.bulk_create(
                [SubmissionStep(submission=submission, action=a, level=lv, at=when) for a, lv, when in steps]
            )
        created += 1
    return created


def load_demo_tasks() -> int:
    """Issue the duties of Chỉ thị 21/CT-TTg (seed 001) with some progress (idempotent)."""
    import datetime as dt

    from django.utils import timezone

    from ttdn.accounts.models import User
    from ttdn.documents.models import Document
    from ttdn.tasks import services
    from ttdn.tasks.models import Duty, ProgressEntry, TaskOccurrence

    document = Document.objects.filter(number="21/CT-TTg").exclude(text="").first()
    if document is None or Duty.objects.filter(document=document).exists():
        return 0
    admin = User.objects.filter(username="quantri").first()
    if admin is None:
        return 0
    services.extract_document(admin, document)
    tasks = services.issue(admin, document)
    officer, leader = (
        User.objects.get(username="quangtri.canbo"),
        User.objects.get(username="quangtri.lanhdao"),
    )

    def occurrence(section: str, lead: str) -> TaskOccurrence | None:
        return (
            TaskOccurrence.objects.filter(
                task__duty__document=document, task__duty__section=section, task__lead__code=lead
            )
            .order_by("period")
            .first()
        )

    steps = [
        (
            "6.a",
            "T45",
            "Tổ chức 2 lớp tập huấn công tác TTĐN cho 180 cán bộ, công chức của tỉnh.",
            100,
            dt.date(2012, 11, 20),
            True,
        ),
        (
            "6.b",
            "T45",
            "Duy trì chuyên mục thông tin cho báo chí trên Cổng thông tin điện tử của tỉnh.",
            60,
            dt.date(2013, 3, 5),
            False,
        ),
        (
            "1.a",
            "T45",
            "Đã phổ biến Chiến lược tại hội nghị cán bộ chủ chốt của tỉnh.",
            100,
            dt.date(2012, 12, 10),
            True,
        ),
        (
            "1.b",
            "T45",
            "Giao Sở Thông tin và Truyền thông làm đầu mối; đang bố trí cán bộ.",
            40,
            dt.date(2013, 1, 15),
            False,
        ),
        (
            "6.c",
            "T45",
            "Đã gửi Bộ Thông tin và Truyền thông báo cáo sơ kết công tác TTĐN năm 2012.",
            100,
            dt.date(2012, 12, 20),
            False,
        ),
    ]
    for section, lead, text, percent, day, confirm in steps:
        item = occurrence(section, lead)
        if item is None:
            continue
        entry = services.report_progress(officer, item, text=text, percent=percent)
        ProgressEntry.objects.filter(pk=entry.pk).update(
            created_at=timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
        )
        if confirm:
            services.confirm(leader, item)
    return len(tasks)


def load_demo_plans() -> int:
    """Quảng Trị's 2026 plan, consolidated from two units' plans (its Department of Culture, Sports and
    Tourism and the border commune of Lao Bảo), approved and sent, with some results (idempotent)."""
    import datetime as dt

    from django.utils import timezone

    from ttdn.accounts.models import User
    from ttdn.documents.models import Document
    from ttdn.plans import services
    from ttdn.plans.models import Plan, PlanStep

    province = OrgUnit.objects.filter(code="T44-2025").first()
    department = OrgUnit.objects.filter(code="T44-2025-SVHTTDL").first()
    commune = (
        OrgUnit.objects.filter(parent=province, search_text__contains="lao bao").first() if province else None
    )
    if None in (province, department, commune) or Plan.objects.filter(unit=province, year=2026).exists():
        return 0
    officer, leader = (
        User.objects.get(username="quangtri.canbo"),
        User.objects.get(username="quangtri.lanhdao"),
    )
    unit_officer = User.objects.get(username="quangtri.sovhttdl")
    guidance = list(Document.objects.filter(number="5406/BTTTT-TTĐN"))
    units = [
        (
            department,
            unit_officer,
            [
                (
                    "quang_ba",
                    "Tổ chức Tuần Văn hóa – Du lịch Quảng Trị tại Lào",
                    "Quý III",
                    [("450.000.000", "local"), ("150.000.000", "socialised")],
                ),
                (
                    "ngoai_ngu",
                    "Xuất bản ấn phẩm giới thiệu du lịch Quảng Trị bằng tiếng Anh, tiếng Lào",
                    "Quý II",
                    [("120.000.000", "local")],
                ),
                (
                    "ky_niem",
                    "Hoạt động kỷ niệm 50 năm Ngày Giải phóng miền Nam, thống nhất đất nước",
                    "Tháng 4",
                    [("80.000.000", "local")],
                ),
            ],
        ),
        (
            commune,
            officer,
            [
                (
                    "bien_gioi",
                    "Tuyên truyền thông tin đối ngoại cho nhân dân khu vực biên giới Lao Bảo",
                    "Cả năm",
                    [("60.000.000", "central"), ("40.000.000", "local")],
                ),
                (
                    "ngoai_ngu",
                    "Xuất bản ấn phẩm giới thiệu du lịch Quảng Trị bằng tiếng Anh, tiếng Lào",
                    "Quý II",
                    [("30.000.000", "local")],
                ),
            ],
        ),
    ]
    for unit, user, activities in units:
        plan = services.create_plan(user, unit, 2026)
        for category, title, timeline, budget in activities:
            services.save_activity(
                user, plan, {"title": title, "category": category, "timeline": timeline}, budget
            )
        services.submit(user, plan)
    plan = services.create_plan(officer, province, 2026, number="44/KH-UBND")
    services.update_plan(
        officer,
        plan,
        title="Kế hoạch công tác thông tin đối ngoại năm 2026",
        number="44/KH-UBND",
        objectives="Quảng bá hình ảnh đất nước, con người Quảng Trị; tăng cường thông tin đối ngoại khu vực biên giới Việt – Lào.",
        requirements="Các hoạt động bám sát hướng dẫn của Bộ; bảo đảm tiết kiệm, hiệu quả; báo cáo kết quả đúng hạn.",
        bases=guidance,
    )
    services.save_activity(
        officer,
        plan,
        {
            "title": "Tập huấn nghiệp vụ thông tin đối ngoại cho cán bộ cấp xã",
            "category": "tap_huan",
            "timeline": "Quý II",
        },
        [("95.000.000", "local")],
    )
    services.consolidate(officer, plan)
    duplicates = [a.pk for a in plan.activities.filter(title__startswith="Xuất bản ấn phẩm")]
    services.merge(officer, plan, duplicates)
    services.approve(leader, plan)
    services.send(officer, plan)
    # The plan was sent on 20/06/2026, before the 01/07 deadline.
    sent = timezone.make_aware(dt.datetime(2026, 6, 20, 10))
    Plan.objects.filter(pk=plan.pk).update(approved_at=sent - dt.timedelta(days=3), sent_at=sent)
    Plan.objects.filter(consolidated_into=plan).update(
        submitted_at=timezone.make_aware(dt.datetime(2026, 5, 28, 9))
    )
    PlanStep.objects.filter(plan__year=2026, plan__unit__in=[province, department, commune]).update(at=sent)
    plan.refresh_from_db()
    training = plan.activities.get(category__code="tap_huan")
    services.record_result(
        officer,
        training,
        result="done",
        on=dt.date(2026, 6, 12),
        outputs="2 lớp, 160 học viên cấp xã.",
        actual_cost="92.500.000",
    )
    services.save_course(
        officer,
        province,
        held_on=dt.date(2026, 6, 12),
        topic="Nghiệp vụ thông tin đối ngoại cấp xã",
        trainees="160",
        trainers="Cục TTCS&TTĐN; Sở VHTTDL",
        activity=training,
    )
    services.save_post(
        officer,
        province,
        title="Chuyên viên phụ trách thông tin đối ngoại, Sở VHTTDL",
        holder="Lê Văn Cường",
        since=dt.date(2025, 7, 1),
        dedicated=True,
    )
    week = plan.activities.get(category__code="quang_ba")
    services.record_result(
        officer,
        week,
        result="partly",
        on=dt.date(2026, 9, 20),
        outputs="Tổ chức tại Savannakhet; chưa thực hiện tại Viêng Chăn.",
        actual_cost="380.000.000",
    )
    return Plan.objects.filter(year=2026, unit__in=[province, department, commune]).count()


def describe_logins() -> list[str]:
    lines = []
    for account in DEMO_ACCOUNTS:
        unit = OrgUnit.objects.filter(code=account.unit_code).first() if account.unit_code else None
        role = Role(account.role).label
        lines.append(f"  {account.username:<18} {DEMO_PASSWORD}   {role}{' – ' + unit.name if unit else ''}")
    return lines
