"""The daily loop in a real browser, one test per finding of the officials' trial (issue 12): each fails on
the code before its fix."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.conftest import needs_seeds

pytestmark = pytest.mark.browser


def _directive(number: str, dated: str, subject: str, body: str) -> str:
    """A directive of Quảng Trị's People's Committee, written for these tests, around its numbered duties."""
    return (
        f"ỦY BAN NHÂN DÂN\nTỈNH QUẢNG TRỊ\nSố: {number}\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        f"Độc lập - Tự do - Hạnh phúc\nQuảng Trị, ngày {dated}\n\nCHỈ THỊ\n{subject}\n\n"
        f"Chủ tịch Ủy ban nhân dân tỉnh yêu cầu:\n\n{body}\n\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nLê Đức Tiến\n"
    )


@needs_seeds  # the demo tasks of Chỉ thị 21 come from the seeds
def test_finding_1_a_report_citing_a_local_decision_is_kept(page) -> None:  # noqa: ANN001
    """Finding 1: a progress report naming "2150/QĐ-UBND" (a provincial decision the registry lacks) was
    refused ("Không tìm thấy văn bản") and lost. Now it is saved, the number kept as a citation; text that
    is no number is refused with what was typed kept."""
    from ttdn.documents.models import Document
    from ttdn.tasks.models import TaskOccurrence

    occurrence = (
        TaskOccurrence.objects.filter(task__lead__code="T45", completed_on__isnull=True).order_by("pk").last()
    )
    number = "2151/QĐ-UBND"
    Document.objects.filter(number=number).delete()
    login(page, "quangtri.canbo")
    page.goto(f"{page.base_url}/tasks/{occurrence.task_id}/?occ={occurrence.pk}")
    form = page.get_by_test_id("progress-form")
    form.locator("textarea[name=text]").fill("Ban hành Quy chế phát ngôn và cung cấp thông tin cho báo chí")
    form.locator("input[name=percent]").fill("80")
    form.locator("input[name=documents]").fill("quyết định tháng 5")
    form.get_by_role("button", name="Báo cáo tiến độ").click()
    expect(page.locator(".msg-error")).to_contain_text("Không phải số, ký hiệu văn bản: quyết định tháng 5")
    expect(form.locator("textarea[name=text]")).to_have_value(
        "Ban hành Quy chế phát ngôn và cung cấp thông tin cho báo chí"
    )
    expect(form.locator("input[name=percent]")).to_have_value("80")
    form.locator("input[name=documents]").fill(number)
    form.get_by_role("button", name="Báo cáo tiến độ").click()
    expect(page.locator(".msg-success")).to_contain_text("Đã ghi nhận báo cáo tiến độ.")
    expect(page.get_by_test_id("entries")).to_contain_text(number)
    stub = Document.objects.get(number=number)
    assert stub.is_stub and stub.issuer is not None and stub.issuer.name == "Tỉnh Quảng Trị"


DIRECTIVE_2026 = _directive(
    "31/CT-UBND",
    "15 tháng 4 năm 2026",
    "Về báo cáo công tác thông tin đối ngoại định kỳ",
    """1. Sở Văn hóa, Thể thao và Du lịch tổng hợp, báo cáo Ủy ban nhân dân tỉnh kết quả công tác thông tin đối ngoại trước ngày 15/6 và 15/12 hằng năm.

