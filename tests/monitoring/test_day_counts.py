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
from ttdn.core import fulltext
from ttdn.monitoring import selectors, services
from ttdn.monitoring.models import DayCount, Item, ItemTag, MonthCount
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


def holds(text: str, words: list[str]) -> bool:
    """The search's rule in plain Python: every word whole, one ending in "*" as the start of a word."""
    have = text.split()
    return all(any(h.startswith(w[:-1]) for h in have) if w.endswith("*") else w in have for w in words)


@pytest.mark.django_db
def test_the_search_finds_what_the_folded_column_holds(stories: None) -> None:
    """Through the engine of each database (SQLite's FTS5, PostgreSQL's GIN index of the words): the stories whose
    folded text holds every word whole, a word typed with "*" at its end as the start of a word."""
    cases = (
        ["quang", "tri"],
        ["du", "lich"],
        ["storm"],
        ["dau tu"],
        ["a"],
        ["khong-co-dau"],
        ['"x"y'],
        ["qua*"],
        ["tr*"],
        ["t*"],
        ["Quảng", "Tr*"],
        ["*"],
        ["storm*", "*"],
    )
    for words in cases:
        found = selectors.search(Item.objects.all(), words)
        folded = fulltext.query_words(" ".join(words))
        expected = [pk for pk, text in Item.objects.values_list("pk", "search_text") if holds(text, folded)]
        if not folded:
            expected = list(Item.objects.values_list("pk", flat=True))
        assert sorted(found.values_list("pk", flat=True)) == sorted(expected), words
    assert selectors.search(Item.objects.all(), ["quang", "tri"]).count() >= 4
    assert (
        selectors.search(Item.objects.all(), ["qua*"]).count()
        > selectors.search(Item.objects.all(), ["qua"]).count()
    )
    story = Item.objects.get(url="https://dem.example/4")
    Item.objects.filter(pk=story.pk).update(search_text="mot cau khac hoan toan")
    assert not selectors.search(Item.objects.filter(pk=story.pk), ["noi"]).exists()
    assert not selectors.search(Item.objects.filter(pk=story.pk), ["oan"]).exists()  # not inside a word
    assert not selectors.search(Item.objects.filter(pk=story.pk), ["hoa"]).exists()  # not the start of one
    assert selectors.search(Item.objects.filter(pk=story.pk), ["hoan toan", "khac"]).exists()
    assert selectors.search(Item.objects.filter(pk=story.pk), ["cau", "hoa*"]).exists()


@pytest.mark.django_db
def test_the_list_of_a_search_holds_the_originals_that_hold_the_words(stories: None) -> None:
    central = User.objects.get(username="cuc.phantich")
    for query in ("Quảng Trị", "du lịch", "storm", "y te", "khong co"):
        originals = Item.objects.filter(duplicate_of__isnull=True).values_list("pk", "search_text")
        expected = [pk for pk, text in originals if holds(text, fulltext.query_words(query))]
        found = selectors.filtered(central, Filters(query=query))
        assert sorted(found.values_list("pk", flat=True)) == sorted(expected), query
    assert selectors.filtered(central, Filters(query="Quảng Trị")).count() >= 4
    assert selectors.filtered(central, Filters(query="Quảng Trị", duplicates=True)).count() >= 6


@pytest.mark.django_db
def test_the_search_is_answered_by_the_words_index(stories: None) -> None:
    """The query's expression is the index's (PostgreSQL: the GIN index of migration 0005; SQLite: FTS5), so a
    search over a million stories never reads every text."""
    from django.db import connection

    found = selectors.search(Item.objects.all(), ["quang", "tri"])
    sql, params = found.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a few rows: else the table is read
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            assert "monitoring_item_words_gin" in " ".join(row[0] for row in cursor.fetchall())
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'monitoring_item_fts'")
            assert "unicode61" in cursor.fetchone()[0]


@pytest.mark.django_db
def test_the_newest_found_span_by_span_are_those_of_one_walk(stories: None) -> None:
    """PostgreSQL reads a search's newest stories a span of days at a time (``FIRST_SPAN_DAYS`` and on): the same stories in
    the same order as one walk, with or without dates, across a year and more, however few are wanted."""
    central = User.objects.get(username="cuc.phantich")
    for n, item in enumerate(Item.objects.order_by("pk")):  # spread over two years, some on a span's edge
        ago = (0, 6, 7, 29, 30, 31, 119, 120, 364, 365, 400, 700)[n % 12]
        Item.objects.filter(pk=item.pk).update(published_at=_when(ago))
    today = timezone.localdate()
    dates = ((None, None), (today - dt.timedelta(days=200), None), (None, today - dt.timedelta(days=20)))
    for query in ("quang tri", "du*", "storm", "khong co tu nay"):
        for since, until in dates:
            filters = Filters(query=query, since=since, until=until)
            walk = selectors.filtered(central, filters).order_by("-published_at", "-pk")
            walk_ids = list(walk.values_list("pk", flat=True))
            for size in (1, 2, 5, 1000):
                assert selectors._newest_by_spans(central, filters, size) == walk_ids[:size], (
                    query,
                    since,
                    size,
                )
            assert selectors.Newest(central, filters).ids == walk_ids[:1000]
    assert len(selectors.Newest(central, Filters(query="quang tri")).ids) >= 4


