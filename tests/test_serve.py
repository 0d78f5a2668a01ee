"""``ttdn serve`` for real: gunicorn's master, its workers and the job worker beside them, with the production
settings on a database of its own (a fresh SQLite file: the job worker must not work other tests' jobs).

It serves; SIGTERM and SIGINT stop the server and the job worker; the forwarded headers are believed from the
trusted proxy only (gunicorn itself believes none), the client's address from the proxy's hop reaching the
login throttle."""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

TTDN = [sys.executable, "-m", "ttdn.cli"]


@dataclass
class Place:
    env: dict[str, str]
    folder: Path
    database: Path


@pytest.fixture(scope="module")
def place(tmp_path_factory) -> Place:
    folder = tmp_path_factory.mktemp("serve")
    database = folder / "ttdn.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ttdn.settings_production",
        "TTDN_SECRET_KEY": secrets.token_urlsafe(50),
        "TTDN_ALLOWED_HOSTS": "127.0.0.1",
        "TTDN_DATABASE_URL": f"sqlite:///{database}",
        "TTDN_VAR_DIR": str(folder / "var"),
        "TTDN_SSL_REDIRECT": "0",  # plain http from the test; the scheme is read from what the site says
        "TTDN_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    for name in ("TTDN_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "TTDN_TRUSTED_PROXY", "TTDN_REDIS_URL"):
        env.pop(name, None)
    subprocess.run([*TTDN, "migrate", "-v0"], env=env, cwd=folder, check=True)
    return Place(env, folder, database)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> dict[int, str]:
    """The live child processes of ``pid`` and their command lines (Linux /proc)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found[int(entry.name)] = cmdline
    return found


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state == "Z"


@dataclass
class Running:
    process: subprocess.Popen
    url: str
    log: Path


@pytest.fixture
def serve(place: Place) -> Iterator:
    started: list[Running] = []

    def start(*options: str) -> Running:
        port = _free_port()
        log = place.folder / f"serve-{port}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [*TTDN, "serve", "--host", "127.0.0.1", "--port", str(port), *options],
                env=place.env, cwd=place.folder, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        running = Running(process, f"http://127.0.0.1:{port}", log)
        started.append(running)
        for _ in range(300):
            if process.poll() is not None:
                pytest.fail(f"ttdn serve exited with {process.returncode}: {log.read_text()[-3000:]}")
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    return running
            time.sleep(0.1)
        pytest.fail(f"ttdn serve does not listen: {log.read_text()[-3000:]}")

    yield start
    for running in started:
        if running.process.poll() is None:
            running.process.kill()
            running.process.wait(timeout=20)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_the_server_and_its_job_worker_stop_together(serve, stop: signal.Signals) -> None:
    running = serve("--workers", "2", "--threads", "2")
    assert httpx.get(f"{running.url}/login/", timeout=30).status_code == 200
    children: dict[int, str] = {}
    for _ in range(100):  # the job worker and both gunicorn workers
        children = _children(running.process.pid)
        if len(children) == 3:
            break
        time.sleep(0.1)
    workers = [pid for pid, cmdline in children.items() if " worker --no-startup-delay" in cmdline]
    assert len(children) == 3 and len(workers) == 1, children
    running.process.send_signal(stop)
    assert running.process.wait(timeout=40) == 0, running.log.read_text()[-3000:]
    for _ in range(100):
        if all(_gone(pid) for pid in children):
            break
        time.sleep(0.1)
    assert all(_gone(pid) for pid in children), (children, running.log.read_text()[-3000:])
    log = running.log.read_text()
    assert "Using worker: gthread" in log and "Traceback" not in log


def _failed_login(url: str, headers: dict[str, str], scheme: str) -> int:
    """A wrong password posted to the login page (with its form's CSRF token, from an origin of the scheme the
    site believes it is served by): the status of the answer."""
    with httpx.Client(base_url=url, timeout=30, headers=headers) as client:
        page = client.get("/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token is not None
        # The cookies are marked Secure (production): sent by hand, over plain http.
        cookie = "; ".join(f"{name}={value}" for name, value in page.cookies.items())
        answer = client.post(
            "/login/",
            data={"csrfmiddlewaretoken": token.group(1), "username": "khong.co", "password": "sai-mat-khau"},
            headers={"Cookie": cookie, "Origin": f"{scheme}://{url.split('://', 1)[1]}"},
        )
        return answer.status_code


def _attempt_addresses(database: Path) -> list[str]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT ip_address FROM axes_accessattempt ORDER BY id").fetchall()
        connection.execute("DELETE FROM axes_accessattempt")
    return [row[0] for row in rows]


@pytest.mark.parametrize("trusted", [True, False], ids=["trusted", "untrusted"])
def test_forwarded_headers_are_believed_from_the_trusted_proxy_only(
    serve, place: Place, trusted: bool
) -> None:
    options = ["--trusted-proxy", "127.0.0.1"] if trusted else []
    running = serve("--no-worker", "--workers", "1", "--threads", "2", *options)
    claims = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.9, 203.0.113.7"}
    login = httpx.get(f"{running.url}/login/", headers=claims, timeout=30)
    assert login.status_code == 200
    # HSTS only on a request the site believes came over HTTPS.
    assert ("Strict-Transport-Security" in login.headers) is trusted
    _attempt_addresses(place.database)
    assert (
        _failed_login(running.url, claims, "https" if trusted else "http") == 200
    )  # the form, with its error
    assert _attempt_addresses(place.database) == ["203.0.113.7" if trusted else "127.0.0.1"]


def test_the_defaults_are_production_s(monkeypatch) -> None:
    """A gthread worker a CPU core, 4 threads each; gunicorn trusts no forwarded header; the application is
    loaded once before the fork, and no database connection is left open for the workers to share."""
    from django.core.management import load_command_class
    from django.db import connections

    from ttdn.site.management.commands import serve as command
    from ttdn.site.proxy import TrustedProxy

    parser = load_command_class("ttdn.site", "serve").create_parser("ttdn", "serve")
    defaults = vars(parser.parse_args([]))
    assert defaults["workers"] == 2 * (os.cpu_count() or 1) and defaults["threads"] == 2
    options = command.gunicorn_options(host="127.0.0.1", port=8000, workers=3, threads=4, access_log=False)
    server = command.Server(command.load_application, options, trusted_proxy="127.0.0.1")
    assert server.cfg.worker_class_str == "gthread" and (server.cfg.workers, server.cfg.threads) == (3, 4)
    assert server.cfg.preload_app and server.cfg.forwarded_allow_ips == [] and server.cfg.accesslog is None
    assert server.cfg.bind == ["127.0.0.1:8000"]
    closed = []
    monkeypatch.setattr(connections, "close_all", lambda: closed.append(True))
    application = server.load()
    assert isinstance(application, TrustedProxy) and application.trusted_proxy == "127.0.0.1"
    assert closed == [True]