2. Sở Văn hóa, Thể thao và Du lịch rà soát tin, bài trên cổng thông tin điện tử của tỉnh hằng quý.""",
)


def test_finding_2_recurring_duties_keep_their_deadlines(page) -> None:  # noqa: ANN001
    """Finding 2: "trước ngày 15/6 và 15/12 hằng năm" became one "2026-H1" with "Thời hạn: không ghi", and a
    directive of 15/04/2026 had a "2026-Q1" that ended before it. Now the half-years are due 15/06 and 15/12,
    and the quarters start with the second."""
    from ttdn.documents.services import import_text
    from ttdn.tasks.models import Task

    document = import_text(DIRECTIVE_2026).document
    login(page, "quangtri.canbo")
    page.goto(f"{page.base_url}/tasks/review/{document.pk}/")
    page.get_by_role("button", name="Trích xuất nhiệm vụ").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("issue").click()
    expect(page.locator(".msg-success")).to_be_visible()
    report = Task.objects.get(duty__document=document, duty__section="1")
    page.goto(f"{page.base_url}/tasks/{report.pk}/")
    periods = page.locator("section.card", has_text="Các kỳ thực hiện")
    expect(periods).to_contain_text("6 tháng đầu năm 2026 · 15/06/2026")
    expect(periods).to_contain_text("6 tháng cuối năm 2026 · 15/12/2026")
    review = Task.objects.get(duty__document=document, duty__section="2")
    page.goto(f"{page.base_url}/tasks/{review.pk}/")
    quarters = page.locator("section.card", has_text="Các kỳ thực hiện")
    expect(quarters).to_contain_text("Quý II/2026")
    expect(quarters).not_to_contain_text("Quý I/2026")


DIRECTIVE_BORDER = _directive(
    "32/CT-UBND",
    "20 tháng 4 năm 2026",
    "Về thông tin đối ngoại ở khu vực biên giới",
    """1. Sở Văn hóa, Thể thao và Du lịch chủ trì, phối hợp với Bộ Chỉ huy Bộ đội Biên phòng tỉnh về thông tin đối ngoại ở khu vực biên giới, báo cáo trước ngày 30/9/2026.""",
)


def test_finding_12_a_coordinator_is_named_without_its_topic(page) -> None:  # noqa: ANN001
    """Finding 12: the coordinator was read as "Bộ Chỉ huy Bộ đội Biên phòng tỉnh về thông tin đối ngoại" and
    "Thêm vào danh bạ" offered to create that false body. Now the name stops before its topic ("về ...")."""
    from ttdn.documents.services import import_text

    document = import_text(DIRECTIVE_BORDER).document
    login(page, "quangtri.canbo")
    page.goto(f"{page.base_url}/tasks/review/{document.pk}/")
    page.get_by_role("button", name="Trích xuất nhiệm vụ").click()
    coordinators = page.locator("textarea[name$=coordinators]").first
    expect(coordinators).to_have_value("Bộ Chỉ huy Bộ đội Biên phòng tỉnh")
    for chip in page.locator(".chip").all_inner_texts():  # no body of that name is proposed for the registry
        assert "về thông tin" not in chip


@needs_seeds
def test_finding_4_overdue_work_is_chased_at_the_bodies_of_today(page) -> None:  # noqa: ANN001
    """Finding 4: the reminder letter went to Bà Rịa - Vũng Tàu, Bắc Giang, Bắc Kạn, Bạc Liêu (abolished on
    01/07/2025) and open duties of an abolished body were shown under it. Now the dashboard and the letter
    name only bodies valid today; Bình Phước's 2012 work appears under Đồng Nai, marked as inherited."""
    import datetime as dt
    import io
    from pathlib import Path

    import docx

    from ttdn.orgs.models import OrgUnit

    today = dt.date(2026, 11, 20)
    valid_names = set(OrgUnit.objects.valid_on(today).values_list("name", flat=True))
    login(page, "cuc.canbo")
    page.goto(f"{page.base_url}/tasks/overdue/")
    bodies = page.get_by_test_id("overdue-bodies")
    listed = [name.strip() for name in bodies.locator("a").all_inner_texts()]
    assert listed and set(listed) <= valid_names
    assert "Tỉnh Bình Phước" not in listed and "Tỉnh Bạc Liêu" not in listed
    bodies.get_by_role("link", name="Tỉnh Đồng Nai", exact=True).click()
    expect(page.get_by_test_id("overdue-items")).to_contain_text("kế thừa Tỉnh Bình Phước")
    page.goto(f"{page.base_url}/tasks/overdue/")
    with page.expect_download() as download:
        page.get_by_test_id("letter").click()
    letter = docx.Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    rows = [[cell.text for cell in row.cells] for row in letter.tables[1].rows][1:]
    named = {r[1].split(" (kế thừa ")[0] for r in rows}
    assert named <= valid_names
    assert any(r[1] == "Tỉnh Đồng Nai (kế thừa Tỉnh Bình Phước)" for r in rows)
    addressed = next(p.text for p in letter.paragraphs if p.text.startswith("Kính gửi"))
    assert "Bình Phước" not in addressed and "Bạc Liêu" not in addressed


