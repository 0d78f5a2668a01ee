"""Data versions (phiên bản dữ liệu) and the fragments cached by them.

Each app whose rows pages are built from has a counter in ``core_dataversion``. Every write that goes through
Django's database connection (a model's save, a queryset's ``update`` or ``bulk_create``, raw SQL alike) to one
of the app's tables marks the app; once the transaction commits, its counters go up by one. A fragment of a page
(the tracking table's cells, the overdue counts, the directory tree) is kept in the cache under a key holding
the versions of the apps it reads, so a change committed by any process, any worker or the command line makes
the next request build it afresh, while an unchanged registry serves it from memory.

A transaction that has written and not yet committed reads and caches nothing: it sees its own writes, which
others must not. The versions are read once per request (``VersionsMiddleware``), in one query."""

from __future__ import annotations

import contextvars
import hashlib
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import DatabaseError, connection, transaction
from django.db.backends.signals import connection_created
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

T = TypeVar("T")

TRACKED = ("orgs", "accounts", "documents", "tasks", "reporting", "plans", "core", "notices", "monitoring")
# What the bodies did and hold, without the accounts (whose every login writes its time).
RECORDS = ("orgs", "documents", "tasks", "reporting", "plans", "core")
TABLE = "core_dataversion"
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+["`]?(\w+)', re.IGNORECASE)
_MISSING = object()
_request_versions: contextvars.ContextVar[dict[str, int] | None] = contextvars.ContextVar(
    "ttdn_versions", default=None
)
_tables: dict[str, str] = {}


def _label_of(table: str) -> str | None:
    if not _tables:
        from django.apps import apps

        for model in apps.get_models(include_auto_created=True):
            if model._meta.app_label in TRACKED and model._meta.db_table != TABLE:
                _tables[model._meta.db_table] = model._meta.app_label
    return _tables.get(table)


class _Pending:
    """The apps one transaction wrote; bumped when it commits (a rollback drops the callback with it)."""

    def __init__(self, alias: str) -> None:
        self.alias = alias
        self.labels: set[str] = set()
        self.done = False

    def __call__(self) -> None:
        self.done = True
        bump(self.labels, using=self.alias)


def _pending(conn: Any) -> _Pending | None:
    """The callback this transaction registered, if it is still waiting for the commit."""
    pending = getattr(conn, "_ttdn_pending", None)
    if (
        pending is not None
        and not pending.done
        and any(func is pending for _sids, func, _robust in conn.run_on_commit)
    ):
        return pending
    return None


def _watch(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    result = execute(sql, params, many, context)
    found = WRITE.match(sql) if isinstance(sql, str) else None
    label = _label_of(found[1]) if found else None
    if label is not None:
        conn = context["connection"]
        if not conn.in_atomic_block:
            bump({label}, using=conn.alias)
        else:
            pending = _pending(conn)
            if pending is None:
                pending = conn._ttdn_pending = _Pending(conn.alias)
                transaction.on_commit(pending, using=conn.alias)
            pending.labels.add(label)
    return result


def install(conn: Any) -> None:
    """Watch the writes of one database connection (done for each as it connects)."""
    if _watch not in conn.execute_wrappers:
        conn.execute_wrappers.append(_watch)


def _connected(sender: Any, connection: Any, **kwargs: Any) -> None:
    install(connection)


connection_created.connect(_connected, dispatch_uid="ttdn-data-versions")


def bump(labels: Iterable[str], *, using: str = "default") -> None:
    """Raise the counters of ``labels`` by one (after a commit, or at once outside a transaction)."""
    from django.db import connections

    names = sorted(set(labels))
    if not names:
        return
    try:
        _raise(connections[using], names)
    except (
        DatabaseError
    ):  # the table is not there yet (migrations still running): nothing is cached before it
        if connections[using].in_atomic_block:
            raise
    _request_versions.set(None)  # this request's own later reads see its change


def _raise(conn: Any, names: list[str]) -> None:
    with conn.cursor() as cursor:
        marks = ", ".join(["%s"] * len(names))
        cursor.execute(f"UPDATE {TABLE} SET value = value + 1 WHERE name IN ({marks})", names)  # noqa: S608
        if cursor.rowcount != len(names):  # an app added since the migration: start its counter
            cursor.execute(f"SELECT name FROM {TABLE} WHERE name IN ({marks})", names)  # noqa: S608
            have = {row[0] for row in cursor.fetchall()}
            for name in names:
                if name not in have:
                    cursor.execute(f"INSERT INTO {TABLE} (name, value) VALUES (%s, 1)", [name])  # noqa: S608


def current() -> dict[str, int]:
    """The counters, read once per request."""
    known = _request_versions.get()
    if known is None:
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT name, value FROM {TABLE}")  # noqa: S608
                known = dict(cursor.fetchall())
        except DatabaseError:  # not migrated yet
            return {}
        _request_versions.set(known)
    return known


def writing(app: str | None = None) -> bool:
    """Whether this transaction has written tracked tables (of ``app``) it has not committed yet."""
    if not connection.in_atomic_block:
        return False
    pending = _pending(connection)
    return pending is not None and (app is None or app in pending.labels)


def in_request() -> bool:
    """Whether the versions are already read for this request (then reading them again costs nothing)."""
    return _request_versions.get() is not None


def fragment_key(name: str, parts: Iterable[Any], *, reads: Iterable[str]) -> str:
    """The cache key of a fragment: ``name``, ``parts`` (what it depends on besides the data: the user's scope,
    the filters, the day), the active language and the versions of the apps it ``reads``; "" (keep nothing)
    while this transaction has uncommitted writes."""
    if writing():
        return ""
    from django.utils.translation import get_language

    reads = sorted(reads)
    versions = current() if reads else {}
    key_text = repr((name, tuple(parts), get_language(), tuple((app, versions.get(app, 0)) for app in reads)))
    return "ttdn:fragment:" + hashlib.sha256(key_text.encode()).hexdigest()


def remember(
    name: str, parts: Iterable[Any], build: Callable[[], T], *, reads: Iterable[str], timeout: int = 3600
) -> T:
    """``build()``, kept in the cache under its ``fragment_key``."""
    key = fragment_key(name, parts, reads=reads)
    if not key:
        return build()
    return kept(key, build, timeout=timeout)


_building: dict[str, threading.Lock] = {}
_building_guard = threading.Lock()


def kept(key: str, build: Callable[[], T], *, timeout: int = 3600) -> T:
    """The value kept under ``key``, else ``build()`` kept there. One thread of the process builds a missing
    value while the others asking for it wait for it, rather than all building it at once (after a change, the
    readers of a busy page arrive together)."""
    found = cache.get(key, _MISSING)
    if found is not _MISSING:
        return found
    with _building_guard:
        lock = _building.setdefault(key, threading.Lock())
    with lock:
        found = cache.get(key, _MISSING)
        if found is _MISSING:
            found = build()
            cache.set(key, found, timeout)
    with _building_guard:
        _building.pop(key, None)
    return found


class VersionsMiddleware:
    """Forget the versions read by the previous request of this thread."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request_versions.set(None)
        try:
            return self.get_response(request)
        finally:
            _request_versions.reset(token)


def cached_page(
    qs: QuerySet[Any], number: Any, per_page: int, *, name: str, parts: Iterable[Any], reads: Iterable[str]
) -> Page:
    """Page ``number`` of ``qs`` (a paginator's page), its count and the ids on it kept in the cache under the
    data versions of what it ``reads``: a list sorted over many rows costs the sort once, and then one query by
    primary key a request. ``parts``: what the list depends on besides the data (scope, filters, day)."""
    parts, reads = tuple(parts), tuple(reads)
    count = remember(f"{name}:count", parts, qs.count, reads=reads)
    page = Paginator(range(count), per_page).get_page(number)
    start, stop = page.start_index() - 1, page.end_index()
    ids = remember(
        f"{name}:ids",
        (*parts, page.number, per_page),
        lambda: list(qs.values_list("pk", flat=True)[max(start, 0) : stop]),
        reads=reads,
    )

    def load() -> list[Any]:
        rows = {row.pk: row for row in qs.filter(pk__in=ids).order_by()} if ids else {}
        return [rows[pk] for pk in ids if pk in rows]

    page.object_list = LazyRows(load)
    return page


class LazyRows(Sequence[Any]):
    """Rows read from the database when first looked at: a page whose rendered rows are kept (``{% fragment %}``)
    does not read them at all."""

    def __init__(self, load: Callable[[], list[Any]]) -> None:
        self._load = load
        self._rows: list[Any] | None = None

    def _all(self) -> list[Any]:
        if self._rows is None:
            self._rows = list(self._load())
        return self._rows

    def __len__(self) -> int:
        return len(self._all())

    def __getitem__(self, index: Any) -> Any:
        return self._all()[index]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._all())


class Counted:
    """A list for a paginator whose count is known (kept in the cache), its slices read from ``items``."""

    def __init__(self, items: Any, count: int) -> None:
        self.items = items
        self.total = count

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index: Any) -> Any:
        return self.items[index]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.__dict__["items"], name)


def counted(items: Any, *, name: str, parts: Iterable[Any], reads: Iterable[str]) -> Counted:
    """``items`` (a queryset or a search's results) with its count kept under the data versions."""
    return Counted(items, remember(name, tuple(parts), items.count, reads=reads))
