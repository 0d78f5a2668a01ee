"""The centre's lists of who has sent the year's plan: only a plan sent after its own leader approved it counts,
lateness against the deadline, a merged body's plan counted for its successor, export and the letter."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.test import Client
from docx import Document as Docx
from openpyxl import load_workbook

from ttdn.plans import selectors, services
from ttdn.plans.models import Plan

YEAR = 2033


def _plan(officer, unit, title: str = "Hội nghị") -> Plan:  # noqa: ANN001
    plan = services.create_plan(officer, unit, YEAR)
    services.save_activity(officer, plan, {"title": title, "category": "tap_huan"}, [])
    return plan


@pytest.mark.django_db
def test_only_a_plan_sent_to_the_centre_counts(unit, user) -> None:  # noqa: ANN001
    officer, leader, central = user("quangtri.canbo"), user("quangtri.lanhdao"), user("cuc.canbo")
    plan = _plan(officer, unit("T44-2025"))
    services.submit(officer, plan)  # submitted to its own leader: not sent
    due, rows = selectors.sending_status(central, YEAR, today=dt.date(YEAR, 6, 1))
    assert due == dt.date(YEAR, 7, 1)
    quang_tri = next(r for r in rows if r.unit.code == "T44-2025")
    assert (
        quang_tri.status == selectors.MISSING and quang_tri.state_label == "Đã trình lãnh đạo, chờ phê duyệt"
    )
    assert len(rows) >= 34 and sum(1 for r in rows if r.unit.kind == "province") == 34
    services.approve(leader, plan)
    with time_machine.travel(dt.datetime(YEAR, 7, 11, 9, tzinfo=dt.UTC)):
        services.send(officer, plan)
    _due, rows = selectors.sending_status(central, YEAR, today=dt.date(YEAR, 8, 1))
    quang_tri = next(r for r in rows if r.unit.code == "T44-2025")
    assert (quang_tri.status, quang_tri.late_days) == (selectors.LATE, 10)
    # a province officer sees only its own plans: the lists are the centre's
    client = Client()
    client.force_login(officer)
    assert b'data-testid="sending"' not in client.get(f"/plans/national/?year={YEAR}").content


@pytest.mark.django_db
def test_lists_export_and_letter_to_exactly_the_missing(unit, user) -> None:  # noqa: ANN001
    officer, leader = user("quangtri.canbo"), user("quangtri.lanhdao")
    plan = _plan(officer, unit("T44-2025"), '=HYPERLINK("http://evil.example")')
    services.approve(leader, plan)
    services.send(officer, plan)
    client = Client()
    client.force_login(user("cuc.canbo"))
    page = client.get(f"/plans/national/?year={YEAR}").content.decode()
    assert (
        "Chưa gửi (" in page
        and "Tỉnh Quảng Trị" not in page.split('data-testid="sending-list"')[1].split("</table>")[0]
    )
    missing = selectors.sending_status(user("cuc.canbo"), YEAR, today=dt.date(YEAR, 1, 1))[1]
    missing_names = [r.unit.name for r in missing if r.status == selectors.MISSING]
    book = load_workbook(
        io.BytesIO(client.get(f"/plans/national/?year={YEAR}&status=missing&export=xlsx").content)
    )
    listed = [row[1] for row in book.active.iter_rows(min_row=3, values_only=True)]
    assert listed == missing_names and "Tỉnh Quảng Trị" not in listed
    sent = client.get(f"/plans/national/?year={YEAR}&status=sent&export=csv").content.decode("utf-8-sig")
    assert "Tỉnh Quảng Trị" in sent and "Tỉnh Đồng Nai" not in sent
    letter = Docx(io.BytesIO(client.get(f"/plans/national/?year={YEAR}&export=letter").content))
    text = "\n".join(p.text for p in letter.paragraphs)
    assert f"kế hoạch thông tin đối ngoại năm {YEAR}" in text and "Phụ lục kèm theo" in text
    annex = letter.tables[-1]
    names = [row.cells[1].text for row in annex.rows[1:]]
    assert names == missing_names
    assert annex.rows[0]._tr.trPr.xml.count("tblHeader") == 1  # the header repeats on each page
    assert len(letter.sections) == 2  # the letter on its page, the list in the annex


@pytest.mark.django_db
def test_a_merged_provinces_plan_counts_for_its_successor(unit, user) -> None:  # noqa: ANN001
    from ttdn.accounts.models import Role, User

    old = unit("T45")  # Quảng Trị as it stood before 01/07/2025, now part of the new Quảng Trị
    officer = User.objects.create_user("qt.cu", password="x", role=Role.UNIT_OFFICER, org_unit=old)
    leader = User.objects.create_user("qt.cu.ld", password="x", role=Role.UNIT_LEADER, org_unit=old)
    plan = services.create_plan(officer, old, 2025)
    services.save_activity(officer, plan, {"title": "Hội nghị", "category": "tap_huan"}, [])
    services.approve(leader, plan)
    Plan.objects.filter(year=2025, unit__code="T44-2025").delete()
    rows = selectors.sending_status(user("cuc.canbo"), 2025, today=dt.date(2025, 12, 1))[1]
    heir = next(r for r in rows if r.unit.code == "T44-2025")
    assert (
        heir.plan == plan and heir.inherited_from == old and "kế hoạch của Tỉnh Quảng Trị" in heir.state_label
    )
