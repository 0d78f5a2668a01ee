"""Bulk import (nhập hàng loạt): many documents at once, off the request path, in batches.

Every file is read first and nothing is written while one of them cannot be read (the run is refused with each
file's reason). Then the documents are written a batch at a time, each batch one transaction that also moves the
run's counters, so the web keeps writing between batches and a run that was stopped (a restart, a kill) is taken
up at the first file its last batch did not cover. Uploaded originals land only with their batch's commit
(:mod:`ttdn.core.storage`).
"""

from __future__ import annotations

import io
import logging
import secrets
import shutil
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ttdn.core.files import FileRefused, check_package, safe_name
from ttdn.core.storage import purge_staging
from ttdn.documents.extract import MAX_BYTES, SUFFIXES, ExtractError, extract_text
from ttdn.documents.models import ImportRun, ImportRunState
from ttdn.documents.services import ImportRefused, import_text
from ttdn.notices.models import NoticeKind
from ttdn.notices.services import notify

log = logging.getLogger(__name__)

BATCH = 50  # documents a transaction: ~1 s of writing, far below the SQLite busy timeout the web waits
# SQLite's waiting writers look again after sleeps of up to 100 ms: an import that began its next batch at once
# would take the lock again first, every time (autosaves waited out their 20 s and failed while 1,500 documents
# went in). A pause between batches lets them in.
SQLITE_PAUSE = 0.25
MAX_FILES = 5_000
MAX_TOTAL = 500 * 1024 * 1024
RUNS = "imports"  # staged inputs, under MEDIA_ROOT


@dataclass
class Outcome:
    """What a bulk import did: counts and the files it could not take, with why."""

    total: int = 0
    created: int = 0
    existing: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)


