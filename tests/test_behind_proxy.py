"""Production behind nginx, for real: docs/nginx.conf.example (the file docs/deploy.md shows) runs in a
private nginx on 127.0.0.1 with a self-signed certificate, in front of ``ttdn serve --trusted-proxy
127.0.0.1`` with the production settings, against the test database. Over HTTPS: the sign-in works
(redirect without a loop, CSRF, the user's name), HSTS and the policy headers are sent, the cookies are
secure, http is redirected to https, static files come from nginx, a too large body is refused.

nginx comes from Debian (``make nginx``, scripts/install-nginx.sh); the test is skipped, saying why, only
when it is missing and cannot be installed here (no apt)."""

from __future__ import annotations

import getpass
import http.client
import http.cookiejar
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "docs" / "nginx.conf.example"
DEPLOY = ROOT / "docs" / "deploy.md"
NGINX = os.environ.get("TTDN_NGINX", "/usr/sbin/nginx")
PASSWORD = "a-proxy-test-password-2026"
USERNAME = "proxy.kiemtra"
FULL_NAME = "Trịnh Văn Kiểm"
# What the example says for production, and what the test puts there instead.
PRODUCTION = {
    "server_name": "ttdn.example.gov.vn",
    "https": "listen 443 ssl http2;",
    "http": "listen 80;",
    "certificate": "/etc/ssl/ttdn/fullchain.pem",
    "key": "/etc/ssl/ttdn/privkey.pem",
    "static": "/srv/ttdn/var/static/",
    "application": "http://127.0.0.1:8000",
}


def _nginx() -> str:
    if os.path.exists(NGINX):
        return NGINX
    if shutil.which("apt-get") is None:
        pytest.skip(f"{NGINX} is missing and there is no apt-get to install it (scripts/install-nginx.sh)")
    result = subprocess.run(
        [str(ROOT / "scripts" / "install-nginx.sh"), NGINX], capture_output=True, text=True
    )
    if result.returncode != 0 or not os.path.exists(NGINX):
        pytest.fail(f"scripts/install-nginx.sh could not install nginx: {result.stderr[-2000:]}")
    return NGINX


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    """Until the server accepts connections (it has exited: fail with its log)."""
    for _ in range(600):
        if process.poll() is not None:
            pytest.fail(f"exited with {process.returncode}: {log.read_text(errors='replace')[-3000:]}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    pytest.fail(f"nothing listens on 127.0.0.1:{port}: {log.read_text(errors='replace')[-3000:]}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)


def _database_url() -> str:
    """The test database (the demo's reference data, committed) as TTDN_DATABASE_URL."""
    from django.db import connection

    config = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(config['NAME']).resolve()}"
    user = urllib.parse.quote(config["USER"] or "", safe="")
    password = f":{urllib.parse.quote(config['PASSWORD'], safe='')}" if config["PASSWORD"] else ""
    return f"postgresql://{user}{password}@{config['HOST'] or '127.0.0.1'}:{config['PORT'] or 5432}/{config['NAME']}"


def _certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-keyout", str(key), "-out", str(cert),
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def site_config(https_port: int, http_port: int, cert: Path, key: Path, static: Path, app_port: int) -> str:
    """docs/nginx.conf.example with the test's addresses and paths; every replaced text must be there."""
    text = EXAMPLE.read_text(encoding="utf-8")
    replacements = {
        PRODUCTION["server_name"]: "127.0.0.1",
        PRODUCTION["https"]: f"listen 127.0.0.1:{https_port} ssl http2;",
        PRODUCTION["http"]: f"listen 127.0.0.1:{http_port};",
        PRODUCTION["certificate"]: str(cert),
        PRODUCTION["key"]: str(key),
        PRODUCTION["static"]: f"{static}/",
        PRODUCTION["application"]: f"http://127.0.0.1:{app_port}",
    }
    for old, new in replacements.items():
        assert text.count(old) >= 1, f"docs/nginx.conf.example no longer says {old!r}"
        text = text.replace(old, new)
    return text


