"""Alerts and the rebuttal library: a spike of negative stories about a province against its own baseline
raises one alert a day and tells the centre and the province; a published claim finds the recent stories that
repeat it; the response goes new -> acknowledged -> assigned -> responded -> closed, each step recorded; the
province reads its own alerts only."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from ttdn.accounts.models import User
from ttdn.monitoring import selectors, services
from ttdn.monitoring.models import Alert, AlertKind, AlertRule, AlertStep, Claim, ClaimStatus, ItemClaim
from ttdn.monitoring.pipeline.analyse import Story
from ttdn.notices.models import Notice
from ttdn.orgs.models import OrgUnit

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
NEGATIVE = [
    "Police in Quang Tri arrested activists who criticised the flood relief, and rights groups condemned the crackdown on critics",
    "Rights groups condemn the arrest of activists in Quang Tri and call the detentions a crackdown on free speech",
    "Quang Tri officials accused of a crackdown after activists were arrested over flood relief posts, critics condemn it",
    "Arrested Quang Tri activists face charges as condemnation of the crackdown grows abroad among rights groups",
]


def _stories(source, texts: list[str], hours_ago: int = 1) -> None:  # noqa: ANN001
    for n, text in enumerate(texts):
        when = NOW - dt.timedelta(hours=hours_ago + n)
        services.take_in(
            source, [Story(text[:80], text, f"https://neg.example/{hours_ago}-{n}", when)], now=when
        )


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_spike_raises_one_alert_a_day_and_tells_who_must_know() -> None:
    services.ensure_rules()
    source = services.add_source(None, name="Báo ngoài thử", foreign=True)
    _stories(source, NEGATIVE[:2], hours_ago=24 * 9)  # the usual: two in ten days
    assert services.evaluate_rules(NOW) == []
    _stories(source, NEGATIVE, hours_ago=1)
    raised = services.evaluate_rules(NOW)
    spikes = [a for a in raised if a.kind == AlertKind.SPIKE]
    assert len(spikes) == 1
    alert = spikes[0]
    assert alert.unit.code == "T44-2025" and alert.items.count() == 4 and "4 tin" in alert.why
    told = set(Notice.objects.filter(kind="alert").values_list("user__username", flat=True))
    assert {"cuc.phantich", "quangtri.canbo"} <= told and "dongnai.canbo" not in told
    assert [a for a in services.evaluate_rules(NOW) if a.kind == AlertKind.SPIKE] == []  # once a day
    assert Alert.objects.filter(kind=AlertKind.SPIKE).count() == 1


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_published_claim_finds_the_stories_that_repeat_it() -> None:
    source = services.add_source(None, name="Báo thử")
    _stories(source, NEGATIVE[:1], hours_ago=3)
    cuc = User.objects.get(username="cuc.phantich")
    claim = services.save_claim(
        cuc,
        None,
        {
            "title": "Bắt giữ người phê phán cứu trợ lũ lụt",
            "summary": "activists arrested criticised flood relief crackdown",
            "rebuttal": "Hai người bị tạm giữ vì đăng tin sai sự thật.",
        },
    )
    assert claim.status == ClaimStatus.DRAFT and not ItemClaim.objects.exists()
    assert services.publish_claim(cuc, claim) == 1
    link = ItemClaim.objects.get(claim=claim)
    assert link.linked and "flood" in link.words
    _stories(source, NEGATIVE[1:2], hours_ago=1)  # a new story is matched as it comes in
    assert ItemClaim.objects.filter(claim=claim).count() == 2
    assert Notice.objects.filter(user__username="quangtri.phantich", kind="alert").exists()


@pytest.mark.django_db
def test_the_response_goes_step_by_step_and_each_step_is_recorded() -> None:
    rule = AlertRule.objects.create(name="thử", kind=AlertKind.WATCH, terms="x")
    alert = Alert.objects.create(
        rule=rule,
        kind=rule.kind,
        key="k",
        title="Thử",
        why="vì",
        raised_at=NOW,
        unit=OrgUnit.objects.get(code="T44-2025"),
    )
    cuc, province = User.objects.get(username="cuc.phantich"), User.objects.get(username="quangtri.phantich")
    with pytest.raises(services.AlertStepError, match="không thể"):
        services.step(alert, cuc, "respond", response="correction")
    services.step(alert, cuc, "acknowledge")
    with pytest.raises(services.AlertStepError, match="người xử lý"):
        services.step(alert, cuc, "assign")
    services.step(alert, cuc, "assign", assignee=province, note="Tỉnh xử lý")
    assert Notice.objects.filter(user=province, kind="alert").exists()
    with pytest.raises(services.AlertStepError, match="tài liệu lập luận"):
        services.step(alert, province, "respond", response="rebuttal")
    claim = Claim.objects.create(title="Luận điệu", rebuttal="Phản bác", status=ClaimStatus.PUBLISHED)
    services.step(
        alert, province, "respond", response="rebuttal", rebuttal=claim, note="Đã đăng bài phản bác"
    )
    services.step(alert, cuc, "close")
    alert.refresh_from_db()
    assert alert.status == "closed" and alert.rebuttal == claim and alert.closed_at is not None
    assert list(AlertStep.objects.filter(alert=alert).values_list("after", flat=True)) == [
        "acknowledged",
        "assigned",
        "responded",
        "closed",
    ]


@pytest.mark.django_db
def test_a_province_reads_and_answers_its_own_alerts_only() -> None:
    rule = AlertRule.objects.create(name="thử", kind=AlertKind.SPIKE)
    own = Alert.objects.create(
        rule=rule,
        kind=rule.kind,
        key="a",
        title="Quảng Trị",
        why="-",
        raised_at=NOW,
        unit=OrgUnit.objects.get(code="T44-2025"),
    )
    other = Alert.objects.create(
        rule=rule,
        kind=rule.kind,
        key="b",
        title="Đồng Nai",
        why="-",
        raised_at=NOW,
        unit=OrgUnit.objects.get(code="T75-2025"),
    )
    province = User.objects.get(username="quangtri.phantich")
    assert set(selectors.visible_alerts(province)) == {own}
    client = Client()
    client.force_login(province)
    assert client.get(f"/monitoring/alerts/{other.pk}/").status_code == 404
    assert client.post(f"/monitoring/alerts/{own.pk}/", {"action": "acknowledge"}).status_code == 302
    viewer = Client()
    viewer.force_login(User.objects.get(username="bng.xem"))
    assert viewer.get(f"/monitoring/alerts/{own.pk}/").status_code == 404
    own.refresh_from_db()
    assert own.status == "acknowledged"


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_the_weekly_digest_is_a_docx_of_the_readers_scope() -> None:
    import io

    import docx

    source = services.add_source(None, name="Báo thử", foreign=True)
    _stories(source, NEGATIVE[:2], hours_ago=5)
    other = "Police in Dong Nai arrested activists and rights groups condemned the crackdown on critics there"
    services.take_in(
        source, [Story(other[:60], other, "https://neg.example/dn", NOW - dt.timedelta(hours=2))], now=NOW
    )
    client = Client()
    client.force_login(User.objects.get(username="quangtri.phantich"))
    response = client.get("/monitoring/digest.docx?until=01/12/2026")
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "từ ngày 25/11/2026 đến ngày 01/12/2026" in text
    assert "ghi nhận 2 tin" in text and "2 tin có sắc thái tiêu cực" in text
    assert "Quang Tri" in cells and "Dong Nai" not in cells  # the province's scope only
    assert client.get("/monitoring/digest.docx?until=khong-phai-ngay").status_code == 200


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_an_answer_without_an_assignee_names_who_answered_and_a_close_without_answer_needs_why() -> None:
    rule = AlertRule.objects.create(name="thử", kind=AlertKind.WATCH, terms="x")
    make = lambda key: Alert.objects.create(  # noqa: E731
        rule=rule, kind=rule.kind, key=key, title="Thử", why="vì", raised_at=NOW
    )
    cuc = User.objects.get(username="cuc.phantich")
    answered = make("a")
    services.step(answered, cuc, "acknowledge")
    services.step(answered, cuc, "respond", response="correction", note="Báo đã đính chính")
    answered.refresh_from_db()
    assert answered.assignee == cuc and answered.assigned_at is not None
    unanswered = make("b")
    services.step(unanswered, cuc, "acknowledge")
    with pytest.raises(services.AlertStepError, match="lý do đóng"):
        services.step(unanswered, cuc, "close")
    services.step(unanswered, cuc, "close", note="Báo động nhầm: tin cũ đăng lại")
    unanswered.refresh_from_db()
    assert unanswered.status == "closed"


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_watched_term_alerts_the_province_its_story_names() -> None:
    rule = AlertRule.objects.create(
        name="Từ theo dõi (thử)", kind=AlertKind.WATCH, terms="đàn áp tôn giáo", window_hours=24
    )
    source = services.add_source(None, name="Báo thử")
    when = NOW - dt.timedelta(hours=2)
    services.take_in(
        source,
        [
            Story(
                "Bác bỏ luận điệu đàn áp tôn giáo ở Quảng Trị",
                "Tỉnh Quảng Trị bác bỏ luận điệu đàn áp tôn giáo.",
                "https://w.example/1",
                when,
            ),
            Story(
                "Hội thảo về luận điệu đàn áp tôn giáo",
                "Các học giả bàn về luận điệu đàn áp tôn giáo.",
                "https://w.example/2",
                when,
            ),
        ],
        now=when,
    )
    services.evaluate_rules(NOW)
    found = {a.unit.short_name if a.unit else None: a for a in Alert.objects.filter(rule=rule)}
    assert set(found) == {"Quảng Trị", None}
    assert [i.url for i in found["Quảng Trị"].items.all()] == ["https://w.example/1"]
    province = User.objects.get(username="quangtri.phantich")
    assert list(selectors.visible_alerts(province).filter(rule=rule)) == [found["Quảng Trị"]]