DIRECTIVE_AUGUST = _directive(
    "33/CT-UBND",
    "02 tháng 6 năm 2026",
    "Về xuất bản ấn phẩm giới thiệu tỉnh",
    """1. Sở Văn hóa, Thể thao và Du lịch xuất bản ấn phẩm giới thiệu tỉnh bằng tiếng Anh, tiếng Lào, hoàn thành trước ngày 31/8/2026.""",
)


def test_finding_8_completion_counts_by_the_day_the_work_was_done(page, browser, live_url) -> None:  # noqa: ANN001
    """Finding 8: work done 20/08 (deadline 31/08) and confirmed 01/12 counted as late, with no field for the
    day it was done and no way to send a report back. Now the officer gives the actual day, the leader can
    send the report back with a reason, and a confirmed completion is on time by that day."""
    from ttdn.documents.services import import_text
    from ttdn.tasks.models import Task

    document = import_text(DIRECTIVE_AUGUST).document
    login(page, "quangtri.canbo")
    page.goto(f"{page.base_url}/tasks/review/{document.pk}/")
    page.get_by_role("button", name="Trích xuất nhiệm vụ").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("issue").click()
    expect(page.locator(".msg-success")).to_be_visible()
    task = Task.objects.get(duty__document=document)
    officer_url = f"{page.base_url}/tasks/{task.pk}/"

    def report_done(text: str) -> None:
        page.goto(officer_url)
        form = page.get_by_test_id("progress-form")
        form.locator("textarea[name=text]").fill(text)
        form.locator("input[name=percent]").fill("100")
        form.get_by_test_id("done-on").fill("20/08/2026")
        form.get_by_role("button", name="Báo cáo tiến độ").click()
        expect(page.locator(".msg-success")).to_contain_text("Đã ghi nhận báo cáo tiến độ.")

    report_done("Đã in 2.000 cuốn tiếng Anh")
    leader = browser.new_context(locale="vi-VN").new_page()
    leader.base_url = live_url
    login(leader, "quangtri.lanhdao")
    leader.goto(officer_url)
    send_back = leader.get_by_test_id("send-back-form")
    send_back.locator("input[name=reason]").fill("Còn thiếu bản tiếng Lào")
    send_back.get_by_role("button", name="Trả lại").click()
    expect(leader.locator(".msg-success")).to_contain_text("Đã trả lại")
    expect(leader.get_by_test_id("entries")).to_contain_text("Trả lại: Còn thiếu bản tiếng Lào")
    expect(leader.get_by_test_id("confirm-form")).to_have_count(0)  # nothing to confirm until reported again

    report_done("Đã in 2.000 cuốn tiếng Anh và 1.000 cuốn tiếng Lào")
    leader.reload()
    leader.get_by_role("button", name="Xác nhận hoàn thành").click()
    expect(leader.get_by_test_id("status")).to_have_text(
        "hoàn thành đúng hạn"
    )  # by 20/08, not by today (20/11)
    expect(leader.get_by_test_id("occurrence")).to_contain_text("hoàn thành 20/08/2026")
    leader.context.close()


