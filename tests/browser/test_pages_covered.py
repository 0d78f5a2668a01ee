"""Pages no browser test walked before, each as the official who uses it, each asserting what the page
says: the report periods, dedicated staff and training, anniversaries, plan versus actual, importing a
tracking table, a document's source file. What a test writes it removes, so later tests see the demo."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_report_periods_list_the_forms_with_their_rates(page) -> None:  # noqa: ANN001
    """/reporting/: the centre sees each form's current period, its deadline and how many of the bodies due
    have sent it; the figure is the one the period's page counts body by body."""
    login(page, "cuc.canbo")
    page.goto(f"{page.base_url}/reporting/")
    forms = page.get_by_test_id("forms")
    half = forms.get_by_role("row", name=re.compile("6 tháng đầu năm"))
    expect(half).to_contain_text("6 tháng đầu năm 2026")
    expect(half).to_contain_text("06/06/2026")
    yearly = forms.get_by_role("row", name=re.compile("Báo cáo công tác thông tin đối ngoại năm"))
    expect(yearly).to_contain_text("Năm 2026")
    expect(yearly).to_contain_text("25/11/2026")  # today is 20/11/2026: the yearly report is due in 5 days
    sent = re.search(r"(\d+)/(\d+) \(\d+%\)", yearly.locator("td").nth(3).inner_text())
    assert sent is not None and int(sent.group(2)) > 1
    submitted, expected = int(sent.group(1)), int(sent.group(2))
    yearly.get_by_role("link").click()
    expect(page.get_by_test_id("rate")).to_contain_text(f"{submitted}/{expected}")
    expect(page.get_by_test_id("show-missing")).to_have_text(f"{expected - submitted} chưa gửi")

    page.context.clear_cookies()
    login(page, "quangtri.canbo")  # a province's officer counts only the bodies it answers for
    page.goto(f"{page.base_url}/reporting/")
    yearly = page.get_by_test_id("forms").get_by_role(
        "row", name=re.compile("Báo cáo công tác thông tin đối ngoại năm")
    )
    expect(yearly).to_contain_text("Năm 2026")
    own = re.search(r"(\d+)/(\d+)", yearly.locator("td").nth(3).inner_text())
    assert own is not None and int(own.group(2)) < expected


def test_dedicated_posts_and_training_courses_of_a_province(page) -> None:  # noqa: ANN001
    """/plans/staff/: a province's officer records a dedicated post and a training course carried out under
    the plan; both are listed; another province's officer may not open the page."""
    from ttdn.plans.models import StaffPost, TrainingCourse

    before_posts = set(StaffPost.objects.values_list("pk", flat=True))
    before_courses = set(TrainingCourse.objects.values_list("pk", flat=True))
    try:
        login(page, "quangtri.canbo")
        page.goto(f"{page.base_url}/plans/")
        page.get_by_role("link", name="Cán bộ chuyên trách, tập huấn").click()
        expect(page.locator("h1")).to_have_text("Cán bộ chuyên trách và tập huấn TTĐN")
        expect(page.locator(".page-head")).to_contain_text("Tỉnh Quảng Trị")
        page.get_by_text("Thêm vị trí").click()
        post_form = page.locator("form", has=page.locator("input[name=holder]"))
        post_form.locator("input[name=title]").fill("Chuyên viên thông tin đối ngoại, Văn phòng UBND tỉnh")
        post_form.locator("input[name=holder]").fill("Trần Thị Mai")
        post_form.locator("input[name=since]").fill("01/09/2026")
        post_form.get_by_role("button", name="Thêm").click()
        expect(page.locator(".msg-success")).to_contain_text("Đã thêm vị trí.")
        posts = page.get_by_test_id("posts")
        row = posts.get_by_role("row", name=re.compile("Trần Thị Mai"))
        expect(row).to_contain_text("Chuyên viên thông tin đối ngoại, Văn phòng UBND tỉnh")
        expect(row).to_contain_text("chuyên trách")
        expect(row).to_contain_text("01/09/2026")

        page.get_by_text("Thêm lớp tập huấn").click()
        course_form = page.locator("form", has=page.locator("input[name=topic]"))
        course_form.locator("input[name=held_on]").fill("15/10/2026")
        course_form.locator("input[name=topic]").fill("Thông tin đối ngoại trên mạng xã hội")
        course_form.locator("input[name=trainees]").fill("1.200")
        course_form.locator("input[name=trainers]").fill("Cục TTCS&TTĐN")
        activity = course_form.locator("option", has_text="2026: Tập huấn nghiệp vụ thông tin đối ngoại")
        course_form.locator("select[name=activity]").select_option(activity.get_attribute("value"))
        course_form.get_by_role("button", name="Thêm").click()
        expect(page.locator(".msg-success")).to_contain_text("Đã thêm lớp tập huấn.")
        course = page.get_by_test_id("courses").get_by_role("row", name=re.compile("mạng xã hội"))
        expect(course).to_contain_text("15/10/2026")
        expect(course).to_contain_text("1200")
        expect(course).to_contain_text("Kế hoạch công tác thông tin đối ngoại năm 2026")  # the plan it served

        page.context.clear_cookies()
        login(page, "dongnai.canbo")
        page.goto(f"{page.base_url}/plans/staff/?unit=T44-2025")
        expect(page.locator("h1")).not_to_have_text("Cán bộ chuyên trách và tập huấn TTĐN")
        expect(page.get_by_test_id("posts")).to_have_count(0)
    finally:
        StaffPost.objects.exclude(pk__in=before_posts).delete()
        TrainingCourse.objects.exclude(pk__in=before_courses).delete()


