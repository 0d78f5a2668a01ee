"""Writes of opinion monitoring: sources added and paused, polls, stories taken in with their duplicates
folded and their tags.

A poll takes a feed whole or not at all: its stories go in in one transaction, and a refused feed (not XML,
too large, too many stories, the server's error) leaves a message on the source's health and nothing else."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import secrets
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate, TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ttdn.accounts.models import Role, User
from ttdn.core import versions
from ttdn.core.files import FileRefused, safe_name
from ttdn.core.money import format_vnd
from ttdn.core.text import fold
from ttdn.monitoring.models import (
    Alert,
    AlertKind,
    AlertRule,
    AlertStatus,
    AlertStep,
    Claim,
    ClaimStatus,
    DayCount,
    DuplicateReason,
    EntryRun,
    EntryRunState,
    Item,
    ItemClaim,
    ItemTag,
    MonthCount,
    Poll,
    PollStatus,
    ResponseKind,
    Sentiment,
    Source,
    SourceKind,
    TagKind,
)
from ttdn.monitoring.pipeline import alerts, bulk, claims, dedup, places, topics, uploads, urls
from ttdn.monitoring.pipeline.analyse import Analysed, Story, analyse
from ttdn.monitoring.pipeline.feeds import MAX_BYTES, FeedError, parse_feed
from ttdn.monitoring.pipeline.pages import PageError, read_page
from ttdn.notices.models import NoticeKind
from ttdn.notices.services import notify
from ttdn.orgs.lineage import lineage
from ttdn.orgs.models import OrgKind, OrgUnit

DATA = Path(__file__).resolve().parent / "data"
TIMEOUT = 20  # seconds for one fetch
TITLE_DAYS = 2  # a story with the same title key this close in time is the same story
TEXT_DAYS = 7  # near-duplicate texts are looked for among this many days of stories
CROSS_OUTLET_WORDS = 6  # across outlets, a title folds stories only when it is this long
POLLED = (SourceKind.FEED, SourceKind.PAGE)  # the kinds of source the worker reads again and again
BODY_KINDS = (OrgKind.MINISTRY, OrgKind.MINISTERIAL_AGENCY, OrgKind.GOVERNMENT_AGENCY, OrgKind.CENTRAL)
USER_AGENT = "TTDN-monitoring/1.0 (+theo doi du luan)"


class FetchError(Exception):
    """Why a source could not be read, in words for its health page."""


@dataclass(frozen=True)
class Fetched:
    status: int
    body: bytes
    etag: str = ""
    modified: str = ""


@dataclass
class Taken:
    new: int = 0
    duplicates: int = 0
    known: int = 0
    items: list[Item] = field(default_factory=list)  # those kept, duplicates included, in order


# ------------------------------------------------------------------------------------------------- taggers


@cache
def _aliases() -> dict[str, dict[str, list[str]]]:
    return json.loads((DATA / "aliases.json").read_text(encoding="utf-8"))


_taggers: dict[str, object] = {}
# The rule of a province's tag, kept as its Vietnamese text (translated when shown): named as it is called on the
# story's day, or by a name it no longer has.
NAME_RULE = gettext_noop("tên")
OLD_NAME_RULE = gettext_noop("tên cũ")
_taggers_lock = threading.Lock()


def place_tagger() -> places.Tagger:
    """The tagger of provinces and central bodies under every name they have had, built again when the
    registry changes."""
    version = versions.current().get("orgs", 0)
    with _taggers_lock:
        kept = _taggers.get("places")
        if kept is not None and kept[0] == version:  # type: ignore[index]
            return kept[1]  # type: ignore[index]
    aliases = _aliases()
    names: list[places.Name] = []
    for unit in OrgUnit.objects.filter(kind__in=(OrgKind.PROVINCE, *BODY_KINDS)).only(
        "code", "name", "short_name", "kind", "valid_to"
    ):
        old = unit.valid_to is not None
        if unit.kind == OrgKind.PROVINCE:
            short = unit.short_name or unit.name
            rule = OLD_NAME_RULE if old else NAME_RULE
            names.append(places.Name(short, unit.code, places.EACH, rule))
            for alias in aliases["provinces"].get(fold(short), []):
                names.append(places.Name(alias, unit.code, places.EACH, gettext_noop("tên gọi khác")))
        else:
            rule = gettext_noop("tên cơ quan trước 03/2025") if old else gettext_noop("tên cơ quan")
            names.append(places.Name(unit.name, unit.code, places.FIRST, rule))
            if unit.short_name:
                names.append(places.Name(unit.short_name, unit.code, places.FIRST, rule))
            for alias in aliases["bodies"].get(unit.code, []):
                names.append(
                    places.Name(alias, unit.code, places.FIRST, gettext_noop("tên tiếng nước ngoài"))
                )
    tagger = places.Tagger(names, places.TRAPS)
    with _taggers_lock:
        _taggers["places"] = (version, tagger)
    return tagger


@cache
def topic_tagger() -> topics.TopicTagger:
    return topics.TopicTagger(topics.taxonomy())


# ------------------------------------------------------------------------------------------------- sources


def add_source(
    user: User | None,
    *,
    name: str,
    kind: str = SourceKind.FEED,
    url: str = "",
    outlet_names: str = "",
    foreign: bool = False,
    interval_minutes: int = 30,
) -> Source:
    return Source.objects.create(
        name=name,
        kind=kind,
        url=url,
        outlet_names=outlet_names,
        foreign=foreign,
        interval_minutes=interval_minutes,
        created_by=user,
    )


def set_active(source: Source, active: bool) -> None:
    source.active = active
    source.save(update_fields=["active"])


def fetch_url(url: str, *, etag: str = "", modified: str = "", limit: int = MAX_BYTES) -> Fetched:
    """GET ``url`` with the validators of the last answer (ETag, Last-Modified); a 304 comes back as such."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"})
    if etag:
        request.add_header("If-None-Match", etag)
    if modified:
        request.add_header("If-Modified-Since", modified)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 (http/https only: forms)
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise FetchError(_size_message(int(declared), limit))
            body = response.read(limit + 1)
            if len(body) > limit:
                raise FetchError(_size_message(len(body), limit, at_least=True))
            return Fetched(
                response.status,
                body,
                response.headers.get("ETag", "")[:300],
                response.headers.get("Last-Modified", "")[:100],
            )
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Fetched(304, b"", etag, modified)
        raise FetchError(_("Máy chủ của nguồn trả lời lỗi HTTP %(code)s.") % {"code": exc.code}) from exc
    except urllib.error.URLError as exc:
        raise FetchError(
            _("Không kết nối được tới nguồn: %(reason)s.") % {"reason": _reason(exc.reason)}
        ) from exc
    except TimeoutError as exc:
        raise FetchError(_("Nguồn không trả lời sau %(seconds)s giây.") % {"seconds": TIMEOUT}) from exc


