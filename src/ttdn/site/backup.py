"""One archive of the whole platform (``ttdn backup``) and its rebuilding on an empty database (``ttdn restore``).

The archive is a ``.tar.gz`` holding:

- ``data/NNN-app.model.jsonl``: every row of one model, Django's JSON lines serialisation, primary keys kept
  (links and addresses stay valid), written and read one row at a time so memory stays bounded. Content types
  and permissions are named by their natural keys (their ids differ between databases), in their own rows and
  wherever a row points to them (the audit log, the admin's log, the permissions of users and groups);
- ``media/…``: every uploaded file under MEDIA_ROOT (evidence files, document originals);
- ``manifest.json``, last: format version, when, the source database's vendor, the applied migrations, the
  rows per model (and per many-to-many table), and the sha256 and size of every data part and file.

Sessions, the login-throttling tables (django-axes) and the data versions (counters of commits) are left
out. Restoring refuses an archive that is not exactly what its manifest says (unreadable, truncated, a hash or size that differs, a member that is
not a plain file, a name that is absolute or climbs out with ``..``) before writing anything; refuses a
database that holds rows beyond what ``migrate`` creates (content types, permissions) unless ``force``,
which replaces them; refuses a database at another migration state. It loads every row in one transaction,
resets PostgreSQL's sequences, rebuilds the document search index, checks the counts before committing,
then puts the files in place and checks their hashes.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import time
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers import jsonl
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "ttdn-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA_DIR = "data"
MEDIA_DIR = "media"
SKIPPED_APPS = {"sessions", "axes"}  # sessions end with the move; login-throttling records are not data
# The data versions count this database's commits (ttdn.core.versions): the restore's own commit raises them.
SKIPPED_MODELS = {"core.DataVersion"}
NATURAL_MODELS = (ContentType, Permission)  # created by migrate, with ids of their own in each database
BATCH = 500
CHUNK = 1 << 20


class BackupError(Exception):
    """The archive or the target database cannot be used; the message says why (nothing was written)."""


@dataclass
class Summary:
    archive: str
    vendor: str
    counts: dict[str, int]
    files: int
    file_bytes: int
    archive_bytes: int
    seconds: float
    indexed_documents: int | None = None
    checks: list[str] = field(default_factory=list)
    missing_files: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "archive": self.archive,
            "vendor": self.vendor,
            "counts": self.counts,
            "rows": sum(self.counts.values()),
            "files": self.files,
            "file_bytes": self.file_bytes,
            "archive_bytes": self.archive_bytes,
            "seconds": round(self.seconds, 3),
            **({"indexed_documents": self.indexed_documents} if self.indexed_documents is not None else {}),
            **({"checks": self.checks} if self.checks else {}),
            **(
                {"missing_files": len(self.missing_files), "missing_file_names": self.missing_files[:20]}
                if self.missing_files
                else {}
            ),
        }


# --- what is archived ---------------------------------------------------------------------------------------


def archived_models() -> list[type[models.Model]]:
    """Every concrete, managed model but the skipped apps', in an order where natural keys come first."""
    app_list = []
    for config in apps.get_app_configs():
        if config.label in SKIPPED_APPS:
            continue
        chosen = [
            m
            for m in config.get_models()
            if m._meta.managed
            and not m._meta.proxy
            and not m._meta.auto_created
            and m._meta.label not in SKIPPED_MODELS
        ]
        if chosen:
            app_list.append((config, chosen))
    return serializers.sort_dependencies(app_list, allow_cycles=True)


def m2m_fields(model: type[models.Model]) -> list[models.ManyToManyField]:
    """Many-to-many fields whose table Django made (explicit tables are models of their own)."""
    return [
        f
        for f in model._meta.local_many_to_many
        if isinstance(f, models.ManyToManyField) and f.remote_field.through._meta.auto_created
    ]


def label(model: type[models.Model]) -> str:
    return model._meta.label


def through_label(model: type[models.Model], m2m: models.ManyToManyField) -> str:
    return f"{label(model)}.{m2m.name}"


