"""Plans: the cycle, budgets in whole đồng, consolidation and merging, ke_hoach, scope, outputs, anniversaries."""

from __future__ import annotations

import datetime as dt
import io

import docx
import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import login
from tests.docx_checks import flagged_rows, on_one_line, words_broken
from ttdn.core.money import MoneyError, format_vnd, parse_vnd
from ttdn.documents.models import Document
from ttdn.plans import exports, selectors, services
from ttdn.plans.models import BudgetLine, Plan, PlanState
from ttdn.reporting import selectors as tracking
from ttdn.site.demo import seeds_dir


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("1.500.000", 1500000),
        ("1,500,000", 1500000),
        ("1500000 đ", 1500000),
        ("2 000 000", 2000000),
        ("", None),
        (7, 7),
    ],
)
def test_money_parses_whole_dong(raw: object, value: int | None) -> None:
    assert parse_vnd(raw) == value


@pytest.mark.parametrize("raw", ["-5.000", "1.5", "12,50", "một triệu", "1e6", "1.50.000", True])
def test_money_refuses(raw: object) -> None:
    with pytest.raises(MoneyError):
        parse_vnd(raw)


@given(st.integers(min_value=0, max_value=10**15))
def test_money_round_trips_without_losing_a_dong(amount: int) -> None:
    from ttdn.core.money import MAX_VND

    if amount > MAX_VND:  # the one bound of every amount: above it is a typing slip, refused with its reason
        with pytest.raises(MoneyError, match="quá lớn"):
            parse_vnd(format_vnd(amount))
        return
    assert parse_vnd(format_vnd(amount)) == amount
    assert parse_vnd(format_vnd(amount, unit=False)) == amount


@given(st.text(max_size=30))
def test_money_takes_or_refuses_any_text(raw: str) -> None:
    try:
        value = parse_vnd(raw)
    except MoneyError:
        return
    assert value is None or (isinstance(value, int) and value >= 0)


@pytest.fixture
def cycle(db, unit, user):  # noqa: ANN001, ANN201
    """Quảng Trị 2027: its department and a commune plan, submitted."""
    province, department = unit("T44-2025"), unit("T44-2025-SVHTTDL")
    commune = province.children.filter(kind="commune").order_by("code").first()
    return province, department, commune


@pytest.mark.django_db
def test_whole_cycle_with_return_consolidation_merge_and_ke_hoach(cycle, user) -> None:  # noqa: ANN001
    province, department, commune = cycle
    dept_officer, officer, leader, centre = (
        user("quangtri.sovhttdl"),
        user("quangtri.canbo"),
        user("quangtri.lanhdao"),
        user("cuc.canbo"),
    )
    dept_plan = services.create_plan(dept_officer, department, 2027)
    with pytest.raises(ValidationError, match="âm"):
        services.save_activity(
            dept_officer, dept_plan, {"title": "Hội chợ", "category": "xuc_tien"}, [("-5.000.000", "local")]
        )
    with pytest.raises(ValidationError, match="quá lớn"):
        services.save_activity(
            dept_officer,
            dept_plan,
            {"title": "Hội chợ", "category": "xuc_tien"},
            [("99.000.000.000.000.000", "local")],
        )
    with pytest.raises(ValidationError):
        services.save_activity(
            dept_officer, dept_plan, {"title": "Hội chợ", "category": "xuc_tien"}, [("1,5 tỷ", "local")]
        )
    assert not dept_plan.activities.exists()  # nothing half-saved
    services.save_activity(
        dept_officer,
        dept_plan,
        {"title": "Ấn phẩm tiếng Lào", "category": "ngoai_ngu", "timeline": "Quý II"},
        [("120.000.001", "local"), ("30.000.000", "socialised")],
    )
    with pytest.raises(ValidationError):  # a province's plan goes to its leader, but not empty
        services.submit(officer, Plan.objects.get(pk=province.plans.create(year=2027, title="x").pk))
    Plan.objects.filter(unit=province, year=2027).delete()
    services.submit(dept_officer, dept_plan)
    with pytest.raises(PermissionDenied):
        services.return_plan(dept_officer, dept_plan, "tự trả")  # not the department's own call
    returned = services.return_plan(officer, dept_plan, "Bổ sung chỉ tiêu")
    assert returned.state == PlanState.RETURNED and returned.comment == "Bổ sung chỉ tiêu"
    services.submit(dept_officer, returned)
    commune_plan = services.create_plan(officer, commune, 2027)
    services.save_activity(
        officer,
        commune_plan,
        {"title": "Ấn phẩm tiếng Lào", "category": "ngoai_ngu"},
        [("9.999.999", "local")],
    )
    services.save_activity(
        officer,
        commune_plan,
        {"title": "Tuyên truyền biên giới", "category": "bien_gioi"},
        [("50.000.000", "central")],
    )
    services.submit(officer, commune_plan)

    plan = services.create_plan(officer, province, 2027, number="12/KH-UBND")
    merged_from = services.consolidate(officer, plan)
    assert {p.unit_id for p in merged_from} == {department.pk, commune.pk}
    assert Plan.objects.get(pk=dept_plan.pk).state == PlanState.CONSOLIDATED
    copies = list(plan.activities.filter(title="Ấn phẩm tiếng Lào"))
    assert {a.source_unit_id for a in copies} == {department.pk, commune.pk} and all(
        a.source_activity_id for a in copies
    )
    kept = services.merge(officer, plan, [a.pk for a in copies])
    assert {(b.source, b.amount) for b in kept.budget_lines.all()} == {
        ("local", 130000000),
        ("socialised", 30000000),
    }
    totals = selectors.budget_totals(plan)
    assert totals.total == 120_000_001 + 30_000_000 + 9_999_999 + 50_000_000  # not a đồng lost
    assert totals.by_source == {"central": 50_000_000, "local": 130_000_000, "socialised": 30_000_000}
    assert isinstance(BudgetLine.objects.filter(activity__plan=plan).first().amount, int)
    with pytest.raises(PermissionDenied):
        services.approve(officer, plan)  # a leader approves
    services.approve(leader, plan)
    mark = tracking.tracking_view(centre, years=[2027]).shown(province, "ke_hoach", 2027)
    assert mark.mark and mark.cell.derived and mark.url == f"/plans/{plan.pk}/"  # the plan is its evidence
    sent = services.send(officer, plan)
    assert sent.state == PlanState.SENT and selectors.lateness(sent, dt.date(2027, 6, 1)) is None
    back = services.return_plan(centre, sent, "Thiếu căn cứ")  # the centre may send it back
    assert back.state == PlanState.RETURNED and back.editable


