"""PostgreSQL: the stories found by a search are tested by id (their day, whether an original) and through the
scope gate (their tags' kinds and bodies): two B-trees that hold those columns let both be answered from the
indexes alone, without reading each story's row (1.5 KB) and each tag's; a province's reader's search of a
common word tests a few thousand stories so. SQLite: nothing (its stories' rows are found by their rowid, and
it has no columns outside an index's key).
"""

from django.db import migrations

INDEXES = (
    ("monitoring_item_id_cover", "monitoring_item (id) INCLUDE (published_at, duplicate_of_id)"),
    ("monitoring_itemtag_item_cover", "monitoring_itemtag (item_id) INCLUDE (kind, unit_id)"),
)


def add_indexes(apps, schema_editor) -> None:  # noqa: ANN001
    if schema_editor.connection.vendor == "postgresql":
        for name, columns in INDEXES:
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {columns}")


def drop_indexes(apps, schema_editor) -> None:  # noqa: ANN001
    if schema_editor.connection.vendor == "postgresql":
        for name, _ in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0006_week_facets")]

    operations = [migrations.RunPython(add_indexes, drop_indexes)]
