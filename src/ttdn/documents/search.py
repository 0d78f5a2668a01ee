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

from typing import Any

from django.db import connection

from ttdn.core.text import fold

FTS_TABLE = "documents_fts"
BODY_FTS_TABLE = "documents_body_fts"
PG_INDEX = "documents_search_gin"
PG_BODY_INDEX = "documents_body_gin"
MAX_WORDS = 8


MAX_BODY_WORDS = 20_000


def install(schema_editor: Any) -> None:
    """The metadata-only engine of the first schema (migration 0002)."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(words, tokenize='unicode61')")
    elif vendor == "postgresql":
        # Stored, so matching rows are not re-tokenised when the index is rechecked.
        schema_editor.execute(
            "ALTER TABLE documents_document ADD COLUMN IF NOT EXISTS search_vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED"
        )
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON documents_document USING gin (search_vector)")


def install_with_body(schema_editor: Any) -> None:
    """A second engine over metadata and body words together (migration 0004); the metadata engine stays as it is."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {BODY_FTS_TABLE} USING fts5(words, tokenize='unicode61', detail='none')")
    elif vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE documents_document ADD COLUMN IF NOT EXISTS body_vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple', search_text || ' ' || body_words)) STORED"
        )
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {PG_BODY_INDEX} ON documents_document USING gin (body_vector)")


def uninstall_body(schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {BODY_FTS_TABLE}")
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {PG_BODY_INDEX}")
        schema_editor.execute("ALTER TABLE documents_document DROP COLUMN IF EXISTS body_vector")


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


def words_of(query: str) -> list[str]:
    return fold(query).split()[:MAX_WORDS]


def update(document_id: int, words: str, body: str = "") -> None:
    """Keep the engines' copies of a document's words (SQLite; PostgreSQL indexes the columns itself)."""
    bulk_update([(document_id, words, body)])


def bulk_update(rows: list[tuple[int, str]] | list[tuple[int, str, str]]) -> None:
    """Rows of (id, metadata words) or (id, metadata words, body words)."""
    if connection.vendor == "sqlite" and rows:
        full = [(row[0], row[1], row[2] if len(row) > 2 else "") for row in rows]
        with connection.cursor() as cursor:
            for table in (FTS_TABLE, BODY_FTS_TABLE):
                cursor.executemany(f"DELETE FROM {table} WHERE rowid = %s", [(pk,) for pk, *_ in full])
            cursor.executemany(f"INSERT INTO {FTS_TABLE}(rowid, words) VALUES (%s, %s)", [(pk, words) for pk, words, _ in full])
            cursor.executemany(f"INSERT INTO {BODY_FTS_TABLE}(rowid, words) VALUES (%s, %s)",
                               [(pk, f"{words} {body}".strip()) for pk, words, body in full])


def remove(document_id: int) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for table in (FTS_TABLE, BODY_FTS_TABLE):
                cursor.execute(f"DELETE FROM {table} WHERE rowid = %s", [document_id])


def matching_ids(words: list[str], *, narrow: bool = False, body: bool = False) -> tuple[str, list[str]]:
    """SQL returning the ids of documents matching every word, in their metadata (or, ``body``, in their
    metadata and text together).

    ``narrow``: few documents match; PostgreSQL is then told to find them first
    (a materialised CTE) rather than walk the whole newest-first index testing each.
    """
    *whole, last = words
    if connection.vendor == "sqlite":
        table = BODY_FTS_TABLE if body else FTS_TABLE
        return f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [fts_query(words)]
    if connection.vendor == "postgresql":
        terms = list(whole) + [f"{last}:*"]
        column = "body_vector" if body else "search_vector"
        sql = f"SELECT id FROM documents_document WHERE {column} @@ to_tsquery('simple', %s)"
        if narrow:
            sql = f"WITH hits AS MATERIALIZED ({sql}) SELECT id FROM hits"
        return sql, [" & ".join(terms)]
    raise NotImplementedError(connection.vendor)


def fts_query(words: list[str]) -> str:
    """FTS5 query text: every word whole but the last, which is a prefix (folded words only, quoted)."""
    *whole, last = words
    return " AND ".join([f'"{w}"' for w in whole] + [f'"{last}"*'])


def probe_sql(words: list[str], *, body: bool = False) -> tuple[str, list[str]]:
    """SQLite: a condition testing one document (``documents_document.id``) against the engine: the engine seeks
    by rowid, so a page of a broad search costs a probe a row instead of listing every match."""
    table = BODY_FTS_TABLE if body else FTS_TABLE
    return (f"EXISTS (SELECT 1 FROM {table} WHERE {table} MATCH %s AND {table}.rowid = documents_document.id)",
            [fts_query(words)])


def row_condition(words: list[str], *, body: bool = False) -> tuple[str, list[str]]:
    """A condition on one ``documents_document`` row: does it match? (SQLite: a probe of the engine by rowid;
    PostgreSQL: the stored vector of the row itself.)"""
    if connection.vendor == "sqlite":
        return probe_sql(words, body=body)
    *whole, last = words
    column = "body_vector" if body else "search_vector"
    return f"documents_document.{column} @@ to_tsquery('simple', %s)", [" & ".join(list(whole) + [f"{last}:*"])]


def count(words: list[str], cap: int | None = None, *, body: bool = False) -> int:
    """How many documents match, asked of the engine alone (no join); at most ``cap + 1`` when capped."""
    sql, params = matching_ids(words, body=body)
    if cap is not None:
        sql = f"{sql} LIMIT {int(cap) + 1}"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({sql}) AS hits", params)
        return int(cursor.fetchone()[0])