def applied_migrations() -> dict[str, list[str]]:
    state: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        state.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(state.items())}


def current_counts() -> dict[str, int]:
    """Rows per archived model and per many-to-many table, as the database holds them now."""
    counts: dict[str, int] = {}
    for model in archived_models():
        counts[label(model)] = model._base_manager.count()
        for m2m in m2m_fields(model):
            counts[through_label(model, m2m)] = m2m.remote_field.through._base_manager.count()
    return counts


# --- serialisation ------------------------------------------------------------------------------------------


class _Serializer(jsonl.Serializer):
    """Plain primary keys everywhere, but natural keys for content types and permissions, read from caches
    (a query per row for the audit log's content type would make a large log slow to archive)."""

    def __init__(self, permission_keys: dict[int, tuple[str, ...]]) -> None:
        super().__init__()
        self.permission_keys = permission_keys
        self.links: dict[str, int] = {}

    def handle_fk_field(self, obj: models.Model, field: Any) -> None:
        model = field.remote_field.model
        pk = getattr(obj, field.attname)
        if model is ContentType:
            self._current[field.name] = ContentType.objects.get_for_id(pk).natural_key() if pk else None
        elif model is Permission:
            self._current[field.name] = self.permission_keys[pk] if pk else None
        else:
            self._current[field.name] = self._value_from_field(obj, field)

    def handle_m2m_field(self, obj: models.Model, field: Any) -> None:
        if not field.remote_field.through._meta.auto_created:
            return
        related = getattr(obj, "_prefetched_objects_cache", {}).get(field.name)
        pks = (
            [r.pk for r in related]
            if related is not None
            else list(getattr(obj, field.name).values_list("pk", flat=True))
        )
        if field.remote_field.model is Permission:
            self._current[field.name] = [list(self.permission_keys[pk]) for pk in pks]
        else:
            self._current[field.name] = pks
        if field.name in self.links:
            self.links[field.name] += len(pks)


def _permission_keys() -> dict[int, tuple[str, ...]]:
    return {p.pk: p.natural_key() for p in Permission.objects.select_related("content_type")}


def _rows(model: type[models.Model]) -> Iterator[models.Model]:
    qs = model._base_manager.order_by("pk")
    names = [f.name for f in m2m_fields(model)]
    if names:
        qs = qs.prefetch_related(*[models.Prefetch(n, queryset=_pk_only(model, n)) for n in names])
    return qs.iterator(chunk_size=2000)


def _pk_only(model: type[models.Model], name: str) -> models.QuerySet:
    return model._meta.get_field(name).remote_field.model._base_manager.only("pk")


def _write_part(
    model: type[models.Model], out: IO[bytes], serializer: _Serializer
) -> tuple[int, dict[str, int]]:
    """Serialise every row of ``model`` into ``out`` as it is read; (rows, rows per many-to-many table)."""
    serializer.links = {f.name: 0 for f in m2m_fields(model)}
    text = io.TextIOWrapper(out, encoding="utf-8", newline="\n")
    rows = 0

    def counted() -> Iterator[models.Model]:
        nonlocal rows
        for obj in _rows(model):
            rows += 1
            yield obj

    serializer.serialize(counted(), stream=text, use_natural_primary_keys=model in NATURAL_MODELS)
    text.flush()
    text.detach()
    return rows, serializer.links


@contextmanager
def _snapshot() -> Iterator[None]:
    """Every model read from one state of the database, while others keep writing. PostgreSQL: a read-only
    repeatable-read transaction; SQLite: a deferred read transaction (WAL keeps it apart from writers).
    Inside a transaction already (a test), its own view."""
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK")


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _media_files(root: Path) -> Iterator[tuple[Path, str]]:
    """(path, name in the archive) of every regular file under MEDIA_ROOT; links are not followed."""
    if not root.is_dir():
        return
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_symlink() or not path.is_file():
                continue
            yield path, path.relative_to(root).as_posix()


