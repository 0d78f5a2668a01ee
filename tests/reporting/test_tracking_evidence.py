"""The tracking table fed by real work: a mark exists for a body, an item and a year when a record proves it
(an accepted report, a confirmed task linked to the item, an approved plan, an issued regulation), and the
cell links to that record. Stored values (imported from a table, entered by hand) are never overwritten: a
record fills an empty cell, stands beside a stored "done", and against a stored "not done" is a conflict."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from tests.conftest import login, needs_seeds
from ttdn.documents.services import import_text
from ttdn.reporting import selectors, sources
from ttdn.reporting.models import ReportForm, Submission, TrackingItem, TrackingValue
from ttdn.reporting.services import submissions as reports
from ttdn.tasks import services as tasks
from ttdn.tasks.models import TaskOccurrence

pytestmark = pytest.mark.django_db

QUANG_TRI = "T44-2025"


def _provincial(number: str, dated: str, kind: str, subject: str, body: str) -> str:
    """A document of Quảng Trị's People's Committee, written for these tests."""
    return (
        f"ỦY BAN NHÂN DÂN\nTỈNH QUẢNG TRỊ\nSố: {number}\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        f"Độc lập - Tự do - Hạnh phúc\nQuảng Trị, ngày {dated}\n\n{kind}\n{subject}\n\n{body}\n\n"
        "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nLê Đức Tiến\n"
    )


def _cell(viewer, code: str, item: str, year: int, **options) -> selectors.Shown:  # noqa: ANN001, ANN003
    view = selectors.tracking_view(viewer, years=options.pop("years", [year]), **options)
    unit = next(u for u in view.bodies if u.code == code)
    return view.shown(unit, item, year)


def accept_report(user, year: int = 2026, values: dict | None = None) -> Submission:  # noqa: ANN001
    """Quảng Trị's yearly report: entered, submitted, approved by its leader, accepted by the centre."""
    form = ReportForm.objects.get(code="ttdn_nam")
    unit = user("quangtri.canbo").org_unit
    Submission.objects.filter(form=form, unit=unit, period=str(year)).delete()
    typed = values or {"co_ke_hoach": True, "so_lop_tap_huan": "3", "so_hoc_vien": "120"}
    draft = reports.save_draft(user("quangtri.canbo"), form, unit, str(year), typed)
    sent = reports.submit(user("quangtri.canbo"), draft)
    approved = reports.decide(user("quangtri.lanhdao"), sent, approve=True)
    return reports.accept(user("cuc.canbo"), approved)


def test_an_accepted_report_fills_its_cells_with_a_link_to_it(user) -> None:  # noqa: ANN001
    centre = user("cuc.canbo")
    url = f"/reporting/forms/ttdn_nam/2026/{QUANG_TRI}/"
    before = _cell(centre, QUANG_TRI, "bao_cao_tong_ket", 2026)
    assert not before.mark  # approved by the province, not yet accepted: no proof
    accept_report(user)
    shown = _cell(centre, QUANG_TRI, "bao_cao_tong_ket", 2026)
    assert shown.mark and shown.cell.derived and shown.url == url
    assert shown.title.startswith(
        "Suy ra từ hồ sơ: Báo cáo công tác thông tin đối ngoại năm (Năm 2026), Cục tiếp nhận ngày 20/11/2026"
    )
    trained = _cell(centre, QUANG_TRI, "tap_huan", 2026)
    assert "Số lớp tập huấn TTĐN: 3, theo Báo cáo" in trained.title and url in [
        p.url for p in trained.cell.proofs
    ]
    # The mark is the national table's, seen by everyone; the link to a body's own report only within scope.
    assert _cell(user("quangtri.canbo"), QUANG_TRI, "bao_cao_tong_ket", 2026).url == url
    elsewhere = _cell(user("dongnai.canbo"), QUANG_TRI, "bao_cao_tong_ket", 2026)
    assert elsewhere.mark and elsewhere.url == "" and "Cục tiếp nhận" in elsewhere.title

    page = (
        login("cuc.canbo").get("/reporting/tracking/", {"year_from": 2026, "year_to": 2026}).content.decode()
    )
    assert f'<a href="{url}" data-testid="evidence">x</a>' in page
    assert "34 tỉnh, thành phố" in page


