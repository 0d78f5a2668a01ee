"""The pieces the permission matrix and the form fuzz tests share: the project's URL patterns read from the
resolver, a world of objects of several bodies (each carrying text that identifies it), and a guarded request
that runs inside a savepoint rolled back afterwards, reports any error as a 5xx and names the tables it wrote."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import re
import traceback
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

# -- the URL patterns ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # "plans:detail"; "admin:accounts_user_change"
    pattern: str
    kwargs: tuple[str, ...]

    @property
    def is_admin(self) -> bool:
        return self.name.startswith("admin:") or self.pattern.startswith("/admin/")


def _kwargs_of(pattern: Any) -> list[str]:
    converters = getattr(pattern, "converters", None)
    if converters:
        return list(converters)
    regex = getattr(pattern, "regex", None)
    return list(regex.groupindex) if regex is not None else []


def routes() -> list[Route]:
    """Every named URL pattern of ttdn.site.urls, with the names of the arguments it takes."""
    found: list[Route] = []

    def walk(patterns: list[Any], prefix: str, namespace: str, kwargs: list[str]) -> None:
        for item in patterns:
            here = kwargs + _kwargs_of(item.pattern)
            if isinstance(item, URLResolver):
                ns = ":".join(n for n in (namespace, item.namespace or "") if n)
                walk(item.url_patterns, prefix + str(item.pattern), ns, here)
            elif isinstance(item, URLPattern):
                name = f"{namespace}:{item.name}" if namespace and item.name else (item.name or "")
                found.append(
                    Route(
                        name or f"<unnamed {prefix}{item.pattern}>", prefix + str(item.pattern), tuple(here)
                    )
                )

    walk(get_resolver().url_patterns, "/", "", [])
    return found


# -- the guarded request -----------------------------------------------------------------------

_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z0-9_]+)"?', re.IGNORECASE)
# Written by every request of a signed-in user or by the login throttle; never data of the platform.
BENIGN_TABLES = {"django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"}


class _Rollback(Exception):
    pass


@dataclass
class Outcome:
    status: int
    location: str = ""
    text: str = ""  # the body, when it is text
    error: str = ""  # the exception and where it was raised, for a 5xx
    changed: list[str] = field(default_factory=list)  # tables whose rows differ after the request
    controls: list[str] = field(default_factory=list)  # new or changed values holding a control character

    @property
    def server_error(self) -> bool:
        return self.status >= 500


def _plain(value: object) -> object:
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def _controls_in(value: object) -> bool:
    if isinstance(value, str):
        return any(
            (ord(c) < 0x20 and c not in "\t\n\r") or 0x7F <= ord(c) < 0xA0 or 0xD800 <= ord(c) < 0xE000
            for c in value
        )
    if isinstance(value, dict):
        return any(_controls_in(k) or _controls_in(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_controls_in(v) for v in value)
    return False


def _rows(table: str) -> dict[str, tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        rows = [tuple(_plain(v) for v in row) for row in cursor.fetchall()]
    return {repr(row): row for row in rows}


def _office_text(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace")
                for name in archive.namelist()
                if name.endswith(".xml")
            )
    except zipfile.BadZipFile:
        return ""


class Guard:
    """Runs requests inside a savepoint that is rolled back, so every request sees the same data; compares a
    hash of each table the request wrote with the same table before it."""

    def __init__(self) -> None:
        self._baseline: dict[str, str] = {}
        self._baseline_rows: dict[str, set[str]] = {}

    @staticmethod
    def table_hash(table: str) -> str:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = sorted(repr(tuple(_plain(v) for v in row)) for row in cursor.fetchall())
        return hashlib.sha256("\n".join(rows).encode()).hexdigest()

    def request(
        self,
        client: Client,
        method: str,
        url: str,
        data: Any = None,
        *,
        check_writes: Callable[[Outcome], bool],
        scan_controls: bool = False,
        content_type: str | None = None,
    ) -> Outcome:
        cookies = copy.deepcopy(client.cookies)  # a logout or a login must not change who asks next
        after: dict[str, str] = {}
        rows_after: dict[str, dict[str, tuple[object, ...]]] = {}
        outcome = Outcome(status=0)
        try:
            with transaction.atomic():
                with CaptureQueriesContext(connection) as queries:
                    try:
                        if method == "GET":
                            response = client.get(url, data or {})
                        elif content_type is not None:  # a body already encoded (bytes no client would send)
                            response = client.post(url, data, content_type=content_type)
                        else:
                            response = client.post(url, data or {})
                    except Exception as exc:  # noqa: BLE001 (an error page is what is being looked for)
                        frames = traceback.extract_tb(exc.__traceback__)
                        own = [f for f in frames if "/ttdn/" in f.filename] or frames
                        where = f"{own[-1].filename.rsplit('/src/', 1)[-1]}:{own[-1].lineno}" if own else ""
                        outcome = Outcome(
                            status=500, error=f"{type(exc).__name__}: {str(exc)[:200]} ({where})"
                        )
                        raise _Rollback from exc
                outcome = Outcome(status=response.status_code, location=response.get("Location", ""))
                # A streamed body is read to its end, which closes it the way the test client expects (closing
                # it again would send request_finished and close the database connection).
                body = b"".join(response.streaming_content) if response.streaming else response.content
                if response.get("Content-Type", "").startswith(("text/", "application/json")):
                    outcome.text = body.decode("utf-8", "replace")
                elif body.startswith(b"PK"):  # a .docx or .xlsx: the text of its parts
                    outcome.text = _office_text(body)
                written = {
                    m.group(1) for q in queries.captured_queries if (m := _WRITE.match(q["sql"]))
                } - BENIGN_TABLES
                if check_writes(outcome):
                    after = {table: self.table_hash(table) for table in sorted(written)}
                if scan_controls:
                    rows_after = {table: _rows(table) for table in sorted(written)}
                raise _Rollback
        except _Rollback:
            pass
        finally:
            client.cookies = cookies
        for table, digest in after.items():
            if table not in self._baseline:
                self._baseline[table] = self.table_hash(table)
            if self._baseline[table] != digest:
                outcome.changed.append(table)
        for table, rows in rows_after.items():
            if table not in self._baseline_rows:
                self._baseline_rows[table] = set(_rows(table))
            for key, row in rows.items():
                if key not in self._baseline_rows[table] and _controls_in(row):
                    outcome.controls.append(f"{table}: {key[:300]}")
        return outcome


def client_for(user: Any | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def login_redirect(outcome: Outcome) -> bool:
    return outcome.status == 302 and (
        outcome.location.startswith("/login/") or outcome.location.startswith("/admin/login/")
    )


# -- a world of several bodies -----------------------------------------------------------------

BODIES = {"QT": "T44-2025", "DN": "T75-2025", "DEPT": "T44-2025-SVHTTDL", "BNG": "BNG"}
TODAY_YEAR = 2026


@dataclass
class Body:
    key: str
    unit: Any
    plan: Any = None
    activity: Any = None
    task: Any = None
    occurrence: Any = None
    attachment: Any = None
    document: Any = None
    relation: Any = None
    submission: Any = None
    story: Any = None  # a monitored story naming the body
    alert: Any = None  # an alert about the body
    markers: list[str] = field(default_factory=list)


@dataclass
class World:
    bodies: dict[str, Body]
    users: dict[str, Any]
    notices: dict[str, Any]  # username -> a notice of that user
    pending: dict[str, Any]  # username -> a pending import of that user
    user_markers: dict[str, list[str]]  # username -> text only that user may read
    runs: dict[str, Any] = field(default_factory=dict)  # username -> a bulk import run of that user
    source: Any = None  # a news source (the centre's, readable by all)
    claim: Any = None  # a published entry of the rebuttal library (readable by all)
    entry_runs: dict[str, Any] = field(
        default_factory=dict
    )  # username -> a bulk import of stories of that user

    def foreign_markers(self, user: Any | None) -> list[str]:
        """Text of objects the user has no right to read: other bodies' private records, other users' notices
        and previews."""
        from ttdn.orgs.scope import in_scope

        out: list[str] = []
        for body in self.bodies.values():
            if user is None or not in_scope(user, body.unit):
                out += body.markers
        for username, markers in self.user_markers.items():
            if user is None or user.username != username:
                out += markers
        return out


PENDING_TEXT = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG TRỊ
Số: 999/KH-UBND
Quảng Trị, ngày 10 tháng 3 năm 2026

KẾ HOẠCH
Thông tin đối ngoại năm 2026

Căn cứ Chỉ thị số 21/CT-TTg; Ủy ban nhân dân tỉnh ban hành kế hoạch.
1. Sở Văn hóa, Thể thao và Du lịch chủ trì tổ chức tập huấn.
"""


