"""Bad values into every form of the site: each form's page gets, from a user allowed to use it, huge strings,
control characters and NUL, lone surrogates (as the bytes a browser could send) and odd Unicode, numbers
with 4,000 digits, negative numbers, 10**30, dates that are no day, ids that are not numbers or do not
exist, several values where one is expected, and missing fields. Never a 5xx (a form's message with 200 or
400 is right), and nothing written holds a control character.

``TARGETS`` names, for every form class of the apps and for the views that read a POST (or a query) without a
form, the page, the user and the fields; ``test_every_form_is_fuzzed`` fails when a form is added without one."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote_from_bytes

import pytest
from django import forms
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.matrix import Guard, World, build_world, client_for

EXAMPLES = 25

# -- bad values ---------------------------------------------------------------------------------

SURROGATE = "\ud800"  # sent as the bytes ED A0 80, which are no UTF-8
ODD = [
    "\x00",
    "a\x00b",
    "\x01\x02\x1b[31m",
    "\x7f\x85\x9f",
    "Hà\x0bNội\x0c",
    "\u202eđảo ngược",
    "\ufeffBOM",
    "e\u0301\u0301\u0301",
    "🇻🇳" * 50,
    "\U0010ffff",
    "\u200b\u200c\u200d",
    "\u2028\u2029",
    f"nửa {SURROGATE} cặp",
    SURROGATE,
]
NUMBERS = [
    "9" * 4000,
    "-1",
    "-0",
    str(10**30),
    str(-(10**30)),
    "1e309",
    "NaN",
    "inf",
    "1.5",
    "0x10",
    " 7 ",
    "٣",
]
DATES = ["31/02/2026", "abc", "00/00/0000", "29/02/2025", "31/12/99999", "2026-13-45", "1/1/1", "01/01/-1"]
IDS = ["abc", "0", "-5", "99999999999999999999", "1" * 400, "1.0", "1 OR 1=1", "", " "]
HUGE = ["x" * 100_000, "đ" * 70_000, "a\n" * 20_000]

bad_scalar = st.one_of(
    st.sampled_from(ODD + NUMBERS + DATES + IDS + HUGE),
    st.text(max_size=60),
    st.text(alphabet=st.characters(categories=["Cc", "Co", "Zl", "Zp", "Mn", "So"]), max_size=30),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
)


def field_value(plausible: str) -> st.SearchStrategy[Any]:
    """Missing, plausible, one bad value, or several values where one is expected."""
    return st.one_of(
        st.none(),
        st.just(plausible),
        bad_scalar,
        bad_scalar,
        st.lists(st.one_of(bad_scalar, st.just(plausible)), min_size=2, max_size=3),
    )


def encode(values: dict[str, Any]) -> bytes:
    """application/x-www-form-urlencoded as a browser sends it; a lone surrogate becomes its (invalid) bytes."""
    pairs = []
    for name, value in values.items():
        for one in value if isinstance(value, list) else [value]:
            raw = str(one).encode("utf-8", "surrogatepass")
            pairs.append(f"{quote_from_bytes(name.encode())}={quote_from_bytes(raw)}")
    return "&".join(pairs).encode("ascii")


# -- the targets --------------------------------------------------------------------------------


@dataclass
class Target:
    name: str
    method: str
    user: str | None
    url: Callable[[World], str]
    fields: Callable[[World], dict[str, str]]  # field -> a plausible value
    fixed: dict[str, str] = field(default_factory=dict)  # sent as they are (the action of the form)
    forms: tuple[str, ...] = ()  # the form classes this page uses
    files: tuple[str, ...] = ()  # file fields (sent as multipart, with bad names and contents)


def _plan(world: World, key: str = "QT") -> Any:
    return world.bodies[key].plan


def _draft_plan(world: World) -> Any:
    """A draft plan of Quảng Trị (its 2026 plan is sent, so no longer changed)."""
    from ttdn.plans import services
    from ttdn.plans.models import Plan

    plan = Plan.objects.filter(unit=world.bodies["QT"].unit, year=2033).first()
    if plan is None:
        officer = world.users["quangtri.canbo"]
        plan = services.create_plan(officer, world.bodies["QT"].unit, 2033)
        services.save_activity(officer, plan, {"title": "Hội thảo", "category": "tap_huan"}, [])
    return plan


def _activity_fields(world: World) -> dict[str, str]:
    activity = _draft_plan(world).activities.first()
    return {
        "activity": str(activity.pk),
        "title": "Hội nghị báo chí",
        "category": "tap_huan",
        "lead": "T44-2025",
        "timeline": "Quý II",
        "partners": "Sở Ngoại vụ",
        "targets": "100 phóng viên",
        "amount_central": "1.000.000",
        "amount_local": "2.000.000",
        "amount_socialised": "0",
    }


def _submission_fields(world: World) -> dict[str, str]:
    from ttdn.reporting.models import ReportForm

    # A report the form's checks accept (trainees at least the courses, spent within the plan).
    typical = {"yes_no": "có", "count": "3", "money": "90.000.000", "percent": "12,5", "text": "Kết quả"}
    values: dict[str, str] = {"comment": "Ý kiến"}
    for indicator in ReportForm.objects.get(code="ttdn_nam").indicators.all():
        if indicator.disaggregated:
            for n, _category in enumerate(indicator.categories):
                values[f"v_{indicator.code}__{n}"] = "12"
        elif indicator.kind != "file":
            values[f"v_{indicator.code}"] = typical.get(indicator.kind, "3")
        else:
            values[f"x_{indicator.code}"] = "1"
    return values


def _review_fields(world: World) -> dict[str, str]:
    from ttdn.tasks.models import Duty

    fields: dict[str, str] = {"duty": "", "at": "Tổ chức", "name": "Xã Mới"}
    for duty in Duty.objects.filter(document=_directive(world), state="proposed").order_by("pk")[:2]:
        fields.update(
            {
                f"d{duty.pk}-section": duty.section,
                f"d{duty.pk}-text": duty.text,
                f"d{duty.pk}-assignee": "Bộ Ngoại giao",
                f"d{duty.pk}-coordinators": "Bộ Công an",
                f"d{duty.pk}-due": "31/12/2026",
                f"d{duty.pk}-recurrence": "",
            }
        )
        fields["duty"] = str(duty.pk)
    return fields


def _directive(world: World) -> Any:
    """A directive whose duties, read out of it, wait for review."""
    from ttdn.documents import services as documents
    from ttdn.tasks import services as tasks
    from ttdn.tasks.models import Duty

    officer = world.users["cuc.canbo"]
    document = documents.import_text(DIRECTIVE, user=officer).document
    if not Duty.objects.filter(document=document).exists():
        tasks.extract_document(officer, document)
    return document


DIRECTIVE = """THỦ TƯỚNG CHÍNH PHỦ
Số: 88/CT-TTg
Hà Nội, ngày 10 tháng 3 năm 2026