@pytest.mark.django_db
def test_late_plans_are_flagged(cycle, user) -> None:  # noqa: ANN001
    _province, department, _commune = cycle
    plan = services.create_plan(user("quangtri.sovhttdl"), department, 2028)
    assert selectors.deadline(plan) == dt.date(2028, 5, 31)
    assert selectors.lateness(plan, dt.date(2028, 6, 10)) == 10  # not submitted, ten days past 31 May
    assert selectors.lateness(plan, dt.date(2028, 5, 1)) is None
    demo = Plan.objects.get(year=2026, unit__code="T44-2025")
    assert (
        selectors.deadline(demo) == dt.date(2026, 7, 1)
        and selectors.lateness(demo, dt.date(2026, 11, 22)) is None
    )  # sent 20/06


@pytest.mark.django_db
def test_scope_own_and_sub_units_not_siblings(cycle) -> None:  # noqa: ANN001
    province, _department, _commune = cycle
    lao_bao = Plan.objects.get(year=2026, unit__parent=province, unit__kind="commune")
    province_plan = Plan.objects.get(year=2026, unit=province)
    department_plan = Plan.objects.get(year=2026, unit__code="T44-2025-SVHTTDL")
    unit_officer = login("quangtri.sovhttdl")
    assert unit_officer.get(f"/plans/{department_plan.pk}/").status_code == 200
    assert unit_officer.get(f"/plans/{lao_bao.pk}/").status_code == 403  # a sibling's plan
    assert unit_officer.get(f"/plans/{province_plan.pk}/").status_code == 403
    listed = {p.unit.code for p, _d, _l in unit_officer.get("/plans/", {"year": 2026}).context["rows"]}
    assert listed == {"T44-2025-SVHTTDL"}
    province_officer = login("quangtri.canbo")
    assert {p.unit_id for p, _d, _l in province_officer.get("/plans/", {"year": 2026}).context["rows"]} == {
        province.pk,
        lao_bao.unit_id,
        department_plan.unit_id,
    }
    assert login("dongnai.canbo").get(f"/plans/{province_plan.pk}/").status_code == 403
    assert login("cuc.canbo").get(f"/plans/{province_plan.pk}/").status_code == 200
    assert login("cuc.canbo").get("/plans/999999/").status_code == 404


