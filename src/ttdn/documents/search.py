"""Full-text search over documents' folded metadata and body, by the database's own engine.

A document's words are its folded metadata (``search_text``) and the distinct folded words of its
body (``body_words``), so "bien phong" finds a letter through the table it carries.
SQLite: an FTS5 table (``documents_fts``) keyed by document id, with both. PostgreSQL: a
stored ``tsvector`` column generated from both columns, with a GIN index. Words are folded first
(no diacritics, lower case, only ``[a-z0-9]``), so the query syntax of either
engine never sees user punctuation. Every word must match a whole word except
the last, which matches as a prefix (the user may still be typing it): whole
words are what both engines find fastest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper

from ttdn.core import fulltext
from ttdn.core.text import fold

FTS_TABLE = "documents_fts"
BODY_FTS_TABLE = "documents_body_fts"
BODY_KEYS = "documents_body_keys"
BODY_TABLE = "documents_body_words"  # PostgreSQL: metadata and body words of each document, with their vector
KEY_SPAN = 10_000_000  # body-engine key = issue date (ordinal) * KEY_SPAN + document id
PG_INDEX = "documents_search_gin"
PG_BODY_INDEX = "documents_body_gin"
MAX_WORDS = 8


MAX_BODY_WORDS = 20_000


def install(schema_editor: Any) -> None:
    """The metadata-only engine of the first schema (migration 0002)."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(words, tokenize='unicode61')"
        )
    elif vendor == "postgresql":
        # Stored, so matching rows are not re-tokenised when the index is rechecked.
        schema_editor.execute(
            "ALTER TABLE documents_document ADD COLUMN IF NOT EXISTS search_vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON documents_document USING gin (search_vector)"
        )


def install_with_body(schema_editor: Any) -> None:
    """A second engine over metadata and body words together (migration 0004); the metadata engine stays as it is."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        # The body engine's rowid is a key that sorts newest first (issue date, then id), so a broad search
        # reads its page straight off the engine; the key of each document is kept beside it.
        # The metadata engine is keyed the same way (rebuilt here, refilled by the migration).
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        schema_editor.execute(f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(words, tokenize='unicode61')")
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {BODY_FTS_TABLE} USING fts5(words, tokenize='unicode61', detail='none')"
        )
        schema_editor.execute(
            f"CREATE TABLE IF NOT EXISTS {BODY_KEYS} (document_id INTEGER PRIMARY KEY, key INTEGER NOT NULL)"
        )
    elif vendor == "postgresql":
        # A table of its own: the documents' rows stay narrow, so the metadata search walks them as fast as before.
        schema_editor.execute(
            f"CREATE TABLE IF NOT EXISTS {BODY_TABLE} (document_id bigint PRIMARY KEY REFERENCES documents_document(id) "
            "ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED, words text NOT NULL DEFAULT '', "
            "vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', words)) STORED)"
        )
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {PG_BODY_INDEX} ON {BODY_TABLE} USING gin (vector)"
        )


def install_body_keys(schema_editor: Any) -> None:
    """PostgreSQL (migration 0006): the body table becomes (document, newest-first key, vector). Without the
    words kept beside the vector its rows are a few dozen bytes (the vector lives out of line), so a scan of
    every match reads a small table, and the key orders the matches newest first as on SQLite."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE TABLE {BODY_TABLE}_keyed (document_id bigint PRIMARY KEY REFERENCES documents_document(id) "
        "ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED, key bigint NOT NULL, vector tsvector NOT NULL)"
    )
    schema_editor.execute(
        f"INSERT INTO {BODY_TABLE}_keyed (document_id, key, vector) SELECT w.document_id, "
        f"COALESCE(d.issued_on - DATE '0001-01-01' + 1, {_UNDATED_DAY[True]})::bigint * {KEY_SPAN} + d.id, w.vector "
        f"FROM {BODY_TABLE} w JOIN documents_document d ON d.id = w.document_id"
    )
    schema_editor.execute(
        "SET CONSTRAINTS ALL IMMEDIATE"
    )  # the copied rows' checks now, before the table is altered
    schema_editor.execute(f"DROP TABLE {BODY_TABLE}")
    schema_editor.execute(f"ALTER TABLE {BODY_TABLE}_keyed RENAME TO {BODY_TABLE}")
    schema_editor.execute(f"CREATE INDEX {PG_BODY_INDEX} ON {BODY_TABLE} USING gin (vector)")


def uninstall_body(schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {BODY_FTS_TABLE}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {BODY_KEYS}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(words, tokenize='unicode61')"
        )  # refilled on reindex
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP TABLE IF EXISTS {BODY_TABLE}")


