"""Uploaded files that appear only when the write that names them commits.

A file saved inside a database transaction is written to a staging folder (``MEDIA_ROOT/.staging``) and moved to
its place when the transaction commits. A rolled-back or killed import leaves nothing in the folders that records
point into, only staged files that :func:`purge_staging` removes (``ttdn setup``, the job worker and each import
call it). Outside a transaction a file is written in place at once, as Django does.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from pathlib import Path

from django.core.files.base import File
from django.core.files.storage import FileSystemStorage
from django.db import connection, transaction

log = logging.getLogger(__name__)

STAGING = ".staging"
STALE_SECONDS = 3600  # a staged file older than this belongs to a transaction that is gone
# Names handed out in this process for files still waiting for their commit, so two saves never share one name
# (a name whose transaction rolled back stays taken: harmless, the next save takes "name_xxxx").
_PENDING: set[str] = set()


class StagedFileSystemStorage(FileSystemStorage):
    """FileSystemStorage whose writes inside a transaction land on commit (no orphan files after a rollback)."""

    def _save(self, name: str, content: File) -> str:
        if not _in_real_transaction():
            return super()._save(name, content)
        staging = Path(self.location) / STAGING
        staging.mkdir(parents=True, exist_ok=True)
        staged = staging / f"{int(time.time())}-{os.getpid()}-{uuid.uuid4().hex}"
        with open(staged, "wb") as out:
            if hasattr(content, "chunks"):
                for chunk in content.chunks():
                    out.write(chunk)
            else:
                out.write(content.read())
        name = str(name).replace("\\", "/")
        _PENDING.add(name)
        transaction.on_commit(lambda: self._land(staged, name))
        return name

    def _land(self, staged: Path, name: str) -> None:
        _PENDING.discard(name)
        target = Path(self.path(name))
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(staged, target)  # refuses to overwrite a file that took the name meanwhile
        except FileExistsError:
            log.error("uploaded file %s already exists; the staged copy %s is kept", name, staged)
            return
        except OSError:
            os.replace(staged, target)
            return
        staged.unlink(missing_ok=True)

    def exists(self, name: str) -> bool:
        return super().exists(name) or name in _PENDING


def _in_real_transaction() -> bool:
    """In a transaction that will commit or roll back for real. The transaction a test case wraps around each test
    never commits; inside it a file is written in place, as the writes of the test are visible to it."""
    if not connection.in_atomic_block:
        return False
    blocks = connection.atomic_blocks
    return not (blocks and getattr(blocks[0], "_from_testcase", False))


def purge_staging(location: str | os.PathLike[str], *, older_than: float = STALE_SECONDS) -> int:
    """Remove staged files left by transactions that never committed; returns how many went."""
    staging = Path(location) / STAGING
    if not staging.is_dir():
        return 0
    limit = time.time() - older_than
    removed = 0
    for path in staging.iterdir():
        stamp, _sep, _rest = path.name.partition("-")
        try:
            written = float(stamp) if stamp.isdigit() else path.stat().st_mtime  # the clock that named it
            if path.is_file() and written <= limit:
                path.unlink()
                removed += 1
        except OSError:
            continue
    return removed
