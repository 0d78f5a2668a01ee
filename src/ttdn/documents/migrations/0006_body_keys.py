import importlib

from django.db import migrations


def install(apps, schema_editor):  # noqa: ANN001, ANN201
    from ttdn.documents import search

    search.install_body_keys(schema_editor)


def uninstall(apps, schema_editor):  # noqa: ANN001, ANN201
    """Back to the table of migration 0004 (words kept beside a generated vector), filled again."""
    from ttdn.documents import search

    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TABLE IF EXISTS {search.BODY_TABLE}")
    importlib.import_module("ttdn.documents.migrations.0004_body_search").install(apps, schema_editor)


class Migration(migrations.Migration):
    """PostgreSQL: the body engine's table holds each document's newest-first key and its vector only, so
    a broad search in the text reads its page off the index in date order without unpacking any vector."""

    dependencies = [("documents", "0005_source_text")]

    operations = [migrations.RunPython(install, uninstall)]