CHỈ THỊ
Về tăng cường công tác thông tin đối ngoại

1. Bộ Ngoại giao chủ trì, phối hợp với Bộ Văn hóa, Thể thao và Du lịch tổ chức họp báo quốc tế định kỳ hằng quý.
2. Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương xây dựng kế hoạch thông tin đối ngoại hằng năm, gửi Bộ Văn hóa, Thể thao và Du lịch trước ngày 30 tháng 6.
3. Bộ Công an chủ trì theo dõi, xử lý thông tin sai sự thật, báo cáo Thủ tướng Chính phủ trước ngày 15 tháng 12 năm 2026.
"""


def _occurrence(world: World) -> str:
    occurrence = world.bodies["QT"].occurrence
    return str(occurrence.pk) if occurrence is not None else ""


def _task_url(world: World) -> str:
    task = world.bodies["QT"].task
    return f"/tasks/{task.pk}/" if task is not None else "/tasks/0/"


TARGETS = [
    Target(
        "story filter",
        "GET",
        "cuc.phantich",
        lambda w: "/monitoring/",
        lambda w: {
            "q": "quảng trị",
            "province": "",
            "topic": "tourism",
            "language": "vi",
            "sentiment": "negative",
            "source": str(w.source.pk),
            "since": "01/11/2026",
            "until": "30/11/2026",
            "duplicates": "on",
            "page": "2",
        },
        forms=("ItemFilterForm",),
    ),
    Target(
        "new news source",
        "POST",
        "cuc.phantich",
        lambda w: "/monitoring/sources/",
        lambda w: {
            "name": "Báo thử",
            "kind": "feed",
            "url": "https://bao-thu.example/rss.xml",
            "outlet_names": "Báo thử",
            "interval_minutes": "30",
        },
        forms=("SourceForm",),
    ),
    Target(
        "story typed in",
        "POST",
        "cuc.phantich",
        lambda w: "/monitoring/add/",
        lambda w: {
            "story-outlet": "Báo thử",
            "story-title": "Quảng Trị đón khách quốc tế",
            "story-text": "Tỉnh Quảng Trị đón đoàn khách quốc tế.",
            "story-url": "https://bao-thu.example/1.html",
            "story-published": "30/11/2026",
            "story-foreign": "on",
        },
        fixed={"form": "story"},
        forms=("StoryEntryForm",),
    ),
    Target(
        "story from a file",
        "POST",
        "cuc.phantich",
        lambda w: "/monitoring/add/",
        lambda w: {"file-outlet": "Báo thử", "file-url": "", "file-published": "30/11/2026"},
        fixed={"form": "file"},
        forms=("FileEntryForm", "_EntryForm"),
        files=("file-file",),
    ),
    Target(
        "stories from an export",
        "POST",
        "cuc.phantich",
        lambda w: "/monitoring/add/",
        lambda w: {"export-outlet": "Báo thử", "export-foreign": "on"},
        fixed={"form": "export"},
        forms=("ExportEntryForm",),
        files=("export-file",),
    ),
    Target(
        "new rebuttal material",
        "POST",
        "cuc.phantich",
        lambda w: "/monitoring/claims/",
        lambda w: {
            "title": "Luận điệu thử",
            "summary": "Nội dung luận điệu",
            "keywords": "từ khoá, keyword",
            "rebuttal": "Lập luận phản bác",
            "evidence": "Nguồn",
            "languages": "vi, en",
        },
        forms=("ClaimForm",),
    ),
    Target(
        "alert step",
        "POST",
        "cuc.phantich",
        lambda w: f"/monitoring/alerts/{w.bodies['QT'].alert.pk}/",
        lambda w: {"assignee": "", "response": "rebuttal", "rebuttal": str(w.claim.pk), "note": "Đã xử lý"},
        fixed={"action": "respond"},
        forms=("AlertStepForm",),
    ),
    Target(
        "document filter",
        "GET",
        "cuc.canbo",
        lambda w: "/docs/",
        lambda w: {
            "q": "thông tin",
            "doc_type": "Chỉ thị",
            "issuer": "Thủ tướng",
            "year": "2012",
            "validity": "in_force",
            "stubs": "on",
            "scope": "text",
            "sort": "-issued_on",
            "page": "2",
        },
        forms=("DocumentFilterForm",),
    ),
    Target(
        "document import",
        "POST",
        "quangtri.canbo",
        lambda w: "/docs/import/",
        lambda w: {"text": "ỦY BAN NHÂN DÂN\nSố: 12/KH-UBND\nKẾ HOẠCH\nThông tin đối ngoại"},
        forms=("ImportForm",),
        files=("file",),
    ),
    Target(
        "bulk document import",
        "POST",
        "quangtri.canbo",
        lambda w: "/docs/import/bulk/",
        lambda w: {"next": "/docs/import/"},  # the form has its files only; one plain field to vary
        forms=("BulkImportForm",),
        files=("files",),
    ),
    Target(
        "document correction",
        "POST",
        "quangtri.canbo",
        lambda w: f"/docs/{w.bodies['QT'].document.pk}/edit/",
        lambda w: {
            "number": "12/KH-UBND",
            "doc_type": "Kế hoạch",
            "issuer_name": "UBND tỉnh Quảng Trị",
            "place": "Quảng Trị",
            "issued_on": "01/03/2026",
            "effective_on": "01/03/2026",
            "subject": "Thông tin đối ngoại",
            "signer_name": "Nguyễn Văn A",
            "signer_position": "Chủ tịch",
            "signer_authority": "TM. UBND",
        },
        forms=("CorrectionForm",),
    ),
    Target(
        "document relation",
        "POST",
        "quangtri.canbo",
        lambda w: f"/docs/{w.bodies['QT'].document.pk}/relations/",
        lambda w: {
            "kind": "implements",
            "target": "21/CT-TTg",
            "effective_on": "01/04/2026",
            "note": "Ghi chú",
        },
        forms=("RelationForm",),
    ),
    Target(
        "document preview, save and cancel (a token, no form)",
        "POST",
        "quangtri.canbo",
        lambda w: f"/docs/import/{w.pending['quangtri.canbo'].token}/save/",
        lambda w: {"confirm": "1"},
    ),
    Target(
        "directory filter",
        "GET",
        "cuc.canbo",
        lambda w: "/orgs/",
        lambda w: {
            "q": "quảng",
            "kind": "province",
            "as_of": "31/12/2012",
            "view": "tree",
            "sort": "name",
            "parent": "T44-2025",
            "page": "2",
        },
        forms=("DirectoryFilterForm",),
    ),
    Target(
        "contact details",
        "POST",
        "quangtri.canbo",
        lambda w: "/orgs/T44-2025/private/",
        lambda w: {
            "address": "Số 1 Hùng Vương",
            "phone": "0233 385 2123",
            "email": "a@b.vn",
            "focal_point": "A",
        },
        forms=("ContactForm",),
    ),
    Target(
        "activity of a plan",
        "POST",
        "quangtri.canbo",
        lambda w: f"/plans/{_draft_plan(w).pk}/",
        _activity_fields,
        fixed={"action": "save_activity"},
        forms=("ActivityForm",),
    ),
    Target(
        "plan header and actions (no form)",
        "POST",
        "quangtri.canbo",
        lambda w: f"/plans/{_draft_plan(w).pk}/",
        lambda w: {
            "action": "save_plan",
            "title": "Kế hoạch TTĐN",
            "number": "12/KH",
            "objectives": "Mục đích",
            "requirements": "Yêu cầu",
            "bases": "21/CT-TTg",
            "activity": str(_draft_plan(w).activities.first().pk),
            "merge": str(_draft_plan(w).activities.first().pk),
            "comment": "Trả lại",
            "anchor": "#a1",
        },
    ),
    Target(
        "new plan (no form)",
        "POST",
        "dongnai.canbo",
        lambda w: "/plans/",
        lambda w: {"year": "2034", "number": "3/KH"},
    ),
    Target(
        "plan list and national filters (no form)",
        "GET",
        "cuc.canbo",
        lambda w: "/plans/national/",
        lambda w: {"year": "2026", "status": "late", "group": "province", "export": "csv"},
    ),
    Target(
        "result of an activity",
        "POST",
        "quangtri.canbo",
        lambda w: f"/plans/{_plan(w).pk}/actual/",
        lambda w: {
            "activity": str(_plan(w).activities.first().pk),
            "result": "done",
            "result_on": "01/06/2026",
            "actual_cost": "1.000.000",
            "outputs": "2 lớp",
        },
        forms=("ResultForm",),
        files=("files",),
    ),
    Target(
        "posts and courses (no form)",
        "POST",
        "quangtri.canbo",
        lambda w: "/plans/staff/?unit=T44-2025",
        lambda w: {
            "action": "post",
            "title": "Chuyên viên",
            "holder": "Nguyễn Văn A",
            "since": "01/01/2026",
            "dedicated": "on",
            "activity": str(_plan(w).activities.first().pk),
            "held_on": "02/02/2026",
            "topic": "Tập huấn",
            "trainees": "30",
            "trainers": "Cục",
        },
    ),
    Target(
        "progress of a task",
        "POST",
        "quangtri.canbo",
        _task_url,
        lambda w: {
            "occurrence": _occurrence(w),
            "text": "Đã tổ chức hội nghị",
            "percent": "50",
            "documents": "21/CT-TTg",
            "done_on": "01/06/2026",
        },
        fixed={"action": "progress"},
        forms=("ProgressForm",),
        files=("files",),
    ),
    Target(
        "send back a task",
        "POST",
        "quangtri.lanhdao",
        _task_url,
        lambda w: {"occurrence": _occurrence(w), "reason": "Thiếu minh chứng"},
        fixed={"action": "send_back"},
        forms=("SendBackForm",),
    ),
    Target(
        "reopen a task",
        "POST",
        "quangtri.lanhdao",
        _task_url,
        lambda w: {"occurrence": _occurrence(w), "reason": "Chưa xong"},
        fixed={"action": "reopen"},
        forms=("ReopenForm",),
    ),
    Target(
        "tracking item of a task",
        "POST",
        "cuc.canbo",
        _task_url,
        lambda w: {"occurrence": _occurrence(w), "item": "1"},
        fixed={"action": "tracking_item"},
        forms=("TrackingLinkForm",),
    ),
    Target(
        "review of duties",
        "POST",
        "cuc.canbo",
        lambda w: f"/tasks/review/{_directive(w).pk}/",
        _review_fields,
        fixed={"action": "save"},
        forms=("DutyForm",),
    ),
    Target(
        "a duty added and the review's other actions (no form)",
        "POST",
        "cuc.canbo",
        lambda w: f"/tasks/review/{_directive(w).pk}/",
        lambda w: {
            "action": "add",
            "new-text": "Tổ chức hội nghị",
            "new-assignee": "Bộ Ngoại giao",
            "new-coordinators": "Bộ Công an",
            "new-due": "31/12/2026",
            "new-recurrence": "",
            **{k: v for k, v in _review_fields(w).items() if k in ("duty", "at", "name")},
        },
    ),
    Target(
        "task list filters (no form)",
        "GET",
        "quangtri.canbo",
        lambda w: "/tasks/",
        lambda w: {
            "status": "overdue",
            "unit": "T44-2025",
            "document": str(_directive(w).pk),
            "q": "tập huấn",
            "sort": "due",
            "due_from": "01/01/2012",
            "due_to": "31/12/2026",
            "page": "2",
            "export": "csv",
        },
    ),
    Target(
        "overdue page (no form)",
        "GET",
        "quangtri.canbo",
        lambda w: "/tasks/overdue/",
        lambda w: {"unit": "T44-2025", "page": "2"},
    ),
    Target(
        "report entry (no form)",
        "POST",
        "quangtri.canbo",
        lambda w: "/reporting/forms/ttdn_nam/2026/T44-2025/",
        _submission_fields,
        fixed={"action": "save"},
    ),
    Target(
        "report autosave (no form)",
        "POST",
        "quangtri.canbo",
        lambda w: "/reporting/forms/ttdn_nam/2026/T44-2025/",
        _submission_fields,
        fixed={"action": "autosave"},
    ),
    Target(
        "completeness filters (no form)",
        "GET",
        "cuc.canbo",
        lambda w: "/reporting/forms/ttdn_nam/2026/",
        lambda w: {"under": "T44-2025", "status": "missing", "q": "quảng", "page": "2", "export": "csv"},
    ),
    Target(
        "tracking table filters",
        "GET",
        "cuc.canbo",
        lambda w: "/reporting/tracking/",
        lambda w: {"mode": "current", "year_from": "2011", "year_to": "2012"},
        forms=("TrackingFilterForm",),
    ),
    Target(
        "tracking table import",
        "POST",
        "cuc.canbo",
        lambda w: "/reporting/tracking/import/",
        lambda w: {"confirm": "1"},
        forms=("TrackingImportForm",),
        files=("file",),
    ),
    Target(
        "sign in",
        "POST",
        None,
        lambda w: "/login/",
        lambda w: {"username": "quangtri.canbo", "password": "ttdn-demo-2026", "next": "/"},
        forms=("LoginForm",),
    ),
    Target(
        "sign in to the administration",
        "POST",
        None,
        lambda w: "/admin/login/",
        lambda w: {"username": "quantri", "password": "ttdn-demo-2026", "next": "/admin/"},
        forms=("AdminLoginForm",),
    ),
]


def _form_classes() -> set[str]:
    """Every Form and ModelForm subclass defined in the apps' forms and views modules."""
    import ttdn

    found: set[str] = set()
    for module_info in pkgutil.walk_packages(ttdn.__path__, "ttdn."):
        name = module_info.name
        if not (name.endswith((".forms", ".views")) or ".views." in name):
            continue
        module = importlib.import_module(name)
        for _name, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, forms.BaseForm) and obj.__module__ == name:
                found.add(obj.__name__)
    return found