def test_a_report_proves_nothing_until_accepted_and_a_no_proves_nothing(user) -> None:  # noqa: ANN001
    centre = user("cuc.canbo")
    accept_report(user, 2027, {"co_ke_hoach": False, "so_lop_tap_huan": "0", "so_hoc_vien": "0"})
    assert _cell(centre, QUANG_TRI, "bao_cao_tong_ket", 2027).mark
    assert not _cell(centre, QUANG_TRI, "ke_hoach", 2027).mark
    assert not _cell(centre, QUANG_TRI, "tap_huan", 2027).mark
    reports.unlock(centre, Submission.objects.get(unit__code=QUANG_TRI, period="2027"), "Sai số liệu")
    assert not _cell(centre, QUANG_TRI, "bao_cao_tong_ket", 2027).mark  # the proof went with the acceptance


BORDER = _provincial(
    "41/CT-UBND",
    "2 tháng 3 năm 2026",
    "CHỈ THỊ",
    "Về thông tin đối ngoại ở khu vực biên giới",
    "Chủ tịch Ủy ban nhân dân tỉnh yêu cầu:\n\n1. Sở Văn hóa, Thể thao và Du lịch chủ trì, phối hợp với Bộ Chỉ huy "
    "Bộ đội Biên phòng tỉnh xây dựng và thực hiện Chương trình phối hợp thông tin đối ngoại ở khu vực biên giới, "
    "hoàn thành trước ngày 30/9/2026.",
)


def border_task(user) -> TaskOccurrence:  # noqa: ANN001
    """Quảng Trị's border-guard programme, issued to its Department of Culture, Sports and Tourism."""
    officer = user("quangtri.canbo")
    document = import_text(BORDER).document
    tasks.extract_document(officer, document)
    issued = tasks.issue(officer, document)
    assert [t.lead.code for t in issued] == [f"{QUANG_TRI}-SVHTTDL"]
    return issued[0].occurrences.get()


def test_a_confirmed_task_linked_to_an_item_fills_the_cell_of_its_province(user) -> None:  # noqa: ANN001
    centre, officer, leader = user("cuc.canbo"), user("quangtri.canbo"), user("quangtri.lanhdao")
    occurrence = border_task(user)
    duty = occurrence.task.duty
    with pytest.raises(PermissionDenied):  # the centre decides what feeds the national table
        tasks.link_tracking_item(officer, duty, TrackingItem.objects.get(code="phoi_hop_bdbp"))
    client = login("cuc.canbo")
    linked = client.post(
        f"/tasks/{occurrence.task_id}/",
        {
            "action": "tracking_item",
            "occurrence": occurrence.pk,
            "item": TrackingItem.objects.get(code="phoi_hop_bdbp").pk,
        },
    )
    assert linked.status_code == 302
    duty.refresh_from_db()
    assert duty.tracking_item.code == "phoi_hop_bdbp"
    tasks.report_progress(
        officer,
        occurrence,
        text="Đã ký Chương trình phối hợp với BĐBP tỉnh.",
        percent=100,
        done_on=dt.date(2026, 9, 12),
    )
    assert not _cell(centre, QUANG_TRI, "phoi_hop_bdbp", 2026).mark  # reported, not yet confirmed
    tasks.confirm(leader, occurrence)
    shown = _cell(centre, QUANG_TRI, "phoi_hop_bdbp", 2026)
    assert shown.mark and shown.url == f"/tasks/{occurrence.task_id}/?occ={occurrence.pk}"
    assert "hoàn thành ngày 12/09/2026, đã xác nhận" in shown.title and "41/CT-UBND" in shown.title
    assert _cell(centre, QUANG_TRI, "phoi_hop_bdbp", 2026, mode="current").url == shown.url
    tasks.reopen(leader, occurrence, "Chưa ký")
    assert not _cell(centre, QUANG_TRI, "phoi_hop_bdbp", 2026).mark


def test_an_approved_plan_proves_the_plan_item_and_a_returned_one_does_not(user) -> None:  # noqa: ANN001
    from ttdn.plans import services as plans

    centre, officer, leader = user("cuc.canbo"), user("quangtri.canbo"), user("quangtri.lanhdao")
    plan = plans.create_plan(officer, officer.org_unit, 2028, number="9/KH-UBND")
    plans.save_activity(
        officer, plan, {"title": "Tập huấn cấp xã", "category": "tap_huan", "timeline": "Quý II"}, []
    )
    plans.submit(officer, plan)  # to its own leader
    assert not _cell(centre, QUANG_TRI, "ke_hoach", 2028).mark
    plans.approve(leader, plan)
    assert not TrackingValue.objects.filter(year=2028).exists()  # nothing stored: read from the plan
    shown = _cell(centre, QUANG_TRI, "ke_hoach", 2028)
    assert (
        shown.mark
        and shown.url == f"/plans/{plan.pk}/"
        and "(9/KH-UBND), phê duyệt ngày 20/11/2026" in shown.title
    )
    assert 2028 in selectors.available_years()
    plans.send(officer, plan)
    plans.return_plan(centre, plan, "Thiếu căn cứ")
    assert not _cell(centre, QUANG_TRI, "ke_hoach", 2028).mark


