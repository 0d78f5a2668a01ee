"""The one scope gate: every selector and service that reads or changes body-owned rows takes the user and
goes through ``ttdn.orgs.scope`` (directly, or through another function of its module that does).

Body-owned rows are those of a model that belongs to a body (a foreign key to ``OrgUnit``) and is private to
it: plans and their parts, submissions, tasks and their occurrences, evidence files. A function that fetches
such rows (``Plan.objects...``) must take the user and pass the gate; a function given a row computes on what
its caller fetched through the gate. The check reads the code (the functions' own text), so a new selector that
lists such rows without the gate fails here by name.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "ttdn"
GATE = {"restrict", "visible_units", "in_scope", "scope_prefixes", "is_central", "can_edit_unit"}
USER_PARAMS = {"user", "viewer"}

# Functions that read body-owned rows without a user, and why that is right. Kept short on purpose.
TRUSTED = {
    "plans.selectors.record_values": "a report page's source of values; the page has checked the body with in_scope",
    "plans.selectors.deadline": "the due date of a plan already fetched through visible_plans",
    "reporting.services.submissions.completeness": "counts per form for the centre's overview; figures, not rows",
    "plans.selectors.budget_totals": "sums the lines of a plan its caller fetched through visible_plans",
    "tasks.selectors.unit_deadlines": "a body's calendar feed, read by the token given to that body (checked by the view)",
    "tasks.services.ensure_occurrences": "creates the occurrences of a task it is given (the daily job, or the issuing)",
    "tasks.reminders.send_reminders": "the daily job: each reminder goes to the bodies of its own task",
    "reporting.services.submissions.reporters_with_status": "narrows a completeness result already cut to the viewer's scope",
    "reporting.services.submissions.load_forms": "loads the forms' reference data; reads no body's rows",
    "reporting.selectors.report_evidence": "evidence for the national tracking table (accepted reports prove items); the link to each is given within the reader's scope only (reporting.selectors.tracking_proofs)",
    "plans.selectors.tracking_evidence": "evidence for the national tracking table (approved plans, courses held); links given within the reader's scope only (reporting.selectors.tracking_proofs)",
    "tasks.selectors.tracking_evidence": "evidence for the national tracking table (confirmed tasks linked to an item); links given within the reader's scope only (reporting.selectors.tracking_proofs)",
    "monitoring.selectors.published_claims": "the published rebuttal library, which every signed-in reader may read",
    "monitoring.selectors.export_rows": "writes the rows of stories the caller already read through the gate (filtered)",
    "monitoring.services.claim_index": "the published claims as the pipeline's BM25 index (the library is public once published)",
    "monitoring.services.evaluate_rules": "the background job after a poll: each alert goes to the body its stories name",
    "monitoring.services.load_demo": "loads the demo's stories and rebuttal entries",
}


def _body_owned_models() -> set[str]:
    from django.apps import apps

    from ttdn.orgs.models import OrgUnit

    # Shared by everyone signed in: the registry of bodies, the documents, and the national tracking table
    # (bảng theo dõi), which every body reads whole.
    public = {
        "OrgUnit",
        "OrgEvent",
        "OrgDesignation",
        "Document",
        "DocumentRelation",
        "Reference",
        "Duty",
        "User",
        "TrackingValue",
        "TrackingImport",
    }
    owned: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("ttdn.") or model.__name__ in public:
            continue
        if any(f.is_relation and f.related_model is OrgUnit for f in model._meta.get_fields()):
            owned.add(model.__name__)
    return owned | {"Activity", "BudgetLine", "TaskOccurrence"}  # owned through their plan or task


NOT_RULES = {
    "__init__",
    "apps",
    "admin",
    "models",
    "urls",
    "views",
    "report_views",
    "forms",
    "demo",
    "context_processors",
}


def _modules() -> list[str]:
    """Every module of an app that holds rules (reads and writes): selectors, services and their kin
    (submissions, reminders, exports, ...); not views, models or the site's composition."""
    names = []
    for path in sorted(SRC.glob("*/**/*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        if parts[0] == "site" or {"migrations", "management", "templatetags", "views"} & set(parts):
            continue
        if parts[-1] in NOT_RULES:
            continue
        names.append("ttdn." + ".".join(parts))
    return names


def _functions(module_name: str) -> dict[str, ast.FunctionDef]:
    tree = ast.parse(inspect.getsource(importlib.import_module(module_name)))
    return {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}


def _fetches(node: ast.AST, owned: set[str]) -> set[str]:
    """The body-owned models whose rows the function fetches itself (``Plan.objects...``). A function given a
    row (``budget_totals(plan)``) computes on what its caller fetched through the gate."""
    return {
        n.value.id
        for n in ast.walk(node)
        if isinstance(n, ast.Attribute)
        and n.attr == "objects"
        and isinstance(n.value, ast.Name)
        and n.value.id in owned
    }


def _names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} | {
        n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)
    }


def offenders() -> list[str]:
    owned = _body_owned_models()
    found: list[str] = []
    for module_name in _modules():
        functions = _functions(module_name)
        gated = {name for name, fn in functions.items() if _names(fn) & GATE}
        changed = True
        while changed:  # a function that calls a gated function of its module is gated too
            changed = False
            for name, fn in functions.items():
                if name not in gated and _names(fn) & gated:
                    gated.add(name)
                    changed = True
        short = module_name.removeprefix("ttdn.")
        for name, fn in functions.items():
            if name.startswith("_") or f"{short}.{name}" in TRUSTED:
                continue
            reads = _fetches(fn, owned)
            if not reads:
                continue
            params = {a.arg for a in fn.args.args + fn.args.kwonlyargs}
            if not params & USER_PARAMS:
                found.append(f"{short}.{name}: reads {', '.join(sorted(reads))} and takes no user")
            elif name not in gated:
                found.append(f"{short}.{name}: takes the user but does not go through ttdn.orgs.scope")
    return found


@pytest.mark.django_db
def test_every_selector_and_service_of_body_owned_rows_goes_through_the_gate() -> None:
    assert offenders() == []


@pytest.mark.django_db
def test_the_check_sees_a_selector_without_the_gate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check can fail: a module-level function listing plans with no user is named."""
    tree = ast.parse("def all_plans():\n    return Plan.objects.all()\n")
    monkeypatch.setattr(
        "tests.test_architecture._functions",
        lambda module: {"all_plans": tree.body[0]} if module == "ttdn.plans.selectors" else {},
    )
    assert offenders() == ["plans.selectors.all_plans: reads Plan and takes no user"]
