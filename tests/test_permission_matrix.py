"""The permission matrix: every URL of the site x every demo role x an object of the user's own body and one of
another body, read (GET) and sent to (POST, empty and plausible). Never a 5xx; anonymous visitors go to the
login page except on the public pages listed here; another body's private object is refused and its text
never shown; a POST that is refused, or that concerns what the user may not change, changes no row.

The table ``KWARGS`` gives, for each argument of a URL, the values of the user's own body and of another body;
a new URL whose argument is not in it fails ``test_every_url_argument_has_values``: add it there."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from tests.matrix import BODIES, Guard, Outcome, Route, World, build_world, client_for, login_redirect, routes

ANONYMOUS = "anonymous"


def _roles() -> list[str]:
    from ttdn.site.demo import DEMO_ACCOUNTS

    return [ANONYMOUS, *(a.username for a in DEMO_ACCOUNTS)]


# -- own and other -----------------------------------------------------------------------------


def sides(user: Any | None) -> tuple[str, str]:
    """The user's own body (a unit user's; Quảng Trị for the others) and another body (out of a unit user's
    scope: Đồng Nai, or Quảng Trị for Đồng Nai's officer and for the department under Quảng Trị)."""
    code = user.org_unit.code if user is not None and user.org_unit_id else None
    own = next((key for key, c in BODIES.items() if c == code), "QT")
    return own, ("QT" if own in ("DN", "DEPT") else "DN")


Values = Callable[[World, Any], tuple[Any, Any]]


def _body(attr: str) -> Values:
    def values(world: World, user: Any) -> tuple[Any, Any]:
        own, other = sides(user)

        def get(key: str) -> Any:
            obj = getattr(world.bodies[key], attr)
            return None if obj is None else getattr(obj, "pk", obj)

        return get(own), get(other)

    return values


def _unit_code(world: World, user: Any) -> tuple[str, str]:
    own, other = sides(user)
    return world.bodies[own].unit.code, world.bodies[other].unit.code


def _per_user(what: str) -> Values:
    """A record of the user (for the anonymous visitor: of Quảng Trị's officer) and one of another user."""

    def values(world: World, user: Any) -> tuple[Any, Any]:
        mine = user.username if user is not None else "quangtri.canbo"
        other = "dongnai.canbo" if mine != "dongnai.canbo" else "quangtri.canbo"
        records = {"notice": world.notices, "run": world.runs, "entry_run": world.entry_runs}.get(
            what, world.pending
        )
        pick = (lambda r: r.token) if what == "pending" else (lambda r: r.pk)
        return pick(records[mine]), pick(records[other])

    return values


def _same(value: Any) -> Values:
    return lambda world, user: (value, value)


SHARED, BODY, USER = "shared", "body", "user"

# (route:argument or argument) -> (whose it is, values for the user's own body and another body). "body": the
# other body's object is private (a unit user out of its scope is refused); "user": only its own user may
# use it; "shared": anyone signed in may read it (the registry of documents, the directory, report forms).
KWARGS: dict[str, tuple[str, Values]] = {
    "attachment:pk": (BODY, _body("attachment")),
    "orgs:detail:code": (SHARED, _unit_code),
    "orgs:private:code": (BODY, _unit_code),
    "orgs:audit:code": (BODY, _unit_code),
    "token": (USER, _per_user("pending")),
    "documents:import_run:pk": (USER, _per_user("run")),
    "documents:relation_delete:pk": (BODY, _body("relation")),
    "documents:detail:pk": (SHARED, _body("document")),
    "documents:source:pk": (SHARED, _body("document")),
    "documents:edit:pk": (BODY, _body("document")),
    "documents:reparse:pk": (BODY, _body("document")),
    "documents:relation_add:pk": (BODY, _body("document")),
    "plans:detail:pk": (BODY, _body("plan")),
    "plans:docx:pk": (BODY, _body("plan")),
    "plans:xlsx:pk": (BODY, _body("plan")),
    "plans:actual:pk": (BODY, _body("plan")),
    "form_code": (SHARED, _same("ttdn_nam")),
    "period_code": (SHARED, _same("2026")),
    "reporting:submission:unit_code": (BODY, _unit_code),
    "fmt": (SHARED, lambda world, user: ("xlsx", "docx")),
    "tasks:detail:pk": (BODY, _body("task")),
    "doc_pk": (BODY, _body("document")),
    "tasks:calendar:unit_code": (BODY, _unit_code),
    "tasks:notification:pk": (USER, _per_user("notice")),
    "monitoring:item:pk": (BODY, _body("story")),
    "monitoring:source:pk": (SHARED, lambda world, user: (world.source.pk, world.source.pk)),
    "monitoring:source_action:pk": (SHARED, lambda world, user: (world.source.pk, world.source.pk)),
    "monitoring:alert:pk": (BODY, _body("alert")),
    "monitoring:claim:pk": (SHARED, lambda world, user: (world.claim.pk, world.claim.pk)),
    "monitoring:run:pk": (USER, _per_user("entry_run")),
}

# Pages that take a body in the query string: own and other as for an argument. The staff page and the
# completeness page refuse another body; the task lists filter by it (within the user's scope, so another
# body's filter shows nothing of it, which the markers check).
BODY_QUERY = {
    "plans:staff": "unit",
    "reporting:period": "under",
    "tasks:list": "unit",
    "tasks:overdue": "unit",
    "tasks:letter": "unit",
}
FILTERS = {"tasks:list", "tasks:overdue", "tasks:letter"}
# Routes whose query string says what to export; each is read once more with it.
EXPORTS: dict[str, list[dict[str, str]]] = {
    "tasks:list": [{"export": "csv"}],
    "plans:national": [{"export": "xlsx"}, {"export": "csv"}, {"export": "letter"}, {"status": "late"}],
    "reporting:period": [{"export": "csv"}, {"export": "xlsx"}, {"export": "letter"}, {"status": "missing"}],
    "reporting:totals": [{"export": "xlsx"}],
    "orgs:directory": [{"view": "tree"}, {"q": "quảng trị"}],
    "documents:list": [{"q": "thông tin đối ngoại", "scope": "text"}],
    "tasks:notifications": [{"unread": "1"}],
    "monitoring:items": [{"format": "csv"}, {"q": "moc rieng", "duplicates": "on"}],
    "monitoring:alerts": [{"status": "all"}],
    "monitoring:claims": [{"q": "ma tran"}],
}

# Reachable without signing in: (route, what a visitor gets).
PUBLIC = {"login", "logout", "set_language"}
# Writes that are the page's purpose for whoever may reach it (signing in, out, the language).
WRITES_ARE_THE_POINT = {"login", "logout", "set_language"}
# What a viewer may change: only their own notices (marked read).
VIEWER_MAY_WRITE = {"tasks:notifications", "tasks:notification"}


def key_for(route: Route, kwarg: str) -> str | None:
    for key in (f"{route.name}:{kwarg}", kwarg):
        if key in KWARGS:
            return key
    return None


# -- plausible bodies of a POST ----------------------------------------------------------------


def plausible(route: str, world: World, user: Any, body_key: str) -> list[dict[str, Any]]:
    """What the page's own forms would send, for the body the URL names."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = world.bodies[body_key]
    activity = body.activity.pk if body.activity is not None else ""
    occurrence = body.occurrence.pk if body.occurrence is not None else ""
    if route == "login":
        return [{"username": "quangtri.canbo", "password": "ttdn-demo-2026"}]
    if route == "set_language":
        return [{"language": "en", "next": "/"}]
    if route == "plans:list":
        return [{"year": "2031", "number": "12/KH"}]
    if route == "plans:detail":
        return [
            {"action": "save_activity", "title": "Hội nghị báo chí quốc tế", "category": "tap_huan"},
            {"action": "save_activity", "activity": activity, "title": "Sửa tên", "category": "tap_huan"},
            {"action": "save_plan", "title": "Kế hoạch sửa", "objectives": "Mục đích"},
            {"action": "delete_activity", "activity": activity},
            {"action": "merge", "merge": [activity]},
            *({"action": a} for a in ("submit", "consolidate", "approve", "send")),
            {"action": "return", "comment": "Bổ sung"},
        ]
    if route == "plans:actual":
        return [
            {"activity": activity, "result": "done", "result_on": "01/06/2026", "actual_cost": "1.000.000"}
        ]
    if route == "plans:staff":
        return [
            {"action": "post", "title": "Chuyên viên TTĐN", "holder": "Nguyễn Văn A", "since": "01/01/2026"},
            {"action": "course", "held_on": "02/02/2026", "topic": "Tập huấn", "trainees": "30"},
        ]
    if route == "tasks:detail":
        return [
            {"action": "progress", "occurrence": occurrence, "text": "Đã làm", "percent": "50"},
            {"action": "confirm", "occurrence": occurrence},
            {"action": "reopen", "occurrence": occurrence, "reason": "Chưa xong"},
            {"action": "send_back", "occurrence": occurrence, "reason": "Thiếu minh chứng"},
            {"action": "tracking_item", "occurrence": occurrence, "item": ""},
        ]
    if route == "tasks:review":
        return [
            {"action": "extract"},
            {"action": "issue"},
            {"action": "add", "new-text": "Tổ chức hội nghị", "new-assignee": "Sở Ngoại vụ"},
        ]
    if route == "tasks:notifications":
        return [{}]
    if route == "documents:import":
        return [{"text": "ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ\nSố: 77/KH-UBND\nKẾ HOẠCH\nThông tin đối ngoại"}]
    if route == "documents:edit":
        return [{"subject": "Trích yếu sửa", "number": body.document.number, "issued_on": "05/03/2026"}]
    if route == "documents:relation_add":
        return [{"kind": "implements", "target": "21/CT-TTg", "effective_on": "01/04/2026"}]
    if route == "orgs:private":
        return [
            {"address": "Số 1 đường Hùng Vương", "phone": "0233 3852 123", "email": "", "focal_point": "A"}
        ]
    if route == "reporting:submission":
        return [
            {"action": "save", "v_so_lop_tap_huan": "3"},
            {"action": "autosave", "v_so_lop_tap_huan": "5"},
            {"action": "submit", "v_so_lop_tap_huan": "3"},
            *({"action": a, "comment": "Ý kiến"} for a in ("approve", "return", "accept", "unlock")),
        ]
    if route == "reporting:tracking_import":
        return [{"file": SimpleUploadedFile("bang.txt", "Tỉnh\tNăm\nQuảng Trị\t2026\n".encode())}]
    return [{"confirm": "1"}]  # any other page that takes a POST: something that is not empty


def takes_posts(route: Route) -> bool:
    """Whether the view reads what a POST sends (its code names POST), as opposed to a page that only reads."""
    from django.urls import resolve

    view = resolve(reverse(route.name, kwargs={k: _SAMPLE.get(k, "1") for k in route.kwargs})).func
    view = getattr(view, "view_class", view)
    while hasattr(view, "__wrapped__"):
        view = view.__wrapped__
    try:
        return "POST" in inspect.getsource(view) or route.name in PUBLIC
    except (OSError, TypeError):
        return True


_SAMPLE = {
    "code": "T01",
    "unit_code": "T01",
    "form_code": "f",
    "period_code": "2026",
    "fmt": "xlsx",
    "token": "t",
}


# -- the matrix --------------------------------------------------------------------------------


@dataclass
class Variant:
    side: str  # "own", "other" or "-" (no body named)
    body: str
    kwargs: dict[str, Any]
    query: dict[str, str]
    foreign: bool  # the object is one the user may not read or change

    def url(self, route: Route) -> str:
        return reverse(route.name, kwargs=self.kwargs)


def variants(route: Route, world: World, user: Any) -> list[Variant]:
    from ttdn.orgs.scope import in_scope

    own, other = sides(user)
    found: list[Variant] = []
    if route.kwargs:
        for n, (side, key) in enumerate((("own", own), ("other", other))):
            kwargs: dict[str, Any] = {}
            foreign = False
            for kwarg in route.kwargs:
                scope, values = KWARGS[key_for(route, kwarg) or kwarg]
                value = values(world, user)[n]
                if value is None:
                    break
                kwargs[kwarg] = value
                if side == "other" and scope == USER:
                    foreign = True
                if side == "other" and scope == BODY:
                    foreign = user is None or not in_scope(user, world.bodies[key].unit)
            else:
                found.append(Variant(side, key, kwargs, {}, foreign))
        if len(found) == 2 and found[0].kwargs == found[1].kwargs:  # only shared arguments: one is enough
            found.pop()
    else:
        found.append(Variant("-", own, {}, {}, False))
    if route.name in BODY_QUERY and found:
        base = found.pop(0)
        for side, key in (("own", own), ("other", other)):
            body = world.bodies[key]
            foreign = side == "other" and (user is None or not in_scope(user, body.unit))
            foreign = foreign and route.name not in FILTERS
            found.append(Variant(side, key, base.kwargs, {BODY_QUERY[route.name]: body.unit.code}, foreign))
    for query in EXPORTS.get(route.name, []) if found else []:
        found.append(Variant("-", own, found[0].kwargs, query, False))
    return found


@dataclass
class Tally:
    requests: int = 0
    leaks: list[str] = None  # type: ignore[assignment]
    writes: list[str] = None  # type: ignore[assignment]
    errors: list[str] = None  # type: ignore[assignment]
    refusals: list[str] = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        self.leaks, self.writes, self.errors, self.refusals = [], [], [], []


def allowed_write(outcome: Outcome) -> bool:
    """A POST that did what was asked: a redirect elsewhere than the login page, or an autosave that says so."""
    if outcome.status in (301, 302, 303) and not login_redirect(outcome):
        return True
    return outcome.status == 200 and '"saved": true' in outcome.text


def kept_draft(route: Route, data: Any, user: Any, variant: Variant, world: World, outcome: Outcome) -> bool:
    """Sending a report the sender may enter saves its draft first: when the sending is refused (a required
    value is missing), what was typed is kept as the draft."""
    from ttdn.reporting.services.submissions import can_enter

    return (
        route.name == "reporting:submission"
        and (data or {}).get("action") == "submit"
        and not variant.foreign
        and user is not None
        and can_enter(user, world.bodies[variant.body].unit)
        and set(outcome.changed) <= {"reporting_submission", "auditlog_logentry"}
    )


def page_routes() -> list[Route]:
    return [r for r in routes() if not r.is_admin]


def run_role(role: str, world: World, tally: Tally) -> None:
    user = None if role == ANONYMOUS else world.users[role]
    client = client_for(user)
    guard = Guard()
    foreign_text = world.foreign_markers(user)
    viewer = user is not None and user.role == "viewer"
    for route in page_routes():
        for variant in variants(route, world, user):
            url = variant.url(route)
            query = "?" + "&".join(f"{k}={v}" for k, v in variant.query.items()) if variant.query else ""
            if variant.side == "-" and variant.query:  # an export or a filter: read, not sent to
                bodies = []
            elif takes_posts(route):
                bodies = [None, *plausible(route.name, world, user, variant.body)]
                if user is None or variant.foreign:  # refused before the action is read: one is enough
                    bodies = bodies[:2]
            elif variant.side != "other":
                bodies = [None]  # a page that only reads: an empty POST must be no error either
            else:
                bodies = []  # ... and there it reads another body's object as the GET does
            for method, data in [("GET", dict(variant.query)), *(("POST", b) for b in bodies)]:
                target = url if method == "GET" else url + query
                label = f"{method} {target}{query if method == 'GET' else ''} as {role} ({variant.side})"
                if method == "POST" and data:
                    label += f" {dict((k, v) for k, v in data.items() if k in ('action',))}"

                def must_check(
                    outcome: Outcome, method: str = method, route: Route = route, variant: Variant = variant
                ) -> bool:
                    if route.name in WRITES_ARE_THE_POINT:
                        return False
                    if method == "GET":
                        return variant.foreign
                    if user is None or variant.foreign:
                        return True
                    if viewer and route.name not in VIEWER_MAY_WRITE:
                        return True
                    return not allowed_write(outcome)

                outcome = guard.request(client, method, target, data, check_writes=must_check)
                tally.requests += 1
                if outcome.server_error:
                    tally.errors.append(f"{label}: {outcome.status} {outcome.error}")
                    continue
                if user is None and route.name not in PUBLIC:
                    if not (login_redirect(outcome) or outcome.status in (403, 404, 405)):
                        tally.refusals.append(f"{label}: {outcome.status} {outcome.location}")
                if variant.foreign and method == "GET" and 200 <= outcome.status < 300:
                    tally.leaks.append(f"{label}: {outcome.status} for another's private object")
                if outcome.status == 200 and outcome.text:
                    shown = [m for m in foreign_text if m in outcome.text]
                    if shown:
                        tally.leaks.append(f"{label}: shows {shown}")
                if outcome.changed and not kept_draft(route, data, user, variant, world, outcome):
                    tally.writes.append(f"{label}: {outcome.status} changed {outcome.changed}")


# -- the tests ---------------------------------------------------------------------------------


def test_every_url_argument_has_values() -> None:
    missing = [
        f"{route.name} <{kwarg}>"
        for route in page_routes()
        for kwarg in route.kwargs
        if key_for(route, kwarg) is None
    ]
    assert not missing, (
        "URL arguments the permission matrix cannot fill: add them to KWARGS in "
        f"tests/test_permission_matrix.py (own and other body's values): {missing}"
    )
    unnamed = [route.pattern for route in page_routes() if route.name.startswith("<unnamed")]
    assert not unnamed, f"name these URL patterns so the matrix can reverse them: {unnamed}"


def test_the_matrix_knows_every_page() -> None:
    names = {r.name for r in page_routes()}
    # Rough floor: a resolver read wrongly would give a handful of routes and a matrix that proves nothing.
    assert len(names) >= 40 and {"plans:detail", "reporting:submission", "tasks:calendar"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize("role", _roles())
def test_permission_matrix(role: str) -> None:
    world = build_world()
    tally = Tally()
    run_role(role, world, tally)
    print(
        f"\n{role}: {tally.requests} requests, {len(tally.leaks)} leaks, {len(tally.writes)} unauthorised writes, "
        f"{len(tally.errors)} 5xx, {len(tally.refusals)} pages open to anonymous visitors"
    )
    assert tally.requests > 100
    problems = tally.errors + tally.leaks + tally.writes + tally.refusals
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:80])


@pytest.mark.django_db
def test_the_calendar_feed_is_public_with_its_token_only() -> None:
    from ttdn.tasks.reminders import calendar_token

    world = build_world()
    unit = world.bodies["QT"].unit
    guard = Guard()
    client = client_for(None)
    url = reverse("tasks:calendar", kwargs={"unit_code": unit.code})
    good = guard.request(client, "GET", url, {"token": calendar_token(unit)}, check_writes=lambda o: False)
    wrong = guard.request(client, "GET", url, {"token": "x" * 20}, check_writes=lambda o: False)
    other = guard.request(
        client,
        "GET",
        reverse("tasks:calendar", kwargs={"unit_code": world.bodies["DN"].unit.code}),
        {"token": calendar_token(unit)},
        check_writes=lambda o: False,
    )
    assert good.status == 200 and "BEGIN:VCALENDAR" in good.text
    assert wrong.status == 403 and other.status == 403


def _admin_url(route: Route, world: World) -> str | None:
    from django.apps import apps
    from django.contrib import admin

    kwargs: dict[str, Any] = {}
    model = None
    for registered in admin.site._registry:
        meta = registered._meta
        if route.name.startswith(f"admin:{meta.app_label}_{meta.model_name}_"):
            model = registered
    for kwarg in route.kwargs:
        if kwarg == "app_label":
            kwargs[kwarg] = model._meta.app_label if model else "accounts"
        elif kwarg == "object_id":
            if model is None:
                return None
            first = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
            if first is None:
                return None
            kwargs[kwarg] = first
        elif kwarg == "content_type_id":
            from django.contrib.contenttypes.models import ContentType

            kwargs[kwarg] = ContentType.objects.get_for_model(apps.get_model("orgs", "OrgUnit")).pk
        elif kwarg == "id":  # the password page of a user
            kwargs[kwarg] = world.users["quangtri.canbo"].pk
        elif kwarg == "url":
            return None
        else:
            raise AssertionError(f"admin URL {route.name} takes <{kwarg}>: teach _admin_url its value")
    if route.name == "admin:view_on_site":
        kwargs["object_id"] = world.bodies["QT"].unit.pk
    return reverse(route.name, kwargs=kwargs)


@pytest.mark.django_db
def test_admin_pages_are_for_staff_only() -> None:
    world = build_world()
    guard = Guard()
    urls = [u for r in routes() if r.name.startswith("admin:") and (u := _admin_url(r, world))]
    problems = []
    requests = 0
    public = {reverse("admin:login"), reverse("admin:logout")}
    for role in (ANONYMOUS, "quangtri.canbo", "bng.xem", "quantri"):
        client = client_for(None if role == ANONYMOUS else world.users[role])
        for url in urls:
            outcome = guard.request(client, "GET", url, check_writes=lambda o: False)
            requests += 1
            if outcome.server_error:
                problems.append(f"GET {url} as {role}: {outcome.status} {outcome.error}")
            elif (
                role != "quantri"
                and url not in public
                and not (login_redirect(outcome) or outcome.status in (403, 404))
            ):
                problems.append(f"GET {url} as {role}: {outcome.status} {outcome.location}")
    print(f"\nadmin: {len(urls)} URLs, {requests} requests, {len(problems)} problems")
    assert len(urls) > 20
    assert not problems, "\n".join(problems[:60])


@pytest.mark.django_db
def test_the_checks_see_what_they_look_for() -> None:
    """The matrix would see a leak and a write: the markers are on the pages of their own body, and a POST
    that saves is seen writing (and rolled back)."""
    from ttdn.plans.models import Activity

    world = build_world()
    plan = world.bodies["QT"].plan
    officer = world.users["quangtri.canbo"]
    guard = Guard()
    page = guard.request(client_for(officer), "GET", f"/plans/{plan.pk}/", check_writes=lambda o: False)
    assert page.status == 200 and any(m in page.text for m in world.bodies["QT"].markers)
    assert set(world.bodies["QT"].markers) <= set(world.foreign_markers(world.users["dongnai.canbo"]))
    assert not set(world.bodies["QT"].markers) & set(world.foreign_markers(officer))
    draft = world.bodies["DN"].plan
    before = Activity.objects.filter(plan=draft).count()
    saved = guard.request(
        client_for(world.users["dongnai.canbo"]),
        "POST",
        f"/plans/{draft.pk}/",
        {"action": "save_activity", "title": "Hội nghị", "category": "tap_huan"},
        check_writes=lambda o: True,
    )
    assert saved.status == 302 and "plans_activity" in saved.changed
    assert Activity.objects.filter(plan=draft).count() == before
