from django.db import migrations


def _reindex(apps, schema_editor, *, mark: bool) -> None:  # noqa: ANN001
    """Stubs (no text) carry ``search.STUB_WORD`` among their metadata words (``mark``), or no longer do."""
    from ttdn.documents import search

    Document = apps.get_model("documents", "Document")
    stubs = Document.objects.using(schema_editor.connection.alias).filter(text="").only("id", "search_text", "issued_on")
    rows = []
    for doc in stubs.iterator(chunk_size=500):
        words = set(doc.search_text.split()) - {search.STUB_WORD}
        if mark:
            words.add(search.STUB_WORD)
        doc.search_text = " ".join(sorted(words))
        doc.save(update_fields=["search_text"])
        rows.append((doc.pk, doc.search_text, "", doc.issued_on))
        if len(rows) >= 500:
            search.bulk_update(rows)
            rows = []
    search.bulk_update(rows)


def mark(apps, schema_editor):  # noqa: ANN001, ANN201
    _reindex(apps, schema_editor, mark=True)


def unmark(apps, schema_editor):  # noqa: ANN001, ANN201
    _reindex(apps, schema_editor, mark=False)


class Migration(migrations.Migration):
    """The engines tell stubs apart, so a list without them is counted and paged by the engine alone."""

    dependencies = [("documents", "0006_body_keys")]

    operations = [migrations.RunPython(mark, unmark)]