def _missing_files(archived: set[str], *, models_: list[type[models.Model]]) -> list[str]:
    """Names stored in file fields whose file is not under MEDIA_ROOT (reported, not an error: the rows are
    archived as they are)."""
    missing: list[str] = []
    for model in models_:
        for f in model._meta.local_concrete_fields:
            if isinstance(f, models.FileField):
                names = model._base_manager.exclude(**{f.attname: ""}).values_list(f.attname, flat=True)
                missing.extend(n for n in names.iterator() if f"{MEDIA_DIR}/{n}" not in archived)
    return sorted(missing)


def default_output() -> Path:
    return settings.VAR_DIR / "backups" / f"ttdn-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"


def backup(output: Path | None = None) -> Summary:
    """Write the archive (to a temporary name beside it, renamed when complete)."""
    started = time.monotonic()
    output = Path(output) if output else default_output()
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(f".{output.name}.partial")
    counts: dict[str, int] = {}
    parts: dict[str, dict[str, Any]] = {}
    files: dict[str, dict[str, Any]] = {}
    try:
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar, tempfile.TemporaryDirectory() as scratch:
            with _snapshot():
                state = applied_migrations()
                serializer = _Serializer(_permission_keys())
                for number, model in enumerate(archived_models(), start=1):
                    name = f"{DATA_DIR}/{number:03d}-{label(model).lower()}.jsonl"
                    path = Path(scratch) / "part.jsonl"
                    with path.open("wb") as out:
                        rows, links = _write_part(model, out, serializer)
                    counts[label(model)] = rows
                    for m2m_name, n in links.items():
                        counts[f"{label(model)}.{m2m_name}"] = n
                    parts[name] = {
                        "model": label(model),
                        "rows": rows,
                        "sha256": _sha256_file(path),
                        "size": path.stat().st_size,
                    }
                    tar.add(path, arcname=name, recursive=False)
                    path.unlink()
            root = Path(settings.MEDIA_ROOT)
            for path, name in _media_files(root):
                files[f"{MEDIA_DIR}/{name}"] = {"sha256": _sha256_file(path), "size": path.stat().st_size}
                tar.add(path, arcname=f"{MEDIA_DIR}/{name}", recursive=False)
            missing = _missing_files(set(files), models_=archived_models())
            manifest = {
                "format": FORMAT,
                "version": FORMAT_VERSION,
                "created_at": timezone.now().isoformat(),
                "vendor": connection.vendor,
                "migrations": state,
                "counts": counts,
                "parts": parts,
                "files": files,
                "missing_files": missing,
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(time.time()), 0o644
            tar.addfile(info, io.BytesIO(data))
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
    return Summary(
        archive=str(output),
        vendor=connection.vendor,
        counts=counts,
        files=len(files),
        missing_files=missing,
        file_bytes=sum(f["size"] for f in files.values()),
        archive_bytes=output.stat().st_size,
        seconds=time.monotonic() - started,
    )


# --- reading an archive -------------------------------------------------------------------------------------


def _open(archive: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(archive, "r:gz")
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise BackupError(
            _("%(file)s không phải là tệp sao lưu (.tar.gz): %(error)s") % _where(archive, exc)
        ) from exc


def _where(archive: Path, exc: BaseException | str) -> dict[str, str]:
    return {"file": str(archive), "error": str(exc) or type(exc).__name__}


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        bool(path.parts)
        and str(path) == name  # written as the archive writes it: no "./", "//" or trailing "/"
        and "\\" not in name
        and "\x00" not in name
        and not path.is_absolute()
        and ".." not in path.parts
        and (name == MANIFEST or (path.parts[0] in {DATA_DIR, MEDIA_DIR} and len(path.parts) >= 2))
    )


def _members(tar: tarfile.TarFile, archive: Path) -> Iterator[tarfile.TarInfo]:
    try:
        for member in tar:
            if not _safe_name(member.name):
                raise BackupError(
                    _("Tệp sao lưu có tên không hợp lệ (đường dẫn tuyệt đối hoặc ra ngoài thư mục): %(name)s")
                    % {"name": member.name}
                )
            if not member.isreg():
                raise BackupError(
                    _("Tệp sao lưu có mục không phải tệp thường (liên kết, thiết bị…): %(name)s")
                    % {"name": member.name}
                )
            yield member
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise BackupError(
            _("Tệp sao lưu %(file)s bị hỏng hoặc không trọn vẹn: %(error)s") % _where(archive, exc)
        ) from exc


def _read_member(tar: tarfile.TarFile, member: tarfile.TarInfo, archive: Path) -> Iterator[bytes]:
    try:
        handle = tar.extractfile(member)
        assert handle is not None  # a regular file
        while chunk := handle.read(CHUNK):
            yield chunk
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise BackupError(
            _("Tệp sao lưu %(file)s bị hỏng hoặc không trọn vẹn: %(error)s") % _where(archive, exc)
        ) from exc


def read_manifest(archive: Path) -> dict[str, Any]:
    """The manifest, after every member was read through and matched against it (names, types, sizes,
    hashes): an archive that passes is whole."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(_("Không có tệp %(file)s.") % {"file": str(archive)})
    digests: dict[str, tuple[str, int]] = {}
    manifest_bytes: bytes | None = None
    with _open(archive) as tar:
        for member in _members(tar, archive):
            if member.name in digests or (member.name == MANIFEST and manifest_bytes is not None):
                raise BackupError(_("Tệp sao lưu có mục trùng tên: %(name)s") % {"name": member.name})
            if member.name == MANIFEST:
                manifest_bytes = b"".join(_read_member(tar, member, archive))
                continue
            digest, size = hashlib.sha256(), 0
            for chunk in _read_member(tar, member, archive):
                digest.update(chunk)
                size += len(chunk)
            digests[member.name] = (digest.hexdigest(), size)
    if manifest_bytes is None:
        raise BackupError(_("Tệp sao lưu %(file)s không có bản kê (manifest.json).") % {"file": str(archive)})
    try:
        manifest = json.loads(manifest_bytes)
        expected = {**manifest["parts"], **manifest["files"]}
        ok_format = (
            manifest["format"] == FORMAT
            and isinstance(manifest["counts"], dict)
            and all(n.startswith(f"{DATA_DIR}/") and p["model"] for n, p in manifest["parts"].items())
            and all(n.startswith(f"{MEDIA_DIR}/") for n in manifest["files"])
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(_("Bản kê của tệp sao lưu không đọc được: %(error)s") % {"error": exc}) from exc
    if not ok_format:
        raise BackupError(_("Tệp %(file)s không phải là bản sao lưu TTĐN.") % {"file": str(archive)})
    if manifest.get("version") != FORMAT_VERSION:
        raise BackupError(
            _("Bản sao lưu có phiên bản định dạng %(found)s; bản này đọc phiên bản %(version)s.")
            % {"found": manifest.get("version"), "version": FORMAT_VERSION}
        )
    for name in sorted(set(expected) | set(digests)):
        if name not in digests:
            raise BackupError(_("Tệp sao lưu thiếu mục %(name)s có trong bản kê.") % {"name": name})
        if name not in expected:
            raise BackupError(_("Tệp sao lưu có mục %(name)s không có trong bản kê.") % {"name": name})
        if (expected[name].get("sha256"), expected[name].get("size")) != digests[name]:
            raise BackupError(_("Mục %(name)s của tệp sao lưu không khớp mã băm (sha256).") % {"name": name})
    return manifest


# --- restoring ----------------------------------------------------------------------------------------------


def _check_target(manifest: dict[str, Any], *, force: bool) -> list[str]:
    """Refuse a database at another migration state, or one holding rows (unless ``force``)."""
    here = applied_migrations()
    there = {app: sorted(names) for app, names in manifest["migrations"].items()}
    if here != there:
        missing = sorted(f"{a}.{n}" for a in there for n in set(there[a]) - set(here.get(a, [])))
        extra = sorted(f"{a}.{n}" for a in here for n in set(here[a]) - set(there.get(a, [])))
        raise BackupError(
            _(
                "Cơ sở dữ liệu đích ở trạng thái migration khác với bản sao lưu "
                "(chưa áp dụng: %(missing)s; thừa: %(extra)s). Hãy chạy cùng phiên bản phần mềm và "
                "“ttdn migrate” trước khi khôi phục."
            )
            % {"missing": ", ".join(missing[:10]) or "—", "extra": ", ".join(extra[:10]) or "—"}
        )
    holding = [
        f"{label(m)}: {n}"
        for m in archived_models()
        if m not in NATURAL_MODELS and (n := m._base_manager.count())
    ]
    if holding and not force:
        raise BackupError(
            _(
                "Cơ sở dữ liệu đích đã có dữ liệu (%(rows)s); chỉ khôi phục vào cơ sở dữ liệu trống "
                "(vừa “ttdn migrate”), hoặc dùng --force để thay toàn bộ dữ liệu hiện có."
            )
            % {"rows": ", ".join(holding[:8])}
        )
    return holding


def _deserialize(lines: Iterable[bytes]) -> Iterator[Any]:
    text = (line.decode("utf-8") for line in lines)
    return serializers.deserialize("jsonl", text, ignorenonexistent=False, handle_forward_references=False)


def _lines(chunks: Iterable[bytes]) -> Iterator[bytes]:
    rest = b""
    for chunk in chunks:
        rest += chunk
        *whole, rest = rest.split(b"\n")
        yield from whole
    if rest:
        yield rest


def _insert(model: type[models.Model], batch: list[Any]) -> None:
    """Insert deserialised rows as they are (raw: no auto_now, no signals, no audit entry), then their
    many-to-many links."""
    objs = [d.object for d in batch]
    fields = [f for f in model._meta.local_concrete_fields if not getattr(f, "generated", False)]
    size = connection.ops.bulk_batch_size(fields, objs) or len(objs)
    for start in range(0, len(objs), size):
        model._base_manager._insert(objs[start : start + size], fields=fields, raw=True)  # type: ignore[attr-defined]
    for m2m in m2m_fields(model):
        through = m2m.remote_field.through
        source, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
        links = [
            through(**{f"{source}_id": d.object.pk, f"{target}_id": pk})
            for d in batch
            for pk in (d.m2m_data or {}).get(m2m.name, [])
        ]
        through._base_manager.bulk_create(links, batch_size=size)


def _load_part(model: type[models.Model], lines: Iterable[bytes], where: str) -> int:
    rows = 0
    batch: list[Any] = []
    try:
        for item in _deserialize(lines):
            if type(item.object) is not model:
                raise BackupError(_("Mục %(name)s chứa bản ghi của mô hình khác.") % {"name": where})
            rows += 1
            if model in NATURAL_MODELS:
                item.save()  # matched to the existing row by its natural key, or added
                continue
            batch.append(item)
            if len(batch) >= BATCH:
                _insert(model, batch)
                batch = []
        if batch:
            _insert(model, batch)
    except DeserializationError as exc:
        raise BackupError(
            _("Không đọc được dữ liệu trong %(name)s: %(error)s") % {"name": where, "error": exc}
        ) from exc
    return rows


def _wipe(models_: list[type[models.Model]]) -> None:
    """``force``: every archived row of the target goes (inside the restore's transaction)."""
    for model in reversed(models_):
        if model in NATURAL_MODELS:
            continue
        for m2m in m2m_fields(model):
            m2m.remote_field.through._base_manager.all()._raw_delete(connection.alias)
        model._base_manager.all()._raw_delete(connection.alias)


def _reset_sequences(models_: list[type[models.Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), models_)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def restore(archive: Path, *, force: bool = False) -> Summary:
    """Rebuild the archive into this database and MEDIA_ROOT (see the module's text)."""
    from auditlog.context import disable_auditlog

    from ttdn.documents import search
    from ttdn.documents.services import rebuild_search_index

    started = time.monotonic()
    archive = Path(archive)
    manifest = read_manifest(archive)
    by_label = {label(m): m for m in archived_models()}
    unknown = sorted({p["model"] for p in manifest["parts"].values()} - set(by_label))
    if unknown:
        raise BackupError(
            _("Bản sao lưu có mô hình không có ở đây: %(models)s") % {"models": ", ".join(unknown)}
        )
    _check_target(manifest, force=force)
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=media_root.parent))
    checks: list[str] = []
    try:
        try:
            with transaction.atomic(), disable_auditlog(), search.bulk_load():
                if force:
                    _wipe(list(by_label.values()))
                loaded: list[type[models.Model]] = []
                with _open(archive) as tar:
                    for member in _members(tar, archive):
                        if member.name.startswith(f"{DATA_DIR}/"):
                            model = by_label[manifest["parts"][member.name]["model"]]
                            _load_part(model, _lines(_read_member(tar, member, archive)), member.name)
                            loaded.append(model)
                        elif member.name.startswith(f"{MEDIA_DIR}/"):
                            target = staging / member.name[len(MEDIA_DIR) + 1 :]
                            target.parent.mkdir(parents=True, exist_ok=True)
                            with target.open("wb") as out:
                                for chunk in _read_member(tar, member, archive):
                                    out.write(chunk)
                _reset_sequences(loaded)
                indexed = rebuild_search_index()
                counts = current_counts()
                _verify_counts(manifest["counts"], counts)
                checks.append("counts")
                documents = counts.get("documents.Document", 0)
                if indexed != documents:
                    raise BackupError(
                        _("Chỉ mục tìm kiếm có %(indexed)s văn bản, cơ sở dữ liệu có %(documents)s.")
                        % {"indexed": indexed, "documents": documents}
                    )
                checks.append("search index")
        except IntegrityError as exc:
            raise BackupError(
                _("Dữ liệu của bản sao lưu không nhất quán: %(error)s") % {"error": exc}
            ) from exc
        except DatabaseError as exc:
            raise BackupError(_("Không ghi được vào cơ sở dữ liệu: %(error)s") % {"error": exc}) from exc
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # the planner's figures for the tables just filled
        files = _place_files(staging, media_root, manifest["files"])
        checks.append("file hashes")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Summary(
        archive=str(archive),
        vendor=connection.vendor,
        counts=counts,
        files=files,
        file_bytes=sum(f["size"] for f in manifest["files"].values()),
        archive_bytes=archive.stat().st_size,
        seconds=time.monotonic() - started,
        indexed_documents=indexed,
        checks=checks,
    )


def _verify_counts(expected: dict[str, int], found: dict[str, int]) -> None:
    natural = {label(m) for m in NATURAL_MODELS}
    wrong = [
        f"{name}: {expected.get(name, 0)} → {found.get(name, 0)}"
        for name in sorted(set(expected) | set(found))
        if (
            found.get(name, 0) < expected.get(name, 0)
            if name in natural
            else found.get(name, 0) != expected.get(name, 0)
        )
    ]
    if wrong:
        raise BackupError(
            _("Số bản ghi sau khi khôi phục không khớp bản kê (%(rows)s); không có gì được ghi.")
            % {"rows": "; ".join(wrong[:10])}
        )


def _place_files(staging: Path, media_root: Path, files: dict[str, dict[str, Any]]) -> int:
    """Move the staged files into MEDIA_ROOT and check each one's bytes there."""
    placed = 0
    for name, meta in sorted(files.items()):
        relative = name[len(MEDIA_DIR) + 1 :]
        target = media_root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / relative, target)
        if _sha256_file(target) != meta["sha256"]:
            raise BackupError(_("Tệp %(name)s sau khi khôi phục không khớp mã băm.") % {"name": relative})
        placed += 1
    return placed
