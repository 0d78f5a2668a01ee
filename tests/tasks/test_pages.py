"""Task pages: scope, filters, bad input, the letter, the calendar feed; the CLI's JSON shape."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import docx
import pytest

from tests.conftest import login, needs_seeds
from ttdn.site.demo import seeds_dir
from ttdn.tasks import reminders
from ttdn.tasks.models import Task, TaskOccurrence

pytestmark = needs_seeds


def _task(section: str, lead: str) -> Task:
    return Task.objects.get(duty__document__number="21/CT-TTg", duty__section=section, lead__code=lead)


@pytest.mark.django_db
def test_an_officer_sees_and_edits_only_its_bodies_tasks() -> None:
    quang_tri = _task("6.a", "T45")  # the demo issued Chỉ thị 21 to the 63 provinces of 2012
    dong_nai = _task("6.a", "T75")
    officer = login("quangtri.canbo")
    assert officer.get(f"/tasks/{quang_tri.pk}/").status_code == 200
    assert officer.get(f"/tasks/{dong_nai.pk}/").status_code == 403
    occurrence = dong_nai.occurrences.get()
    response = officer.post(
        f"/tasks/{dong_nai.pk}/",
        {"action": "progress", "occurrence": occurrence.pk, "text": "x", "percent": "50"},
    )
    assert response.status_code == 403 and TaskOccurrence.objects.get(pk=occurrence.pk).progress == 0
    listed = officer.get("/tasks/", {"q": "tap huan"})
    leads = {occ.task.lead.code for occ in listed.context["page"]}
    assert leads == {
        "T44",
        "T45",
    }  # today's Quảng Trị and the two provinces it was formed from, never Đồng Nai
    assert login("cuc.canbo").get(f"/tasks/{dong_nai.pk}/").status_code == 200  # the centre sees all
    assert login("cuc.canbo").get("/tasks/999999/").status_code == 404


@pytest.mark.django_db
def test_a_refused_progress_report_keeps_what_was_typed() -> None:
    occurrence = TaskOccurrence.objects.filter(task__lead__code="T45", completed_on__isnull=True).first()
    task = occurrence.task
    officer = login("quangtri.canbo")
    typed = "Đã tổ chức hội nghị báo chí quốc tế, 120 phóng viên tham dự"
    for bad, says in (
        ({"percent": "150", "documents": ""}, "Tiến độ phải là số từ 0 đến 100."),
        (
            {"percent": "60", "documents": "quyết định tháng 5"},
            "Không phải số, ký hiệu văn bản: quyết định tháng 5",
        ),
    ):
        response = officer.post(
            f"/tasks/{task.pk}/?occ={occurrence.pk}",
            {"action": "progress", "occurrence": occurrence.pk, "text": typed, **bad},
        )
        page = response.content.decode()
        assert response.status_code == 400 and says in page
        assert typed in page and f'value="{bad["percent"]}"' in page and bad["documents"] in page
    assert TaskOccurrence.objects.get(pk=occurrence.pk).entries.count() == occurrence.entries.count()
    bogus = officer.post(f"/tasks/{task.pk}/", {"action": "drop", "occurrence": occurrence.pk})
    assert bogus.status_code == 400 and "Thao tác không hợp lệ." in bogus.content.decode()


@pytest.mark.django_db
def test_a_local_decision_the_registry_lacks_is_kept_as_a_citation() -> None:
    """A progress report naming "2150/QĐ-UBND" (a provincial decision not in the registry) is saved; the number
    becomes a record without text, the province's own, filled in when the decision is imported."""
    from ttdn.documents.models import Document

    occurrence = TaskOccurrence.objects.filter(task__lead__code="T45", completed_on__isnull=True).first()
    officer = login("quangtri.canbo")
    assert not Document.objects.filter(number="2150/QĐ-UBND").exists()
    response = officer.post(
        f"/tasks/{occurrence.task_id}/?occ={occurrence.pk}",
        {
            "action": "progress",
            "occurrence": occurrence.pk,
            "text": "Ban hành quy chế phát ngôn",
            "percent": "80",
            "documents": "2150/QĐ-UBND, 21/CT-TTg",
        },
    )
    assert response.status_code == 302
    entry = TaskOccurrence.objects.get(pk=occurrence.pk).entries.latest("id")
    cited = {d.number: d for d in entry.documents.all()}
    assert (
        set(cited) == {"2150/QĐ-UBND", "21/CT-TTg"} and cited["21/CT-TTg"].text
    )  # the registry's own record
    stub = cited["2150/QĐ-UBND"]
    assert (
        stub.is_stub and stub.doc_type == "Quyết định" and stub.issuer.code == "T44-2025"
    )  # today's Quảng Trị
    again = officer.post(
        f"/tasks/{occurrence.task_id}/?occ={occurrence.pk}",
        {
            "action": "progress",
            "occurrence": occurrence.pk,
            "text": "Bổ sung",
            "percent": "90",
            "documents": "2150/QĐ-UBND",
        },
    )
    assert (
        again.status_code == 302 and Document.objects.filter(number="2150/QĐ-UBND").count() == 1
    )  # the same record


