"""Reads of opinion monitoring, each through the scope gate: a central analyst reads every story; a province's
analyst (or officer) the stories that name the province, under its name of today or of a body it was formed
from ("Quảng Bình" in 2024 is Quảng Trị's since 07/2025)."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, DateField, Exists, F, Func, OuterRef, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language

from ttdn.accounts.models import Role, User
from ttdn.core import fulltext
from ttdn.core.text import compact
from ttdn.monitoring.models import (
    Alert,
    Claim,
    ClaimStatus,
    DayCount,
    EntryRun,
    Item,
    ItemClaim,
    ItemTag,
    MonthCount,
    Poll,
    Source,
    TagKind,
)
from ttdn.monitoring.pipeline import language as languages
from ttdn.monitoring.services import BODY_KINDS, topic_tagger
from ttdn.orgs.lineage import lineage
from ttdn.orgs.models import OrgKind, OrgUnit
from ttdn.orgs.scope import is_central, restrict, visible_units


def language_names() -> dict[str, str]:
    """Tên ngôn ngữ: the languages' names in the reader's interface language."""
    return languages.names_in(get_language() or "vi")


def topic_names() -> dict[str, str]:
    """Tên chủ đề: the topics' names in the reader's interface language."""
    return topic_tagger().names_in(get_language() or "vi")


def visible_items(user: User) -> QuerySet[Item]:
    """The stories ``user`` may read (duplicates included)."""
    items = Item.objects.select_related("source")
    if is_central(user):
        return items
    tags = restrict(
        ItemTag.objects.filter(item=OuterRef("pk"), kind__in=(TagKind.PLACE, TagKind.BODY)), user, "unit"
    )
    return items.filter(Exists(tags))


def can_manage_sources(user: User) -> bool:
    """Sources are the centre's: a central analyst or officer adds, pauses and polls them."""
    return is_central(user)


def can_enter_items(user: User) -> bool:
    """A story is entered by hand or by file by the centre, or by an analyst of a province or body (who then
    reads it if it names the province)."""
    return is_central(user) or getattr(user, "role", "") == Role.ANALYST


def entry_run(user: User, pk: int) -> EntryRun | None:
    """A bulk import's run, for the one who started it (its file's name is theirs)."""
    if not user.is_authenticated:
        return None
    return EntryRun.objects.filter(pk=pk, created_by=user).first()


@dataclass(frozen=True)
class Filters:
    query: str = ""
    province: int | None = None
    topic: str = ""
    language: str = ""
    sentiment: str = ""
    source: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    duplicates: bool = False


def filtered(
    user: User,
    filters: Filters,
    *,
    span: tuple[dt.datetime | None, dt.datetime | None] = (None, None),
    facets: Sequence[Sequence[str]] | None = None,
) -> QuerySet[Item]:
    """The stories ``user`` finds with ``filters``; ``span``: only those published from its first moment to
    before its second (either open), within the filter's own dates; ``facets``: ``_facets(user, filters)``
    when the caller has them already (PostgreSQL, a search asked span after span)."""
    items = visible_items(user)
    after = _later(day_start(filters.since) if filters.since else None, span[0])
    before = _earlier(day_start(filters.until + dt.timedelta(days=1)) if filters.until else None, span[1])
    if filters.query:
        if connection.vendor != "postgresql":
            facets = ()
        elif facets is None:
            facets = _facets(user, filters)
        items = search(
            items,
            fulltext.query_words(filters.query),
            originals=not filters.duplicates,
            after=after,
            before=before,
            facets=facets,
        )
    elif not filters.duplicates:
        items = items.filter(duplicate_of__isnull=True)
    if filters.province:
        items = items.filter(Exists(ItemTag.objects.filter(item=OuterRef("pk"), current_id=filters.province)))
    if filters.topic:
        items = items.filter(Exists(ItemTag.objects.filter(item=OuterRef("pk"), topic=filters.topic)))
    if filters.language:
        items = items.filter(language=filters.language)
    if filters.sentiment:
        items = items.filter(sentiment=filters.sentiment)
    if filters.source:
        items = items.filter(source_id=filters.source)
    if after is not None:
        items = items.filter(published_at__gte=after)
    if before is not None:
        items = items.filter(published_at__lt=before)
    return items


def _later(a: dt.datetime | None, b: dt.datetime | None) -> dt.datetime | None:
    return b if a is None else a if b is None else max(a, b)


def _earlier(a: dt.datetime | None, b: dt.datetime | None) -> dt.datetime | None:
    return b if a is None else a if b is None else min(a, b)


# The folded text's words are indexed (migration 0005): on SQLite by FTS5 (``unicode61``), on PostgreSQL in a
# table of small rows with a GIN index; both find whole words, a word typed with a ``*`` at its end every word
# that begins so (``core.fulltext``)
FTS_TABLE = "monitoring_item_fts"
WORDS_TABLE = "monitoring_item_words"
# SQLite: up to this many stories found by the index are read by id; past it SQLite walks the stories newest
# first and tests each against the index's answer (a common word: the newest matches come at once)
FTS_FEW = 5000