@pytest.mark.django_db
def test_a_span_finds_its_stories_on_the_edges_of_weeks_before_1970_and_ahead_of_today(stories: None) -> None:
    """PostgreSQL asks a short span's weeks as facet words (migration 0006): a span's stories are those that a
    plain test of their moment gives, on a week's first and last moments (weeks of UTC from 1970), before 1970
    (week 0), dated ahead of today (a span open above ends with the newest story), and a story's week follows
    its date changed."""
    from django.db import connection

    utc = dt.UTC
    edge = dt.datetime.fromtimestamp(selectors.week_of(timezone.now()) * selectors.WEEK_SECONDS, utc)
    tick, day, week = dt.timedelta(microseconds=1), dt.timedelta(days=1), dt.timedelta(weeks=1)
    moments = [
        edge - tick,
        edge,
        edge + tick,
        edge - week,
        edge - 3 * week + dt.timedelta(hours=1),
        edge - day,
        edge - 10 * week,
        timezone.now() + 400 * day,
        dt.datetime(1965, 5, 1, 12, tzinfo=utc),
        dt.datetime(1970, 1, 1, tzinfo=utc),
        edge - 6 * week - tick,
        edge + 2 * day,
        edge - 40 * week,
    ]
    items = list(Item.objects.order_by("pk"))
    assert len(items) >= len(moments)
    for item, moment in zip(items, moments, strict=False):
        Item.objects.filter(pk=item.pk).update(
            published_at=moment, search_text="tin chung " + item.search_text
        )
    stored = {
        pk: (moment, text)
        for pk, moment, text in Item.objects.values_list("pk", "published_at", "search_text")
    }
    originals = set(Item.objects.filter(duplicate_of__isnull=True).values_list("pk", flat=True))
    central = User.objects.get(username="cuc.phantich")
    bounds = [None, *moments[:7], moments[7], moments[8], moments[10]]
    for query in ("tin chung", "quang tri"):
        words = fulltext.query_words(query)
        for after in bounds:
            for before in bounds:
                if after is not None and before is not None and after >= before:
                    continue
                expected = sorted(
                    pk
                    for pk, (moment, text) in stored.items()
                    if pk in originals
                    and (after is None or moment >= after)
                    and (before is None or moment < before)
                    and holds(text, words)
                )
                found = selectors.filtered(central, Filters(query=query), span=(after, before))
                assert sorted(found.values_list("pk", flat=True)) == expected, (query, after, before)
    walk = sorted((pk for pk in originals), key=lambda pk: (stored[pk][0], pk), reverse=True)
    assert selectors._newest_by_spans(central, Filters(query="tin chung"), 1000) == walk
    ahead = items[7]
    assert walk[0] == ahead.pk  # the one dated ahead of today comes first
    if connection.vendor == "postgresql":

        def facet(pk: int) -> str:
            with connection.cursor() as cursor:
                cursor.execute("SELECT vector::text FROM monitoring_item_words WHERE item_id = %s", [pk])
                return cursor.fetchone()[0]

        assert f"'qqw{selectors.week_of(moments[1])}'" in facet(items[1].pk)
        assert f"'qqw{selectors.week_of(moments[0])}'" in facet(items[0].pk)
        assert selectors.week_of(moments[0]) == selectors.week_of(moments[1]) - 1
        assert "'qqw0'" in facet(items[8].pk) and "'qqw0'" in facet(items[9].pk)
        Item.objects.filter(pk=items[1].pk).update(published_at=moments[6])
        assert f"'qqw{selectors.week_of(moments[6])}'" in facet(items[1].pk)
        assert f"'qqw{selectors.week_of(moments[1])}'" not in facet(items[1].pk)