def expand(files: Iterable[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """The documents among uploaded files: a .zip gives the .txt/.docx/.pdf files it holds (its size and number of
    parts checked from its directory first); other files pass as they are. Raises :class:`ImportRefused`."""
    out: list[tuple[str, bytes]] = []
    for name, data in files:
        if PurePath(name).suffix.lower() != ".zip":
            out.append((name, data))
            continue
        try:
            check_package(data, max_unpacked=MAX_TOTAL, max_entries=MAX_FILES)
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                for part in package.infolist():
                    if part.is_dir() or not part.filename.lower().endswith(SUFFIXES):
                        continue
                    if (
                        PurePath(part.filename).name.startswith((".", "__MACOSX"))
                        or "__MACOSX" in part.filename
                    ):
                        continue
                    if part.file_size > MAX_BYTES:
                        raise ImportRefused(
                            _("%(name)s: tệp quá lớn; giới hạn là %(mb)s MB.")
                            % {"name": part.filename, "mb": MAX_BYTES // 1024 // 1024}
                        )
                    out.append((PurePath(part.filename).name, package.read(part)))
        except FileRefused as exc:
            raise ImportRefused(f"{name}: {exc}") from exc
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise ImportRefused(_("%(name)s: tệp nén hỏng, không đọc được.") % {"name": name}) from exc
    if not out:
        raise ImportRefused(_("Không có tệp văn bản nào (.txt, .docx, .pdf) để nhập."))
    if len(out) > MAX_FILES:
        raise ImportRefused(
            _("Quá nhiều tệp (%(n)s); mỗi lượt nhập tối đa %(max)s tệp.") % {"n": len(out), "max": MAX_FILES}
        )
    return out


def read_all(files: Iterable[tuple[str, bytes]]) -> tuple[list[tuple[str, str, bytes]], list[dict[str, str]]]:
    """Every file's text, or why it cannot be read: ``(texts, errors)``; nothing is written."""
    texts: list[tuple[str, str, bytes]] = []
    errors: list[dict[str, str]] = []
    for name, data in files:
        try:
            texts.append((name, extract_text(name, data), data))
        except ExtractError as exc:
            errors.append({"file": name, "message": str(exc)})
    return texts, errors


def write_batches(
    texts: list[tuple[str, str, bytes]],
    *,
    user: Any = None,
    start: int = 0,
    batch_size: int = BATCH,
    after_batch: Callable[[int, Outcome], None] | None = None,
    outcome: Outcome | None = None,
) -> Outcome:
    """Import the texts from ``start`` on, ``batch_size`` a transaction; ``after_batch(done, outcome)`` runs inside
    each batch's transaction (so a run's counters commit with the documents they count)."""
    outcome = outcome or Outcome(total=len(texts))
    pause = SQLITE_PAUSE if connection.vendor == "sqlite" else 0.0
    for begin in range(start, len(texts), batch_size):
        if begin > start and pause:
            time.sleep(pause)  # the writers waiting for the lock go first
        with transaction.atomic():
            for name, text, data in texts[begin : begin + batch_size]:
                try:
                    with transaction.atomic():
                        result = import_text(text, user=user, filename=name, data=data)
                except ImportRefused as exc:
                    outcome.errors.append({"file": name, "message": str(exc)})
                    continue
                if result.created:
                    outcome.created += 1
                else:
                    outcome.existing += 1
                outcome.documents.append(
                    {
                        "file": name,
                        "id": result.document.pk,
                        "number": result.document.number or None,
                        "created": result.created,
                    }
                )
            if after_batch is not None:
                after_batch(min(begin + batch_size, len(texts)), outcome)
    return outcome


def start(user: Any, files: list[tuple[str, bytes]]) -> ImportRun:
    """Keep the uploaded files for a run and queue it; raises :class:`ImportRefused` for an empty or bad upload."""
    from ttdn.documents.jobs import bulk_import

    files = expand(files)
    folder = Path(RUNS) / f"run-{secrets.token_hex(8)}"
    run = ImportRun.objects.create(created_by=user, total=len(files), folder=str(folder))

    def keep_and_queue() -> None:  # after the commit: a rolled-back start leaves no files and queues nothing
        target = Path(settings.MEDIA_ROOT) / folder
        target.mkdir(parents=True, exist_ok=True)
        for i, (name, data) in enumerate(files):
            (target / f"{i:05d}-{safe_name(name)}").write_bytes(data)
        bulk_import.enqueue(run.pk)

    transaction.on_commit(keep_and_queue)
    return run


def requeue_stopped() -> int:
    """Queue again the runs a stopped worker left unfinished (the worker calls it as it starts); a run queued twice
    is worked once, since a finished run is left as it is."""
    from ttdn.documents.jobs import bulk_import

    unfinished = list(
        ImportRun.objects.exclude(
            state__in=[ImportRunState.DONE, ImportRunState.REFUSED, ImportRunState.FAILED]
        )
        .exclude(started_at=None)
        .values_list("pk", flat=True)
    )
    for pk in unfinished:
        bulk_import.enqueue(pk)
    return len(unfinished)


def _inputs(run: ImportRun) -> Iterator[tuple[str, bytes]]:
    folder = Path(settings.MEDIA_ROOT) / run.folder
    for path in sorted(folder.iterdir()):
        yield path.name.split("-", 1)[1], path.read_bytes()


def perform(run_id: int, *, batch_size: int = BATCH) -> ImportRun:
    """Work one run (the job): check every file, then write in batches; resumes a run that was stopped."""
    purge_staging(settings.MEDIA_ROOT)
    run = ImportRun.objects.select_related("created_by").get(pk=run_id)
    if run.finished:
        return run
    try:
        _perform(run, batch_size)
    except Exception as exc:  # noqa: BLE001 (the run records what went wrong; the worker goes on)
        log.exception("bulk import %s failed", run.pk)
        run.refresh_from_db()
        run.state = ImportRunState.FAILED
        run.errors = [
            *run.errors,
            {"file": "", "message": _("Lỗi hệ thống: %(e)s") % {"e": type(exc).__name__}},
        ]
        run.finished_at = timezone.now()
        run.save(update_fields=["state", "errors", "finished_at"])
    if run.finished:
        shutil.rmtree(Path(settings.MEDIA_ROOT) / run.folder, ignore_errors=True)
        _tell(run)
    return run


def _perform(run: ImportRun, batch_size: int) -> None:
    run.state, run.started_at = ImportRunState.CHECKING, run.started_at or timezone.now()
    run.save(update_fields=["state", "started_at"])
    texts, errors = read_all(_inputs(run))
    if errors:
        run.state, run.errors, run.finished_at = ImportRunState.REFUSED, errors, timezone.now()
        run.save(update_fields=["state", "errors", "finished_at"])
        return
    run.state = ImportRunState.RUNNING
    run.save(update_fields=["state"])
    outcome = Outcome(
        total=len(texts), created=run.created_count, existing=run.existing_count, errors=list(run.errors)
    )

    def record(done: int, now: Outcome) -> None:
        run.done, run.created_count, run.existing_count, run.errors = (
            done,
            now.created,
            now.existing,
            now.errors,
        )
        run.save(update_fields=["done", "created_count", "existing_count", "errors"])

    write_batches(
        texts, user=run.created_by, start=run.done, batch_size=batch_size, after_batch=record, outcome=outcome
    )
    run.state, run.finished_at = ImportRunState.DONE, timezone.now()
    run.save(update_fields=["state", "finished_at"])


def _tell(run: ImportRun) -> None:
    if run.created_by is None:
        return
    if run.state == ImportRunState.DONE:
        message = _(
            "Đã nhập xong %(total)s tệp: %(new)s văn bản mới, %(old)s đã có, %(bad)s không nhập được."
        ) % {
            "total": run.total,
            "new": run.created_count,
            "old": run.existing_count,
            "bad": len(run.errors),
        }
    else:
        message = _("Lượt nhập %(total)s tệp không thực hiện: %(bad)s tệp có lỗi.") % {
            "total": run.total,
            "bad": len(run.errors),
        }
    notify([run.created_by], NoticeKind.IMPORT_DONE, message, reverse("documents:import_run", args=[run.pk]))