def _reason(reason: object) -> str:
    """Why a connection failed, in words rather than the system's error number."""
    import socket
    import ssl

    if isinstance(reason, ConnectionRefusedError):
        return _("máy chủ của nguồn không nhận kết nối (có thể đang tắt)")
    if isinstance(reason, socket.gaierror):
        return _("không tìm thấy tên máy chủ (sai địa chỉ hoặc không có mạng)")
    if isinstance(reason, TimeoutError | socket.timeout):
        return _("hết thời gian chờ")
    if isinstance(reason, ssl.SSLError):
        return _("lỗi chứng thư bảo mật (HTTPS) của máy chủ")
    if isinstance(reason, OSError):
        return _("lỗi mạng (%(detail)s)") % {"detail": reason.strerror or type(reason).__name__}
    return str(reason)


def _size_message(size: int, limit: int, *, at_least: bool = False) -> str:
    values = {"size": format_vnd(size, unit=False), "limit": format_vnd(limit, unit=False)}
    if at_least:
        return _("Nguồn trả về hơn %(limit)s byte, quá giới hạn; không tin nào được nhận.") % values
    return _("Nguồn trả về %(size)s byte, quá giới hạn %(limit)s byte; không tin nào được nhận.") % values


def poll(
    source: Source, *, fetch: Callable[..., Fetched] = fetch_url, now: dt.datetime | None = None
) -> Poll:
    """Read a feed once: its new stories in, or its refusal on its health."""
    now = now or timezone.now()
    record = Poll(source=source, started_at=now, status=PollStatus.OK)
    source.last_polled_at = now
    try:
        fetched = fetch(source.url, etag=source.etag, modified=source.last_modified)
        if fetched.status == 304:
            record.status = PollStatus.UNCHANGED
            record.message = _("Nguồn báo không có gì mới (304).")
        elif source.kind == SourceKind.PAGE:
            page = read_page(fetched.body, url=source.url, today=timezone.localdate())
            if not page.title:
                raise PageError(_("Không đọc được nội dung nào trên trang."))
            taken = take_in(
                source,
                [Story(page.title, page.text, source.url, page.published, tuple(source.outlets()))],
                now=now,
            )
            record.items_new, record.items_duplicate = taken.new, taken.duplicates
            if taken.known:
                record.status = PollStatus.UNCHANGED
                record.message = _("Trang đã được lấy trước đây; không có gì mới.")
            source.last_warning = ""
            source.etag, source.last_modified = fetched.etag, fetched.modified
        else:
            feed = parse_feed(fetched.body)
            stories = [
                Story(e.title, e.text, e.url, e.published, tuple(source.outlets())) for e in feed.entries
            ]
            taken = take_in(source, stories, now=now)
            record.items_new, record.items_duplicate = taken.new, taken.duplicates
            record.message = feed.warning
            source.last_warning = feed.warning
            source.etag, source.last_modified = fetched.etag, fetched.modified
        source.last_success_at = now
        source.last_error = ""
    except (FetchError, FeedError, PageError) as exc:
        record.status = PollStatus.ERROR
        record.message = str(exc)
        source.last_error, source.last_error_at = str(exc), now
    record.finished_at = timezone.now()
    if record.status == PollStatus.OK and record.items_new:
        evaluate_rules()
    with transaction.atomic():
        record.save()
        source.save(
            update_fields=[
                "last_polled_at",
                "last_success_at",
                "last_error",
                "last_error_at",
                "last_warning",
                "etag",
                "last_modified",
            ]
        )
    return record


def queue_due_polls(now: dt.datetime | None = None) -> int:
    """Queue one poll of each source whose turn has come, marking it polled now so that the next minute's look
    does not queue it again while the worker is busy (the poll itself marks it again when it runs)."""
    from ttdn.monitoring.jobs import poll_source

    now = now or timezone.now()
    due = due_sources(now)
    for source in due:
        Source.objects.filter(pk=source.pk).update(last_polled_at=now)
        poll_source.enqueue(source.pk)
    return len(due)


def due_sources(now: dt.datetime | None = None) -> list[Source]:
    now = now or timezone.now()
    due = []
    for source in Source.objects.filter(active=True, kind__in=POLLED).exclude(url=""):
        last = source.last_polled_at
        if last is None or now - last >= dt.timedelta(minutes=max(1, source.interval_minutes)):
            due.append(source)
    return due


# ------------------------------------------------------------------------------------------------- entries


class EntryRefused(ValueError):
    """A story or a file that cannot be taken in, with the reasons (a whole file's, or its rows' with lines)."""

    def __init__(self, message: str, rows: list[str] | None = None) -> None:
        super().__init__(message)
        self.rows = rows or []


@dataclass(frozen=True)
class Entered:
    """What one entry (a story by hand, a file, an export) took in."""

    taken: Taken
    items: list[Item]
    sources: list[Source]
    undated: bool = False  # no publication date given or found: the story is dated when it was entered


def _entry_source(user: User | None, kind: str, name: str, *, foreign: bool = False) -> Source:
    """The source of stories entered by hand or by file under ``name`` (one per name and kind)."""
    name = " ".join(name.split())[:200] or str(SourceKind(kind).label)
    found = Source.objects.filter(kind=kind, name=name).first()
    if found is None:
        found = Source.objects.create(
            name=name, kind=kind, outlet_names=name, foreign=foreign, active=False, created_by=user
        )
    return found


