"""Full-text search over documents' folded metadata, by the database's own engine.

SQLite: an FTS5 table (``documents_fts``) keyed by document id. PostgreSQL: a
stored ``tsvector`` column generated from ``search_text``, with a GIN index. Words are folded first
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
PG_INDEX = "documents_search_gin"
MAX_WORDS = 8


def install(schema_editor: Any) -> None:
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


def uninstall(schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
        schema_editor.execute("ALTER TABLE documents_document DROP COLUMN IF EXISTS search_vector")


def words_of(query: str) -> list[str]:
    return fold(query).split()[:MAX_WORDS]


def update(document_id: int, words: str) -> None:
    """Keep the engine's copy of a document's words (SQLite; PostgreSQL indexes the column itself)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [document_id])
            cursor.execute(f"INSERT INTO {FTS_TABLE}(rowid, words) VALUES (%s, %s)", [document_id, words])


def bulk_update(rows: list[tuple[int, str]]) -> None:
    if connection.vendor == "sqlite" and rows:
        with connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(pk,) for pk, _ in rows])
            cursor.executemany(f"INSERT INTO {FTS_TABLE}(rowid, words) VALUES (%s, %s)", rows)


def remove(document_id: int) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [document_id])


def matching_ids(words: list[str], *, narrow: bool = False) -> tuple[str, list[str]]:
    """SQL returning the ids of documents matching every word.

    ``narrow``: few documents match; PostgreSQL is then told to find them first
    (a materialised CTE) rather than walk the whole newest-first index testing each.
    """
    *whole, last = words
    if connection.vendor == "sqlite":
        terms = [f'"{w}"' for w in whole] + [f'"{last}"*']
        return f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [" AND ".join(terms)]
    if connection.vendor == "postgresql":
        terms = list(whole) + [f"{last}:*"]
        sql = "SELECT id FROM documents_document WHERE search_vector @@ to_tsquery('simple', %s)"
        if narrow:
            sql = f"WITH hits AS MATERIALIZED ({sql}) SELECT id FROM hits"
        return sql, [" & ".join(terms)]
    raise NotImplementedError(connection.vendor)


def count(words: list[str], cap: int | None = None) -> int:
    """How many documents match, asked of the engine alone (no join); at most ``cap + 1`` when capped."""
    sql, params = matching_ids(words)
    if cap is not None:
        sql = f"{sql} LIMIT {int(cap) + 1}"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({sql}) AS hits", params)
        return int(cursor.fetchone()[0])