def test_anniversaries_of_the_chosen_year(page) -> None:  # noqa: ANN001
    """/plans/anniversaries/: the holidays of a year and the round anniversaries of diplomatic relations
    (every five years), for the plan of that year."""
    login(page, "quangtri.canbo")
    page.goto(f"{page.base_url}/plans/anniversaries/")
    table = page.get_by_test_id("anniversaries")
    expect(page.locator("h1")).to_contain_text("năm 2026")
    expect(table.get_by_role("row", name=re.compile("Philippines"))).to_contain_text("12/07/2026")
    expect(table.get_by_role("row", name=re.compile("Philippines"))).to_contain_text("50 năm")
    expect(table).not_to_contain_text("Campuchia")  # 59 years in 2026: not a round year
    page.locator("select[name=year]").select_option("2027")
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("h1")).to_contain_text("năm 2027")
    cambodia = table.get_by_role("row", name=re.compile("Campuchia"))
    expect(cambodia).to_contain_text("24/06/2027")
    expect(cambodia).to_contain_text("60 năm")
    expect(cambodia).to_have_class("round")
    expect(table.get_by_role("row", name=re.compile("Ngày Quốc khánh"))).to_contain_text("02/09/2027")
    expect(table).not_to_contain_text("Philippines")


def test_plan_versus_actual_records_a_result(page) -> None:  # noqa: ANN001
    """/plans/<id>/actual/: on an approved plan the officer records what an activity achieved, its actual
    cost and evidence; a wrong cost is refused beside its field with everything typed kept; the summary by
    category counts the result and the cost."""
    from ttdn.accounts.models import User
    from ttdn.plans import services
    from ttdn.plans.models import Plan
    from ttdn.reporting.models import TrackingValue

    officer, leader = (
        User.objects.get(username="quangtri.canbo"),
        User.objects.get(username="quangtri.lanhdao"),
    )
    year = 2037
    plan = services.create_plan(officer, officer.org_unit, year)
    try:
        fair = services.save_activity(
            officer, plan, {"title": "Hội chợ ảnh Quảng Trị tại Savannakhet", "category": "quang_ba"},
            [("300.000.000", "local")],
        )  # fmt: skip
        services.save_activity(
            officer, plan, {"title": "Sách ảnh tiếng Lào", "category": "ngoai_ngu"}, [("90.000.000", "local")]
        )
        services.submit(officer, plan)
        services.approve(leader, plan)
        login(page, "quangtri.canbo")
        page.goto(f"{page.base_url}/plans/{plan.pk}/")
        page.get_by_role("link", name="Kế hoạch và thực hiện").click()
        summary = page.get_by_test_id("plan-vs-actual")
        expect(summary.locator("tr.total")).to_contain_text("390.000.000")
        card = page.locator(f"#a{fair.pk}")
        card.get_by_text("Ghi kết quả").click()
        form = card.get_by_test_id("result-form")
        form.locator("select[name=result]").select_option("done")
        form.locator("input[name=result_on]").fill("20/09/2026")
        form.locator("input[name=actual_cost]").fill("285 triệu")
        form.locator("textarea[name=outputs]").fill("3 ngày, 12.000 lượt khách")
        form.get_by_role("button", name="Lưu kết quả").click()
        form = page.locator(f"#a{fair.pk}").get_by_test_id("result-form")
        expect(form.locator("label", has=page.locator("input[name=actual_cost]"))).to_contain_text(
            "Kinh phí thực chi phải là số nguyên không âm"
        )
        expect(form.locator("select[name=result]")).to_have_value("done")
        expect(form.locator("input[name=result_on]")).to_have_value("20/09/2026")
        expect(form.locator("textarea[name=outputs]")).to_have_value("3 ngày, 12.000 lượt khách")
        form.locator("input[name=actual_cost]").fill("285.000.000")
        form.locator("input[name=files]").set_input_files(
            files=[
                {"name": "bao-cao-hoi-cho.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 hoi cho"}
            ]
        )
        form.get_by_role("button", name="Lưu kết quả").click()
        expect(page.locator(".msg-success")).to_contain_text("Đã ghi kết quả hoạt động.")
        card = page.locator(f"#a{fair.pk}")
        expect(card).to_contain_text("hoàn thành 20/09/2026 · thực chi 285.000.000 đ")
        expect(card.get_by_role("link", name="bao-cao-hoi-cho.pdf")).to_be_visible()
        total = page.get_by_test_id("plan-vs-actual").locator("tr.total td")
        expect(total.nth(1)).to_have_text("2")  # activities
        expect(total.nth(2)).to_have_text("1")  # done
        expect(total.nth(5)).to_have_text("1")  # without a result yet
        expect(total.nth(7)).to_have_text("285.000.000")
    finally:
        evidence = [f for a in plan.activities.all() for f in a.evidence.all()]
        Plan.objects.filter(pk=plan.pk).delete()
        TrackingValue.objects.filter(unit=officer.org_unit, year=year).delete()
        for attachment in evidence:
            attachment.file.delete(save=False)
            attachment.delete()