def test_finding_9_the_province_officer_submits_the_plan_to_the_leader(page, browser, live_url) -> None:  # noqa: ANN001
    """Finding 9: a province officer had no action on the consolidated province plan and no guidance. Now
    the officer submits it to the province's leader, who approves it; then the officer sends it to the centre."""
    from ttdn.accounts.models import User
    from ttdn.plans import services

    officer = User.objects.get(username="quangtri.canbo")
    plan = services.create_plan(officer, officer.org_unit, 2032)
    services.save_activity(
        officer, plan, {"title": "Hội nghị báo chí quốc tế", "category": "tap_huan"}, [("8.000.000", "local")]
    )
    login(page, "quangtri.canbo")
    page.goto(f"{page.base_url}/plans/{plan.pk}/")
    cycle = page.get_by_test_id("cycle")
    cycle.get_by_role("button", name="Trình lãnh đạo phê duyệt").click()
    expect(page.get_by_test_id("cycle")).to_contain_text("Đã trình lãnh đạo đơn vị phê duyệt")

    leader = browser.new_context(locale="vi-VN").new_page()
    leader.base_url = live_url
    login(leader, "quangtri.lanhdao")
    leader.goto(f"{live_url}/plans/{plan.pk}/")
    leader.once("dialog", lambda dialog: dialog.accept())
    leader.get_by_test_id("cycle").get_by_role("button", name="Phê duyệt").click()
    expect(leader.get_by_test_id("cycle")).to_contain_text("Gửi về Cục")
    leader.context.close()

    page.reload()
    page.get_by_test_id("cycle").get_by_role("button", name="Gửi về Cục").click()
    expect(page.get_by_test_id("cycle").get_by_role("button", name="Gửi về Cục")).to_have_count(0)
    plan.refresh_from_db()
    assert plan.state == "sent"


def test_finding_3_each_one_is_told_whose_turn_it_is(page, browser, live_url) -> None:  # noqa: ANN001
    """Finding 3: nothing notified anyone; the leader's page did not show the report waiting for approval and
    a department's home page did not show its returned plan. Now the bell counts what is new, the home pages
    list "Việc cần phê duyệt" and "Việc cần làm" with the reason a thing came back, and a notice opens its page."""
    from ttdn.accounts.models import User
    from ttdn.notices.models import Notice
    from ttdn.plans import services as plans
    from ttdn.plans.models import Plan
    from ttdn.reporting.models import ReportForm, Submission
    from ttdn.reporting.services import submissions as reports

    officer = User.objects.get(username="quangtri.canbo")
    department = User.objects.get(username="quangtri.sovhttdl")
    Notice.objects.filter(user__org_unit__code__startswith="T44-2025").delete()
    form = ReportForm.objects.get(code="ttdn_nam")
    Submission.objects.filter(form=form, period="2025", unit=officer.org_unit).delete()
    Plan.objects.filter(unit=department.org_unit, year=2031).delete()
    values = {"co_ke_hoach": "1", "so_lop_tap_huan": "2", "so_hoc_vien": "60", "ket_qua": "Hai lớp tập huấn"}
    reports.save_draft(officer, form, officer.org_unit, "2025", values)

    login(page, "quangtri.canbo")
    page.goto(f"{page.base_url}/reporting/forms/ttdn_nam/2025/T44-2025/")
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_test_id("state")).to_contain_text("đã trình, chờ lãnh đạo duyệt")

    leader = browser.new_context(locale="vi-VN").new_page()
    leader.base_url = live_url
    login(leader, "quangtri.lanhdao")
    expect(leader.get_by_test_id("bell").locator(".badge")).to_have_text("1")
    waiting = leader.get_by_test_id("to-approve")
    expect(waiting).to_contain_text("Duyệt báo cáo: Báo cáo công tác thông tin đối ngoại năm")
    waiting.get_by_role("link", name="Năm 2025").click()
    leader.fill("textarea[name=comment]", "Ghi rõ kinh phí đã chi")
    leader.get_by_role("button", name="Trả lại").click()
    expect(leader.get_by_test_id("state")).to_contain_text("bị trả lại")
    leader.goto(f"{live_url}/tasks/notifications/")
    expect(leader.get_by_test_id("notifications").locator("li.unread")).to_have_count(1)
    leader.get_by_test_id("notifications").get_by_role("link").first.click()  # opening it marks it read
    expect(leader.get_by_test_id("bell").locator(".badge")).to_have_count(0)
    leader.context.close()

    page.goto(f"{page.base_url}/")
    todo = page.get_by_test_id("to-do")
    expect(todo).to_contain_text("Sửa và gửi lại")
    expect(todo).to_contain_text("Ghi rõ kinh phí đã chi")
    page.get_by_test_id("bell").click()
    expect(page.get_by_test_id("notifications")).to_contain_text("bị trả lại: Ghi rõ kinh phí đã chi")

    plan = plans.create_plan(department, department.org_unit, 2031)
    plans.save_activity(department, plan, {"title": "Triển lãm ảnh", "category": "tap_huan"}, [])
    plans.submit(department, plan)
    page.goto(f"{page.base_url}/")
    expect(page.get_by_test_id("to-do")).to_contain_text("Tổng hợp kế hoạch năm 2031 của Sở Văn hóa")
    page.goto(f"{page.base_url}/plans/{plan.pk}/")
    page.get_by_test_id("return-form").locator("input[name=comment]").fill("Thêm dự toán kinh phí")
    page.get_by_test_id("return-form").get_by_role("button", name="Trả lại").click()
    expect(page.get_by_test_id("plan-state")).to_contain_text("bị trả lại")

    dept = browser.new_context(locale="vi-VN").new_page()
    dept.base_url = live_url
    login(dept, "quangtri.sovhttdl")
    expect(dept.get_by_test_id("to-do")).to_contain_text("Sửa và gửi lại kế hoạch năm 2031")
    expect(dept.get_by_test_id("to-do")).to_contain_text("Thêm dự toán kinh phí")
    expect(dept.get_by_test_id("bell").locator(".badge")).to_have_text("1")
    dept.context.close()
    Submission.objects.filter(form=form, period="2025", unit=officer.org_unit).delete()
    Plan.objects.filter(unit=department.org_unit, year=2031).delete()


