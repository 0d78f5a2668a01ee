from django.db import migrations


def install(apps, schema_editor):  # noqa: ANN001, ANN201
    from ttdn.documents import search

    search.install(schema_editor)


def uninstall(apps, schema_editor):  # noqa: ANN001, ANN201
    from ttdn.documents import search

    search.uninstall(schema_editor)


class Migration(migrations.Migration):
    """The database's own full-text engine for document search (FTS5 on SQLite, GIN on PostgreSQL)."""

    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