def _enter(
    user: User | None,
    kind: str,
    groups: dict[str, list[Story]],
    *,
    foreign: bool,
    message: str,
    now: dt.datetime | None = None,
    alerts: bool = True,
) -> Entered:
    """Take ``groups`` (stories by the name of their source) in, all or nothing, with a record on each source's
    health."""
    now = now or timezone.now()
    total = Taken()
    used: list[Source] = []
    with transaction.atomic():
        for name, stories in groups.items():
            source = _entry_source(user, kind, name, foreign=foreign)
            outlets = tuple(source.outlets())
            taken = take_in(
                source, [Story(s.title, s.text, s.url, s.published, outlets) for s in stories], now=now
            )
            Poll.objects.create(
                source=source,
                started_at=now,
                finished_at=timezone.now(),
                status=PollStatus.OK if taken.new or taken.duplicates else PollStatus.UNCHANGED,
                items_new=taken.new,
                items_duplicate=taken.duplicates,
                message=message,
            )
            Source.objects.filter(pk=source.pk).update(last_polled_at=now, last_success_at=now, last_error="")
            total.new += taken.new
            total.duplicates += taken.duplicates
            total.known += taken.known
            total.items += taken.items
            used.append(source)
    if total.new and alerts:
        evaluate_rules()
    return Entered(total, total.items, used)


def _refuse_known(url: str) -> None:
    """A story typed in or uploaded at an address already taken in is refused (an export skips and counts it)."""
    if url and Item.objects.filter(url_key=urls.normalise_url(url)).exists():
        raise EntryRefused(_("Tin ở địa chỉ này đã có trong hệ thống."))


def enter_story(
    user: User | None,
    *,
    outlet: str,
    title: str,
    text: str = "",
    url: str = "",
    published: dt.datetime | None = None,
    foreign: bool = False,
) -> Entered:
    """Nhập tay: one story typed in (or pasted) by an analyst, under the outlet that ran it."""
    _refuse_known(url)
    entered = _enter(
        user,
        SourceKind.MANUAL,
        {outlet: [Story(title, text, url, published)]},
        foreign=foreign,
        message=_("Nhập tay"),
    )
    return dataclasses.replace(entered, undated=published is None)


def enter_file(
    user: User | None,
    *,
    filename: str,
    data: bytes,
    outlet: str = "",
    url: str = "",
    published: dt.datetime | None = None,
    foreign: bool = False,
) -> Entered:
    """Tin từ tệp: the story of an uploaded page, text, Word file or PDF."""
    try:
        page = uploads.read_upload(filename, data, today=timezone.localdate())
    except FileRefused as exc:
        raise EntryRefused(str(exc)) from exc
    _refuse_known(url)
    name = outlet or page.site or str(SourceKind.UPLOAD.label)
    when = published or page.published
    entered = _enter(
        user,
        SourceKind.UPLOAD,
        {name: [Story(page.title, page.text, url, when)]},
        foreign=foreign,
        message=_("Tệp %(name)s") % {"name": filename[:120]},
    )
    return dataclasses.replace(entered, undated=when is None)


MAX_ROW_ERRORS = 50  # the first rows in error are listed; the count says how many there are


def enter_export(
    user: User | None, *, filename: str, data: bytes, outlet: str = "", foreign: bool = False
) -> Entered | EntryRun:
    """Nhập hàng loạt: the stories of an export (JSON or CSV), all of them or, if one row is wrong, none; an export
    of more than ``SYNC_ROWS`` rows is checked whole here and taken in by the job worker (the run returned)."""
    try:
        rows = bulk.read_export(filename, data)
    except bulk.BulkRefused as exc:
        raise EntryRefused(str(exc)) from exc
    wrong = [row for row in rows if row.error]
    if wrong:
        listed = [_("Dòng %(line)s: %(error)s") % {"line": row.line, "error": row.error} for row in wrong]
        raise EntryRefused(
            _("%(count)s dòng có lỗi; chưa nhập dòng nào. Sửa các dòng dưới đây rồi gửi lại tệp.")
            % {"count": format_vnd(len(wrong), unit=False)},
            listed[:MAX_ROW_ERRORS],
        )
    default = outlet or Path(filename).stem[:200]
    if len(rows) > SYNC_ROWS:
        return _start_run(
            user, filename=filename, data=data, outlet=default, foreign=foreign, total=len(rows)
        )
    return _enter(
        user,
        SourceKind.IMPORT,
        _by_outlet(rows, default),
        foreign=foreign,
        message=_("Tệp %(name)s") % {"name": filename[:120]},
    )


SYNC_ROWS = 300  # an export this long goes in during the request (a few seconds); a longer one is a run
RUN_BATCH = 200  # rows a transaction in a run: a few seconds of writing, then the web writes in between
RUNS = "monitoring-runs"  # staged exports, under MEDIA_ROOT


def _by_outlet(rows: Iterable[bulk.Row], default: str) -> dict[str, list[Story]]:
    groups: dict[str, list[Story]] = {}
    for row in rows:
        groups.setdefault(row.outlet or default, []).append(
            Story(row.title, row.text, row.url, row.published)
        )
    return groups


def _start_run(
    user: User | None, *, filename: str, data: bytes, outlet: str, foreign: bool, total: int
) -> EntryRun:
    """Keep the export and queue its run (after the commit: a rolled-back start keeps nothing, queues nothing)."""
    from ttdn.monitoring.jobs import take_in_export

    suffix = Path(filename).suffix.lstrip(".").lower() or "csv"
    staged = f"{RUNS}/run-{secrets.token_hex(8)}.{suffix}"
    run = EntryRun.objects.create(
        created_by=user,
        filename=safe_name(filename)[:200],
        outlet=outlet,
        foreign=foreign,
        staged=staged,
        total=total,
    )

    def keep_and_queue() -> None:
        target = Path(settings.MEDIA_ROOT) / staged
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        take_in_export.enqueue(run.pk)

    transaction.on_commit(keep_and_queue)
    return run