@pytest.mark.django_db
def test_outputs_carry_the_numbers(cycle) -> None:  # noqa: ANN001
    province, _department, _commune = cycle
    plan = Plan.objects.get(year=2026, unit=province)  # the demo plan: consolidated, approved, sent
    central = login("cuc.canbo")
    response = central.get(f"/plans/{plan.pk}/plan.docx")
    assert (
        'filename="ke-hoach-ttdn-2026-tinh-quang-tri.docx"' in response["Content-Disposition"]
    )  # a name, no code
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    header = " ".join(c.text for c in document.tables[0].rows[0].cells)
    assert (
        "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG TRỊ" in header
        and "Số: 44/KH-UBND" in header
        and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header
    )
    assert "Tổng kinh phí: 1.025.000.000 đ" in text and "ngân sách trung ương 60.000.000 đ" in text
    if seeds_dir() is not None:  # the demo plan's basis is seed 003, the 2022 guidance letter
        assert "Căn cứ Công văn số 5406/BTTTT-TTĐN ngày 31/12/2021" in text
    appendix = document.tables[-1]
    total = next(row for row in appendix.rows if row.cells[1].text == "Tổng cộng")
    assert total.cells[5].text == "1.025.000.000"  # the amount column, after the coordinating body's
    by_source = {
        row.cells[1].text: row.cells[5].text for row in appendix.rows if "Trong đó" in row.cells[1].text
    }
    assert by_source == {
        "Trong đó: ngân sách trung ương": "60.000.000",
        "Trong đó: ngân sách địa phương": "815.000.000",
        "Trong đó: xã hội hóa": "150.000.000",
    }
    signing = " ".join(c.text for c in document.tables[1].rows[0].cells)
    assert "Nơi nhận:" in signing and "TM. ỦY BAN NHÂN DÂN" in signing
    sheet = openpyxl.load_workbook(io.BytesIO(central.get(f"/plans/{plan.pk}/budget.xlsx").content)).active
    last = max(r for r in range(1, sheet.max_row + 1) if sheet.cell(row=r, column=2).value == "Tổng cộng")
    assert [sheet.cell(row=last, column=c).value for c in range(4, 8)] == [
        60_000_000,
        815_000_000,
        150_000_000,
        1_025_000_000,
    ]


@pytest.mark.django_db
def test_plan_annex_can_be_sent(cycle) -> None:  # noqa: ANN001
    """The annex names the coordinating body and the funding source, and no amount wraps."""
    province, _department, _commune = cycle
    plan = Plan.objects.get(year=2026, unit=province)
    activity = plan.activities.order_by("id").first()
    activity.partners = "Sở Ngoại vụ; Đài Phát thanh và Truyền hình tỉnh"
    activity.save()
    BudgetLine.objects.create(activity=activity, amount=145_000_000, source="central")  # total 1.170.000.000
    document = docx.Document(io.BytesIO(exports.to_docx(plan, today=dt.date(2026, 11, 20))))
    appendix = document.tables[-1]
    heads = [c.text for c in appendix.rows[0].cells]
    assert heads == [
        "Stt",
        "Hoạt động",
        "Đơn vị chủ trì",
        "Đơn vị phối hợp",
        "Thời gian",
        "Kinh phí (đồng)",
        "Nguồn kinh phí",
    ]
    rows = {row.cells[1].text: [c.text for c in row.cells] for row in appendix.rows}
    mine = rows[activity.title]
    assert mine[3] == "Sở Ngoại vụ; Đài Phát thanh và Truyền hình tỉnh"
    assert "Ngân sách trung ương: 145.000.000" in mine[6].split("\n")  # each source with its share
    assert rows["Tổng cộng"][5] == "1.170.000.000"
    assert on_one_line(appendix, "1.170.000.000") and words_broken(appendix) == []
    assert flagged_rows(appendix, "tblHeader") == [0]
    letter, annex = document.sections[0], document.sections[-1]
    assert letter.page_width < letter.page_height  # the plan itself stays portrait
    assert annex.page_width > annex.page_height  # seven columns: a landscape annex


@pytest.mark.django_db
def test_plan_vs_actual_and_national(cycle) -> None:  # noqa: ANN001
    province, _department, _commune = cycle
    plan = Plan.objects.get(year=2026, unit=province)
    rows = selectors.plan_vs_actual(plan)
    total = rows[-1]
    assert (total.planned, total.done, total.partly, total.planned_cost, total.actual_cost) == (
        5,
        1,
        1,
        1_025_000_000,
        472_500_000,
    )
    national = login("cuc.canbo").get("/plans/national/", {"year": 2026})
    assert [(p.unit.code, r.planned) for p, r, _late in national.context["rows"]] == [("T44-2025", 5)]
    page = login("quangtri.canbo").post(
        f"/plans/{plan.pk}/actual/",
        {"activity": plan.activities.first().pk, "result": "done", "actual_cost": "-1"},
    )
    assert page.status_code == 400 and "âm" in page.content.decode()