def test_an_issued_regulation_proves_the_regulation_item(user) -> None:  # noqa: ANN001
    regulation = import_text(
        _provincial(
            "1520/QĐ-UBND",
            "12 tháng 5 năm 2026",
            "QUYẾT ĐỊNH",
            "Ban hành Quy chế quản lý nhà nước về thông tin đối ngoại trên địa bàn tỉnh Quảng Trị",
            "Điều 1. Ban hành kèm theo Quyết định này Quy chế quản lý nhà nước về thông tin đối ngoại.",
        )
    ).document
    assert regulation.issuer.code == QUANG_TRI
    shown = _cell(user("dongnai.canbo"), QUANG_TRI, "quy_che", 2026)  # a document is public: linked for all
    assert shown.mark and shown.url == f"/docs/{regulation.pk}/"
    assert shown.title == (
        "Suy ra từ hồ sơ: Quyết định 1520/QĐ-UBND ngày 12/05/2026: "
        "Ban hành Quy chế quản lý nhà nước về thông tin đối ngoại trên địa bàn tỉnh Quảng Trị"
    )
    other = import_text(
        _provincial(
            "1521/QĐ-UBND",
            "14 tháng 5 năm 2026",
            "QUYẾT ĐỊNH",
            "Ban hành Quy chế phát ngôn và cung cấp thông tin cho báo chí",
            "Điều 1. Ban hành kèm theo Quyết định này Quy chế phát ngôn.",
        )
    ).document
    assert f"/docs/{other.pk}/" not in {e.url for e in sources.evidence([2026])}  # not the TTĐN regulation


@needs_seeds  # the imported table is seed 000's
def test_records_never_overwrite_the_imported_table(user, unit) -> None:  # noqa: ANN001
    """Old Quảng Trị's imported 2011-2012 marks: "not done" in 2011, "done" in 2012. A regulation of 2012 stands
    beside the imported "done"; one of 2011 is a conflict, shown and not counted."""
    centre = user("cuc.canbo")
    old = unit("T45")
    stored = dict(TrackingValue.objects.filter(unit=old, item__code="quy_che").values_list("year", "value"))
    assert stored == {2011: False, 2012: True}
    before = selectors.tracking_view(centre, years=[2011, 2012])
    for number, dated in (("812/QĐ-UBND", "3 tháng 4 năm 2012"), ("640/QĐ-UBND", "5 tháng 9 năm 2011")):
        document = import_text(
            _provincial(
                number,
                dated,
                "QUYẾT ĐỊNH",
                "Ban hành Quy chế quản lý nhà nước về thông tin đối ngoại trên địa bàn tỉnh Quảng Trị",
                "Điều 1. Ban hành kèm theo Quyết định này Quy chế quản lý nhà nước về thông tin đối ngoại.",
            )
        ).document
        assert document.issuer == old  # the province of that time
    view = selectors.tracking_view(centre, years=[2011, 2012])
    kept, contested = view.shown(old, "quy_che", 2012), view.shown(old, "quy_che", 2011)
    assert kept.mark and kept.cell.origin == "imported" and kept.url.startswith("/docs/")
    assert kept.title.startswith("Nhập từ bảng; hồ sơ: Quyết định 812/QĐ-UBND")
    assert not contested.mark and contested.cell.conflict and contested.url.startswith("/docs/")
    assert view.totals == before.totals and view.eras[0].ever == before.eras[0].ever  # nothing recounted
    assert view.conflicts == 1
    assert (
        dict(TrackingValue.objects.filter(unit=old, item__code="quy_che").values_list("year", "value"))
        == stored
    )
    page = (
        login("cuc.canbo").get("/reporting/tracking/", {"year_from": 2011, "year_to": 2012}).content.decode()
    )
    assert 'data-testid="conflict">!</a>' in page and 'data-testid="conflicts"' in page