def main_config(folder: Path, site: Path) -> str:
    """nginx's own settings for a private instance: everything in ``folder``, in the foreground."""
    user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""  # workers read the static files
    temp = "\n".join(
        f"    {name}_temp_path {folder / name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{user}daemon off;
worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} info;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {folder / "access.log"};
{temp}
    include {site};
}}
"""


@dataclass
class Site:
    https: str
    http: str
    app_port: int
    context: ssl.SSLContext
    folder: Path


@pytest.fixture(scope="module")
def site(tmp_path_factory, django_db_setup, django_db_blocker) -> Iterator[Site]:  # noqa: ANN001
    nginx = _nginx()
    folder = tmp_path_factory.mktemp("proxy")
    var = folder / "var"
    var.mkdir()
    cert, key = _certificate(folder)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ttdn.settings_production",
        "TTDN_SECRET_KEY": secrets.token_urlsafe(50),
        "TTDN_ALLOWED_HOSTS": "127.0.0.1",
        "TTDN_DATABASE_URL": _database_url(),
        "TTDN_VAR_DIR": str(var),
        "TTDN_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    for name in ("TTDN_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"):  # the tests' own (tests/conftest.py)
        env.pop(name, None)
    ttdn = [sys.executable, "-m", "ttdn.cli"]
    subprocess.run([*ttdn, "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=folder)
    deploy = subprocess.run([*ttdn, "check", "--deploy", "--fail-level", "WARNING"], env=env, cwd=folder)
    assert deploy.returncode == 0, "the production profile passes `ttdn check --deploy`"

    app_port, https_port, http_port = _free_port(), _free_port(), _free_port()
    app_log = folder / "serve.log"
    with app_log.open("wb") as out:
        app = subprocess.Popen(
            # No job worker: it would pick up the bulk imports other tests leave in the shared database.
            [*ttdn, "serve", "--host", "127.0.0.1", "--port", str(app_port), "--trusted-proxy", "127.0.0.1",
             "--no-worker"],
            env=env, cwd=folder, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    proxy = None
    try:
        _wait_for_port(app_port, app, app_log)
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (folder / name).mkdir()
        site_file = folder / "ttdn.conf"
        site_file.write_text(site_config(https_port, http_port, cert, key, var / "static", app_port))
        conf = folder / "nginx.conf"
        conf.write_text(main_config(folder, site_file))
        test = subprocess.run(
            [nginx, "-t", "-p", str(folder), "-c", str(conf), "-e", str(folder / "error.log")]
        )
        assert test.returncode == 0, (folder / "error.log").read_text()
        nginx_log = folder / "nginx.out"
        with nginx_log.open("wb") as out:
            proxy = subprocess.Popen(
                [nginx, "-p", str(folder), "-c", str(conf), "-e", str(folder / "error.log")],
                stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        _wait_for_port(https_port, proxy, folder / "error.log")
        _wait_for_port(http_port, proxy, folder / "error.log")
        context = ssl.create_default_context(cafile=str(cert))  # the certificate is checked, not ignored
        with django_db_blocker.unblock():
            _make_user()
            try:
                yield Site(
                    f"https://127.0.0.1:{https_port}",
                    f"http://127.0.0.1:{http_port}",
                    app_port,
                    context,
                    folder,
                )
            finally:
                _remove_user()
    finally:
        if proxy is not None:
            _stop(proxy)
        _stop(app)


def _make_user() -> None:
    """An account of its own, its password hashed as production hashes it (the tests' hasher is MD5)."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from ttdn.accounts.models import Role, User
    from ttdn.orgs.models import OrgUnit

    User.objects.filter(username=USERNAME).delete()
    first, _, last = FULL_NAME.rpartition(" ")
    hasher = PBKDF2PasswordHasher()
    User.objects.create(
        username=USERNAME,
        first_name=first,
        last_name=last,
        role=Role.VIEWER,
        org_unit=OrgUnit.objects.get(code="BNG"),
        password=hasher.encode(PASSWORD, hasher.salt()),
    )


def _remove_user() -> None:
    from ttdn.accounts.models import User

    User.objects.filter(username=USERNAME).delete()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        return None


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: str
    url: str


class Browser:
    """urllib with cookies and the proxy's certificate; redirects are followed only when asked."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.cookies = http.cookiejar.CookieJar()
        https = urllib.request.HTTPSHandler(context=site.context)
        cookies = urllib.request.HTTPCookieProcessor(self.cookies)
        self.follow = urllib.request.build_opener(https, cookies)
        self.stay = urllib.request.build_opener(https, cookies, _NoRedirect)
        self.raw_cookies: list[str] = []

    def open(
        self, url: str, data: dict | None = None, *, follow: bool = False, headers: dict | None = None
    ) -> Answer:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers=headers or {})
        opener = self.follow if follow else self.stay
        try:
            response = opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        self.raw_cookies += response.headers.get_all("Set-Cookie") or []
        text = response.read().decode("utf-8", errors="replace")
        return Answer(response.status, response.headers, text, response.geturl())


def test_the_deploy_guide_shows_the_tested_configuration() -> None:
    """docs/deploy.md quotes docs/nginx.conf.example whole, so what the guide shows is what this test runs."""
    guide = DEPLOY.read_text(encoding="utf-8")
    example = EXAMPLE.read_text(encoding="utf-8")
    assert example.strip() in guide
    from django.urls import reverse

    from ttdn.core.files import MAX_BYTES
    from ttdn.documents.forms import BULK_MAX_BYTES

    limits = [int(mb) * 1024 * 1024 for mb in re.findall(r"client_max_body_size (\d+)m;", example)]
    assert len(limits) == 2  # the site's, and the bulk import's
    assert limits[0] > MAX_BYTES  # the largest file of a form gets through
    bulk = re.search(r"location = (\S+) \{[^}]*client_max_body_size (\d+)m;", example)
    assert bulk is not None and bulk.group(1) == reverse("documents:import_bulk")
    assert int(bulk.group(2)) * 1024 * 1024 > BULK_MAX_BYTES


def test_signing_in_over_https_through_nginx(site: Site) -> None:
    browser = Browser(site)
    home = browser.open(f"{site.https}/")
    assert home.status == 302 and home.headers["Location"].startswith("/login/")  # not to http://, no loop
    assert home.headers["Server"].startswith("nginx")
    hsts = home.headers.get("Strict-Transport-Security", "")
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts
    login = browser.open(f"{site.https}/login/?next=/")
    assert login.status == 200
    for header in ("Strict-Transport-Security", "Content-Security-Policy", "X-Content-Type-Options"):
        assert login.headers.get(header), header
    assert "script-src 'self'" in login.headers["Content-Security-Policy"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.body)
    assert token is not None
    form = {"csrfmiddlewaretoken": token.group(1), "username": USERNAME, "password": PASSWORD, "next": "/"}
    # The browser's Origin and Referer, as nginx passes them on: Django compares them with https://<host>.
    origin = {"Origin": site.https, "Referer": f"{site.https}/login/"}
    signed_in = browser.open(f"{site.https}/login/", form, headers=origin)
    assert signed_in.status == 302, signed_in.body[:500]
    assert signed_in.headers["Location"] == "/"
    page = browser.open(f"{site.https}/", follow=True)
    assert page.status == 200 and page.url == f"{site.https}/"
    assert FULL_NAME in page.body
    assert "no-store" in page.headers.get("Cache-Control", "")

    session = [c for c in browser.raw_cookies if c.startswith("sessionid=")]
    csrf = [c for c in browser.raw_cookies if c.startswith("csrftoken=")]
    assert session and csrf
    for cookie in session + csrf:
        flags = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
        assert "secure" in flags, cookie
    assert all("httponly" in {p.strip().lower() for p in c.split(";")} for c in session)
    assert "127.0.0.1" in (site.folder / "access.log").read_text()  # the requests went through nginx


def test_a_cross_site_login_post_is_refused(site: Site) -> None:
    """The CSRF check still bites behind the proxy: a post from another origin is refused."""
    browser = Browser(site)
    login = browser.open(f"{site.https}/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.body).group(1)
    form = {"csrfmiddlewaretoken": token, "username": USERNAME, "password": PASSWORD}
    refused = browser.open(f"{site.https}/login/", form, headers={"Origin": "https://evil.example"})
    assert refused.status == 403


def test_plain_http_is_redirected_to_https(site: Site) -> None:
    answer = Browser(site).open(f"{site.http}/tasks/?q=1")
    assert answer.status == 301
    assert answer.headers["Location"] == "https://127.0.0.1/tasks/?q=1"


def test_static_files_come_from_nginx(site: Site) -> None:
    answer = Browser(site).open(f"{site.https}/static/ttdn/app.js")
    assert answer.status == 200 and "data-confirm" in answer.body
    assert "max-age=2592000" in answer.headers.get("Cache-Control", "")  # nginx's `expires 30d`
    assert "max-age=31536000" in answer.headers.get("Strict-Transport-Security", "")
    assert "javascript" in answer.headers.get("Content-Type", "")


def _post_length(site: Site, path: str, length: int, body: bool) -> int:
    """The status of a post of ``length`` bytes; without ``body`` only the length is announced."""
    port = int(site.https.rsplit(":", 1)[1])
    connection = http.client.HTTPSConnection("127.0.0.1", port, context=site.context, timeout=60)
    try:
        connection.putrequest("POST", path)
        connection.putheader("Content-Type", "application/octet-stream")
        connection.putheader("Content-Length", str(length))
        connection.endheaders()
        if body:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(length // len(chunk)):
                connection.send(chunk)
        return connection.getresponse().status
    finally:
        connection.close()


def test_a_body_above_the_limit_is_refused_by_nginx(site: Site) -> None:
    # nginx answers from the announced length alone, before any body is sent.
    assert _post_length(site, "/login/", 26 * 1024 * 1024, body=False) == 413
    assert _post_length(site, "/docs/import/bulk/", 211 * 1024 * 1024, body=False) == 413


def test_the_bulk_import_takes_a_larger_body(site: Site) -> None:
    """30 MB to the bulk import pass nginx and reach the application (which refuses a post with no CSRF token)."""
    assert _post_length(site, "/docs/import/bulk/", 30 * 1024 * 1024, body=True) == 403
