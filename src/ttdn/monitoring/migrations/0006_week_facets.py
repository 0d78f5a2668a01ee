"""PostgreSQL: each story's words in ``monitoring_item_words`` also hold the week it was published in, a facet
word ``qqw<n>`` (n: whole weeks of 604,800 seconds since 01/01/1970 UTC, 0 for anything older; a fixed count,
so that no change of the server's or the product's time zone makes it stale). A search of a span of days asks
its weeks as one more group of the index's query, so that the index answers the stories of those weeks only:
the B-tree on the day was not combined with it (the planner prices a search's several terms at a few rows) and
every match of the words over all the years was read from the table to test its day (a province's own name
asked by its analyst: 20,000 rows read for a month's 1,300).

The table is copied once with the week added (not rebuilt from the stories' texts), in order of publication,
so that a span's stories lie together; the function that the triggers call writes the week from now on.
SQLite: nothing (its FTS5 index has no facet words).
"""

import importlib

from django.db import migrations

words = importlib.import_module("ttdn.monitoring.migrations.0005_whole_words")
WORDS = words.WORDS
WEEK_SECONDS = 604800
WEEK = f"GREATEST(0, floor(extract(epoch FROM {{moment}}) / {WEEK_SECONDS}))::bigint"
# the week's facet word of the story ``i`` (0005's row, with the week before the source)
SOURCE_FACET = " || ' qqo' || i.source_id"
ROW = words.ROW.replace(SOURCE_FACET, f" || ' qqw' || {WEEK.format(moment='i.published_at')}{SOURCE_FACET}")
assert ROW != words.ROW
WITHOUT_WEEK = "array_to_tsvector(ARRAY(SELECT w FROM unnest(tsvector_to_array(vector)) w WHERE w !~ '^qqw[0-9]+$'))"
WITH_WEEK = f"vector || ('qqw' || {WEEK.format(moment='published_at')})::tsvector"


def _copy(schema_editor, vector: str, row: str) -> None:  # noqa: ANN001
    """The words' table copied with ``vector`` for each row, in order of publication, under its own name and
    with its own indexes and key again; the function of the triggers writes ``row`` from then on."""
    new = f"{WORDS}_new"
    for statement in (
        "SET LOCAL maintenance_work_mem = '256MB'",
        # no story, tag or word written meanwhile (a trigger waiting on the stories writes into the new table)
        f"LOCK TABLE monitoring_item, monitoring_itemtag, {WORDS} IN SHARE MODE",
        f"CREATE TABLE {new} (item_id bigint NOT NULL, published_at timestamptz NOT NULL, "
        "original boolean NOT NULL, vector tsvector NOT NULL)",
        f"INSERT INTO {new} SELECT item_id, published_at, original, {vector} FROM {WORDS} ORDER BY published_at",
        f"DROP TABLE {WORDS}",
        f"ALTER TABLE {new} RENAME TO {WORDS}",
        f"ALTER TABLE {WORDS} ADD CONSTRAINT {WORDS}_pkey PRIMARY KEY (item_id)",
        f"CREATE INDEX {WORDS}_gin ON {WORDS} USING gin (vector)",
        f"CREATE INDEX {WORDS}_day ON {WORDS} (published_at)",
        f"ALTER TABLE {WORDS} ADD CONSTRAINT {WORDS}_item FOREIGN KEY (item_id) REFERENCES monitoring_item(id) "
        "ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED",
        f"CREATE OR REPLACE FUNCTION {WORDS}_of(story bigint) RETURNS void LANGUAGE sql AS $$ "
        f"INSERT INTO {WORDS} (item_id, published_at, original, vector) {row} WHERE i.id = story {words.UPSERT} $$",
        f"ANALYZE {WORDS}",
    ):
        schema_editor.execute(statement)


def add_weeks(apps, schema_editor) -> None:  # noqa: ANN001
    if schema_editor.connection.vendor == "postgresql":
        _copy(schema_editor, WITH_WEEK, ROW)


def drop_weeks(apps, schema_editor) -> None:  # noqa: ANN001
    if schema_editor.connection.vendor == "postgresql":
        _copy(schema_editor, WITHOUT_WEEK, words.ROW)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0005_whole_words")]

    operations = [migrations.RunPython(add_weeks, drop_weeks)]