def test_finding_10_the_centre_sees_who_has_not_sent(page, browser, live_url) -> None:  # noqa: ANN001
    """Finding 10: /plans/national/ listed only the bodies that sent, with no "chưa gửi" list and no export; a
    report waiting for its own leader counted as sent; a late report was not flagged; figures were never added
    up. Now each list is there with its export and a reminder letter to exactly the missing bodies."""
    import io

    from docx import Document as Docx

    login(page, "cuc.canbo")
    page.goto(f"{page.base_url}/plans/national/?year=2026")
    tabs = page.get_by_test_id("sending-tabs")
    expect(tabs).to_contain_text("Chưa gửi (")
    expect(page.get_by_test_id("sending-list")).not_to_contain_text("Tỉnh Quảng Trị")  # it sent on 20/06
    tabs.get_by_role("link", name="Đã gửi đúng hạn").click()
    expect(page.get_by_test_id("sending-list")).to_contain_text("Tỉnh Quảng Trị")
    page.goto(f"{page.base_url}/plans/national/?year=2026")
    with page.expect_download() as download:
        page.get_by_test_id("missing-letter").click()
    letter = Docx(io.BytesIO(open(download.value.path(), "rb").read()))  # noqa: SIM115
    annex = [row.cells[1].text for row in letter.tables[-1].rows[1:]]
    listed = page.get_by_test_id("sending-list").locator("tbody tr td:nth-child(2)").all_inner_texts()
    assert annex == listed and "Tỉnh Quảng Trị" not in annex

    page.goto(f"{page.base_url}/reporting/forms/ttdn_nam/2026/?q=hue")
    expect(page.get_by_test_id("reporters")).to_contain_text("chưa gửi Cục")  # waits for its own leader
    page.goto(f"{page.base_url}/reporting/forms/ttdn_nam/2026/?status=late")
    expect(page.get_by_test_id("reporters")).to_contain_text("Tỉnh Đồng Nai")
    expect(page.get_by_test_id("reporters")).to_contain_text("gửi muộn")
    with page.expect_download() as download:
        page.get_by_test_id("period-actions").get_by_role("link", name="Xuất Excel danh sách").click()
    assert (
        download.value.suggested_filename.endswith(".xlsx")
        and "gui-muon" in download.value.suggested_filename
    )
    page.get_by_test_id("totals-link").click()
    expect(page.get_by_test_id("national-total")).to_contain_text("Toàn quốc")
    expect(page.get_by_test_id("totals")).to_contain_text("Thành phố Hà Nội")

    officer = browser.new_context(locale="vi-VN").new_page()
    officer.base_url = live_url
    login(officer, "quangtri.canbo")
    officer.goto(f"{live_url}/reporting/forms/ttdn_nam/2025/T44-2025/")
    expect(officer.get_by_test_id("lateness")).to_contain_text("Đã quá hạn gửi 25/11/2025")
    officer.context.close()


