"""Report forms take figures from other apps' records through providers the apps register (reporting never
imports plans)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.conftest import login
from ttdn.accounts.models import User
from ttdn.reporting import sources


def test_plans_register_their_values_and_a_provider_can_be_added(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "plans" in sources.providers()  # registered by PlansConfig.ready()
    monkeypatch.setattr(sources, "_providers", dict(sources._providers))
    sources.register("posts", lambda unit, start, end: {"posts_published": 7})
    assert sources.providers() == ["plans", "posts"]


@pytest.mark.django_db
def test_the_report_page_offers_the_plans_figures() -> None:
    from ttdn.plans.models import TrainingCourse

    unit = User.objects.get(username="quangtri.canbo").org_unit
    page_url = f"/reporting/forms/ttdn_nam/2026/{unit.code}/"
    officer = login("quangtri.canbo")

    def offered() -> int:
        page = officer.get(page_url).content.decode()
        found = re.search(r'data-testid="from-records-so_lop_tap_huan">[^<]*?([\d.]+)</span>', page)
        assert found, "the page offers no figure from the records"
        return int(found.group(1).replace(".", ""))

    before = offered()
    TrainingCourse.objects.create(
        unit=unit, held_on=dt.date(2026, 5, 12), topic="Phát ngôn với báo chí nước ngoài", trainees=45
    )
    assert offered() == before + 1
