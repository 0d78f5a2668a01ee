"""Indexes for a million stories: the originals newest first and by sentiment (the list and the attention
chart), the tags by body (a province's stories, a reader's scope) and, on PostgreSQL, a trigram index on the
folded text, which serves ``search_text LIKE '%word%'`` (the search without marks) as it stands."""

from django.db import migrations, models

TRIGRAM_INDEX = "monitoring_item_search_trgm"


def add_trigram_index(apps, schema_editor) -> None:  # noqa: ANN001
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite scans the folded column (docs/performance.md)
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON monitoring_item USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor) -> None:  # noqa: ANN001
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0001_initial"),
        ("orgs", "0002_vietnamese_names"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="item",
            index=models.Index(
                condition=models.Q(("duplicate_of__isnull", True)),
                fields=["-published_at", "-id"],
                name="item_original_newest",
            ),
        ),
        migrations.AddIndex(
            model_name="item",
            index=models.Index(
                condition=models.Q(("duplicate_of__isnull", True)),
                fields=["sentiment", "published_at"],
                name="item_original_sentiment",
            ),
        ),
        migrations.AddIndex(
            model_name="itemtag",
            index=models.Index(fields=["current", "item"], name="itemtag_current_item"),
        ),
        migrations.AddIndex(
            model_name="itemtag",
            index=models.Index(fields=["unit", "kind", "item"], name="itemtag_unit_item"),
        ),
        migrations.RunPython(add_trigram_index, drop_trigram_index, elidable=False),
    ]