def test_anniversaries_of_a_year() -> None:
    items, source = selectors.anniversaries(2025)
    labels = {(a.label, a.years) for a in items}
    assert (
        ("Hoa Kỳ", 30) in labels
        and ("Ngày Quốc khánh", 80) in labels
        and ("Ngày Giải phóng miền Nam, thống nhất đất nước", 50) in labels
    )
    assert all(a.years % 5 == 0 for a in items if a.kind == "relations")
    assert "Bộ Ngoại giao" in source
    brunei = [a for a in selectors.anniversaries(2027)[0] if a.label == "Brunei"]
    assert (
        brunei and brunei[0].on == dt.date(2027, 2, 28) and brunei[0].years == 35
    )  # 29/02/1992 in a common year


@pytest.mark.django_db
def test_plan_bases_the_registry_lacks_are_kept_as_citations(cycle, user) -> None:  # noqa: ANN001
    """A basis named by a number the registry lacks ("88/KH-UBND", the province's own) is kept as a citation;
    text that is no number is refused and nothing is saved."""
    _province, department, _commune = cycle
    plan = services.create_plan(user("quangtri.sovhttdl"), department, 2029)
    client = login("quangtri.sovhttdl")
    data = {
        "action": "save_plan",
        "title": "Kế hoạch 2029",
        "number": "",
        "objectives": "x",
        "requirements": "",
        "bases": "72/2015/NĐ-CP; Luật Báo chí",
    }
    refused = client.post(f"/plans/{plan.pk}/", data)
    assert (
        refused.status_code == 400
        and "Không phải số, ký hiệu văn bản: Luật Báo chí" in refused.content.decode()
    )
    plan.refresh_from_db()
    assert plan.objectives == "" and not plan.bases.exists()  # nothing changed
    client.post(f"/plans/{plan.pk}/", {**data, "bases": "72/2015/NĐ-CP; 88/KH-UBND"})
    bases = {d.number: d for d in plan.bases.all()}
    assert set(bases) == {"72/2015/NĐ-CP", "88/KH-UBND"}
    assert Document.objects.filter(number="72/2015/NĐ-CP").count() == 1  # the registry's record, not a second
    assert bases["88/KH-UBND"].is_stub and bases["88/KH-UBND"].issuer.name == "Tỉnh Quảng Trị"


@pytest.mark.django_db
def test_a_province_officer_submits_the_consolidated_plan_to_the_leader(cycle, user) -> None:  # noqa: ANN001
    """Finding 9: the officer of a province had no action on its consolidated plan. It is submitted to the
    province's own leader, who approves it or sends it back; then the officer sends it to the centre."""
    province, _department, _commune = cycle
    officer, leader = user("quangtri.canbo"), user("quangtri.lanhdao")
    plan = services.create_plan(officer, province, 2031)
    services.save_activity(
        officer, plan, {"title": "Tập huấn phát ngôn", "category": "tap_huan"}, [("5.000.000", "local")]
    )
    assert services.can_submit(officer, plan) and not services.can_submit(leader, plan)
    sent_up = services.submit(officer, plan)
    assert sent_up.state == PlanState.SUBMITTED and not services.can_edit(officer, sent_up)
    assert not services.can_approve(officer, sent_up) and services.can_return(leader, sent_up)
    back = services.return_plan(leader, sent_up, "Bổ sung kinh phí")
    assert back.state == PlanState.RETURNED
    approved = services.approve(leader, services.submit(officer, back))
    assert approved.state == PlanState.APPROVED and services.can_send(officer, approved)


@pytest.mark.django_db
def test_a_consolidated_plan_can_still_be_returned(cycle, user) -> None:  # noqa: ANN001
    province, department, _commune = cycle
    dept_officer, officer = user("quangtri.sovhttdl"), user("quangtri.canbo")
    dept_plan = services.create_plan(dept_officer, department, 2030)
    services.save_activity(
        dept_officer,
        dept_plan,
        {"title": "Ấn phẩm tiếng Anh", "category": "ngoai_ngu"},
        [("10.000.000", "local")],
    )
    services.submit(dept_officer, dept_plan)
    plan = services.create_plan(officer, province, 2030)
    services.save_activity(
        officer, plan, {"title": "Tập huấn", "category": "tap_huan"}, [("5.000.000", "local")]
    )
    services.consolidate(officer, plan)
    assert selectors.budget_totals(plan).total == 15_000_000
    back = services.return_plan(officer, Plan.objects.get(pk=dept_plan.pk), "Sai nguồn kinh phí")
    assert back.state == PlanState.RETURNED and back.consolidated_into is None
    assert [a.title for a in plan.activities.all()] == ["Tập huấn"]  # the unit's copies left the draft
    assert selectors.budget_totals(plan).total == 5_000_000
    services.approve(user("quangtri.lanhdao"), plan)
    services.submit(dept_officer, back)
    with pytest.raises(PermissionDenied):
        services.consolidate(officer, Plan.objects.get(pk=plan.pk))  # an approved plan takes nothing more
