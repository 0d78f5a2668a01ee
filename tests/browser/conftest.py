"""A real server and Debian's chromium, driven by Playwright.

The server runs in threads of this process (waitress) against the session's
test database; browser tests do not use the per-test transaction, so what
the server writes is visible to the test and to later requests.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import pytest

CHROMIUM = os.environ.get("TTDN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def live_url(django_db_setup, django_db_blocker) -> Iterator[str]:  # noqa: ANN001
    from waitress.server import create_server

    from ttdn.wsgi import application

    with django_db_blocker.unblock():
        server = create_server(application, host="127.0.0.1", port=0, threads=4)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.effective_port}"
        finally:
            server.close()


@pytest.fixture(scope="session", autouse=True)
def _patient_expectations() -> None:
    """Assertions wait up to 15 s (as actions do), so a loaded CI machine does not fail them."""
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def browser(django_db_setup) -> Iterator[object]:  # noqa: ANN001 (database first, then the event loop)
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run 'make browser' (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(live_url, browser, django_db_blocker) -> Iterator[object]:  # noqa: ANN001
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base_url = live_url  # type: ignore[attr-defined]
    with django_db_blocker.unblock():
        yield page
    context.close()


def login(page, username: str, password: str | None = None) -> None:  # noqa: ANN001
    from ttdn.site.demo import DEMO_PASSWORD

    page.goto(f"{page.base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password or DEMO_PASSWORD)
    page.click("button[type=submit].primary")
    if password is None:
        # Wait for the redirect away from the login page, so the caller never
        # inspects the login page while the next one is still loading.
        page.wait_for_url(lambda url: "/login/" not in url)


def signed_in(browser, live_url: str, username: str):  # noqa: ANN001, ANN201 (a playwright Page)
    """A page of a new browser context (its own cookies), signed in as ``username``."""
    other = browser.new_context(locale="vi-VN").new_page()
    other.base_url = live_url
    login(other, username)
    return other
