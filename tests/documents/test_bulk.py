"""Bulk import (finding 8): files checked first, written in batches by the job worker, no orphan files."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from tests.conftest import login

TTDN = [sys.executable, "-m", "ttdn.cli"]


def text(n: int, body: str = "Nội dung.") -> str:
    return (
        "BỘ NGOẠI GIAO\n-----\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        f"Số: {n}/BNG-KTHL\nHà Nội, ngày 3 tháng 2 năm 2026\nCÔNG VĂN\nVề việc thử nhập hàng loạt số {n}\n{body}"
    )


def files(start: int, count: int) -> list[tuple[str, bytes]]:
    return [(f"vb-{n}.txt", text(n).encode()) for n in range(start, start + count)]


def work_queue() -> None:
    call_command("worker", "--batch", "--interval", "0")


@pytest.mark.django_db
def test_run_is_queued_then_worked_in_batches(user, django_capture_on_commit_callbacks) -> None:
    from ttdn.documents import bulk
    from ttdn.documents.models import Document, ImportRunState
    from ttdn.notices.models import Notice

    officer = user("cuc.canbo")
    with django_capture_on_commit_callbacks(execute=True):
        run = bulk.start(officer, files(9100, 7))
    run.refresh_from_db()
    assert run.state == ImportRunState.QUEUED and run.total == 7  # queued, not worked in the request
    assert not Document.objects.filter(number__startswith="9100/").exists()
    done = bulk.perform(run.pk, batch_size=3)
    assert done.state == ImportRunState.DONE and (done.done, done.created_count, done.existing_count) == (
        7,
        7,
        0,
    )
    assert Document.objects.filter(number__regex=r"^91(0[0-6])/BNG-KTHL$").count() == 7
    assert not (Path(settings.MEDIA_ROOT) / done.folder).exists()  # its staged inputs are gone
    assert Notice.objects.filter(
        user=officer, kind="import_done", url=f"/docs/import/runs/{run.pk}/"
    ).exists()
    again = bulk.perform(run.pk)  # a finished run is not worked twice
    assert again.created_count == 7


@pytest.fixture
def committed(django_db_setup, django_db_blocker):  # noqa: ANN001, ANN201
    """Real commits on the session's database (the worker closes connections, which a test case's transaction
    cannot survive); the test removes what it wrote."""
    with django_db_blocker.unblock():
        yield


def test_the_job_worker_runs_the_queued_import(committed) -> None:
    from django_tasks_db.models import DBTaskResult

    from ttdn.accounts.models import User
    from ttdn.documents import bulk
    from ttdn.documents.models import Document, ImportRun, ImportRunState
    from ttdn.notices.models import Notice

    officer = User.objects.get(username="cuc.canbo")
    run = bulk.start(officer, files(9200, 3))  # queued when its row commits
    try:
        assert (
            DBTaskResult.objects.filter(args_kwargs__args=[run.pk], task_path__endswith="bulk_import").count()
            == 1
        )
        work_queue()
        run = ImportRun.objects.get(pk=run.pk)
        assert run.state == ImportRunState.DONE and run.created_count == 3
    finally:
        Document.objects.filter(number__regex=r"^920[0-2]/BNG-KTHL$").delete()
        Notice.objects.filter(kind="import_done").delete()
        DBTaskResult.objects.all().delete()
        ImportRun.objects.all().delete()


@pytest.mark.django_db
def test_one_unreadable_file_refuses_the_whole_run(user, django_capture_on_commit_callbacks) -> None:
    from ttdn.documents import bulk
    from ttdn.documents.models import Document, ImportRunState

    with django_capture_on_commit_callbacks(execute=True):
        run = bulk.start(user("cuc.canbo"), [*files(9300, 4), ("hong.docx", b"PK\x03\x04 not really a docx")])
    run = bulk.perform(run.pk)
    assert run.state == ImportRunState.REFUSED
    assert [e["file"] for e in run.errors] == ["hong.docx"]
    assert not Document.objects.filter(number__startswith="930").exists()  # nothing half-imported


@pytest.mark.django_db
def test_a_stopped_run_goes_on_where_its_last_batch_ended(user, django_capture_on_commit_callbacks) -> None:
    from ttdn.documents import bulk
    from ttdn.documents.models import Document, ImportRunState

    with django_capture_on_commit_callbacks(execute=True):
        run = bulk.start(user("cuc.canbo"), files(9400, 5))
    texts, _errors = bulk.read_all(bulk._inputs(run))
    bulk.write_batches(texts[:2], batch_size=2)  # a first batch committed, then the worker was stopped
    run.state, run.done, run.created_count = ImportRunState.RUNNING, 2, 2
    run.started_at = run.created_at
    run.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert bulk.requeue_stopped() == 1  # as the worker starts again
    run = bulk.perform(run.pk, batch_size=2)
    assert (run.state, run.done, run.created_count, run.existing_count) == (ImportRunState.DONE, 5, 5, 0)
    assert Document.objects.filter(number__regex=r"^940[0-4]/").count() == 5


@pytest.mark.django_db
def test_zip_of_documents_and_its_limits(user) -> None:
    from ttdn.documents import bulk
    from ttdn.documents.services import ImportRefused

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in files(9500, 3):
            package.writestr(f"thu-muc/{name}", data)
        package.writestr("__MACOSX/._vb.txt", b"junk")
        package.writestr("anh.png", b"\x89PNG")
    assert [n for n, _d in bulk.expand([("goi.zip", buffer.getvalue())])] == [
        "vb-9500.txt",
        "vb-9501.txt",
        "vb-9502.txt",
    ]
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("to.txt", b"a" * (bulk.MAX_TOTAL + 1))
    with pytest.raises(ImportRefused, match="quá lớn"):
        bulk.expand([("bom.zip", bomb.getvalue())])
    with pytest.raises(ImportRefused, match="hỏng"):
        bulk.expand([("hong.zip", b"PK\x03\x04 broken")])
    with pytest.raises(ImportRefused, match="Không có tệp"):
        bulk.expand([("rong.zip", _zip({"anh.png": b"x"}))])


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in members.items():
            package.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.django_db
def test_bulk_pages(user, django_capture_on_commit_callbacks) -> None:
    from ttdn.documents.models import ImportRun

    officer = login("quangtri.canbo")
    page = officer.get("/docs/import/")
    assert page.status_code == 200 and "Nhập hàng loạt" in page.content.decode()
    uploads = [ContentFile(data, name=name) for name, data in files(9600, 2)]
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = officer.post("/docs/import/bulk/", {"files": uploads})
    run = ImportRun.objects.get(created_by=user("quangtri.canbo"))
    assert len(queued) == 1 and not (Path(settings.MEDIA_ROOT) / run.folder).exists()  # kept on commit
    assert response.status_code == 302 and response["Location"] == f"/docs/import/runs/{run.pk}/"
    waiting = officer.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' in waiting and "đang chờ" in waiting  # the page follows the run
    assert login("dongnai.canbo").get(f"/docs/import/runs/{run.pk}/").status_code == 404  # another's run
    bad = officer.post("/docs/import/bulk/", {"files": [ContentFile(b"MZ", name="virus.exe")]})
    assert bad.status_code == 400 and "chỉ nhận tệp .txt, .docx, .pdf hoặc .zip" in bad.content.decode()
    assert officer.post("/docs/import/bulk/", {}).status_code == 400
    assert Client().get(f"/docs/import/runs/{run.pk}/").status_code == 302  # to the login


def test_files_land_only_when_their_transaction_commits(committed) -> None:
    from django.core.files.storage import default_storage

    from ttdn.core.storage import STAGING, purge_staging

    with pytest.raises(RuntimeError), transaction.atomic():
        default_storage.save("evidence/rolled-back.txt", ContentFile(b"gone"))
        raise RuntimeError
    assert not Path(default_storage.path("evidence/rolled-back.txt")).exists()
    with transaction.atomic():
        name = default_storage.save("evidence/kept.txt", ContentFile(b"kept"))
        assert not Path(default_storage.path(name)).exists()  # not before the commit
        other = default_storage.save("evidence/kept.txt", ContentFile(b"other"))
        assert other != name  # a name waiting for its commit is taken
    assert default_storage.open(name).read() == b"kept" and default_storage.open(other).read() == b"other"
    staged = list((Path(settings.MEDIA_ROOT) / STAGING).iterdir())
    assert len(staged) == 1  # the rolled-back file, and only in the staging folder
    assert purge_staging(settings.MEDIA_ROOT, older_than=0) == 1
    default_storage.delete(name)
    default_storage.delete(other)


def _count(db: Path, sql: str) -> int:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchone()[0]


def test_a_killed_import_keeps_whole_batches_and_leaves_no_orphan_files(tmp_path: Path) -> None:
    """``ttdn docs import`` killed with SIGKILL mid-way: the committed batches stay, with their files; the batch it
    was writing is gone, its files only in the staging folder, which the worker clears."""
    var = tmp_path / "var"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("TTDN_DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env["TTDN_VAR_DIR"] = str(var)
    subprocess.run([*TTDN, "migrate", "-v", "0"], env=env, check=True)
    paths = []
    for name, data in files(1, 400):
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(str(path))
    db = var / "ttdn.sqlite3"
    proc = subprocess.Popen(
        [*TTDN, "docs", "import", "--batch", "20", *paths], env=env, stderr=subprocess.PIPE, text=True
    )
    assert proc.stderr is not None
    for line in proc.stderr:  # progress, a line a batch
        if line.strip().startswith("60/"):
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    time.sleep(0.2)
    documents = _count(db, "select count(*) from documents_document where number like '%/BNG-KTHL'")
    assert 60 <= documents < 400 and documents % 20 == 0  # whole batches only
    media = var / "media"
    on_disk = {str(p.relative_to(media)) for p in (media / "documents").rglob("*") if p.is_file()}
    import sqlite3

    with sqlite3.connect(db) as conn:
        named = {
            row[0]
            for row in conn.execute("select source_file from documents_document where source_file <> ''")
        }
    assert on_disk == named  # every file has its record and every record its file
    staging = media / ".staging"
    assert len(list(staging.iterdir()) if staging.exists() else []) <= 20  # at most the batch it was writing
    again = subprocess.run(
        [*TTDN, "docs", "import", "--json", *paths], env=env, capture_output=True, text=True
    )
    assert again.returncode == 0, again.stderr
    assert _count(db, "select count(*) from documents_document where number like '%/BNG-KTHL'") == 400