def perform_run(run_id: int, *, batch: int = RUN_BATCH) -> EntryRun:
    """Work one run (the job): the rows not yet taken in, a batch a transaction; the reader is told at the end."""
    run = EntryRun.objects.select_related("created_by").get(pk=run_id)
    if run.finished:
        return run
    path = Path(settings.MEDIA_ROOT) / run.staged
    try:
        rows = bulk.read_export(run.filename, path.read_bytes())
        run.state, run.started_at = EntryRunState.RUNNING, run.started_at or timezone.now()
        run.total = len(rows)
        run.save(update_fields=["state", "started_at", "total"])
        for begin in range(run.done, len(rows), batch):
            part = rows[begin : begin + batch]
            with transaction.atomic():
                entered = _enter(
                    run.created_by,
                    SourceKind.IMPORT,
                    _by_outlet(part, run.outlet),
                    foreign=run.foreign,
                    message=_("Tệp %(name)s, dòng %(first)s–%(last)s")
                    % {"name": run.filename[:120], "first": part[0].line, "last": part[-1].line},
                    alerts=False,
                )
                run.done = begin + len(part)
                run.new_count += entered.taken.new
                run.duplicate_count += entered.taken.duplicates
                run.known_count += entered.taken.known
                run.save(update_fields=["done", "new_count", "duplicate_count", "known_count"])
        run.state = EntryRunState.DONE
    except Exception as exc:  # noqa: BLE001 (the run records what went wrong; the worker goes on)
        run.refresh_from_db()
        run.state = EntryRunState.FAILED
        run.message = _("Lỗi hệ thống: %(e)s") % {"e": type(exc).__name__}
    run.finished_at = timezone.now()
    run.save(update_fields=["state", "message", "finished_at"])
    path.unlink(missing_ok=True)
    if run.new_count:
        evaluate_rules()
    _tell(run)
    return run


def _tell(run: EntryRun) -> None:
    if run.created_by is None:
        return
    values = {
        "name": run.filename,
        "new": format_vnd(run.new_count, unit=False),
        "dup": format_vnd(run.duplicate_count, unit=False),
        "known": format_vnd(run.known_count, unit=False),
        "done": format_vnd(run.done, unit=False),
    }
    if run.state == EntryRunState.DONE:
        message = _(
            "Đã nhập xong các tin của tệp %(name)s: %(new)s tin mới, %(dup)s tin trùng, %(known)s tin đã có."
        )
    else:
        message = _("Lượt nhập các tin của tệp %(name)s dừng vì lỗi sau %(done)s dòng.")
    notify(
        [run.created_by], NoticeKind.IMPORT_DONE, message % values, reverse("monitoring:run", args=[run.pk])
    )


def requeue_runs() -> int:
    """Queue again the runs a stopped worker left unfinished (the worker calls it as it starts)."""
    from ttdn.monitoring.jobs import take_in_export

    unfinished = list(EntryRun.objects.filter(state=EntryRunState.RUNNING).values_list("pk", flat=True))
    for pk in unfinished:
        take_in_export.enqueue(pk)
    return len(unfinished)


# ------------------------------------------------------------------------------------------------- stories


def take_in(source: Source, stories: Iterable[Story], *, now: dt.datetime | None = None) -> Taken:
    """Analyse ``stories`` and keep the new ones, all in one transaction: a story whose address is known is
    skipped; one with the title of a recent story (same outlet, or any outlet for a long title) or a text that
    is a near-duplicate of one is kept as its duplicate."""
    now = now or timezone.now()
    tagger, topic_tagger_ = place_tagger(), topic_tagger()
    taken = Taken()
    analysed = [(story, analyse(story, tagger=tagger, topic_tagger=topic_tagger_)) for story in stories]
    known_claims = claim_index()
    with transaction.atomic():
        index = _recent_index(now)
        seen_urls: set[str] = set()
        for story, found in analysed:
            if not found.title:
                continue
            if found.url_key and (
                found.url_key in seen_urls or Item.objects.filter(url_key=found.url_key).exists()
            ):
                taken.known += 1
                continue
            published = story.published or now
            original, reason, similarity = _original_of(source, found, published, index)
            item = Item.objects.create(
                source=source,
                url=story.url[:1000],
                url_key=found.url_key[:1000],
                title=found.title,
                text=found.text,
                published_at=published,
                language=found.language,
                language_confidence=found.language_confidence,
                title_key=found.title_key,
                duplicate_of=original,
                duplicate_reason=reason,
                similarity=similarity,
                sentiment=found.sentiment.label,
                sentiment_score=found.sentiment.score,
                sentiment_words={
                    "positive": list(found.sentiment.positive),
                    "negative": list(found.sentiment.negative),
                    "model": list(found.sentiment.words),
                    "lexicon": found.sentiment.lexicon,
                },
                search_text=found.search_text,
            )
            if found.url_key:
                seen_urls.add(found.url_key)
            tags = _tag(item, found, published.date())
            taken.items.append(item)
            if original is None:
                _count(item, tags, +1)
                index.add(str(item.pk), found.shingles)
                match_claims(item, known_claims)
                taken.new += 1
            else:
                taken.duplicates += 1
    return taken


def _recent_index(now: dt.datetime) -> dedup.NearDuplicates:
    index = dedup.NearDuplicates()
    since = now - dt.timedelta(days=TEXT_DAYS)
    for pk, text in Item.objects.filter(duplicate_of__isnull=True, published_at__gte=since).values_list(
        "pk", "text"
    ):
        index.add(str(pk), dedup.shingles(text))
    return index


def _original_of(
    source: Source, found: Analysed, published: dt.datetime, index: dedup.NearDuplicates
) -> tuple[Item | None, str, float | None]:
    """The first story ``found`` repeats, why, and how alike their texts are."""
    if found.title_key:
        window = (published - dt.timedelta(days=TITLE_DAYS), published + dt.timedelta(days=TITLE_DAYS))
        same = Item.objects.filter(
            title_key=found.title_key, duplicate_of__isnull=True, published_at__range=window
        )
        if len(found.title.split()) < CROSS_OUTLET_WORDS:
            same = same.filter(source=source)
        first = same.order_by("published_at", "pk").first()
        if first is not None:
            return first, DuplicateReason.TITLE, None
    for match in index.find(found.shingles):
        first = Item.objects.filter(pk=int(match.key)).first()
        if first is not None:
            return first, DuplicateReason.TEXT, match.similarity
    return None, "", None


