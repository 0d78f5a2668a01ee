"""Data versions: every committed write to an app's tables raises its counter; fragments follow the counters."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.utils import translation

from ttdn.core import versions
from ttdn.documents.models import Document


def _doc(number: str) -> Document:
    return Document.objects.create(
        number=number, doc_type="Kế hoạch", subject="Thử phiên bản", issued_on=dt.date(2026, 1, 5), text="x"
    )


def _now(app: str) -> int:
    versions._request_versions.set(None)
    return versions.current().get(app, 0)


@pytest.mark.django_db
def test_each_kind_of_write_raises_the_apps_counter_when_it_commits(
    django_capture_on_commit_callbacks,
) -> None:  # noqa: ANN001
    for write in (
        lambda: _doc("1/KH-PB"),
        lambda: Document.objects.filter(number="1/KH-PB").update(subject="Đổi"),
        lambda: Document.objects.bulk_create(
            [Document(number="2/KH-PB", doc_type="Kế hoạch", subject="s", text="")]
        ),
        lambda: connection.cursor().execute("DELETE FROM documents_document WHERE number = %s", ["2/KH-PB"]),
    ):
        before, tasks_before = _now("documents"), _now("tasks")
        with django_capture_on_commit_callbacks(execute=True):
            write()
            assert _now("documents") == before  # not before the commit
            assert versions.writing()
        assert _now("documents") == before + 1 and _now("tasks") == tasks_before
    before = _now("documents")
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(30):
            _doc(f"{n + 10}/KH-PB")
    assert _now("documents") == before + 1  # one transaction, one step


@pytest.mark.django_db
def test_a_rolled_back_write_raises_nothing(django_capture_on_commit_callbacks) -> None:  # noqa: ANN001
    before = _now("documents")
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                _doc("3/KH-PB")
                raise RuntimeError
        except RuntimeError:
            pass
        assert not versions.writing()
    assert _now("documents") == before


@pytest.mark.django_db
def test_a_fragment_is_built_again_only_when_what_it_reads_changed(
    django_capture_on_commit_callbacks,
) -> None:  # noqa: ANN001
    built: list[int] = []

    def build() -> int:
        built.append(1)
        return Document.objects.count()

    first = versions.remember("test-count", ("all",), build, reads=["documents"])
    assert versions.remember("test-count", ("all",), build, reads=["documents"]) == first and len(built) == 1
    versions.remember("test-count", ("other scope",), build, reads=["documents"])
    assert len(built) == 2
    with django_capture_on_commit_callbacks(execute=True):
        _doc("4/KH-PB")
        assert (
            versions.remember("test-count", ("all",), build, reads=["documents"]) == first + 1
        )  # own write seen
        assert len(built) == 3  # and not cached
    versions._request_versions.set(None)
    assert (
        versions.remember("test-count", ("all",), build, reads=["documents"]) == first + 1 and len(built) == 4
    )
    with django_capture_on_commit_callbacks(execute=True):
        connection.cursor().execute("UPDATE tasks_task SET lead_id = lead_id WHERE id < 0")
    versions._request_versions.set(None)
    versions.remember("test-count", ("all",), build, reads=["documents"])
    assert len(built) == 4  # tasks changed, not documents


@pytest.mark.django_db
def test_the_kept_menu_marks_the_page_it_is_on(django_capture_on_commit_callbacks, user) -> None:  # noqa: ANN001
    from django.test import Client

    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(user("cuc.canbo"))  # committed: the pages below keep their fragments
    assert not versions.writing()
    for _ in range(2):  # built, then read from the cache
        documents = client.get("/docs/").content.decode()
        tasks = client.get("/tasks/").content.decode()
        assert (
            'aria-current="page">Văn bản</a>' in documents
            and 'aria-current="page">Nhiệm vụ</a>' not in documents
        )
        assert 'aria-current="page">Nhiệm vụ</a>' in tasks and 'aria-current="page">Văn bản</a>' not in tasks
    english = Client()
    with django_capture_on_commit_callbacks(execute=True):
        english.force_login(user("cuc.canbo"))
    english.cookies["django_language"] = "en"
    try:
        assert 'aria-current="page">Documents</a>' in english.get("/docs/").content.decode()
    finally:
        translation.activate("vi")  # the request left English active in this thread


def test_readers_arriving_together_wait_for_one_build() -> None:
    import threading
    import time

    calls: list[int] = []

    def build() -> str:
        calls.append(1)
        time.sleep(0.2)  # long enough for every reader to arrive while it runs
        return "built"

    key = f"ttdn:test:single-flight:{time.monotonic_ns()}"
    results: list[str] = []
    readers = [threading.Thread(target=lambda: results.append(versions.kept(key, build))) for _ in range(8)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    assert results == ["built"] * 8 and len(calls) == 1