@pytest.mark.django_db
def test_lists_filters_and_bad_input() -> None:
    central = login("cuc.canbo")
    overdue = central.get("/tasks/", {"status": "overdue"})
    assert overdue.context["page"].paginator.count == overdue.context["counts"]["overdue"] > 0
    assert all(occ.status == "overdue" for occ in overdue.context["page"])
    bad = central.get("/tasks/", {"due_from": "31/02/2024", "page": "abc", "sort": "drop table"})
    assert bad.status_code == 200 and bad.context["errors"]
    csv = central.get("/tasks/", {"status": "done_on_time", "export": "csv"})
    assert csv.status_code == 200 and "Tổ chức tập huấn" in csv.content.decode("utf-8-sig")
    by_unit = central.get("/tasks/", {"unit": "T45"})
    assert {occ.task.lead.code for occ in by_unit.context["page"]} == {"T45"}
    assert central.get("/tasks/overdue/").context["total"] > 0


@pytest.mark.django_db
def test_reminder_letter_lists_overdue_duties_by_body() -> None:
    assert (
        login("cuc.canbo").get("/tasks/overdue/letter.docx", {"unit": "T45"}).status_code == 302
    )  # Quảng Trị did 1.a in time: nothing to chase
    response = login("cuc.canbo").get("/tasks/overdue/letter.docx", {"unit": "T75"})
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert (
        "đôn đốc"
        in " ".join(
            cell.text for table in document.tables for row in table.rows for cell in row.cells
        ).lower()
    )
    rows = [[c.text for c in row.cells] for row in document.tables[1].rows]
    assert rows[0][1] == "Cơ quan, đơn vị" and all(r[1] == "Tỉnh Đồng Nai" for r in rows[1:])
    assert [(r[3], r[4]) for r in rows[1:]] == [("31/12/2012", "0%")] and "21/CT-TTg, mục 1.a" in rows[1][2]
    assert "quá thời hạn" in text


@pytest.mark.django_db
def test_calendar_feed_needs_the_token(unit) -> None:  # noqa: ANN001
    from django.test import Client

    province = unit("T75")
    token = reminders.calendar_token(province)
    feed = Client().get("/tasks/calendar/T75.ics", {"token": token})
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    body = feed.content.decode()
    assert "BEGIN:VCALENDAR" in body and "DTSTART;VALUE=DATE:20121231" in body
    assert Client().get("/tasks/calendar/T75.ics", {"token": "sai"}).status_code == 403
    assert (
        Client().get("/tasks/calendar/T45.ics", {"token": token}).status_code == 403
    )  # a token opens one body only


def test_cli_extract_json_shape() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ttdn.cli",
            "tasks",
            "extract",
            str(seeds_dir() / "001_f37f077bdbee1332.txt"),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = json.loads(result.stdout)
    assert set(rows[0]) == {
        "section",
        "assignee",
        "coordinators",
        "text",
        "due",
        "recurrence",
        "due_as_written",
    }
    by_section = {r["section"]: r for r in rows}
    assert (
        by_section["2.b"]["due"] == "2012-12-31"
        and by_section["2.b"]["due_as_written"] == "trong quý IV năm 2012"
    )
    assert by_section["1.d"]["recurrence"] == "yearly" and by_section["1.d"]["due"] is None
    bad = subprocess.run(
        [sys.executable, "-m", "ttdn.cli", "tasks", "extract", "/khong/co.txt", "--json"],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 1 and "no such file" in bad.stderr


@pytest.mark.django_db
def test_a_send_back_without_a_reason_changes_nothing() -> None:
    occurrence = TaskOccurrence.objects.filter(task__lead__code="T45", completed_on__isnull=True).first()
    url = f"/tasks/{occurrence.task_id}/?occ={occurrence.pk}"
    officer, leader = login("quangtri.canbo"), login("quangtri.lanhdao")
    done = {
        "action": "progress",
        "occurrence": occurrence.pk,
        "text": "Xong",
        "percent": "100",
        "done_on": "01/09/2026",
    }
    assert officer.post(url, done).status_code == 302
    before = TaskOccurrence.objects.get(pk=occurrence.pk)
    entries = before.entries.count()
    refused = leader.post(url, {"action": "send_back", "occurrence": occurrence.pk, "reason": "  "})
    assert refused.status_code == 400 and "Hãy ghi lý do trả lại." in refused.content.decode()
    after = TaskOccurrence.objects.get(pk=occurrence.pk)
    assert (after.progress, after.entries.count()) == (100, entries)
    late = officer.post(url, {**done, "done_on": "01/09/2099"})
    assert late.status_code == 400 and "Ngày hoàn thành không thể sau hôm nay." in late.content.decode()
    assert TaskOccurrence.objects.get(pk=occurrence.pk).entries.count() == entries