def _tag(item: Item, found: Analysed, on: dt.date) -> list[ItemTag]:
    """The story's tags: each body named (the one valid on the story's day among those of that name) and the
    body it is today, and each topic, with the words and the rule."""
    today = timezone.localdate()
    codes = {f.code for f in found.places}
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
    by_name: dict[str, list[OrgUnit]] = {}
    for unit in units.values():
        by_name.setdefault(fold(unit.short_name or unit.name), []).append(unit)
    tags: list[ItemTag] = []
    seen: set[tuple[int, int]] = set()
    graph = lineage()
    for hit in found.places:
        unit = units.get(hit.code)
        if unit is None:
            continue
        namesakes = by_name.get(fold(unit.short_name or unit.name), [unit])
        rule = hit.rule
        if len(namesakes) > 1:  # "Quảng Trị" before and after 07/2025: the one of the story's day
            unit = next((u for u in namesakes if u.is_valid_on(on)), unit)
            if unit.kind == OrgKind.PROVINCE and rule in (NAME_RULE, OLD_NAME_RULE):  # the rule of that one
                rule = OLD_NAME_RULE if unit.valid_to is not None else NAME_RULE
        for current_id in sorted(graph.successor_ids(unit, today)) or [unit.pk]:
            if (unit.pk, current_id) in seen:
                continue
            seen.add((unit.pk, current_id))
            tags.append(
                ItemTag(
                    item=item,
                    kind=TagKind.PLACE if unit.kind == OrgKind.PROVINCE else TagKind.BODY,
                    unit=unit,
                    current_id=current_id,
                    words=hit.words[:500],
                    rule=rule[:200],
                )
            )
    for topic in found.topics:
        tags.append(
            ItemTag(
                item=item,
                kind=TagKind.TOPIC,
                topic=topic.code,
                words=", ".join(topic.keywords)[:500],
                rule=gettext_noop("từ khoá chủ đề"),
            )
        )
    for tag in tags:
        tag.save()
    return tags


def _count_keys(tags: Iterable[ItemTag]) -> list[tuple[int | None, str]]:
    """The (body, topic) keys of ``DayCount`` a story with ``tags`` adds to: each body its names lead to today
    once, each topic once, and none for "every body" and "any topic"."""
    bodies = sorted({t.current_id for t in tags if t.kind != TagKind.TOPIC and t.current_id is not None})
    topics_ = sorted({t.topic for t in tags if t.kind == TagKind.TOPIC and t.topic})
    return [(body, topic) for body in [None, *bodies] for topic in ["", *topics_]]


def _count(item: Item, tags: Iterable[ItemTag], delta: int) -> None:
    """Add ``delta`` (1 or -1) to the day's and the month's counts of an original ``item`` with ``tags``, in the
    caller's transaction."""
    day = timezone.localdate(item.published_at)
    for body, topic in _count_keys(tags):
        key = {"body_id": body, "topic": topic, "sentiment": item.sentiment, "language": item.language}
        for model, when in ((DayCount, {"day": day}), (MonthCount, {"month": day.replace(day=1)})):
            if not model.objects.filter(**when, **key).update(n=F("n") + delta):
                model.objects.create(**when, **key, n=delta)


def delete_items(items: QuerySet[Item]) -> int:
    """Xoá tin (from the admin): the counts of the deleted originals are taken back, and a duplicate of one
    that stays becomes an original (its ``duplicate_of`` is cleared) and is counted."""
    with transaction.atomic():
        doomed = set(items.values_list("pk", flat=True))
        for item in Item.objects.filter(pk__in=doomed, duplicate_of__isnull=True).prefetch_related("tags"):
            _count(item, item.tags.all(), -1)
        freed = Item.objects.filter(duplicate_of__in=doomed).exclude(pk__in=doomed).prefetch_related("tags")
        for item in freed:
            _count(item, item.tags.all(), +1)
        deleted, _rows = Item.objects.filter(pk__in=doomed).delete()
    return deleted


def rebuild_day_counts(
    item_model: type[Item] = Item,
    tag_model: type[ItemTag] = ItemTag,
    count_model: type[DayCount] = DayCount,
    month_model: type[MonthCount] = MonthCount,
) -> int:
    """Đếm lại số tin theo ngày from the stories and their tags (the migration that brings ``DayCount`` in,
    and ``ttdn monitoring_recount``): four grouped counts, the rows written in batches. Returns the rows."""
    count_model.objects.all().delete()
    originals = item_model.objects.filter(duplicate_of__isnull=True)
    body_tags = tag_model.objects.filter(
        item__duplicate_of__isnull=True, current__isnull=False, kind__in=(TagKind.PLACE, TagKind.BODY)
    )
    topic_tags = tag_model.objects.filter(item__duplicate_of__isnull=True, kind=TagKind.TOPIC).exclude(
        topic=""
    )
    day = TruncDate("item__published_at")
    groups = [  # (rows of (day, body, topic, sentiment, language, n))
        (
            (d, None, "", sentiment, language, n)
            for d, sentiment, language, n in originals.annotate(d=TruncDate("published_at"))
            .values("d", "sentiment", "language")
            .annotate(count=Count("id"))
            .values_list("d", "sentiment", "language", "count")
            .iterator(chunk_size=5000)
        ),
        (
            (d, body, "", sentiment, language, n)
            for d, body, sentiment, language, n in body_tags.annotate(d=day)
            .values("d", "current_id", "item__sentiment", "item__language")
            .annotate(count=Count("item_id", distinct=True))
            .values_list("d", "current_id", "item__sentiment", "item__language", "count")
            .iterator(chunk_size=5000)
        ),
        (
            (d, None, topic, sentiment, language, n)
            for d, topic, sentiment, language, n in topic_tags.annotate(d=day)
            .values("d", "topic", "item__sentiment", "item__language")
            .annotate(count=Count("item_id", distinct=True))
            .values_list("d", "topic", "item__sentiment", "item__language", "count")
            .iterator(chunk_size=5000)
        ),
        (
            row
            for row in body_tags.filter(item__tags__kind=TagKind.TOPIC, item__tags__topic__gt="")
            .annotate(d=day)
            .values("d", "current_id", "item__tags__topic", "item__sentiment", "item__language")
            .annotate(count=Count("item_id", distinct=True))
            .values_list("d", "current_id", "item__tags__topic", "item__sentiment", "item__language", "count")
            .iterator(chunk_size=5000)
        ),
    ]
    written = 0
    for group in groups:
        batch: list[DayCount] = []
        for d, body, topic, sentiment, language, n in group:
            batch.append(
                count_model(day=d, body_id=body, topic=topic, sentiment=sentiment, language=language, n=n)
            )
            if len(batch) >= 5000:
                count_model.objects.bulk_create(batch)
                written += len(batch)
                batch = []
        count_model.objects.bulk_create(batch)
        written += len(batch)
    return written + rebuild_month_counts(count_model, month_model)