def _tracking_xlsx(rows: list[list[str]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in [
        ["Stt", "Tỉnh, thành phố", "Quy chế QLNN về TTĐN", "Kế hoạch công tác TTĐN"],
        ["", "", "2013", "2013"],
        *rows,
    ]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_importing_a_tracking_table_is_checked_then_written_whole_or_not_at_all(page) -> None:  # noqa: ANN001
    """/reporting/tracking/import/: the centre's officer uploads a table; a file naming a body the registry
    lacks is refused with the reason and writes nothing; a good one is checked first (its declared total
    against its rows), then written, and the tracking page names it."""
    from ttdn.reporting.models import TrackingImport, TrackingValue

    good = _tracking_xlsx([["1", "An Giang", "x", ""], ["2", "Bắc Ninh", "x", "x"], ["Tổng", "", "1", "1"]])
    bad = _tracking_xlsx([["1", "An Giang", "x", ""], ["2", "Tỉnh Xứ Sở Thần Tiên", "x", "x"]])
    before = (TrackingValue.objects.count(), TrackingImport.objects.count())
    imports = set(TrackingImport.objects.values_list("pk", flat=True))
    try:
        login(page, "cuc.canbo")
        page.goto(f"{page.base_url}/reporting/tracking/")
        page.get_by_role("link", name="Nhập bảng").click()
        form = page.get_by_test_id("tracking-import")
        form.locator("input[name=file]").set_input_files(
            files=[{"name": "bang-theo-doi-2013.xlsx", "mimeType": XLSX, "buffer": bad}]
        )
        form.get_by_role("button", name="Kiểm tra").click()
        expect(page.get_by_test_id("tracking-error")).to_contain_text(
            "Không khớp được đơn vị: Tỉnh Xứ Sở Thần Tiên"
        )
        expect(page.get_by_test_id("tracking-check")).to_have_count(0)
        assert (TrackingValue.objects.count(), TrackingImport.objects.count()) == before

        form = page.get_by_test_id("tracking-import")
        form.locator("input[name=file]").set_input_files(
            files=[{"name": "bang-theo-doi-2013.xlsx", "mimeType": XLSX, "buffer": good}]
        )
        form.get_by_role("button", name="Kiểm tra").click()
        check = page.get_by_test_id("tracking-check")
        expect(check.locator("h2")).to_have_text("Đọc được 2 dòng · 2013")
        expect(
            check.get_by_role("row", name="Quy chế QLNN về TTĐN 2013 1 2")
        ).to_be_visible()  # declared 1, rows 2
        assert (
            TrackingValue.objects.count(),
            TrackingImport.objects.count(),
        ) == before  # a check writes nothing

        confirm = check.locator("form")
        confirm.locator("input[name=file]").set_input_files(
            files=[{"name": "bang-theo-doi-2013.xlsx", "mimeType": XLSX, "buffer": bad}]
        )  # the wrong file at the last step: still nothing
        confirm.get_by_role("button", name="Ghi vào bảng theo dõi").click()
        expect(page.get_by_test_id("tracking-error")).to_contain_text("Tỉnh Xứ Sở Thần Tiên")
        assert (TrackingValue.objects.count(), TrackingImport.objects.count()) == before

        form = page.get_by_test_id("tracking-import")
        form.locator("input[name=file]").set_input_files(
            files=[{"name": "bang-theo-doi-2013.xlsx", "mimeType": XLSX, "buffer": good}]
        )
        form.get_by_role("button", name="Kiểm tra").click()
        confirm = page.get_by_test_id("tracking-check").locator("form")
        confirm.locator("input[name=file]").set_input_files(
            files=[{"name": "bang-theo-doi-2013.xlsx", "mimeType": XLSX, "buffer": good}]
        )
        confirm.get_by_role("button", name="Ghi vào bảng theo dõi").click()
        expect(page.locator(".msg-success")).to_contain_text("Đã nhập bảng theo dõi: 4 ô được ghi.")
        expect(page.get_by_test_id("discrepancies")).to_contain_text(
            "Quy chế QLNN về TTĐN 2013: khai báo 1, đếm được 2 (tệp bang-theo-doi-2013.xlsx nhập ngày 20/11/2026)"
        )
        assert TrackingValue.objects.filter(
            year=2013, unit__code="T27", item__code="ke_hoach", value=True
        ).exists()
    finally:
        added = TrackingImport.objects.exclude(pk__in=imports)
        TrackingValue.objects.filter(source__in=added).delete()
        added.delete()


def test_a_documents_source_file_is_the_file_as_it_arrived(page) -> None:  # noqa: ANN001
    """/docs/<id>/source/: the registry keeps the file a document was imported from; an official downloads
    it, under its own name, unchanged (a .docx stays a .docx with its paragraphs); a record without a file
    has none to give."""
    import docx

    from ttdn.documents.models import Document
    from ttdn.documents.services import import_file

    letter = docx.Document()
    for line in [
        "ỦY BAN NHÂN DÂN",
        "TỈNH QUẢNG TRỊ",
        "Số: 41/KH-UBND",
        "Quảng Trị, ngày 12 tháng 3 năm 2026",
        "KẾ HOẠCH",
        "Thông tin đối ngoại năm 2026 về hợp tác với tỉnh Savannakhet",
        "1. Sở Văn hóa, Thể thao và Du lịch tổ chức Tuần Văn hóa – Du lịch tại Savannakhet trong quý III năm 2026.",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
    ]:
        letter.add_paragraph(line)
    data = io.BytesIO()
    letter.save(data)
    document = import_file("ke-hoach-41-savannakhet.docx", data.getvalue()).document
    try:
        login(page, "quangtri.canbo")
        page.goto(f"{page.base_url}/docs/{document.pk}/")
        expect(page.locator("h1")).to_contain_text("41/KH-UBND")
        with page.expect_download() as download:
            page.get_by_role("link", name="ke-hoach-41-savannakhet.docx").click()
        assert download.value.suggested_filename == "ke-hoach-41-savannakhet.docx"
        received = Path(download.value.path()).read_bytes()
        assert received == data.getvalue()
        paragraphs = [p.text for p in docx.Document(io.BytesIO(received)).paragraphs]
        assert "Số: 41/KH-UBND" in paragraphs and paragraphs[-1] == "CHỦ TỊCH"

        stub = Document.objects.filter(source_file="").exclude(pk=document.pk).first()
        page.goto(f"{page.base_url}/docs/{stub.pk}/")
        expect(page.get_by_role("link", name=re.compile(r"\.(txt|docx|pdf)$"))).to_have_count(0)
        response = page.goto(f"{page.base_url}/docs/{stub.pk}/source/")
        assert response is not None and response.status == 404
        expect(page.locator("h1")).to_have_text("Không tìm thấy trang")
    finally:
        document.source_file.delete(save=False)
        document.delete()