DIRECTIVE_REVIEW = _directive(
    "34/CT-UBND",
    "10 tháng 7 năm 2026",
    "Về tuyên truyền đối ngoại năm 2026",
    """1. Sở Văn hóa, Thể thao và Du lịch xây dựng kế hoạch tuyên truyền đối ngoại, hoàn thành trước ngày 30/9/2026.

2. Sở Văn hóa, Thể thao và Du lịch tổ chức đón đoàn phóng viên nước ngoài, hoàn thành trước ngày 31/10/2026.""",
)


def test_finding_7_a_wrong_deadline_on_review_keeps_every_duty_and_points_to_it(page) -> None:  # noqa: ANN001
    """Finding 7 (review): a wrong date on one duty reloaded the page at the top with a message that named no
    duty, and what was typed in every duty was gone. Now nothing is saved, every duty keeps what was typed,
    the message stands beside the date and a summary at the top links to the duty, whose field has the
    cursor; once the date is right one click saves both duties."""
    import datetime as dt

    from ttdn.documents.services import import_text
    from ttdn.tasks.models import Duty

    document = import_text(DIRECTIVE_REVIEW).document
    login(page, "quangtri.canbo")
    page.goto(f"{page.base_url}/tasks/review/{document.pk}/")
    page.get_by_role("button", name="Trích xuất nhiệm vụ").click()
    first = page.locator("[data-testid=duty][data-section='1']")
    second = page.locator("[data-testid=duty][data-section='2']")
    second_id = second.get_attribute("id")
    first.locator("textarea[name$=text]").fill(
        "Xây dựng kế hoạch tuyên truyền đối ngoại năm 2026 và năm 2027"
    )
    first.locator("textarea[name$=coordinators]").fill("Sở Ngoại vụ\nCông an tỉnh")
    second.locator("textarea[name$=text]").fill("Tổ chức đón đoàn phóng viên Lào và Thái Lan")
    second.locator("input[name$=due]").fill("31/02/2026")
    second.get_by_role("button", name="Lưu").click()

    expect(second.get_by_test_id("field-error")).to_contain_text("31/02/2026")
    expect(second.locator("input[name$=due]")).to_have_value("31/02/2026")
    expect(second.locator("textarea[name$=text]")).to_have_value(
        "Tổ chức đón đoàn phóng viên Lào và Thái Lan"
    )
    expect(first.locator("textarea[name$=text]")).to_have_value(
        "Xây dựng kế hoạch tuyên truyền đối ngoại năm 2026 và năm 2027"
    )
    expect(first.locator("textarea[name$=coordinators]")).to_have_value("Sở Ngoại vụ\nCông an tỉnh")
    expect(first.get_by_test_id("field-error")).to_have_count(0)
    summary = page.get_by_test_id("error-summary")
    expect(summary.get_by_role("link", name="Mục 2")).to_have_attribute("href", f"#{second_id}")
    expect(second.locator("input[name$=due]")).to_be_focused()
    expect(second.locator("input[name$=due]")).to_be_in_viewport()
    assert not Duty.objects.filter(document=document, edited=True).exists()  # nothing was saved

    second.locator("input[name$=due]").fill("31/10/2026")
    second.get_by_role("button", name="Lưu").click()
    expect(page.locator(".msg-success")).to_contain_text("Đã lưu nhiệm vụ 1, 2.")
    assert page.url.endswith(f"#{second_id}")
    saved = {d.section: d for d in Duty.objects.filter(document=document)}
    assert saved["1"].text == "Xây dựng kế hoạch tuyên truyền đối ngoại năm 2026 và năm 2027"
    assert saved["1"].coordinator_labels == ["Sở Ngoại vụ", "Công an tỉnh"]
    assert (saved["2"].text, saved["2"].due) == (
        "Tổ chức đón đoàn phóng viên Lào và Thái Lan",
        dt.date(2026, 10, 31),
    )