def rebuild_month_counts(
    count_model: type[DayCount] = DayCount, month_model: type[MonthCount] = MonthCount
) -> int:
    """Số tin theo tháng again from the day's counts. Returns the rows."""
    month_model.objects.all().delete()
    rows = (
        count_model.objects.annotate(m=TruncMonth("day"))
        .values("m", "body_id", "topic", "sentiment", "language")
        .annotate(total=Sum("n"))
        .values_list("m", "body_id", "topic", "sentiment", "language", "total")
    )
    batch = [
        month_model(month=m, body_id=body, topic=topic, sentiment=sentiment, language=language, n=n)
        for m, body, topic, sentiment, language, n in rows.iterator(chunk_size=5000)
    ]
    month_model.objects.bulk_create(batch, batch_size=5000)
    return len(batch)


# ------------------------------------------------------------------------------------------------- demo


DEMO_FEED_PATH = "/static/ttdn/monitoring/demo-feed.xml"


def point_demo_feed(base: str) -> int:
    """Point the demo's own feed source at ``base`` (the server serving it), if it is on this machine."""
    changed = 0
    for source in Source.objects.filter(url__endswith=DEMO_FEED_PATH):
        host = urllib.parse.urlsplit(source.url).hostname or ""
        if host in ("127.0.0.1", "localhost") and source.url != base + DEMO_FEED_PATH:
            source.url = base + DEMO_FEED_PATH
            source.last_error = ""
            source.save(update_fields=["url", "last_error"])
            changed += 1
    return changed


def load_demo(*, feed_base: str = "http://127.0.0.1:8000") -> int:
    """The demo's stories (written for the project: ``data/demo_items.json``) under sample sources, dated from
    now back, and a feed served by the site itself so that the worker has something to poll. Once only:
    nothing is added when the sample sources are there."""
    raw = json.loads((DATA / "demo_items.json").read_text(encoding="utf-8"))
    if Source.objects.filter(name=raw["sources"]["bqt"]["name"]).exists():
        return 0
    sources: dict[str, Source] = {}
    for key, spec in raw["sources"].items():
        sources[key] = Source.objects.create(
            name=spec["name"],
            kind=SourceKind.IMPORT,
            outlet_names=spec["outlets"],
            foreign=spec["foreign"],
            active=False,
        )
    Source.objects.create(
        name="Nguồn RSS mẫu của hệ thống",
        kind=SourceKind.FEED,
        url=feed_base + DEMO_FEED_PATH,
        outlet_names="Tin mẫu",
        interval_minutes=30,
    )
    zone = timezone.get_current_timezone()
    now = timezone.now()
    central = OrgUnit.objects.filter(code="BVHTTDL-TTCSTTDN").first()
    for spec in raw["claims"]:
        Claim.objects.create(
            title=spec["title"],
            summary=spec["summary"],
            keywords=spec["keywords"],
            rebuttal=spec["rebuttal"],
            evidence=spec["evidence"],
            languages=spec["languages"],
            status=ClaimStatus.PUBLISHED,
            published_at=now,
            unit=central,
        )
    count = 0
    for spec in raw["items"]:
        if "date" in spec:
            when = dt.datetime.combine(
                dt.date.fromisoformat(spec["date"]), dt.time(spec.get("h", 8)), tzinfo=zone
            )
        else:  # "d" days and (24 - "h") hours ago: never in the future, later "h" later, whatever the hour now
            when = now - dt.timedelta(days=spec["d"], hours=24 - spec.get("h", 8))
        source = sources[spec["s"]]
        taken = take_in(
            source, [Story(spec["t"], spec["x"], spec["u"], when, tuple(source.outlets()))], now=when
        )
        count += taken.new + taken.duplicates
    for source in sources.values():  # their health: one entry each, as an import would record it
        kept = source.items.aggregate(new=Count("pk", filter=Q(duplicate_of=None)), all=Count("pk"))
        Poll.objects.create(
            source=source,
            started_at=now,
            finished_at=now,
            status=PollStatus.OK,
            items_new=kept["new"],
            items_duplicate=kept["all"] - kept["new"],
            message=_("Tin mẫu của dữ liệu trình diễn"),
        )
        Source.objects.filter(pk=source.pk).update(last_success_at=now)
    ensure_rules()
    evaluate_rules(now)
    return count


# ------------------------------------------------------------------------------------------------- claims


def claim_index() -> claims.ClaimIndex:
    """The published claims of the rebuttal library as a BM25 index, built again when the library changes."""
    version = versions.current().get("monitoring", 0)
    with _taggers_lock:
        kept = _taggers.get("claims")
        if kept is not None and kept[0] == version and not versions.writing("monitoring"):  # type: ignore[index]
            return kept[1]  # type: ignore[index]
    index = claims.ClaimIndex(  # one version of each claim for each script its keywords are written in
        [
            version
            for c in Claim.objects.filter(status=ClaimStatus.PUBLISHED).only(
                "pk", "title", "summary", "keywords"
            )
            for version in claims.versions(str(c.pk), f"{c.title} {c.summary}", c.keywords)
        ]
    )
    with _taggers_lock:
        _taggers["claims"] = (version, index)
    return index


def match_claims(item: Item, index: claims.ClaimIndex | None = None) -> list[ItemClaim]:
    """The claims a story matches: proposed, or linked when the score is high enough."""
    index = index or claim_index()
    found = []
    for match in index.match(f"{item.title}\n{item.text}"):
        row, _created = ItemClaim.objects.update_or_create(
            item=item,
            claim_id=int(match.key),
            defaults={"score": match.score, "linked": match.linked, "words": ", ".join(match.shared)[:500]},
        )
        found.append(row)
    return found


def save_claim(user: User, claim: Claim | None, data: dict[str, object]) -> Claim:
    claim = claim or Claim(prepared_by=user, unit=user.org_unit)
    for name in ("title", "summary", "keywords", "rebuttal", "evidence", "languages"):
        if name in data:
            setattr(claim, name, data[name])
    claim.save()
    return claim