def body_words(text: str) -> str:
    """The distinct folded words of a body (stored once, sorted: a fraction of the text's size)."""
    return " ".join(sorted({w[:40] for w in fold(text).split()})[:MAX_BODY_WORDS])


def uninstall(schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
        schema_editor.execute("ALTER TABLE documents_document DROP COLUMN IF EXISTS search_vector")


# A stub (a document known only from citations) carries this word among its metadata words, so that the
# engines themselves leave stubs out when the list does ("NOT" in the query): counts and pages then need no
# look at the documents' rows. Folded words are [a-z0-9]; no Vietnamese word looks like it.
STUB_WORD = "qqvbdanchieuqq"


class Words(list[str]):
    """A query's folded words (at most ``MAX_WORDS``). ``stubs``: whether documents known only from
    citations may match."""

    stubs: bool = True


def words_of(query: str, *, stubs: bool = True) -> Words:
    words = Words(w for w in fold(query).split() if w != STUB_WORD)
    del words[MAX_WORDS:]
    words.stubs = stubs
    return words


def _without_stubs(words: list[str]) -> bool:
    return not getattr(words, "stubs", True)


def body_key(document_id: int, issued_on: dt.date | None) -> int:
    """The body engine's key for a document: newest issue date first when read in descending order, and a
    document without a date where the database's own newest-first order puts it (SQLite: last; PostgreSQL:
    first), so that a page read off the keys is the page the documents' rows would give."""
    return (
        issued_on.toordinal() if issued_on else _UNDATED_DAY[connection.vendor == "postgresql"]
    ) * KEY_SPAN + document_id


_UNDATED_DAY = {False: 0, True: dt.date.max.toordinal() + 1}


def update(document_id: int, words: str, body: str = "", issued_on: dt.date | None = None) -> None:
    """Keep the engines' copies of a document's words (SQLite; PostgreSQL indexes the columns itself)."""
    bulk_update([(document_id, words, body, issued_on)])


def bulk_update(rows: list[tuple[int, str, str, dt.date | None]]) -> None:
    """Rows of (id, metadata words, body words, issue date)."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {BODY_TABLE}(document_id, key, vector) VALUES (%s, %s, to_tsvector('simple', %s)) "
                "ON CONFLICT (document_id) DO UPDATE SET key = EXCLUDED.key, vector = EXCLUDED.vector",
                [(pk, body_key(pk, day), f"{words} {body}".strip()) for pk, words, body, day in rows],
            )
        return
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        ids = [(pk,) for pk, *_ in rows]
        for table in (FTS_TABLE, BODY_FTS_TABLE):
            cursor.executemany(
                f"DELETE FROM {table} WHERE rowid = (SELECT key FROM {BODY_KEYS} WHERE document_id = %s)", ids
            )
        keyed = [(body_key(pk, day), pk, words, f"{words} {body}".strip()) for pk, words, body, day in rows]
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE}(rowid, words) VALUES (%s, %s)",
            [(key, words) for key, _, words, _ in keyed],
        )
        cursor.executemany(
            f"INSERT INTO {BODY_FTS_TABLE}(rowid, words) VALUES (%s, %s)",
            [(key, text) for key, _, _, text in keyed],
        )
        cursor.executemany(
            f"INSERT OR REPLACE INTO {BODY_KEYS}(document_id, key) VALUES (%s, %s)",
            [(pk, key) for key, pk, _, _ in keyed],
        )


def remove(document_id: int) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for table in (FTS_TABLE, BODY_FTS_TABLE):
                cursor.execute(
                    f"DELETE FROM {table} WHERE rowid = (SELECT key FROM {BODY_KEYS} WHERE document_id = %s)",
                    [document_id],
                )
            cursor.execute(f"DELETE FROM {BODY_KEYS} WHERE document_id = %s", [document_id])


def matching_ids(words: list[str], *, narrow: bool = False, body: bool = False) -> tuple[str, list[str]]:
    """SQL returning the ids of documents matching every word, in their metadata (or, ``body``, in their
    metadata and text together).

    ``narrow``: few documents match; PostgreSQL is then told to find them first
    (a materialised CTE) rather than walk the whole newest-first index testing each.
    """
    if connection.vendor == "sqlite":
        if body:
            return f"SELECT rowid %% {KEY_SPAN} FROM {BODY_FTS_TABLE} WHERE {BODY_FTS_TABLE} MATCH %s", [
                fts_query(words, body=True)
            ]
        return f"SELECT rowid %% {KEY_SPAN} FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [fts_query(words)]
    if connection.vendor == "postgresql":
        terms = [tsquery(words, body=body)]
        if body:
            sql = f"SELECT document_id AS id FROM {BODY_TABLE} WHERE vector @@ to_tsquery('simple', %s)"
        else:
            sql = "SELECT id FROM documents_document WHERE search_vector @@ to_tsquery('simple', %s)"
        if narrow:
            sql = f"WITH hits AS MATERIALIZED ({sql}) SELECT id FROM hits"
        return sql, terms
    raise NotImplementedError(connection.vendor)


def fts_query(words: list[str], *, body: bool = False) -> str:
    """FTS5 query text (folded words only, quoted). Metadata: every word whole but the last, a prefix (the user
    may still be typing it). Text: whole words (a prefix of a short word would match half the language)."""
    query = fulltext.fts5_query(_last_as_prefix(words, body))
    return f'({query}) NOT "{STUB_WORD}"' if _without_stubs(words) else query


def tsquery(words: list[str], *, body: bool = False) -> str:
    """PostgreSQL tsquery text, with the same rule as ``fts_query``."""
    query = fulltext.tsquery(_last_as_prefix(words, body))
    return f"{query} & !{STUB_WORD}" if _without_stubs(words) else query


def _last_as_prefix(words: list[str], body: bool) -> list[str]:
    return list(words) if body else [*words[:-1], words[-1] + fulltext.PREFIX]


def newest_in_text(words: list[str], offset: int, limit: int) -> list[int]:
    """Ids of the documents whose metadata or text holds the words, newest first, read off the body engine's
    keys (SQLite: in their order, no list of every match is built; PostgreSQL: the index's matches sorted
    by key, in a table of small rows)."""
    if connection.vendor == "postgresql":
        with engine_cursor() as cursor:
            cursor.execute(
                f"SELECT document_id FROM {BODY_TABLE} WHERE vector @@ to_tsquery('simple', %s) ORDER BY key DESC LIMIT %s OFFSET %s",
                [tsquery(words, body=True), int(limit), int(offset)],
            )
            return [int(row[0]) for row in cursor.fetchall()]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid %% {KEY_SPAN} FROM {BODY_FTS_TABLE} WHERE {BODY_FTS_TABLE} MATCH %s ORDER BY rowid DESC LIMIT %s OFFSET %s",
            [fts_query(words, body=True), int(limit), int(offset)],
        )
        return [int(row[0]) for row in cursor.fetchall()]


RECENT_WINDOW = 400  # newest documents tried first for a broad search's first page (PostgreSQL)


def newest_recent_in_text(
    words: list[str], limit: int, window: int | None = None, exclude: list[int] | None = None
) -> list[int] | None:
    """PostgreSQL: the newest ``limit`` matches if they are all among the newest ``window`` documents, else
    None. Each of those rows costs one look at its body vector, so the cost is bounded (~12 ms), and a broad
    search (a third of the registry) has its first page there; a search whose matches are old (a year
    named, say) goes on to the sorted scan. ``exclude``: ids left out."""
    window = RECENT_WINDOW if window is None else window
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT d.id FROM (SELECT id, issued_on FROM documents_document ORDER BY issued_on DESC, id DESC LIMIT %s) d "
            f"WHERE EXISTS (SELECT 1 FROM {BODY_TABLE} w WHERE w.document_id = d.id AND w.vector @@ to_tsquery('simple', %s)) "
            "AND NOT (d.id = ANY(%s)) ORDER BY d.issued_on DESC, d.id DESC LIMIT %s",
            [int(window), tsquery(words, body=True), list(exclude or []), int(limit)],
        )
        ids = [int(row[0]) for row in cursor.fetchall()]
    return ids if len(ids) >= limit else None


def newest_only_in_text(words: list[str], limit: int, in_metadata: list[int] | None = None) -> list[int]:
    """Ids of the newest documents whose text holds the words and whose metadata does not. SQLite: the body
    engine read newest first, the metadata engine asked only about the same stretch of keys. PostgreSQL:
    the body engine's matches less ``in_metadata`` (every metadata match, known to be few), by key."""
    if connection.vendor == "postgresql":
        known = list(in_metadata or [])
        recent = newest_recent_in_text(words, limit, exclude=known)
        if recent is not None:
            return recent
        with engine_cursor() as cursor:
            cursor.execute(
                f"SELECT document_id FROM {BODY_TABLE} WHERE vector @@ to_tsquery('simple', %s) AND NOT (document_id = ANY(%s)) "
                "ORDER BY key DESC LIMIT %s",
                [tsquery(words, body=True), known, int(limit)],
            )
            return [int(row[0]) for row in cursor.fetchall()]
    found: list[int] = []
    offset, batch = 0, max(4 * limit, 40)
    with connection.cursor() as cursor:
        while len(found) < limit and offset < 20 * batch:
            cursor.execute(
                f"SELECT rowid FROM {BODY_FTS_TABLE} WHERE {BODY_FTS_TABLE} MATCH %s ORDER BY rowid DESC LIMIT %s OFFSET %s",
                [fts_query(words, body=True), batch, offset],
            )
            keys = [int(row[0]) for row in cursor.fetchall()]
            if not keys:
                break
            cursor.execute(
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid BETWEEN %s AND %s",
                [fts_query(words), keys[-1], keys[0]],
            )
            in_metadata = {int(row[0]) for row in cursor.fetchall()}
            found.extend(key % KEY_SPAN for key in keys if key not in in_metadata)
            offset += batch
    return found[:limit]


def row_condition(words: list[str], *, body: bool = False) -> tuple[str, list[str]]:
    """PostgreSQL: a condition on one ``documents_document`` row, tested on its stored vector (the body's by its key)."""
    if body:
        return (
            f"EXISTS (SELECT 1 FROM {BODY_TABLE} w WHERE w.document_id = documents_document.id "
            "AND w.vector @@ to_tsquery('simple', %s))",
            [tsquery(words, body=True)],
        )
    return "documents_document.search_vector @@ to_tsquery('simple', %s)", [tsquery(words)]


@contextmanager
def engine_cursor() -> Iterator[CursorWrapper]:
    """A cursor for a capped scan of the engine. PostgreSQL's planner prices a test of a stored vector as
    cheap and, under a LIMIT, prefers reading the table in its order and testing row after row; each test
    unpacks a vector kept out of line (a body's: ~3 KB), so a broad search took twice as long as the
    index's own answer. Within this statement only, the planner is told to use the index."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        yield cursor


def first_matches(words: list[str], cap: int, *, body: bool = False) -> list[int]:
    """Ids of at most ``cap + 1`` matching documents, asked of the engine alone, in no order. One scan of the
    engine both counts a narrow search and names its documents, so its page needs no second scan."""
    sql, params = matching_ids(words, body=body)
    with engine_cursor() as cursor:
        cursor.execute(f"{sql} LIMIT {int(cap) + 1}", params)
        return [int(row[0]) for row in cursor.fetchall()]


def first_matches_dated(words: list[str], cap: int) -> list[tuple[int, dt.date | None]]:
    """PostgreSQL, metadata: (id, issue date) of at most ``cap + 1`` matching documents. The scan reads each
    matching row anyway (to recheck it), so its date comes free and a narrow search is ordered without
    a second visit."""
    with engine_cursor() as cursor:
        cursor.execute(
            f"SELECT id, issued_on FROM documents_document WHERE search_vector @@ to_tsquery('simple', %s) LIMIT {int(cap) + 1}",
            [tsquery(words)],
        )
        return [(int(pk), day) for pk, day in cursor.fetchall()]


def count(words: list[str], cap: int | None = None, *, body: bool = False) -> int:
    """How many documents match, asked of the engine alone (no join); at most ``cap + 1`` when capped."""
    sql, params = matching_ids(words, body=body)
    if cap is not None:
        sql = f"{sql} LIMIT {int(cap) + 1}"
    with engine_cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({sql}) AS hits", params)
        return int(cursor.fetchone()[0])


def clear() -> None:
    """Empty the engines' own copies of the documents' words (SQLite's FTS tables, PostgreSQL's body table;
    PostgreSQL's metadata vector is a column of the documents' rows and needs no copy)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for table in (FTS_TABLE, BODY_FTS_TABLE, BODY_KEYS):
                cursor.execute(f"DELETE FROM {table}")
        elif connection.vendor == "postgresql":
            cursor.execute(f"DELETE FROM {BODY_TABLE}")


def indexed_count() -> int:
    """How many documents the body engine holds (every document has a row there)."""
    table = BODY_KEYS if connection.vendor == "sqlite" else BODY_TABLE
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return int(cursor.fetchone()[0])


@contextmanager
def bulk_load() -> Iterator[None]:
    """PostgreSQL: the GIN indexes are dropped while many rows are loaded and built once at the end, inside
    the caller's transaction (row by row, a registry of 20,000 documents took minutes). SQLite: nothing."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
        cursor.execute(f"DROP INDEX IF EXISTS {PG_BODY_INDEX}")
    yield
    with connection.cursor() as cursor:
        cursor.execute(
            "SET CONSTRAINTS ALL IMMEDIATE"
        )  # the deferred checks now: an index needs none pending
        cursor.execute(f"CREATE INDEX {PG_INDEX} ON documents_document USING gin (search_vector)")
        cursor.execute(f"CREATE INDEX {PG_BODY_INDEX} ON {BODY_TABLE} USING gin (vector)")
