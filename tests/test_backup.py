"""``ttdn backup`` and ``ttdn restore``: a round trip between the two databases, and archives that are refused.

The round trip starts from this run's database (reference and demo data, plus a document and an evidence
file made here), restores into a fresh database of the other kind, backs that one up and restores it into a
fresh database of this run's kind: SQLite → PostgreSQL → SQLite on the SQLite run, PostgreSQL → SQLite →
PostgreSQL on the PostgreSQL run. Each step must give the same counts, search results and file bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from ttdn.site import backup as bk

TTDN = [sys.executable, "-m", "ttdn.cli"]
PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
QUERIES = ["thông tin đối ngoại", "quyết định", "kế hoạch", "nghi dinh", "sổ tay lưu trữ bảo tồn"]

SEARCH_SCRIPT = """
import json
from ttdn.documents.selectors import search_documents
out = {}
for q in json.loads(%r):
    out[q] = sorted(d.pk for d in search_documents(query=q)[:1000])
    out[q + " / text"] = sorted(d.pk for d in search_documents(query=q, body=True)[:1000])
print("RESULT " + json.dumps(out))
"""


def search_results() -> dict[str, list[int]]:
    from ttdn.documents.selectors import search_documents

    out: dict[str, list[int]] = {}
    for q in QUERIES:
        out[q] = sorted(d.pk for d in search_documents(query=q)[:1000])
        out[q + " / text"] = sorted(d.pk for d in search_documents(query=q, body=True)[:1000])
    return out


@contextlib.contextmanager
def fresh_database(vendor: str, folder: Path) -> Iterator[dict[str, str]]:
    """Environment for ``ttdn`` on a new, migrated database of ``vendor`` with its own var folder."""
    var = folder / f"var-{vendor}-{uuid.uuid4().hex[:6]}"
    var.mkdir()
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in ("TTDN_DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    environ["TTDN_VAR_DIR"] = str(var)
    name = f"ttdn_backup_{uuid.uuid4().hex[:10]}"
    if vendor == "postgresql":
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        environ["TTDN_DATABASE_URL"] = f"{PG_SERVER}/{name}"
    else:
        environ["TTDN_DATABASE_URL"] = f"sqlite:///{var / 'ttdn.sqlite3'}"
    try:
        migrated = run(environ, "migrate", "-v0")
        assert migrated.returncode == 0, migrated.stderr
        yield environ
    finally:
        if vendor == "postgresql":
            import psycopg

            with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(environ: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*TTDN, *args], env=environ, capture_output=True, text=True)


def run_json(environ: dict[str, str], *args: str) -> dict[str, Any]:
    done = run(environ, *args, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def search_in(environ: dict[str, str]) -> dict[str, list[int]]:
    done = run(environ, "shell", "-c", SEARCH_SCRIPT % json.dumps(QUERIES))
    assert done.returncode == 0, done.stderr
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def media_bytes(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def other(vendor: str) -> str:
    return "sqlite" if vendor == "postgresql" else "postgresql"


@pytest.mark.django_db
def test_round_trip_to_the_other_database_and_back(tmp_path: Path, user: Any) -> None:
    from ttdn.core.services import store_attachment
    from ttdn.documents.services import import_file

    doc = import_file(
        "so-tay.txt",
        "BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH\nSố: 77/KH-BVHTTDL\nHà Nội, ngày 2 tháng 3 năm 2026\n"
        "KẾ HOẠCH\nVề sổ tay lưu trữ bảo tồn\nNội dung: bảo tồn di sản và lưu trữ hồ sơ.\n".encode(),
    ).document
    officer = user("quangtri.canbo")
    evidence = store_attachment(
        officer,
        officer.org_unit,
        SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"),
    )
    expected_counts = bk.current_counts()
    expected_search = search_results()
    assert doc.pk in expected_search["sổ tay lưu trữ bảo tồn"]  # the new document is found before
    expected_files = media_bytes(Path(settings.MEDIA_ROOT))
    assert evidence.file.name in expected_files

    archive = tmp_path / "first.tar.gz"
    out = io.StringIO()
    call_command("backup", "--output", str(archive), "--json", stdout=out)
    made = json.loads(out.getvalue())
    assert made["counts"] == expected_counts
    assert made["files"] == len(expected_files)
    assert made["vendor"] == connection.vendor

    here = connection.vendor
    with fresh_database(other(here), tmp_path) as there:
        restored = run_json(there, "restore", str(archive))
        assert restored["vendor"] == other(here)
        assert restored["counts"] == expected_counts
        assert restored["indexed_documents"] == expected_counts["documents.Document"]
        assert restored["checks"] == ["counts", "search index", "file hashes"]
        assert search_in(there) == expected_search
        assert media_bytes(Path(there["TTDN_VAR_DIR"]) / "media") == expected_files
        # New rows get fresh ids (sequences reset on PostgreSQL).
        new_user = run(
            there,
            "shell",
            "-c",
            "from ttdn.accounts.models import User; print('PK', User.objects.create(username='after.restore').pk)",
        )
        assert new_user.returncode == 0, new_user.stderr
        new_pk = int(next(x for x in new_user.stdout.split() if x.isdigit()))
        from ttdn.accounts.models import User

        assert new_pk > max(User.objects.values_list("pk", flat=True))

        # And back, into a fresh database of this run's kind.
        second = tmp_path / "second.tar.gz"
        again = run_json(there, "backup", "--output", str(second))
        assert again["vendor"] == other(here)
        assert again["counts"]["accounts.User"] == expected_counts["accounts.User"] + 1
        with fresh_database(here, tmp_path) as back:
            final = run_json(back, "restore", str(second))
            assert final["counts"] == again["counts"]
            assert search_in(back) == expected_search
            assert media_bytes(Path(back["TTDN_VAR_DIR"]) / "media") == expected_files


@pytest.mark.django_db
def test_a_database_with_rows_is_refused_and_force_replaces_them(tmp_path: Path) -> None:
    from django.contrib.auth.models import Group

    archive = tmp_path / "b.tar.gz"
    bk.backup(archive)
    before = bk.current_counts()
    Group.objects.create(name="added after the backup")
    with pytest.raises(bk.BackupError, match="đã có dữ liệu"):
        bk.restore(archive)
    assert Group.objects.filter(name="added after the backup").exists()
    summary = bk.restore(archive, force=True)
    assert not Group.objects.filter(name="added after the backup").exists()
    assert summary.counts == before == bk.current_counts()


@pytest.mark.django_db
def test_a_row_whose_file_is_gone_is_reported(tmp_path: Path, user: Any) -> None:
    from ttdn.core.models import Attachment

    officer = user("quangtri.canbo")
    Attachment.objects.create(
        file="evidence/2026/11/gone.pdf",
        name="gone.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        unit=officer.org_unit,
    )
    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path / "b.tar.gz"), "--json", stdout=out)
    summary = json.loads(out.getvalue())
    assert summary["missing_files"] == 1
    assert summary["missing_file_names"] == ["evidence/2026/11/gone.pdf"]
    assert summary["counts"]["core.Attachment"] == Attachment.objects.count()


# --- bad archives -------------------------------------------------------------------------------------------


def build(path: Path, members: list[tuple[tarfile.TarInfo, bytes]]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for info, data in members:
            info.size = len(data) if info.isreg() else 0
            tar.addfile(info, io.BytesIO(data) if info.isreg() else None)
    return path


def member(
    name: str, data: bytes = b"", kind: bytes = tarfile.REGTYPE, link: str = ""
) -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, link
    return info, data


def manifest_for(files: dict[str, bytes], **changes: Any) -> tuple[tarfile.TarInfo, bytes]:
    manifest = {
        "format": bk.FORMAT,
        "version": bk.FORMAT_VERSION,
        "created_at": "2026-11-20T09:30:00+07:00",
        "vendor": connection.vendor,
        "migrations": bk.applied_migrations(),
        "counts": {},
        "parts": {},
        "files": {n: {"sha256": hashlib.sha256(d).hexdigest(), "size": len(d)} for n, d in files.items()},
        **changes,
    }
    return member(bk.MANIFEST, json.dumps(manifest).encode())


@pytest.fixture
def untouched(db: Any) -> Iterator[None]:
    """Whatever the archive, nothing is written: the same rows, the same files."""
    media = Path(settings.MEDIA_ROOT)
    counts, files = bk.current_counts(), media_bytes(media)
    yield
    assert bk.current_counts() == counts
    assert media_bytes(media) == files
    assert not list(media.parent.glob(".restore-*"))


def refused(archive: Path, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(archive), "--force", stdout=io.StringIO())


def test_not_an_archive(tmp_path: Path, untouched: None) -> None:
    (tmp_path / "x.tar.gz").write_bytes(b"hello, not a tar file\n" * 40)
    refused(tmp_path / "x.tar.gz", "không phải là tệp sao lưu")
    refused(tmp_path / "missing.tar.gz", "Không có tệp")


def test_truncated_archive(tmp_path: Path, untouched: None) -> None:
    data = os.urandom(300_000)
    whole = build(
        tmp_path / "whole.tar.gz", [member("media/a.bin", data), manifest_for({"media/a.bin": data})]
    )
    raw = whole.read_bytes()
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(raw[: len(raw) // 2])
    refused(cut, "bị hỏng hoặc không trọn vẹn")


def test_hash_mismatch_and_missing_or_extra_members(tmp_path: Path, untouched: None) -> None:
    good = {"media/evidence/a.txt": b"original bytes"}
    refused(
        build(tmp_path / "a.tar.gz", [member("media/evidence/a.txt", b"changed bytes!"), manifest_for(good)]),
        "không khớp mã băm",
    )
    refused(build(tmp_path / "b.tar.gz", [manifest_for(good)]), "thiếu mục")
    refused(
        build(
            tmp_path / "c.tar.gz",
            [member("media/evidence/a.txt", b"original bytes"), member("media/x", b"x"), manifest_for(good)],
        ),
        "không có trong bản kê",
    )
    refused(
        build(tmp_path / "d.tar.gz", [member("media/evidence/a.txt", b"original bytes")]), "manifest.json"
    )


@pytest.mark.parametrize(
    "bad",
    [
        member("../../etc/x", b"x"),
        member("media/../../etc/x", b"x"),
        member("/etc/x", b"x"),
        member("media/evil", kind=tarfile.SYMTYPE, link="/etc/passwd"),
        member("media/hard", kind=tarfile.LNKTYPE, link="manifest.json"),
        member("media/dev", kind=tarfile.CHRTYPE),
        member("elsewhere/x", b"x"),
    ],
    ids=["dotdot", "inner-dotdot", "absolute", "symlink", "hardlink", "device", "unknown-folder"],
)
def test_unsafe_members(tmp_path: Path, untouched: None, bad: tuple[tarfile.TarInfo, bytes]) -> None:
    archive = build(
        tmp_path / "bad.tar.gz", [member("media/ok.txt", b"ok"), bad, manifest_for({"media/ok.txt": b"ok"})]
    )
    refused(archive, "không hợp lệ|không phải tệp thường")


def test_another_migration_state_is_refused(tmp_path: Path, untouched: None) -> None:
    state = bk.applied_migrations()
    state["documents"] = [*state["documents"], "9999_from_the_future"]
    archive = build(tmp_path / "m.tar.gz", [manifest_for({}, migrations=state)])
    refused(archive, "trạng thái migration khác.*documents.9999_from_the_future")


@given(st.text(alphabet=st.sampled_from("ab./\\\x00:~ media data manifest.json"), max_size=40))
def test_accepted_names_stay_inside(name: str) -> None:
    if bk._safe_name(name):
        root = Path("/srv/restore").resolve()
        assert (root / name).resolve().is_relative_to(root)
        assert not name.startswith("/") and "\\" not in name
