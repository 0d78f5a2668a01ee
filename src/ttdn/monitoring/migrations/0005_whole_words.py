"""The search finds whole words (a word typed with ``*`` at its end: every word that begins so), as the
documents' search does, through each database's own engine; the trigram indexes (substrings) are dropped.
The folded text is already words of ``[a-z0-9]`` one space apart, so both engines see the same words.

- SQLite: the FTS5 index of migration 0004 with the ``unicode61`` tokenizer in place of ``trigram``, kept by
  the same triggers.
- PostgreSQL: a table of its own, ``monitoring_item_words`` (story, day of publication, original or not, its
  words as a ``tsvector`` without positions, with its tags as facet words: the bodies it names, the bodies
  they are today, its topics), with a GIN index on the words and a B-tree on the day, kept by triggers on the
  stories and their tags as FTS5 is on SQLite. A reader's scope, a province or a topic asked with words is
  then one more term of the index's query, so that only the stories meeting all of them are read. A search asks it for the matches of a span of days (the two
  indexes together: a common word's matches of a week or a month, a few thousand rows of ~600 bytes), where
  the stories' own rows (1.5 KB each, a trigram recheck of the text) made it read most of a 1.5 GB table.
"""

import importlib

from django.db import migrations

WORDS = "monitoring_item_words"
TRIGRAM_INDEX = "monitoring_item_search_trgm"
FTS = "monitoring_item_fts"
FTS_TRIGGERS = ("insert", "delete", "update")
# the facets a story's tags and columns add to its words (``selectors.FACET_*``): "qqu<body named>",
# "qqc<body of today>", "qqt<topic>", "qql<language>", "qqs<sentiment>", "qqo<source>"; folded words never
# look like them
FACETS = (
    "SELECT string_agg(CASE WHEN t.kind = 'topic' THEN 'qqt' || regexp_replace(lower(t.topic), '[^a-z0-9]', '', 'g') "
    "ELSE 'qqu' || t.unit_id || COALESCE(' qqc' || t.current_id, '') END, ' ') FROM monitoring_itemtag t "
    "WHERE t.item_id = i.id"
)
ROW = (
    "SELECT i.id, i.published_at, i.duplicate_of_id IS NULL, strip(to_tsvector('simple'::regconfig, "
    "i.search_text || ' qql' || regexp_replace(lower(i.language), '[^a-z0-9]', '', 'g') || ' qqs' || i.sentiment "
    f"|| ' qqo' || i.source_id || ' ' || COALESCE(({FACETS}), ''))) FROM monitoring_item i"
)
UPSERT = (
    "ON CONFLICT (item_id) DO UPDATE SET published_at = EXCLUDED.published_at, original = EXCLUDED.original, "
    "vector = EXCLUDED.vector"
)
PG_WORDS = [
    f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}",
    "SET LOCAL maintenance_work_mem = '256MB'",
    f"CREATE TABLE {WORDS} (item_id bigint PRIMARY KEY, published_at timestamptz NOT NULL, "
    "original boolean NOT NULL, vector tsvector NOT NULL)",
    f"INSERT INTO {WORDS} (item_id, published_at, original, vector) {ROW}",
    f"CREATE INDEX {WORDS}_gin ON {WORDS} USING gin (vector)",
    f"CREATE INDEX {WORDS}_day ON {WORDS} (published_at)",
    # the key after the rows (checked once, by a join), so that no check is left pending for the index's build
    f"ALTER TABLE {WORDS} ADD CONSTRAINT {WORDS}_item FOREIGN KEY (item_id) REFERENCES monitoring_item(id) "
    "ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED",
    f"CREATE FUNCTION {WORDS}_of(story bigint) RETURNS void LANGUAGE sql AS $$ "
    f"INSERT INTO {WORDS} (item_id, published_at, original, vector) {ROW} WHERE i.id = story {UPSERT} $$",
    f"CREATE FUNCTION {WORDS}_keep() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"PERFORM {WORDS}_of(NEW.id); RETURN NULL; END $$",
    f"CREATE TRIGGER {WORDS}_keep AFTER INSERT OR UPDATE OF search_text, published_at, duplicate_of_id, language, "
    "sentiment, source_id "
    f"ON monitoring_item FOR EACH ROW EXECUTE FUNCTION {WORDS}_keep()",
    f"CREATE FUNCTION {WORDS}_tags() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"IF TG_OP <> 'INSERT' THEN PERFORM {WORDS}_of(OLD.item_id); END IF; "
    f"IF TG_OP <> 'DELETE' THEN PERFORM {WORDS}_of(NEW.item_id); END IF; RETURN NULL; END $$",
    f"CREATE TRIGGER {WORDS}_tags AFTER INSERT OR UPDATE OR DELETE ON monitoring_itemtag "
    f"FOR EACH ROW EXECUTE FUNCTION {WORDS}_tags()",
    f"ANALYZE {WORDS}",
]


def _earlier(name: str):  # noqa: ANN202
    return importlib.import_module(f"ttdn.monitoring.migrations.{name}")


def _drop_fts(schema_editor) -> None:  # noqa: ANN001
    for trigger in FTS_TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {FTS}_{trigger}")
    schema_editor.execute(f"DROP TABLE IF EXISTS {FTS}")


def whole_words(apps, schema_editor) -> None:  # noqa: ANN001
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in PG_WORDS:
            schema_editor.execute(statement)
    elif vendor == "sqlite":
        _drop_fts(schema_editor)
        for statement in _earlier("0004_day_counts").FTS_SQL:
            schema_editor.execute(statement.replace("tokenize='trigram'", "tokenize='unicode61', detail='none'"))


def substrings(apps, schema_editor) -> None:  # noqa: ANN001
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {WORDS}_keep ON monitoring_item")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {WORDS}_tags ON monitoring_itemtag")
        for function in ("keep()", "tags()", "of(bigint)"):
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {WORDS}_{function}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {WORDS}")
        _earlier("0002_scale_indexes").add_trigram_index(apps, schema_editor)
    elif vendor == "sqlite":
        _drop_fts(schema_editor)
        _earlier("0004_day_counts").add_fts(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0004_day_counts")]

    operations = [migrations.RunPython(whole_words, substrings)]
