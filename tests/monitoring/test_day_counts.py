"""The counts of stories a day (``DayCount``), kept on write: the attention chart, the breakdowns and today's
map read from them give what the stories themselves give (duplicates left out, old province names on today's
body, a story of two names of one body counted once, a province's analyst), and the counts follow a story
deleted and a rebuild from the stories."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Sum
from django.utils import timezone

from ttdn.accounts.models import User
from ttdn.monitoring import selectors, services
from ttdn.monitoring.models import DayCount, Item, MonthCount
from ttdn.monitoring.pipeline.analyse import Story
from ttdn.monitoring.selectors import Filters
from ttdn.orgs.models import OrgUnit

TZ = dt.timezone(dt.timedelta(hours=7))
STORIES = [
    # (title, text, days ago)
    ("Quảng Trị đón đoàn khách quốc tế đầu tiên", "Tỉnh Quảng Trị đón du khách quốc tế tới thăm di tích.", 1),
    (
        "Quảng Trị và Quảng Bình hợp tác du lịch",
        "Quảng Bình và Quảng Trị cùng quảng bá du lịch, thu hút đầu tư.",
        2,
    ),
    (
        "Bão đổ bộ Quảng Trị, nhiều nhà bị tốc mái",
        "Cơn bão gây lũ lụt ở Quảng Trị và Đà Nẵng, thiệt hại nặng.",
        2,
    ),
    (
        "Đà Nẵng thu hút nhà đầu tư nước ngoài",
        "Thành phố Đà Nẵng và Quảng Nam đón vốn FDI vào khu công nghiệp.",
        3,
    ),
    ("Hà Nội đón các đại sứ dự hội nghị thường niên", "Thành phố Hà Nội đón các đại sứ.", 4),
    ("Storm floods central Vietnam province of Quang Tri", "A typhoon brought floods to Quang Tri.", 4),
    (
        "Tourists flock to Hoi An heritage town",
        "Visitors from Europe travel to Quang Nam's heritage sites.",
        6,
    ),
    ("Bộ Ngoại giao họp báo thường kỳ về biển đảo", "Người phát ngôn Bộ Ngoại giao trả lời về Biển Đông.", 8),
    ("Một tin không nêu tỉnh nào về kinh tế", "Tăng trưởng kinh tế quý ba khả quan, xuất khẩu tăng.", 12),
    ("Quảng Bình quảng bá hang động tới du khách châu Âu", "Tỉnh Quảng Bình quảng bá hang động.", 40),
    ("Thừa Thiên Huế mở lễ hội nghề truyền thống", "Tỉnh Thừa Thiên Huế mở lễ hội, đón du khách.", 70),
]


def _when(days_ago: int) -> dt.datetime:
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    return dt.datetime.combine(day, dt.time(9, 30), tzinfo=TZ)


@pytest.fixture
def stories() -> None:
    source = services.add_source(None, name="Báo đếm thử")
    for n, (title, text, ago) in enumerate(STORIES):
        services.take_in(source, [Story(title, text, f"https://dem.example/{n}", _when(ago))], now=_when(ago))
    # duplicates: the same title under other addresses, not counted
    for n in (0, 2):
        title, text, ago = STORIES[n]
        services.take_in(
            source, [Story(title, text, f"https://dem.example/{n}-lai", _when(ago))], now=_when(ago)
        )
    assert Item.objects.filter(duplicate_of__isnull=False).count() == 2


def _cases() -> list[Filters]:
    today = timezone.localdate()
    quang_tri = OrgUnit.objects.get(short_name="Quảng Trị", valid_to__isnull=True).pk
    da_nang = OrgUnit.objects.get(short_name="Đà Nẵng", valid_to__isnull=True).pk
    return [
        Filters(),
        Filters(sentiment="negative"),
        Filters(language="en"),
        Filters(topic="tourism"),
        Filters(province=quang_tri),
        Filters(province=da_nang, topic="investment"),
        Filters(since=today - dt.timedelta(days=5), until=today - dt.timedelta(days=2)),
        # spans of full months (the month's counts) and days at the edges
        Filters(since=today - dt.timedelta(days=75)),
        Filters(until=today - dt.timedelta(days=3)),
        Filters(
            since=today - dt.timedelta(days=65), until=today - dt.timedelta(days=35), sentiment="neutral"
        ),
        Filters(since=(today - dt.timedelta(days=62)).replace(day=1), language="vi"),
    ]


def _both(monkeypatch: pytest.MonkeyPatch, read):  # noqa: ANN001, ANN202
    counted = read()
    with monkeypatch.context() as patched:
        patched.setattr(selectors, "counted", lambda user, filters: None)
        exact = read()
    return counted, exact


def _map(user: User, filters: Filters) -> dict[str, int]:
    found = selectors.province_map(user, filters)
    return {t["code"]: t["n"] for t in found["tiles"] if t["n"]}  # type: ignore[attr-defined]


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["cuc.phantich", "quangtri.phantich"])
def test_the_counts_answer_as_the_stories_do(
    stories: None, username: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = User.objects.get(username=username)
    answered = 0
    for filters in _cases():
        if selectors.counted(user, filters) is not None:
            answered += 1
        for days in (30, 90):
            chart, exact = _both(
                monkeypatch, lambda f=filters, d=days: selectors.attention_of(user, f, days=d)
            )
            assert chart == exact == selectors.attention(selectors.filtered(user, filters), days=days)
        parts, exact_parts = _both(monkeypatch, lambda f=filters: selectors.breakdown(user, f))
        assert parts["sampled"] == exact_parts["sampled"] == []
        for name in ("languages", "sentiments", "topics", "provinces"):
            assert parts[name] == exact_parts[name], (filters, name)
        assert exact_parts == {**selectors.breakdown_exact(user, filters), "sampled": [], "sample": 0}
        drawn, exact_map = _both(monkeypatch, lambda f=filters: _map(user, f))
        assert drawn == exact_map, filters
    assert answered >= (11 if username == "cuc.phantich" else 8)


@pytest.mark.django_db
def test_a_provinces_analyst_counts_a_story_of_two_of_its_names_once(stories: None) -> None:
    analyst = User.objects.get(username="quangtri.phantich")
    quang_tri = OrgUnit.objects.get(short_name="Quảng Trị", valid_to__isnull=True)
    assert selectors.scope_body(analyst) == quang_tri.pk
    found = selectors.counted(analyst, Filters())
    assert found is not None and found.body == quang_tri.pk
    # Quảng Trị's stories of the last 90 days: four (one names Quảng Bình too), Quảng Bình's of 40 days ago
    assert sum(n for _, n in selectors.attention_of(analyst, Filters(), days=90)) == 5
    assert (
        selectors.filtered(analyst, Filters(since=timezone.localdate() - dt.timedelta(days=89))).count() == 5
    )


@pytest.mark.django_db
def test_a_search_or_a_source_is_not_answered_by_the_counts(stories: None) -> None:
    central = User.objects.get(username="cuc.phantich")
    source = Item.objects.first().source_id
    for filters in (Filters(query="du lich"), Filters(source=source), Filters(duplicates=True)):
        assert selectors.counted(central, filters) is None
    chart = selectors.attention_of(central, Filters(query="du lich"), days=30)
    assert chart == selectors.attention(selectors.filtered(central, Filters(query="du lich")), days=30)


@pytest.mark.django_db
def test_the_breakdowns_of_a_search_say_when_they_are_over_a_sample(stories: None) -> None:
    central = User.objects.get(username="cuc.phantich")
    parts = selectors.breakdown(central, Filters(query="quang"), sample=2)
    assert parts["sample"] == 2 and set(parts["sampled"]) == {
        "languages",
        "sentiments",
        "topics",
        "provinces",
    }
    assert sum(n for _, _, n in parts["sentiments"]) == 2
    assert selectors.breakdown(central, Filters(query="quang"))["sampled"] == []


def _table(model: type = DayCount, field: str = "day") -> dict[tuple, int]:
    rows = model.objects.values_list(field, "body", "topic", "sentiment", "language").annotate(total=Sum("n"))
    return {tuple(key): n for *key, n in rows if n}


@pytest.mark.django_db
def test_a_deleted_story_leaves_the_counts_and_its_duplicate_is_counted_then(
    stories: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    central = User.objects.get(username="cuc.phantich")
    first = Item.objects.get(url="https://dem.example/0")
    assert first.duplicates.count() == 1
    services.delete_items(Item.objects.filter(pk=first.pk))
    assert Item.objects.get(url="https://dem.example/0-lai").duplicate_of is None
    lonely = Item.objects.get(url="https://dem.example/4")
    services.delete_items(Item.objects.filter(pk=lonely.pk))
    for filters in _cases():
        chart, exact = _both(monkeypatch, lambda f=filters: selectors.attention_of(central, f, days=30))
        assert chart == exact
        parts, exact_parts = _both(monkeypatch, lambda f=filters: selectors.breakdown(central, f))
        assert parts == exact_parts
    kept, months = _table(), _table(MonthCount, "month")
    assert sum(months.values()) == sum(kept.values())
    services.rebuild_day_counts()
    assert _table() == kept and _table(MonthCount, "month") == months


@pytest.mark.django_db
def test_the_search_finds_what_the_folded_column_holds(stories: None) -> None:
    """On SQLite through the FTS5 index (a word of 3 characters or more), else by LIKE: the same stories."""
    for words in (["quang", "tri"], ["du", "lich"], ["storm"], ["dau tu"], ["a"], ["khong-co-dau"], ['"x"y']):
        found = selectors.search(Item.objects.all(), words)
        plain = Item.objects.all()
        for word in words:
            plain = plain.filter(search_text__contains=word)
        assert sorted(found.values_list("pk", flat=True)) == sorted(plain.values_list("pk", flat=True)), words
    assert selectors.search(Item.objects.all(), ["quang", "tri"]).count() >= 4
    story = Item.objects.get(url="https://dem.example/4")
    Item.objects.filter(pk=story.pk).update(search_text="mot cau khac hoan toan")
    assert not selectors.search(Item.objects.filter(pk=story.pk), ["noi"]).exists()
    assert selectors.search(Item.objects.filter(pk=story.pk), ["hoan toan", "khac"]).exists()


@pytest.mark.django_db
def test_the_list_of_a_search_holds_the_originals_that_hold_the_words(stories: None) -> None:
    central = User.objects.get(username="cuc.phantich")
    for query in ("Quảng Trị", "du lịch", "storm", "y te", "khong co"):
        plain = Item.objects.filter(duplicate_of__isnull=True)
        for word in services.fold(query).split():
            plain = plain.filter(search_text__contains=word)
        found = selectors.filtered(central, Filters(query=query))
        assert sorted(found.values_list("pk", flat=True)) == sorted(plain.values_list("pk", flat=True)), query
    assert selectors.filtered(central, Filters(query="Quảng Trị")).count() >= 4
    assert selectors.filtered(central, Filters(query="Quảng Trị", duplicates=True)).count() >= 6