def test_finding_7_a_wrong_amount_on_a_plan_activity_keeps_what_was_typed(page) -> None:  # noqa: ANN001
    """Finding 7 (plans): a wrong amount on an activity came back as an empty form (a new activity) or a
    closed one (an activity being edited), a message at the top only. Now the form stays open with every
    value typed, the message beside the amount and the cursor in it; nothing is saved until it is right."""
    from ttdn.accounts.models import User
    from ttdn.plans import services

    officer = User.objects.get(username="quangtri.canbo")
    plan = services.create_plan(officer, officer.org_unit, 2034)
    try:
        _wrong_amount_on(page, plan)
    finally:
        plan.delete()


def _wrong_amount_on(page, plan) -> None:  # noqa: ANN001
    from ttdn.plans import services
    from ttdn.plans.models import Activity

    officer = plan.unit.users.get(username="quangtri.canbo")  # as the page's official
    kept = services.save_activity(
        officer, plan, {"title": "Triển lãm ảnh Quảng Trị", "category": "quang_ba"}, [("50.000.000", "local")]
    )
    login(page, "quangtri.canbo")
    page.goto(f"{page.base_url}/plans/{plan.pk}/")
    add = page.get_by_test_id("add-activity")
    add.locator("summary").click()
    typed = {
        "title": "Xuất bản sách ảnh tiếng Lào",
        "timeline": "Quý III",
        "partners": "Sở Ngoại vụ",
        "targets": "2.000 cuốn",
        "amount_local": "120.000.000",
        "amount_socialised": "30 triệu",
    }
    form = add.locator("form.activity-form")
    for name, value in typed.items():
        form.locator(f"input[name={name}]").fill(value)
    form.locator("select[name=category]").select_option("ngoai_ngu")
    form.get_by_role("button", name="Thêm hoạt động").click()

    form = page.get_by_test_id("add-activity").locator("form.activity-form")
    for name, value in typed.items():
        expect(form.locator(f"input[name={name}]")).to_have_value(value)
    expect(form.locator("select[name=category]")).to_have_value("ngoai_ngu")
    amount = form.locator("label", has=page.locator("input[name=amount_socialised]"))
    expect(amount).to_contain_text("Số tiền “30 triệu” phải là số nguyên không âm")
    expect(form.locator("input[name=amount_socialised]")).to_be_focused()
    expect(form.locator("label", has=page.locator("input[name=amount_local]"))).not_to_contain_text("Số tiền")
    assert plan.activities.count() == 1

    row = page.locator(f"#a{kept.pk}")
    row.locator("summary").click()
    edit = row.locator("form.activity-form")
    edit.locator("input[name=title]").fill("Triển lãm ảnh Quảng Trị tại Viêng Chăn")
    edit.locator("input[name=amount_local]").fill("5O.000.000")  # a letter O for a zero
    edit.get_by_role("button", name="Lưu hoạt động").click()
    edit = page.locator(f"#a{kept.pk}").locator("form.activity-form")
    expect(edit).to_be_visible()  # the activity's form stays open
    expect(edit.locator("input[name=title]")).to_have_value("Triển lãm ảnh Quảng Trị tại Viêng Chăn")
    expect(edit.locator("input[name=amount_local]")).to_have_value("5O.000.000")
    expect(edit.locator("label", has=page.locator("input[name=amount_local]"))).to_contain_text(
        "Số tiền “5O.000.000”"
    )
    assert Activity.objects.get(pk=kept.pk).title == "Triển lãm ảnh Quảng Trị"
    edit.locator("input[name=amount_local]").fill("50.000.000")
    edit.get_by_role("button", name="Lưu hoạt động").click()
    expect(page.locator(".msg-success")).to_contain_text("Đã lưu hoạt động.")
    assert Activity.objects.get(pk=kept.pk).title == "Triển lãm ảnh Quảng Trị tại Viêng Chăn"


def test_finding_11_the_admin_index_names_apps_and_models_in_vietnamese(page) -> None:  # noqa: ANN001
    """Finding 11 (admin): the administrator's index showed "AUDIT LOG", "Activity categorys", "Deadline
    rules". Now every app and model there has a Vietnamese name."""
    import re

    login(page, "quantri")
    page.goto(f"{page.base_url}/admin/")
    apps = [t.strip() for t in page.locator("#content-main caption a").all_text_contents()]
    models = [t.strip() for t in page.locator("#content-main th[scope=row]").all_text_contents()]
    assert "Nhật ký thay đổi" in apps and "Kế hoạch" in apps
    assert {"Bản ghi thay đổi", "Nhóm hoạt động", "Hạn gửi kế hoạch"} <= set(models)
    english = [n for n in apps + models if not re.search(r"[^\x00-\x7f]", n)]  # no Vietnamese letter at all
    assert english == []
    expect(page.locator("#content-main")).not_to_contain_text(re.compile("Audit log|categorys|rules", re.I))