def build_world() -> World:
    """The demo data, with for each body a plan, a task with a progress entry, an evidence file, a
    document it issued with a relation, a report and contact details, each carrying a marker text."""
    from django.core.files.base import ContentFile

    from ttdn.accounts.models import User
    from ttdn.core.models import Attachment
    from ttdn.documents import services as documents
    from ttdn.documents.models import Document, Relation, RelationKind
    from ttdn.notices.models import Notice
    from ttdn.orgs.models import OrgUnit
    from ttdn.orgs.scope import scope_prefixes
    from ttdn.plans import services as plans
    from ttdn.plans.models import Plan, StaffPost
    from ttdn.reporting.models import Submission
    from ttdn.site.demo import DEMO_ACCOUNTS
    from ttdn.tasks import services as tasks
    from ttdn.tasks.models import Task

    users = {a.username: User.objects.get(username=a.username) for a in DEMO_ACCOUNTS}
    officers = {
        "QT": users["quangtri.canbo"],
        "DN": users["dongnai.canbo"],
        "DEPT": users["quangtri.sovhttdl"],
    }
    from ttdn.monitoring.models import Alert, AlertKind, AlertRule, Claim, Item, ItemTag, Source, TagKind

    bodies: dict[str, Body] = {}
    source = Source.objects.create(name="Nguồn của ma trận quyền", url="https://ma-tran.example/rss.xml")
    rule = AlertRule.objects.create(name="Quy tắc của ma trận quyền", kind=AlertKind.SPIKE)
    claim = Claim.objects.create(title="Luận điệu của ma trận quyền", rebuttal="Phản bác", status="published")
    target = Document.objects.filter(number="21/CT-TTg").first()
    for n, (key, code) in enumerate(BODIES.items(), start=1):
        unit = OrgUnit.objects.get(code=code)
        body = Body(key, unit)
        mark = lambda what, key=key: f"Mốc riêng {key} {what} kết"  # noqa: E731
        officer = officers.get(key)
        body.plan = Plan.objects.filter(unit=unit, year=TODAY_YEAR).first()
        if body.plan is None and officer is not None:
            body.plan = plans.create_plan(officer, unit, TODAY_YEAR)
            plans.save_activity(officer, body.plan, {"title": mark("hoạt động"), "category": "tap_huan"}, [])
        if body.plan is not None:
            Plan.objects.filter(pk=body.plan.pk).update(title=mark("kế hoạch"))
            body.plan.refresh_from_db()
            body.activity = body.plan.activities.order_by("pk").first()
            body.markers.append(mark("kế hoạch"))
        if officer is not None:
            prefixes = scope_prefixes(officer) or []
            for task in Task.objects.select_related("lead").order_by("pk"):
                if any(task.lead.path.startswith(p) for p in prefixes):
                    body.task = task
                    break
        if body.task is not None:
            body.occurrence = body.task.occurrences.order_by("due", "pk").first()
            tasks.report_progress(officer, body.occurrence, text=mark("tiến độ"), percent=10)
            body.markers.append(mark("tiến độ"))
        body.attachment = Attachment.objects.create(
            file=ContentFile(b"evidence", name="bang-chung.txt"),
            name=f"{mark('tệp')}.txt",
            content_type="text/plain",
            size=8,
            sha256="0" * 64,
            unit=unit,
        )
        body.markers.append(mark("tệp"))
        body.document = Document.objects.create(
            number=f"{900 + n}/KH-{key}",
            doc_type="Kế hoạch",
            issuer=unit,
            issuer_name=unit.name,
            issued_on=dt.date(2026, 3, n),
            subject=f"Kế hoạch thông tin đối ngoại {key}",
            text=f"Kế hoạch thông tin đối ngoại của {unit.name}.",
        )
        if target is not None:
            body.relation = Relation.objects.create(
                source=body.document, target=target, kind=RelationKind.IMPLEMENTS
            )
        body.submission = Submission.objects.filter(unit=unit, period=str(TODAY_YEAR)).first()
        if body.submission is not None:
            values = dict(body.submission.values)
            values["ket_qua"] = mark("báo cáo")
            Submission.objects.filter(pk=body.submission.pk).update(values=values)
            body.markers.append(mark("báo cáo"))
        StaffPost.objects.create(unit=unit, title=mark("vị trí"))
        body.markers.append(mark("vị trí"))
        OrgUnit.objects.filter(pk=unit.pk).update(focal_point=mark("đầu mối"))
        body.markers.append(mark("đầu mối"))
        body.story = Item.objects.create(
            source=source,
            title=mark("tin"),
            text=mark("nội dung tin"),
            published_at=dt.datetime(2026, 3, n, tzinfo=dt.UTC),
        )
        ItemTag.objects.create(
            item=body.story, kind=TagKind.BODY, unit=unit, current=unit, words=unit.name, rule="tên"
        )
        body.markers += [mark("tin"), mark("nội dung tin")]
        body.alert = Alert.objects.create(
            rule=rule,
            kind=rule.kind,
            key=f"ma-tran-{key}",
            title=mark("cảnh báo"),
            why=mark("lý do cảnh báo"),
            unit=unit,
            raised_at=dt.datetime(2026, 3, n, tzinfo=dt.UTC),
        )
        body.markers += [mark("cảnh báo"), mark("lý do cảnh báo")]
        body.unit.refresh_from_db()
        bodies[key] = body
    from ttdn.documents.models import ImportRun
    from ttdn.monitoring.models import EntryRun

    notices, pending, user_markers, runs, entry_runs = {}, {}, {}, {}, {}
    for username, user in users.items():
        notices[username] = Notice.objects.create(
            user=user, kind="reminder", message=f"Thông báo riêng {username} kết", url="/tasks/"
        )
        pending[username] = documents.create_pending(
            user, f"xem-truoc-{username}-ket.txt", PENDING_TEXT.encode()
        )
        user_markers[username] = [f"Thông báo riêng {username} kết", f"xem-truoc-{username}-ket"]
        runs[username] = ImportRun.objects.create(
            created_by=user,
            total=1,
            folder="imports/none",
            errors=[{"file": f"loi-nhap-{username}-ket.txt", "message": "x"}],
        )
        user_markers[username].append(f"loi-nhap-{username}-ket")
        entry_runs[username] = EntryRun.objects.create(
            created_by=user,
            filename=f"tin-nhap-{username}-ket.csv",
            staged="monitoring-runs/none.csv",
            total=1,
        )
        user_markers[username].append(f"tin-nhap-{username}-ket")
    return World(bodies, users, notices, pending, user_markers, runs, source, claim, entry_runs)


def iter_unique(items: list[Any]) -> Iterator[Any]:
    seen = set()
    for item in items:
        key = repr(item)
        if key not in seen:
            seen.add(key)
            yield item