@pytest.mark.django_db
def test_a_search_within_a_scope_a_province_or_a_topic_finds_what_the_filters_find(stories: None) -> None:
    """PostgreSQL asks its words' table for the reader's scope, the province and the topic as facet words of
    the story's tags: the same stories as the filters without words, less those without the words, and the
    facets follow a tag added or taken away."""
    quang_tri = OrgUnit.objects.get(short_name="Quảng Trị", valid_to__isnull=True).pk
    topics = sorted({t for t in ItemTag.objects.exclude(topic="").values_list("topic", flat=True)})
    assert topics
    source = Item.objects.values_list("source_id", flat=True).first()
    asked: list[dict] = [
        {},
        {"province": quang_tri},
        {"topic": topics[0]},
        {"province": quang_tri, "topic": topics[-1]},
        {"language": "vi"},
        {"language": "en"},
        {"sentiment": "negative"},
        {"source": source},
        {"province": quang_tri, "language": "vi", "sentiment": "neutral"},
    ]
    for username in ("cuc.phantich", "quangtri.phantich"):
        user = User.objects.get(username=username)
        for query in ("quang tri", "du lich", "dau*", "storm", "tinh"):
            for kwargs in asked:
                without = selectors.filtered(user, Filters(**kwargs))
                words = fulltext.query_words(query)
                expected = sorted(
                    pk for pk, text in without.values_list("pk", "search_text") if holds(text, words)
                )
                found = selectors.filtered(user, Filters(query=query, **kwargs))
                assert sorted(found.values_list("pk", flat=True)) == expected, (username, query, kwargs)
                if not kwargs and query != "tinh":
                    assert expected, (username, query)
    analyst = User.objects.get(username="quangtri.phantich")
    story = Item.objects.get(url="https://dem.example/8")  # names no province
    assert not selectors.filtered(analyst, Filters(query="kinh te")).filter(pk=story.pk).exists()
    ItemTag.objects.create(
        item=story, kind="place", unit_id=quang_tri, current_id=quang_tri, words="x", rule="x"
    )
    assert selectors.filtered(analyst, Filters(query="kinh te")).filter(pk=story.pk).exists()
    ItemTag.objects.filter(item=story).delete()
    assert not selectors.filtered(analyst, Filters(query="kinh te")).filter(pk=story.pk).exists()
    Item.objects.filter(pk=story.pk).update(
        language="fr", sentiment="negative"
    )  # the story's own facets follow
    central = User.objects.get(username="cuc.phantich")
    assert (
        selectors.filtered(central, Filters(query="kinh te", language="fr", sentiment="negative")).get()
        == story
    )
    assert (
        not selectors.filtered(central, Filters(query="kinh te", language="vi")).filter(pk=story.pk).exists()
    )


# Migrating cannot run inside the per-test transaction (SQLite refuses schema changes there), and a
# transactional test would empty the session's database: as test_genre's migration test does, this one works
# on the committed database and removes what it added.
def test_the_weeks_and_the_covering_indexes_migrate_back_and_forth(
    django_db_setup,  # noqa: ANN001
    django_db_blocker,  # noqa: ANN001
) -> None:
    """Migrations 0006 (the week facets) and 0007 (the covering indexes) undo and redo on stories in place:
    the search finds the same stories after each, the weeks are in the words' table only when 0006 is."""
    from django.core.management import call_command
    from django.db import connection

    def state() -> tuple[int, int]:
        """(words' rows with a week, covering indexes) on PostgreSQL."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM monitoring_item_words "
                "WHERE array_to_string(tsvector_to_array(vector), ' ') ~ '(^| )qqw[0-9]'"
            )
            weeks = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname LIKE '%%_cover'")
            return weeks, cursor.fetchone()[0]

    with django_db_blocker.unblock():
        source = services.add_source(None, name="Báo di chuyển thử")
        stories = [
            Story(title, text, f"https://dichuyen.example/{n}", _when(ago))
            for n, (title, text, ago) in enumerate(STORIES[:6])
        ]
        services.take_in(source, stories, now=_when(0))
        mine = Item.objects.filter(source=source)
        central = User.objects.get(username="cuc.phantich")
        span = (_when(3) - dt.timedelta(hours=1), None)

        def found(span: tuple[dt.datetime | None, None]) -> list[int]:
            return sorted(
                selectors.filtered(central, Filters(query="quang tri"), span=span)
                .filter(source=source)
                .values_list("pk", flat=True)
            )

        expected = sorted(
            pk
            for pk, text, when in mine.values_list("pk", "search_text", "published_at")
            if holds(text, ["quang", "tri"]) and when >= span[0]
        )
        everywhere = sorted(
            pk for pk, text in mine.values_list("pk", "search_text") if holds(text, ["quang", "tri"])
        )
        assert len(expected) >= 2 and len(everywhere) > len(expected)
        try:
            assert found(span) == expected
            call_command("migrate", "monitoring", "0005", verbosity=0)
            assert found((None, None)) == everywhere  # a span is asked by its weeks from 0006 on
            if connection.vendor == "postgresql":
                assert state() == (0, 0)
            call_command("migrate", "monitoring", verbosity=0)
            assert found(span) == expected and found((None, None)) == everywhere
            if connection.vendor == "postgresql":
                weeks, covering = state()
                assert weeks >= len(stories) and covering == 2
        finally:
            call_command("migrate", "monitoring", verbosity=0)
            mine.delete()
            source.delete()