def test_finding_11_a_body_names_its_source_document_not_a_seed(page) -> None:  # noqa: ANN001
    """Finding 11 (registry): Bộ Thông tin và Truyền thông's source line read "... (seed 000), cơ quan ban
    hành". Now it names the letter by its number and date, in Vietnamese."""
    login(page, "cuc.canbo")
    page.goto(f"{page.base_url}/orgs/BTTTT/")
    source = page.locator("dd.source")
    expect(source).to_have_text("Số, ký hiệu và cơ quan ban hành của Công văn 212/BTTTT-TTĐN ngày 18/01/2013")
    page.goto(f"{page.base_url}/orgs/T44-2025/")
    expect(page.locator("dd.source")).to_contain_text("Danh mục đơn vị hành chính từ 01/07/2025")
    expect(page.locator("dd.source")).not_to_contain_text("seed")


@needs_seeds  # the demo's tracking table is the seed's
def test_finding_11_the_tracking_warning_names_the_letter_not_a_seed_file(page) -> None:  # noqa: ANN001
    """Finding 11 (tracking): the warning on declared totals ended "(000_4f62890c5c5b1aee.txt)", the seed's
    file name. Now it names the table by the letter it came with."""
    login(page, "cuc.canbo")
    page.goto(f"{page.base_url}/reporting/tracking/")
    warning = page.get_by_test_id("discrepancies")
    expect(warning).to_contain_text("(bảng kèm Công văn số 212/BTTTT-TTĐN ngày 18/01/2013)")
    expect(warning).not_to_contain_text(".txt")


def test_finding_6_the_docx_annexes_can_be_sent(page, browser, live_url) -> None:  # noqa: ANN001
    """Finding 6: the tracking annex broke names mid-word ("An Gian g") in 20 equal columns and its header did
    not repeat; the plan annex wrapped totals and had no funding source or coordinating body. Now both are
    laid out for the page: names whole, header rows repeated, totals on one line, the two columns there."""
    import io
    from pathlib import Path

    import docx

    from tests.docx_checks import flagged_rows, on_one_line, words_broken
    from ttdn.plans.models import Plan
    from ttdn.plans.selectors import budget_totals

    login(page, "cuc.canbo")
    page.goto(f"{page.base_url}/reporting/tracking/?mode=current")
    with page.expect_download() as info:
        page.get_by_test_id("export-docx").click()
    annex = docx.Document(io.BytesIO(Path(info.value.path()).read_bytes())).tables[0]
    assert flagged_rows(annex, "tblHeader") == [0, 1]  # both header rows repeat on every page
    assert words_broken(annex) == []  # "An Giang" stays whole
    section = docx.Document(io.BytesIO(Path(info.value.path()).read_bytes())).sections[-1]
    assert section.page_width > section.page_height  # landscape: the columns need it

    officer = browser.new_context(locale="vi-VN").new_page()
    officer.base_url = live_url
    login(officer, "quangtri.canbo")
    plan = Plan.objects.get(unit__code="T44-2025", year=2026)
    officer.goto(f"{live_url}/plans/{plan.pk}/")
    with officer.expect_download() as info:
        officer.get_by_test_id("docx").click()
    document = docx.Document(io.BytesIO(Path(info.value.path()).read_bytes()))
    table = document.tables[-1]
    header = [c.text for c in table.rows[0].cells]
    assert "Đơn vị phối hợp" in header and "Nguồn kinh phí" in header
    total = f"{budget_totals(plan).total:,}".replace(",", ".")
    assert on_one_line(table, total)  # "1.025.000.000", not "1.025.000.00 / 0"
    assert words_broken(table) == []
    officer.context.close()