def publish_claim(user: User, claim: Claim) -> int:
    """Phát hành: the claim goes to the provinces (their analysts and officers are told) and from now on new
    stories are matched to it; the stories of the last ``TEXT_DAYS`` days are matched at once."""
    claim.status, claim.published_at = ClaimStatus.PUBLISHED, timezone.now()
    claim.save(update_fields=["status", "published_at", "updated_at"])
    people = User.objects.filter(is_active=True, role__in=(Role.ANALYST, Role.UNIT_OFFICER, Role.UNIT_LEADER))
    notify(
        people,
        NoticeKind.ALERT,
        _("Tài liệu lập luận mới: %(title)s") % {"title": claim.title},
        reverse("monitoring:claim", args=[claim.pk]),
        actor=user,
        email=False,
    )
    index = claims.ClaimIndex([claims.ClaimText(str(claim.pk), claim.match_text())])
    since = timezone.now() - dt.timedelta(days=TEXT_DAYS)
    matched = 0
    for item in Item.objects.filter(published_at__gte=since, duplicate_of__isnull=True):
        matched += len(match_claims(item, index))
    return matched


# ------------------------------------------------------------------------------------------------- alerts

OPEN = (AlertStatus.NEW, AlertStatus.ACKNOWLEDGED, AlertStatus.ASSIGNED)
STEPS = {
    "acknowledge": ((AlertStatus.NEW,), AlertStatus.ACKNOWLEDGED),
    "assign": ((AlertStatus.NEW, AlertStatus.ACKNOWLEDGED, AlertStatus.ASSIGNED), AlertStatus.ASSIGNED),
    "respond": ((AlertStatus.ACKNOWLEDGED, AlertStatus.ASSIGNED), AlertStatus.RESPONDED),
    "close": (
        (AlertStatus.NEW, AlertStatus.ACKNOWLEDGED, AlertStatus.ASSIGNED, AlertStatus.RESPONDED),
        AlertStatus.CLOSED,
    ),
    "reopen": ((AlertStatus.CLOSED, AlertStatus.RESPONDED), AlertStatus.ACKNOWLEDGED),
}


class AlertStepError(ValueError):
    """A step the alert's state does not allow, in words for the page."""


def _watchers(unit: OrgUnit | None) -> list[User]:
    """Who is told of an alert: the centre's analysts and officers, and the analysts and officers of the body."""
    central = list(
        User.objects.filter(
            is_active=True,
            role__in=(Role.ANALYST, Role.CENTRAL_OFFICER),
            org_unit__path__startswith=_central_path(),
        )
    )
    local = (
        list(
            User.objects.filter(
                is_active=True, org_unit=unit, role__in=(Role.ANALYST, Role.UNIT_OFFICER, Role.UNIT_LEADER)
            )
        )
        if unit
        else []
    )
    return central + local


@cache
def _central_path() -> str:
    central = OrgUnit.objects.filter(code="BVHTTDL-TTCSTTDN").only("path").first()
    return central.path if central is not None else "\x00"


def _raise_alert(
    rule: AlertRule,
    *,
    key: str,
    title: str,
    why: str,
    unit: OrgUnit | None,
    items: list[Item],
    now: dt.datetime,
    claim: Claim | None = None,
) -> Alert | None:
    """One alert per rule, body and day: a later finding the same day adds its stories to it."""
    alert = Alert.objects.filter(key=key).first()
    if alert is not None:
        alert.items.add(*items)
        return None
    alert = Alert.objects.create(
        rule=rule, kind=rule.kind, key=key, title=title[:300], why=why, unit=unit, claim=claim, raised_at=now
    )
    alert.items.add(*items)
    AlertStep.objects.create(alert=alert, at=now, after=AlertStatus.NEW, note=why)
    notify(
        _watchers(unit),
        NoticeKind.ALERT,
        _("Cảnh báo: %(title)s") % {"title": alert.title},
        reverse("monitoring:alert", args=[alert.pk]),
    )
    return alert


