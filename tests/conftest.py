"""Shared fixtures: one test database per run with the real reference data loaded."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from zoneinfo import ZoneInfo

import pytest
import time_machine

# Playwright's sync API runs an event loop in the test thread; ORM calls from
# the same thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# "Today" for the whole suite, whatever the machine's clock says: demo data, deadlines,
# lateness and periods are computed from it. The clock ticks on from there, so timestamps
# still order; the browser tests' server threads see the same clock.
TODAY = dt.date(2026, 11, 20)
NOW = dt.datetime(2026, 11, 20, 9, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
_traveller = time_machine.travel(NOW, tick=True)


def pytest_configure(config: pytest.Config) -> None:
    _traveller.start()


def pytest_unconfigure(config: pytest.Config) -> None:
    _traveller.stop()
    _remove_scratch()


def _remove_scratch() -> None:
    """The run's uploaded files and the SQLite database's side files go with the run (they piled up in /tmp)."""
    import glob
    import shutil

    from django.conf import settings

    if not settings.configured:
        return
    media = str(settings.MEDIA_ROOT)
    if os.path.basename(media).startswith("ttdn-test-media-"):
        shutil.rmtree(media, ignore_errors=True)
    name = str(settings.DATABASES["default"].get("TEST", {}).get("NAME") or "")
    if os.path.basename(name).startswith("ttdn-test-"):
        for path in glob.glob(name + "*"):
            with contextlib.suppress(OSError):
                os.remove(path)


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker):  # noqa: ANN001, ANN201
    """Create the test database, then load the reference bodies and demo accounts once, committed.

    Created here rather than by pytest-django's fixture, which only creates the
    databases that ``django_db`` marks ask for: the browser tests carry no such
    mark (they must not run inside a per-test transaction) yet need the database.
    """
    from django.test.utils import setup_databases, teardown_databases

    from ttdn.documents.services import load_field_documents
    from ttdn.orgs import reference
    from ttdn.orgs.services import load_reference
    from ttdn.reporting.services.tracking import load_items
    from ttdn.site.demo import load_demo_accounts, load_demo_documents, load_demo_tracking

    with django_db_blocker.unblock():
        config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        load_reference(reference.build())
        load_demo_accounts()
        load_field_documents()
        load_demo_documents()
        load_items()
        load_demo_tracking()
        from ttdn.reporting.services.submissions import load_forms
        from ttdn.site.demo import load_demo_submissions

        load_forms()
        load_demo_submissions()
        from ttdn.site.demo import load_demo_tasks

        load_demo_tasks()
        from ttdn.plans.services import load_reference as load_plan_reference
        from ttdn.site.demo import load_demo_plans

        load_plan_reference()
        load_demo_plans()
        from ttdn.monitoring.services import ensure_rules

        ensure_rules()
    yield
    with django_db_blocker.unblock():
        _end_other_sessions()
        teardown_databases(config, verbosity=0)


def _end_other_sessions() -> None:
    """Server threads of the browser tests may still hold PostgreSQL sessions; end them before dropping."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


def seeds_available() -> bool:
    from ttdn.site.demo import seeds_dir

    return seeds_dir() is not None


needs_seeds = pytest.mark.skipif(not seeds_available(), reason="shared/seeds not beside the repository")


def login(username: str):  # noqa: ANN201 (django.test.Client)
    """A test client logged in as a demo account."""
    from django.test import Client

    from ttdn.site.demo import DEMO_PASSWORD

    client = Client()
    response = client.post("/login/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, f"{username} could not sign in"  # through the form and its throttling
    return client


@pytest.fixture
def unit(db):  # noqa: ANN001, ANN201
    from ttdn.orgs.models import OrgUnit

    return lambda code: OrgUnit.objects.get(code=code)


@pytest.fixture
def user(db):  # noqa: ANN001, ANN201
    from ttdn.accounts.models import User

    return lambda username: User.objects.get(username=username)