def test_every_form_is_fuzzed() -> None:
    covered = {name for target in TARGETS for name in target.forms}
    missing = _form_classes() - covered
    assert not missing, (
        f"forms no fuzz target posts to: add them to TARGETS in tests/test_form_fuzz.py: {missing}"
    )
    assert len(covered) >= 14


def _files(draw: Any, names: tuple[str, ...]) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    out: dict[str, Any] = {}
    for name in names:
        if draw(st.booleans()):
            filename = draw(
                st.sampled_from(
                    [
                        "a.txt",
                        "a.docx",
                        "a.pdf",
                        "a.xlsx",
                        "a.html",
                        "a.csv",
                        "a.json",
                        "..\\..\\x.txt",
                        "\x00.txt",
                        "a" * 300,
                    ]
                )
            )
            content = draw(
                st.one_of(
                    st.binary(max_size=200),
                    st.sampled_from(
                        [b"PK\x03\x04junk", b"%PDF-1.4 junk", b"", b"title\nTin\n", b"<p>Tin</p>"]
                    ),
                )
            )
            out[name] = SimpleUploadedFile(filename.replace("\x00", "_"), content)
    return out


@pytest.mark.django_db
@pytest.mark.parametrize("target", TARGETS, ids=[t.name for t in TARGETS])
def test_bad_values_never_give_a_server_error(target: Target) -> None:
    world = build_world()
    client = client_for(world.users[target.user] if target.user else None)
    url = target.url(world)
    plausible = target.fields(world)
    guard = Guard()
    seen: list[int] = []

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(st.data())
    def run(data: st.DataObject) -> None:
        # One to three fields get bad values (or go missing); the others stay plausible, so that a bad value
        # also meets the code behind a form that accepts the rest.
        names = sorted(plausible)
        bad = data.draw(st.sets(st.sampled_from(names), min_size=1, max_size=min(3, len(names))), label="bad")
        values: dict[str, Any] = {}
        for name in names:
            value = data.draw(field_value(plausible[name]), label=name) if name in bad else plausible[name]
            if value is not None:
                values[name] = value
        values.update(target.fixed)
        if target.method == "GET":
            query = encode(values).decode("ascii")
            outcome = guard.request(
                client, "GET", f"{url}{'&' if '?' in url else '?'}{query}", check_writes=lambda o: False
            )
        elif target.files:
            files = _files(data.draw, target.files)
            # multipart is encoded by the test client, which cannot write a lone surrogate: those go as "?"
            plain = {
                k: [str(x).encode("utf-8", "replace").decode() for x in v]
                if isinstance(v, list)
                else str(v).encode("utf-8", "replace").decode()
                for k, v in values.items()
            }
            outcome = guard.request(
                client, "POST", url, {**plain, **files}, check_writes=lambda o: False, scan_controls=True
            )
        else:
            outcome = guard.request(
                client,
                "POST",
                url,
                encode(values),
                check_writes=lambda o: False,
                scan_controls=True,
                content_type="application/x-www-form-urlencoded",
            )
        seen.append(outcome.status)
        assert not outcome.server_error, f"{target.method} {url} {values!r:.600}: {outcome.error}"
        assert not outcome.controls, (
            f"{target.method} {url} stored control characters: {outcome.controls[:3]}"
        )

    run()
    print(f"\n{target.name}: {len(seen)} examples, statuses {sorted(set(seen))}")
    assert len(seen) >= EXAMPLES // 2