def evaluate_rules(now: dt.datetime | None = None) -> list[Alert]:
    """Run every active rule over the stories; the alerts raised (new ones only)."""
    now = now or timezone.now()
    raised: list[Alert] = []
    for rule in AlertRule.objects.filter(active=True):
        window = dt.timedelta(hours=max(1, rule.window_hours))
        start = now - window
        day = timezone.localtime(now).date().isoformat()
        if rule.kind in (AlertKind.SPIKE, AlertKind.SURGE):
            stories = Item.objects.filter(duplicate_of__isnull=True)
            stories = (
                stories.filter(sentiment=Sentiment.NEGATIVE)
                if rule.kind == AlertKind.SPIKE
                else stories.exclude(language__in=("vi", ""))
            )
            tags = ItemTag.objects.filter(kind=TagKind.PLACE, item__in=stories, current__isnull=False)
            recent: dict[int, list[int]] = {}
            for unit_id, item_id in tags.filter(
                item__published_at__gt=start, item__published_at__lte=now
            ).values_list("current_id", "item_id"):
                recent.setdefault(unit_id, []).append(item_id)
            windows = max(1, int(dt.timedelta(days=rule.baseline_days) / window))
            earliest = start - window * windows
            for unit_id, item_ids in recent.items():
                ids = sorted(set(item_ids))
                before = tags.filter(
                    current_id=unit_id, item__published_at__gt=earliest, item__published_at__lte=start
                ).values_list("item__published_at", flat=True)
                counts = [0] * windows
                for when in before:
                    slot = min(windows - 1, int((start - when) / window))
                    counts[slot] += 1
                verdict = alerts.spike(len(ids), counts, factor=rule.factor, min_count=rule.min_count)
                if not verdict.raised:
                    continue
                unit = OrgUnit.objects.get(pk=unit_id)
                what = (
                    _("Tin tiêu cực về %(unit)s tăng đột biến")
                    if rule.kind == AlertKind.SPIKE
                    else _("Báo nước ngoài đưa tin dồn dập về %(unit)s")
                )
                found = _raise_alert(
                    rule,
                    key=f"{rule.kind}:{rule.pk}:{unit_id}:{day}",
                    title=what % {"unit": unit.short_name or unit.name},
                    why=verdict.why,
                    unit=unit,
                    items=list(Item.objects.filter(pk__in=ids)),
                    now=now,
                )
                if found:
                    raised.append(found)
        elif rule.kind == AlertKind.CLAIM:
            links = ItemClaim.objects.filter(
                linked=True, item__published_at__gt=start, claim__status=ClaimStatus.PUBLISHED
            ).select_related("claim")
            by_claim: dict[int, list[ItemClaim]] = {}
            for link in links:
                by_claim.setdefault(link.claim_id, []).append(link)
            for claim_id, found_links in by_claim.items():
                claim = found_links[0].claim
                items = [link.item for link in found_links]
                place = (
                    ItemTag.objects.filter(item__in=items, kind=TagKind.PLACE, current__isnull=False)
                    .select_related("current")
                    .first()
                )
                why = _("%(n)s tin trùng luận điệu đã biết (từ chung: %(words)s)") % {
                    "n": len(items),
                    "words": found_links[0].words,
                }
                found = _raise_alert(
                    rule,
                    key=f"claim:{rule.pk}:{claim_id}:{day}",
                    title=_("Xuất hiện lại luận điệu: %(claim)s") % {"claim": claim.title},
                    why=why,
                    unit=place.current if place else None,
                    items=items,
                    now=now,
                    claim=claim,
                )
                if found:
                    raised.append(found)
        elif rule.kind == AlertKind.WATCH:
            terms = [t.strip() for t in rule.terms.splitlines() if t.strip()]
            if not terms:
                continue
            # One alert a province named (so that its analyst sees it), and one of the centre's for the rest.
            by_unit: dict[int | None, tuple[list[Item], dict[str, None]]] = {}
            for item in Item.objects.filter(
                duplicate_of__isnull=True, published_at__gt=start, published_at__lte=now
            ).prefetch_related("tags"):
                present = alerts.watched(f"{item.title}\n{item.text}", terms)
                if not present:
                    continue
                provinces = {
                    t.current_id for t in item.tags.all() if t.kind == TagKind.PLACE and t.current_id
                }
                for unit_id in sorted(provinces) or [None]:
                    hits, words_found = by_unit.setdefault(unit_id, ([], {}))
                    hits.append(item)
                    words_found.update(dict.fromkeys(present))
            units = OrgUnit.objects.in_bulk([u for u in by_unit if u is not None])
            for unit_id, (hits, words_found) in by_unit.items():
                unit = units.get(unit_id) if unit_id is not None else None
                terms_found = ", ".join(words_found)
                found = _raise_alert(
                    rule,
                    key=f"watch:{rule.pk}:{unit_id or 0}:{day}",
                    title=(
                        _("Tin có từ theo dõi về %(unit)s: %(terms)s")
                        % {"unit": unit.short_name or unit.name, "terms": terms_found}
                        if unit is not None
                        else _("Tin có từ theo dõi: %(terms)s") % {"terms": terms_found}
                    ),
                    why=_("%(n)s tin có các từ: %(terms)s") % {"n": len(hits), "terms": terms_found},
                    unit=unit,
                    items=hits,
                    now=now,
                )
                if found:
                    raised.append(found)
    return raised


def step(
    alert: Alert,
    user: User,
    action: str,
    *,
    note: str = "",
    assignee: User | None = None,
    response: str = "",
    rebuttal: Claim | None = None,
) -> Alert:
    """One step of the response: acknowledge, assign, respond (with how, and the rebuttal used), close, reopen."""
    allowed, after = STEPS.get(action, ((), ""))
    if alert.status not in allowed:
        raise AlertStepError(
            _("Cảnh báo đang ở trạng thái “%(state)s”, không thể thực hiện bước này.")
            % {"state": alert.get_status_display()}
        )
    now = timezone.now()
    before = alert.status
    if action == "assign":
        if assignee is None:
            raise AlertStepError(_("Hãy chọn người xử lý."))
        alert.assignee, alert.assigned_at = assignee, now
    if action == "respond":
        if response not in ResponseKind.values:
            raise AlertStepError(_("Hãy chọn cách xử lý."))
        if response == ResponseKind.REBUTTAL and rebuttal is None:
            raise AlertStepError(_("Hãy chọn tài liệu lập luận đã dùng."))
        if alert.assignee is None:  # answered without being handed to anyone: who answered handled it
            alert.assignee, alert.assigned_at = user, now
        alert.response, alert.response_note, alert.rebuttal, alert.responded_at = (
            response,
            note,
            rebuttal,
            now,
        )
    if action == "acknowledge":
        alert.acknowledged_at = now
    if action == "close":
        if not alert.response and not note.strip():
            raise AlertStepError(
                _(
                    "Cảnh báo chưa được xử lý: hãy ghi lý do đóng (ví dụ: báo động nhầm, đã có cơ quan khác xử lý)."
                )
            )
        alert.closed_at = now
    if action == "reopen":
        alert.closed_at = None
    alert.status = after
    alert.save()
    AlertStep.objects.create(alert=alert, at=now, user=user, before=before, after=after, note=note[:2000])
    if action == "assign" and assignee is not None:
        notify(
            [assignee],
            NoticeKind.ALERT,
            _("Bạn được giao xử lý cảnh báo: %(title)s") % {"title": alert.title},
            reverse("monitoring:alert", args=[alert.pk]),
            actor=user,
        )
    return alert


DEFAULT_RULES = (
    {
        "name": "Tin tiêu cực về một tỉnh tăng đột biến (24 giờ, gấp 3 lần mức 14 ngày, ít nhất 3 tin)",
        "kind": AlertKind.SPIKE,
    },
    {
        "name": "Báo nước ngoài đưa tin dồn dập về một tỉnh (24 giờ, gấp 3 lần mức 14 ngày, ít nhất 4 tin)",
        "kind": AlertKind.SURGE,
        "min_count": 4,
    },
    {"name": "Tin trùng luận điệu sai đã biết", "kind": AlertKind.CLAIM, "window_hours": 72},
    {
        "name": "Danh sách từ theo dõi",
        "kind": AlertKind.WATCH,
        "terms": "tù nhân lương tâm\nprisoner of conscience\nđàn áp tôn giáo\nreligious persecution",
    },
)


def ensure_rules() -> int:
    """The default rules, once (an administrator tunes them in the admin)."""
    made = 0
    for spec in DEFAULT_RULES:
        _rule, created = AlertRule.objects.get_or_create(
            kind=spec["kind"],
            name=spec["name"],
            defaults={k: v for k, v in spec.items() if k not in ("kind", "name")},
        )
        made += created
    return made
