from django.db import migrations


def install(apps, schema_editor):  # noqa: ANN001, ANN201
    """The engine with body words; every document already there is indexed again."""
    from ttdn.documents import search

    search.install_with_body(schema_editor)
    Document = apps.get_model("documents", "Document")
    rows = []
    for doc in Document.objects.using(schema_editor.connection.alias).only("id", "text", "search_text", "issued_on").iterator(chunk_size=500):
        words = search.body_words(doc.text) if doc.text else ""
        rows.append((doc.pk, doc.search_text, words, doc.issued_on))
        if len(rows) >= 500:
            _bulk(schema_editor, rows)
            rows = []
    _bulk(schema_editor, rows)


def _bulk(schema_editor, rows) -> None:  # noqa: ANN001
    from ttdn.documents.search import BODY_FTS_TABLE, BODY_KEYS, BODY_TABLE, FTS_TABLE, body_key

    if not rows:
        return
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "sqlite":
            keyed = [(body_key(pk, day), pk, words, f"{words} {body}".strip()) for pk, words, body, day in rows]
            cursor.executemany(f"INSERT INTO {FTS_TABLE}(rowid, words) VALUES (%s, %s)", [(k, w) for k, _, w, _ in keyed])
            cursor.executemany(f"INSERT INTO {BODY_FTS_TABLE}(rowid, words) VALUES (%s, %s)", [(k, t) for k, _, _, t in keyed])
            cursor.executemany(f"INSERT OR REPLACE INTO {BODY_KEYS}(document_id, key) VALUES (%s, %s)", [(pk, k) for k, pk, _, _ in keyed])
        elif schema_editor.connection.vendor == "postgresql":
            cursor.executemany(f"INSERT INTO {BODY_TABLE}(document_id, words) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                               [(pk, f"{words} {body}".strip()) for pk, words, body, _ in rows])


def uninstall(apps, schema_editor):  # noqa: ANN001, ANN201
    from ttdn.documents import search

    search.uninstall_body(schema_editor)
    if schema_editor.connection.vendor == "sqlite":  # the metadata engine of 0002, keyed by document id again
        Document = apps.get_model("documents", "Document")
        rows = list(Document.objects.using(schema_editor.connection.alias).values_list("id", "search_text"))
        with schema_editor.connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {search.FTS_TABLE}(rowid, words) VALUES (%s, %s)", rows)


class Migration(migrations.Migration):
    """Full-text search of document bodies, not only their metadata."""

    dependencies = [("documents", "0003_corrections")]

    operations = [
        migrations.RunPython(install, uninstall),
    ]