def search(
    items: QuerySet[Item],
    words: list[str],
    *,
    originals: bool = False,
    after: dt.datetime | None = None,
    before: dt.datetime | None = None,
    facets: Sequence[Sequence[str]] = (),
) -> QuerySet[Item]:
    """Tìm kiếm: the stories of ``items`` whose folded text holds every one of ``words`` (folded again here)
    as a whole word (one ending in ``*``: as the start of a word), the originals only when ``originals``;
    ``after``, ``before``: PostgreSQL asks its words' table for the matches of these moments only (the caller
    filters the stories by them too); ``facets``: PostgreSQL also asks it for one facet word of each group
    (``_facets``: the reader's scope, a province, a topic, which the caller filters the stories by too)."""
    words = fulltext.query_words(" ".join(words))
    if not words:
        return items.filter(duplicate_of__isnull=True) if originals else items
    if connection.vendor == "postgresql":
        if originals:
            items = items.filter(duplicate_of__isnull=True)
        return items.filter(pk__in=RawSQL(*_words_match(words, originals, after, before, facets)))  # noqa: S611
    phrase = fulltext.fts5_query(words)
    few = _fts_few(phrase)
    if few is not None:
        if originals:
            # SQLite's statistics give ~1 story for "duplicate_of IS NULL" (the average over a column mostly
            # distinct) and it would walk the originals to test the few ids: tested without its index here
            items = items.alias(duplicate=Coalesce("duplicate_of", Value(0))).filter(duplicate=0)
        return items.filter(pk__in=few)
    if originals:
        items = items.filter(duplicate_of__isnull=True)
    match = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
    return items.filter(pk__in=RawSQL(match, [phrase]))  # noqa: S611


def _words_match(
    words: list[str],
    originals: bool,
    after: dt.datetime | None,
    before: dt.datetime | None,
    facets: Sequence[Sequence[str]] = (),
) -> tuple[str, list[object]]:
    """PostgreSQL: the stories holding ``words``, from the words' table alone (its GIN index, and its index on
    the day for a span). "OFFSET 0" keeps the planner from folding it into a walk of the stories newest
    first, testing each story's words one by one."""
    sql = f"SELECT item_id FROM {WORDS_TABLE} WHERE vector @@ to_tsquery('simple', %s)"
    weeks = _weeks(after, before)
    groups = [*facets, weeks] if weeks else facets
    query = " & ".join([fulltext.tsquery(words), *(f"({' | '.join(group)})" for group in groups)])
    params: list[object] = [query]
    if originals:
        sql += " AND original"
    if after is not None:
        sql += " AND published_at >= %s"
        params.append(after)
    if before is not None:
        sql += " AND published_at < %s"
        params.append(before)
    return f"{sql} OFFSET 0", params


# facet words in the words' table (migrations 0005, 0006): of a story's tags, the body named, the body of today,
# the topic; of the story, its language, sentiment, source and week
FACET_UNIT, FACET_CURRENT, FACET_TOPIC = "qqu", "qqc", "qqt"
FACET_LANGUAGE, FACET_SENTIMENT, FACET_SOURCE, FACET_WEEK = "qql", "qqs", "qqo", "qqw"
WEEK_SECONDS = 7 * 24 * 3600
# a span of more weeks than this is asked without them (a year's span in the newest-first walk is 53)
MOST_WEEKS = 6


def week_of(moment: dt.datetime) -> int:
    """The week of ``moment`` as the words' table holds it: whole weeks since 01/01/1970 UTC, 0 before."""
    return max(0, math.floor(moment.timestamp() / WEEK_SECONDS))


def _weeks(after: dt.datetime | None, before: dt.datetime | None) -> list[str]:
    """The facet words of the weeks that a span from ``after`` to before ``before`` touches: none when it is
    open below or longer than ``MOST_WEEKS``. Open above, it ends with the newest story (one dated ahead of
    today included)."""
    if after is None:
        return []
    if before is None:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT max(published_at) FROM {WORDS_TABLE}")
            newest = cursor.fetchone()[0]
        if newest is None:
            return []
        last = week_of(newest)
    else:
        last = week_of(before)
    first = week_of(after)
    if last - first >= MOST_WEEKS:
        return []
    return [f"{FACET_WEEK}{week}" for week in range(first, max(first, last) + 1)]


def _facets(user: User, filters: Filters) -> list[list[str]]:
    """The groups of facet words a story must hold one of: a reader's scope (the bodies it may read, communes
    aside: never tagged), the province, topic, language, sentiment and source asked."""
    groups: list[list[str]] = []
    if not is_central(user):
        units = visible_units(user).exclude(kind=OrgKind.COMMUNE).values_list("pk", flat=True)
        groups.append([f"{FACET_UNIT}{pk}" for pk in units] or [f"{FACET_UNIT}0"])
    if filters.province:
        groups.append([f"{FACET_CURRENT}{int(filters.province)}"])
    for prefix, value in (
        (FACET_TOPIC, filters.topic),
        (FACET_LANGUAGE, filters.language),
        (FACET_SENTIMENT, filters.sentiment),
        (FACET_SOURCE, str(filters.source or "")),
    ):
        if value:
            groups.append([prefix + (compact(value) or "0")])
    return groups


