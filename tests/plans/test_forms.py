"""Plan forms: a wrong amount, cost or date is named beside its field, what was typed comes back, and nothing
is saved."""

from __future__ import annotations

import pytest

from tests.conftest import login
from ttdn.plans import services
from ttdn.plans.models import Activity, Plan


@pytest.mark.django_db
def test_a_wrong_amount_keeps_the_activity_as_typed(user) -> None:  # noqa: ANN001
    officer = user("quangtri.canbo")
    plan = services.create_plan(officer, officer.org_unit, 2036)
    client = login("quangtri.canbo")
    typed = {
        "action": "save_activity",
        "title": "Hội thảo báo chí nước ngoài",
        "category": "quang_ba",
        "timeline": "Tháng 9",
        "partners": "Sở Ngoại vụ",
        "targets": "30 phóng viên",
        "amount_central": "1.500.000",
        "amount_local": "1.5",
    }
    response = client.post(f"/plans/{plan.pk}/", typed)
    assert response.status_code == 400 and not plan.activities.exists()
    page = response.content.decode()
    for value in ("Hội thảo báo chí nước ngoài", "Tháng 9", "Sở Ngoại vụ", "30 phóng viên", "1.500.000"):
        assert f'value="{value}"' in page
    assert (
        'value="1.5" aria-invalid="true" aria-describedby="activity-new-amount_local-error" autofocus' in page
    )
    assert 'id="activity-new-amount_local-error"' in page and "Số tiền “1.5”" in page
    assert '<option value="quang_ba" selected>' in page
    assert client.post(f"/plans/{plan.pk}/", {**typed, "amount_local": "2.000.000"}).status_code == 302
    activity = plan.activities.get()
    assert sorted(b.amount for b in activity.budget_lines.all()) == [1_500_000, 2_000_000]
    refused = client.post(
        f"/plans/{plan.pk}/", {**typed, "activity": activity.pk, "title": "", "amount_local": "x"}
    )
    assert refused.status_code == 400
    assert "Hãy ghi tên hoạt động." in refused.content.decode() and 'value="x"' in refused.content.decode()
    assert Activity.objects.get(pk=activity.pk).title == "Hội thảo báo chí nước ngoài"


@pytest.mark.django_db
def test_a_wrong_actual_cost_keeps_the_result_as_typed(unit) -> None:  # noqa: ANN001
    plan = Plan.objects.get(year=2026, unit=unit("T44-2025"))  # the demo's plan, sent to the centre
    activity = plan.activities.filter(result="").first()
    client = login("quangtri.canbo")
    typed = {
        "activity": activity.pk,
        "result": "partly",
        "result_on": "15/10/2026",
        "actual_cost": "12,5 triệu",
        "outputs": "Đã in 500 tờ gấp",
    }
    response = client.post(f"/plans/{plan.pk}/actual/", typed)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="15/10/2026"' in page and "Đã in 500 tờ gấp" in page and 'value="12,5 triệu"' in page
    assert "Kinh phí thực chi phải là số nguyên không âm" in page
    assert '<option value="partly" selected>' in page
    assert Activity.objects.get(pk=activity.pk).result == ""
    wrong_day = client.post(
        f"/plans/{plan.pk}/actual/", {**typed, "actual_cost": "", "result_on": "31/09/2026"}
    )
    assert (
        wrong_day.status_code == 400
        and "Ngày “31/09/2026” không phải một ngày có thật" in wrong_day.content.decode()
    )