def _fts_few(phrase: str) -> list[int] | None:
    """The ids of the stories SQLite's FTS5 index finds for ``phrase``, when there are ``FTS_FEW`` or fewer
    (then read by id); none when there are more (then the walk newest first finds the newest matches at
    once)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT {FTS_FEW + 1}", [phrase]
        )
        few = [row[0] for row in cursor.fetchall()]
    return few if len(few) <= FTS_FEW else None


def day_start(day: dt.date) -> dt.datetime:
    """The first moment of ``day`` in the current time zone: days are compared as moments, so that the index on
    the moment serves (a test on the moment's date is computed for every row)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# Counts of the list stop here: past it the page says "more than 1,000" (a count of every match of a common
# word over a million stories reads most of them; this stops at the COUNT_CAP + 1st match).
COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """A paginator whose count stops at ``COUNT_CAP``: ``more`` says there were more (the last pages are then
    out of reach: a narrower filter reaches them)."""

    cap = COUNT_CAP

    @cached_property
    def _capped(self) -> int:
        return self.object_list.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        return min(self._capped, self.cap)

    @property
    def more(self) -> bool:
        return self._capped > self.cap


def page_of(
    items: QuerySet[Item], number: object, *, per_page: int = 50, newest: Newest | None = None
) -> Page:
    """The page ``number`` of ``items`` (the last one when past it), ``per_page`` stories a page; its
    paginator's count is capped (``CappedPaginator``; ``newest``: the newest of ``items`` already read, at least
    the cap, which give the capped count)."""
    paginator = CappedPaginator(items, per_page)
    if newest is None or newest.size < paginator.cap:
        return paginator.get_page(number)
    paginator.__dict__["_capped"] = min(newest.found, paginator.cap + 1)
    page = paginator.get_page(number)
    if page.number == 1:  # the first page is the newest already read: fetched by id, not searched again
        page.object_list = newest.first(per_page)
    return page


def per_day(
    rows: QuerySet[Item], field: str, *, days: int = 30, until: dt.date | None = None
) -> list[tuple[dt.date, int]]:
    """``rows`` a day by the date of ``field`` over ``days`` days up to ``until`` (today), days without one as 0."""
    until = until or timezone.localdate()
    since = until - dt.timedelta(days=days - 1)
    counts = dict(
        rows.filter(
            **{f"{field}__gte": day_start(since), f"{field}__lt": day_start(until + dt.timedelta(days=1))}
        )
        .annotate(day=_local_day(field, since, until))
        .values_list("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    return [(since + dt.timedelta(days=i), counts.get(since + dt.timedelta(days=i), 0)) for i in range(days)]


def _local_day(field: str, since: dt.date, until: dt.date) -> Func:
    """The day of ``field`` in the current time zone. SQLite's ``TruncDate`` calls Python for every row (about
    10 µs: half a second for a month of a million stories); when the zone keeps one offset over the days asked
    (no change of clock between them), SQLite's own ``date(moment, '+N seconds')`` gives the same day."""
    if connection.vendor == "sqlite":
        zone = timezone.get_current_timezone()
        offsets = {
            zone.utcoffset(dt.datetime.combine(day, dt.time(12)))
            for day in (since, until + dt.timedelta(days=1))
        }
        if len(offsets) == 1 and (offset := offsets.pop()) is not None:
            seconds = Value(f"{int(offset.total_seconds()):+d} seconds")
            return Func(F(field), seconds, function="date", output_field=DateField())
    return TruncDate(field)


def attention(
    items: QuerySet[Item], *, days: int = 30, until: dt.date | None = None
) -> list[tuple[dt.date, int]]:
    """Stories a day by publication over ``days`` days up to ``until`` (today), zero-filled."""
    return per_day(items, "published_at", days=days, until=until)


# The breakdowns and the map that the day's counts cannot answer are counted over the newest SAMPLE stories
# found (the page says so): a common word is in a third of a million stories. As many as the list counts.
SAMPLE = COUNT_CAP


@dataclass(frozen=True)
class Counted:
    """How the day's counts (``DayCount``) answer a reader's filter: ``rows`` cut to the filter's days,
    language and sentiment (for the chart); ``spans`` the same stories as the month's counts (``MonthCount``)
    of the full months of the filter's days and the day's counts of the days at its edges (for the
    breakdowns and the map: a row a month); ``body`` the body whose rows are the reader's stories (none: every
    story) and ``topic`` the topic's ('' for any)."""

    rows: QuerySet[DayCount]
    spans: tuple[QuerySet, ...]
    body: int | None
    topic: str
    central: bool

    def of(self, *, topic: str | None = None) -> QuerySet[DayCount]:
        rows = self.rows.filter(topic=self.topic if topic is None else topic)
        return rows.filter(body__isnull=True) if self.body is None else rows.filter(body_id=self.body)

    def mine(self) -> Q:
        """The rows of the reader's stories: every story's, or the body's."""
        return Q(body__isnull=True) if self.body is None else Q(body_id=self.body)

    def sums(self, by: str, where: Q) -> dict[object, int]:
        """``n`` summed by ``by`` over the rows of ``spans`` that ``where`` keeps."""
        totals: Counter[object] = Counter()
        for span in self.spans:
            for key, n in span.filter(where).values(by).annotate(total=Sum("n")).values_list(by, "total"):
                totals[key] += n
        return {key: n for key, n in totals.items() if n}


def _spans(
    days: QuerySet[DayCount], months: QuerySet[MonthCount], since: dt.date | None, until: dt.date | None
) -> tuple[QuerySet, ...]:
    """The full months between ``since`` and ``until`` (either open) from ``months``, the other days from
    ``days`` (already cut to them)."""
    first = None if since is None else since if since.day == 1 else _next_month(since)
    end = None if until is None else (until + dt.timedelta(days=1)).replace(day=1)
    if first is not None and end is not None and first >= end:
        return (days,)
    if first is not None:
        months = months.filter(month__gte=first)
    if end is not None:
        months = months.filter(month__lt=end)
    if first is None and end is None:
        return (months,)
    edges = Q(pk__in=[])
    if first is not None:
        edges |= Q(day__lt=first)
    if end is not None:
        edges |= Q(day__gte=end)
    return (months, days.filter(edges))


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def scope_body(user: User) -> int | None:
    """The one body the stories of a reader of a province or body lead to today (``ItemTag.current``), when
    there is one: every body the tagger names in the scope (a province, the ones it was formed from) goes on
    into it, and it is in the scope too. Else none: a story could then lead to two bodies of the scope (it
    would be counted twice) or to one outside it, and the counts do not answer."""
    today = timezone.localdate()
    graph = lineage()
    units = list(visible_units(user).filter(kind__in=(OrgKind.PROVINCE, *BODY_KINDS)))
    heirs: set[int] = set()
    for unit in units:
        heirs |= graph.successor_ids(unit, today) or {unit.pk}
    if len(heirs) != 1 or not visible_units(user).filter(pk__in=heirs).exists():
        return None
    return heirs.pop()


def counted(user: User, filters: Filters) -> Counted | None:
    """The day's counts that answer ``filters`` for ``user``, or none. They answer the originals (not the
    duplicates), with no words searched and no source, by days, language, sentiment, one topic and one body
    (the province filter; for a reader of a province, the body of ``scope_body`` and no other)."""
    if filters.query or filters.source or filters.duplicates:
        return None
    central = is_central(user)
    body = filters.province
    rows, months = DayCount.objects.all(), MonthCount.objects.all()
    if not central:
        own = scope_body(user)
        if own is None or (body is not None and body != own):
            return None
        body = own
        rows, months = restrict(rows, user, "body"), restrict(months, user, "body")
    if filters.language:
        rows, months = rows.filter(language=filters.language), months.filter(language=filters.language)
    if filters.sentiment:
        rows, months = rows.filter(sentiment=filters.sentiment), months.filter(sentiment=filters.sentiment)
    if filters.since:
        rows = rows.filter(day__gte=filters.since)
    if filters.until:
        rows = rows.filter(day__lte=filters.until)
    spans = _spans(rows, months, filters.since, filters.until)
    return Counted(rows=rows, spans=spans, body=body, topic=filters.topic, central=central)


def attention_of(
    user: User, filters: Filters, *, days: int = 30, until: dt.date | None = None
) -> list[tuple[dt.date, int]]:
    """The attention chart of what ``user`` finds with ``filters``: from the day's counts when they answer
    (``counted``), else from the stories (``attention``); the same days and numbers either way."""
    found = counted(user, filters)
    until = until or timezone.localdate()
    since = until - dt.timedelta(days=days - 1)
    if found is None:  # the chart's days asked of the search too (its words' table reads those days only)
        span = (day_start(since), day_start(until + dt.timedelta(days=1)))
        return attention(filtered(user, filters, span=span), days=days, until=until)
    by_day = dict(
        found.of()
        .filter(day__gte=since, day__lte=until)
        .values("day")
        .annotate(total=Sum("n"))
        .values_list("day", "total")
    )
    return [(since + dt.timedelta(days=i), by_day.get(since + dt.timedelta(days=i), 0)) for i in range(days)]


class Newest:
    """Tin mới nhất: the ids of the newest ``size`` stories ``user`` finds with ``filters``, read once on first
    use and shared by the page's parts (the list's capped count, the breakdowns, the map, the top terms)."""

    def __init__(self, user: User, filters: Filters, *, size: int = SAMPLE) -> None:
        self.user, self.filters, self.size = user, filters, size

    @cached_property
    def _ids(self) -> list[int]:
        if self.filters.query and connection.vendor == "postgresql":
            return _newest_by_spans(self.user, self.filters, self.size + 1)
        found = filtered(self.user, self.filters).order_by("-published_at", "-pk")
        return list(found.values_list("pk", flat=True)[: self.size + 1])

    @property
    def ids(self) -> list[int]:
        return self._ids[: self.size]

    def first(self, n: int) -> QuerySet[Item]:
        """The newest ``n`` found, by id (through the scope gate again, not through the search)."""
        return visible_items(self.user).filter(pk__in=self.ids[:n]).order_by("-published_at", "-pk")

    @property
    def more(self) -> bool:
        """There were more than ``size``."""
        return len(self._ids) > self.size

    @property
    def found(self) -> int:
        """How many were found, up to ``size`` + 1."""
        return len(self._ids)


# PostgreSQL, a search: the newest matches are looked for a span of days at a time, back from the last day
# asked, then before the last span: the words' table finds a span's matches by its two indexes together (a
# common word: its newest 1,001 within a week or a month, a few thousand rows read, where the whole of its
# matches, a story in twenty over two years, is 50,000 rows to read and sort). The first span is a month; each
# next one is as long as the rate found so far says the rest needs (with a margin), and past a year the rest
# is read in one (a narrow filter: the spans would each pay the index's price for a few stories).
FIRST_SPAN_DAYS = 30
LONGEST_SPAN_DAYS = 365


def _newest_by_spans(user: User, filters: Filters, want: int) -> list[int]:
    """The ids of the newest ``want`` stories found, span after span: the same ids in the same order as one
    walk, since the spans follow each other back in time."""

    facets = _facets(user, filters)  # once, not for each span

    def newest(span: tuple[dt.datetime | None, dt.datetime | None]) -> list[int]:
        found = filtered(user, filters, span=span, facets=facets).order_by("-published_at", "-pk")
        return list(found.values_list("pk", flat=True)[: want - len(ids)])

    end = (filters.until or timezone.localdate()) + dt.timedelta(days=1)  # spans are counted back from here
    floor = day_start(filters.since) if filters.since else None
    ids: list[int] = []
    upper: dt.datetime | None = None
    days, looked = FIRST_SPAN_DAYS, 0
    while days <= LONGEST_SPAN_DAYS:
        lower = day_start(end - dt.timedelta(days=looked + days))
        if floor is not None and lower <= floor:
            break
        ids += newest((lower, upper))
        if len(ids) >= want:
            return ids
        upper, looked = lower, looked + days
        rate = len(ids) / looked  # stories found a day so far
        days = math.ceil(1.5 * (want - len(ids)) / rate) if rate else 8 * days
    return ids + newest((None, upper))


def newest_ids(user: User, filters: Filters, *, sample: int = SAMPLE) -> tuple[list[int], bool]:
    """The ids of the newest ``sample`` stories found with ``filters``, and whether there were more."""
    newest = Newest(user, filters, size=sample)
    return newest.ids, newest.more


def breakdown(
    user: User,
    filters: Filters,
    *,
    sample: int | None = SAMPLE,
    newest: Newest | None = None,
    provinces: bool = True,
) -> dict[str, object]:
    """(value, label, count) per language, sentiment, topic and province of the stories ``user`` finds with
    ``filters``: from the day's counts where they answer (``counted``; the topics not under a topic filter,
    the provinces for a central reader and no province filter: a story's other topics and provinces are not
    in them), else over the newest ``sample`` stories found (every one when ``sample`` is none: the weekly
    digest); ``sampled`` names the parts counted so and ``sample`` is their number when there were more.
    ``provinces`` false: no provinces (the page draws them on the map)."""
    found = counted(user, filters)
    parts: dict[str, list[tuple[str, str, int]]] = {}
    if found is not None:
        mine = found.mine() & Q(topic=found.topic)
        language_name = language_names()
        parts["languages"] = [
            (code, language_name.get(code, code or "?"), n)
            for code, n in sorted(found.sums("language", mine).items(), key=lambda r: (-r[1], r[0]))
        ]
        parts["sentiments"] = _sentiment_rows(found.sums("sentiment", mine))  # type: ignore[arg-type]
        if not filters.topic:
            names = topic_names()
            by_topic = found.sums("topic", found.mine() & ~Q(topic=""))
            parts["topics"] = sorted(
                ((topic, names.get(topic, topic), n) for topic, n in by_topic.items()),  # type: ignore[misc]
                key=lambda r: (-r[2], r[0]),
            )
        if provinces and found.central and not filters.province:
            by_body = found.sums("body", Q(topic=found.topic, body__kind=OrgKind.PROVINCE))
            parts["provinces"] = _province_rows(by_body)  # type: ignore[arg-type]
    if not provinces:
        parts["provinces"] = []
    missing = [name for name in ("languages", "sentiments", "topics", "provinces") if name not in parts]
    more = False
    if missing and sample is None:
        exact = _breakdown_of(filtered(user, filters))
        parts.update({name: exact[name] for name in missing})
    elif missing:
        if newest is None or newest.size != sample:
            newest = Newest(user, filters, size=sample)
        ids, more = newest.ids, newest.more
        exact = _breakdown_of(Item.objects.filter(pk__in=ids))
        parts.update({name: exact[name] for name in missing})
    return {**parts, "sampled": missing if more else [], "sample": sample if more else 0}


def _sentiment_rows(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    from ttdn.monitoring.models import Sentiment

    return [(s.value, str(s.label), counts.get(s.value, 0)) for s in Sentiment]


def _province_rows(counts: dict[int, int]) -> list[tuple[str, str, int]]:
    names = dict(OrgUnit.objects.filter(pk__in=counts).values_list("pk", "short_name"))
    return sorted(((str(pk), names.get(pk, "?"), n) for pk, n in counts.items()), key=lambda r: (-r[2], r[1]))


def _breakdown_of(items: QuerySet[Item]) -> dict[str, list[tuple[str, str, int]]]:
    """The breakdowns of ``items`` counted from the stories and their tags."""
    language_name = language_names()
    languages = [
        (code, language_name.get(code, code or "?"), n)
        for code, n in items.values_list("language")
        .annotate(n=Count("id"))
        .order_by("-n", "language")
        .values_list("language", "n")
    ]
    sentiments = dict(items.values_list("sentiment").annotate(n=Count("id")).values_list("sentiment", "n"))
    tag_counts = (
        ItemTag.objects.filter(item__in=items.values("pk"))
        .values_list("kind", "topic", "current_id")
        .annotate(n=Count("item", distinct=True))
    )
    names = topic_names()
    topic_rows: list[tuple[str, str, int]] = []
    province_counts: Counter[int] = Counter()
    for kind, topic, current_id, n in tag_counts:
        if kind == TagKind.TOPIC:
            topic_rows.append((topic, names.get(topic, topic), n))
        elif kind == TagKind.PLACE and current_id:
            province_counts[current_id] += n
    return {
        "languages": languages,
        "sentiments": _sentiment_rows(sentiments),
        "topics": sorted(topic_rows, key=lambda r: (-r[2], r[0])),
        "provinces": _province_rows(dict(province_counts)),
    }


def breakdown_exact(user: User, filters: Filters) -> dict[str, list[tuple[str, str, int]]]:
    """The breakdowns counted from every story found (what ``breakdown`` gives where the counts answer)."""
    return _breakdown_of(filtered(user, filters))


def item_for(user: User, pk: int) -> Item | None:
    return visible_items(user).filter(pk=pk).first()


def tags_of(item: Item) -> list[ItemTag]:
    return list(item.tags.select_related("unit", "current").order_by("kind", "id"))


def duplicates_of(user: User, item: Item) -> list[Item]:
    original = item.duplicate_of or item
    found = visible_items(user).filter(Q(duplicate_of=original) | Q(pk=original.pk)).exclude(pk=item.pk)
    return list(found.order_by("published_at", "pk")[:100])


def provinces_for_filter(user: User) -> list[OrgUnit]:
    today = timezone.localdate()
    return list(visible_units(user, as_of=today).filter(kind=OrgKind.PROVINCE).order_by("sort_key", "name"))


def sources() -> list[Source]:
    return list(Source.objects.annotate(total=Count("items")).order_by("name", "pk"))


def source_choices() -> list[Source]:
    """The sources for the list's filter: names only (``sources`` counts every story of each)."""
    return list(Source.objects.order_by("name", "pk"))


def source_health(source: Source, *, days: int = 14) -> dict[str, object]:
    return {
        "polls": list(Poll.objects.filter(source=source)[:20]),
        "per_day": per_day(source.items.all(), "fetched_at", days=days),
        "errors": Poll.objects.filter(source=source, status="error").count(),
    }


def bar_chart(
    days: list[tuple[dt.date, int]], *, height: int = 60, bar: int = 8, gap: int = 2
) -> dict[str, object]:
    """A day-by-day bar chart as SVG coordinates (drawn by the template, no script)."""
    peak = max((n for _, n in days), default=0)
    bars = []
    for i, (day, n) in enumerate(days):
        h = round(height * n / peak) if peak else 0
        if n and h < 1:
            h = 1
        bars.append({"day": day, "n": n, "x": i * (bar + gap), "y": height - h, "h": h})
    return {
        "bars": bars,
        "width": max(1, len(days) * (bar + gap) - gap),
        "height": height,
        "bar": bar,
        "peak": peak,
        "first": days[0][0] if days else None,
        "last": days[-1][0] if days else None,
    }


def summary(user: User, *, days: int = 7) -> dict[str, object]:
    """The home page's card: the last ``days`` days of stories in scope (originals), negative ones, the newest."""
    since = timezone.localdate() - dt.timedelta(days=days - 1)
    recent = visible_items(user).filter(duplicate_of__isnull=True, published_at__gte=day_start(since))
    counts = dict(recent.values_list("sentiment").annotate(n=Count("id")).values_list("sentiment", "n"))
    return {
        "days": days,
        "total": sum(counts.values()),
        "negative": counts.get("negative", 0),
        "foreign": recent.filter(source__foreign=True).count(),
        "latest": list(recent.order_by("-published_at", "-pk")[:5]),
        "open_alerts": open_alert_count(user),
    }


# ------------------------------------------------------------------------------------------------- alerts, claims


def visible_alerts(user: User) -> QuerySet[Alert]:
    """The centre reads every alert; a body's analysts and officers the alerts about a body in their scope."""
    alerts = Alert.objects.select_related("unit", "assignee", "rule")
    if is_central(user):
        return alerts
    return restrict(alerts, user, "unit")


def alerts_page(user: User, status: str = "") -> QuerySet[Alert]:
    alerts = visible_alerts(user)
    if status == "open":
        return alerts.exclude(status__in=("responded", "closed"))
    if status:
        return alerts.filter(status=status)
    return alerts


def alert_for(user: User, pk: int) -> Alert | None:
    return visible_alerts(user).filter(pk=pk).first()


def alert_items(user: User, alert: Alert) -> list[Item]:
    return list(visible_items(user).filter(alerts=alert).order_by("-published_at", "-pk")[:200])


def can_respond(user: User, alert: Alert) -> bool:
    """The centre's analysts and officers, and those of the body the alert is about, take its steps."""
    if not user.is_authenticated or user.role == "viewer":
        return False
    return is_central(user) or (alert.unit is not None and alert.unit_id == user.org_unit_id)


def assignees(user: User, alert: Alert) -> list[User]:
    """Who an alert can be given to: active analysts and officers of the centre and of the alert's body."""
    people = User.objects.filter(
        is_active=True, role__in=("analyst", "central_officer", "unit_officer", "unit_leader")
    )
    units = [u for u in (alert.unit, user.org_unit) if u is not None]
    found = {p.pk: p for p in people.filter(org_unit__in=units)}
    if is_central(user):
        for p in people.filter(role__in=("analyst", "central_officer")):
            found.setdefault(p.pk, p)
    return sorted(found.values(), key=lambda p: p.get_full_name() or p.username)


def open_alert_count(user: User) -> int:
    return alerts_page(user, "open").count()


def visible_claims(user: User) -> QuerySet[Claim]:
    """The library: published claims for everyone signed in; drafts and withdrawn ones for the centre."""
    claims = Claim.objects.select_related("prepared_by", "unit")
    if is_central(user):
        return claims
    return claims.filter(status=ClaimStatus.PUBLISHED)


def claim_for(user: User, pk: int) -> Claim | None:
    return visible_claims(user).filter(pk=pk).first()


def claim_items(user: User, claim: Claim) -> list[tuple[Item, ItemClaim]]:
    links = {
        link.item_id: link
        for link in ItemClaim.objects.filter(claim=claim, item__in=visible_items(user).values("pk"))
    }
    items = visible_items(user).filter(pk__in=links).order_by("-published_at")[:200]
    return [(item, links[item.pk]) for item in items]


def claims_of(user: User, item: Item) -> list[ItemClaim]:
    return list(
        ItemClaim.objects.filter(item=item, claim__in=visible_claims(user).values("pk"))
        .select_related("claim")
        .order_by("-score")
    )


def published_claims() -> list[Claim]:
    return list(Claim.objects.filter(status=ClaimStatus.PUBLISHED).order_by("title"))


# The page's terms are counted in Python over the newest TERMS_SAMPLE stories found (~0.3 ms a story).
TERMS_SAMPLE = 500


def top_terms(
    user: User, filters: Filters, *, sample: int = 2000, limit: int = 20, newest: Newest | None = None
) -> list[tuple[str, int]]:
    """The terms most stories found with ``filters`` hold (over the newest ``sample`` of them; ``newest``: their
    ids, when the caller has them)."""
    from ttdn.monitoring.pipeline.terms import top_terms as count_terms

    if newest is not None and newest.size >= sample:
        titles = (
            Item.objects.filter(pk__in=newest.ids[:sample])
            .order_by("-published_at", "-pk")
            .values_list("title", "text")
        )
    else:
        titles = filtered(user, filters).values_list("title", "text")[:sample]
    return count_terms((f"{title}\n{text[:3000]}" for title, text in titles), limit=limit)


def province_map(user: User, filters: Filters, *, newest: Newest | None = None) -> dict[str, object]:
    """Bản đồ lượng tin theo tỉnh: the originals found with ``filters`` that name each province, drawn on the
    tile map of the period. The 34 of today, counted by the body a tag leads to today (``ItemTag.current``); for
    a period that ends before 01/07/2025 the 63, counted by the body named on the story's day (``ItemTag.unit``;
    a body not on the map, Thừa Thiên Huế before 2025, on its successor's tile). The tags pass the scope gate
    too: a province's analyst sees only the province's tiles lit. A tile links to the list filtered by the
    province of today it is or went into, when the reader may filter by it. Today's map is read from the day's
    counts when they answer (``counted``, no province filter for a central reader); else over the newest
    ``SAMPLE`` originals found (``sample`` then says so; ``newest``: those, when the caller has them)."""
    from dataclasses import replace

    from django.db.models import Case, F, IntegerField, Value, When

    from ttdn.monitoring import tilemap
    from ttdn.orgs.lineage import lineage

    today = timezone.localdate()
    tiles = tilemap.for_period(filters.until)
    as_of = tiles.as_of(today)
    field = "current" if tiles.valid_to is None else "unit"
    provinces = OrgUnit.objects.filter(kind=OrgKind.PROVINCE)
    units = {u.code: u for u in provinces.filter(code__in=tiles.codes())}
    on_map = {u.pk for u in units.values()}
    graph = lineage()
    folded: dict[int, int] = {}
    for unit in provinces.exclude(pk__in=on_map).filter(valid_to__lt=as_of):
        heirs = graph.successor_ids(unit, as_of) & on_map
        if len(heirs) == 1:
            folded[unit.pk] = heirs.pop()
    column = f"{field}_id"
    tile_of = (
        Case(
            *(When(**{column: old}, then=Value(new)) for old, new in folded.items()),
            default=F(column),
            output_field=IntegerField(),
        )
        if folded
        else F(column)
    )
    found = counted(user, replace(filters, duplicates=False)) if field == "current" else None
    sample = 0
    if found is not None and (found.central and not filters.province or not found.central):
        where = Q(topic=found.topic, body__kind=OrgKind.PROVINCE)
        if not found.central:
            where &= Q(body_id=found.body)
        by_pk: dict[int, int] = Counter()
        for pk, n in found.sums("body", where).items():
            by_pk[folded.get(pk, pk)] += n  # type: ignore[call-overload]
    else:
        if newest is None or newest.filters != replace(filters, duplicates=False) or newest.size != SAMPLE:
            newest = Newest(user, replace(filters, duplicates=False))
        ids, more = newest.ids, newest.more
        sample = SAMPLE if more else 0
        tags = restrict(
            ItemTag.objects.filter(kind=TagKind.PLACE, item__in=ids, **{f"{column}__isnull": False}),
            user,
            field,
        )
        by_pk = dict(
            tags.annotate(tile=tile_of)
            .values("tile")
            .annotate(n=Count("item", distinct=True))
            .values_list("tile", "n")
        )
    choices = {u.pk: u for u in provinces_for_filter(user)}
    drawn = tilemap.layout(tiles, {code: by_pk.get(u.pk, 0) for code, u in units.items()})
    placed = []
    for tile in drawn["tiles"]:  # type: ignore[attr-defined]
        unit = units.get(tile.tile.code)
        target = None
        if unit is not None:
            heirs = {unit.pk} if unit.is_valid_on(today) else graph.successor_ids(unit, today)
            target = choices.get(next(iter(heirs))) if len(heirs) == 1 else None
        placed.append(
            {
                "code": tile.tile.code,
                "label": tile.tile.label,
                "name": unit.name if unit else tile.tile.code,
                "short_name": (unit.short_name or unit.name) if unit else tile.tile.code,
                "n": tile.n,
                "level": tile.level,
                "x": tile.x,
                "y": tile.y,
                "cx": tile.cx,
                "cy": tile.cy,
                "province": target.pk if target else None,
                "now": target.name if target and unit and target.pk != unit.pk else "",
                "selected": target is not None and target.pk == filters.province,
            }
        )
    return {
        **drawn,
        "key": tiles.key,
        "before": tiles.valid_to is not None,
        "as_of": as_of,
        "sample": sample,
        "tiles": placed,
        "rows": sorted((t for t in placed if t["n"]), key=lambda t: (-t["n"], t["short_name"])),
    }


@dataclass(frozen=True)
class ExportRow:
    """One story as the CSV export writes it (a title a spreadsheet would run as a formula is quoted)."""

    pk: int
    published_at: dt.datetime
    source: str
    foreign: bool
    title: str
    language: str
    sentiment: str
    provinces: tuple[str, ...]
    topics: tuple[str, ...]
    original: str  # the address of the story this one repeats, if it is a duplicate
    url: str


def export_rows(found: QuerySet[Item], *, limit: int) -> Iterator[ExportRow]:
    """The rows of the CSV export of ``found`` (already within the reader's scope), read 2,000 at a time."""
    names = topic_names()
    places = Prefetch(
        "tags",
        queryset=ItemTag.objects.filter(kind=TagKind.PLACE).select_related("current").order_by("id"),
        to_attr="places",
    )
    topics = Prefetch(
        "tags", queryset=ItemTag.objects.filter(kind=TagKind.TOPIC).order_by("id"), to_attr="topics"
    )
    rows = found.select_related("source", "duplicate_of").prefetch_related(places, topics)[:limit]
    for item in rows.iterator(chunk_size=2000):
        title = item.title
        if title[:1] in ("=", "+", "-", "@"):
            title = "'" + title
        yield ExportRow(
            pk=item.pk,
            published_at=item.published_at,
            source=item.source.name,
            foreign=item.source.foreign,
            title=title,
            language=item.language,
            sentiment=str(item.get_sentiment_display()),
            provinces=tuple(
                dict.fromkeys(t.current.short_name or t.current.name for t in item.places if t.current)
            ),
            topics=tuple(dict.fromkeys(str(names.get(t.topic, t.topic)) for t in item.topics)),
            original=item.duplicate_of.url if item.duplicate_of else "",
            url=item.url,
        )
