"""``ttdn serve``: serve the platform with gunicorn, as production serves (no debug server, no network at run time).

gunicorn's ``gthread`` workers: by default two processes per CPU core (``--workers``), each with 2 threads
(``--threads``). The application is loaded once, before the workers are forked (they share its memory); no
database connection is open at that moment, so none is shared between processes.

Behind an HTTPS reverse proxy (nginx), ``--trusted-proxy 127.0.0.1`` (or TTDN_TRUSTED_PROXY) makes the site
believe that proxy's ``X-Forwarded-Proto``, ``-For`` and ``-Host``, so it knows its requests came over HTTPS (no
redirect loop, HSTS sent, the login's origin check passes) and who the client is (the login throttle); the same
headers from anyone else are removed (ttdn.site.proxy). gunicorn itself trusts no forwarded header.

The job worker (``ttdn worker``) runs beside the server unless ``--no-worker``, and stops with it (SIGTERM or
SIGINT to ``ttdn serve`` stops both). Errors go to stderr; ``--access-log`` adds one line a request on stdout.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from gunicorn.app.base import BaseApplication

THREADS = 2
ACCESS_LOG_FORMAT = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms'  # client, request line, status, bytes, duration


def default_workers() -> int:
    """Two processes per core. A gthread worker keeps the keep-alive connections it accepted, however busy it is:
    with one process per core, all 16 connections of a load sometimes landed on one process, and the other core
    idled (310 against 850 req/s for the same kept page, in one run of three); with two per core that no longer
    showed (docs/performance.md)."""
    return 2 * (os.cpu_count() or 1)


class Command(BaseCommand):
    help = "Serve the web application."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers",
            type=int,
            default=default_workers(),
            help="server processes (default: two per CPU core)",
        )
        parser.add_argument(
            "--threads", type=int, default=THREADS, help=f"threads of each process (default {THREADS})"
        )
        parser.add_argument(
            "--no-worker", action="store_true", help="do not start the job worker beside the server"
        )
        parser.add_argument(
            "--trusted-proxy",
            default=os.environ.get("TTDN_TRUSTED_PROXY", ""),
            help="address of the reverse proxy whose X-Forwarded-* headers are believed",
        )
        parser.add_argument("--access-log", action="store_true", help="log one line a request on stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings

        if getattr(settings, "DEVELOPMENT_KEY", None) == settings.SECRET_KEY and not settings.DEBUG:
            raise CommandError(
                "TTĐN: khóa bí mật là khóa phát triển công khai; hãy chạy `ttdn setup` (tạo khóa trong var/) "
                "hoặc đặt TTDN_SECRET_KEY. / The secret key is the public development key: run `ttdn setup` "
                "(it writes one into var/) or set TTDN_SECRET_KEY."
            )
        if options["workers"] < 1 or options["threads"] < 1:
            raise CommandError("--workers and --threads must be at least 1")
        server = Server(
            load_application,
            gunicorn_options(
                host=options["host"],
                port=options["port"],
                workers=options["workers"],
                threads=options["threads"],
                access_log=options["access_log"],
            ),
            trusted_proxy=options["trusted_proxy"],
        )
        _point_demo_feed(options["host"], options["port"])
        worker = None if options["no_worker"] else start_worker()
        self.stdout.write(f"TTĐN: http://{options['host']}:{options['port']}/  (Ctrl+C để dừng / to stop)")
        self.stdout.flush()
        try:
            server.run()  # returns by SystemExit when gunicorn stops (SIGTERM, SIGINT)
        finally:
            if worker is not None:
                stop_worker(worker)


def _point_demo_feed(host: str, port: int) -> None:
    """The demo's feed is served by the site itself: its source follows the address this server listens on."""
    from django.db import DatabaseError

    from ttdn.monitoring.services import point_demo_feed

    local = "127.0.0.1" if host in ("0.0.0.0", "", "::") else host  # noqa: S104 (a listen address, compared)
    with contextlib.suppress(DatabaseError):  # not migrated yet: `ttdn setup` first, nothing to point
        point_demo_feed(f"http://{local}:{port}")


def start_worker() -> subprocess.Popen[bytes]:
    """The job worker (``ttdn worker``) as a child process with the same settings; it stops with the server."""
    return subprocess.Popen([sys.executable, "-m", "ttdn.cli", "worker", "--no-startup-delay"])


def stop_worker(worker: subprocess.Popen[bytes]) -> None:
    worker.terminate()
    try:
        worker.wait(timeout=10)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait(timeout=10)


def load_application() -> Callable[..., Any]:
    """The site's WSGI application, with no database connection left open (it is loaded before the fork)."""
    from django.db import connections

    from ttdn.wsgi import application

    connections.close_all()
    return application


def gunicorn_options(*, host: str, port: int, workers: int, threads: int, access_log: bool) -> dict[str, Any]:
    """gunicorn's settings for ``ttdn serve``."""
    return {
        "bind": [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"],
        "worker_class": "gthread",
        "workers": workers,
        "threads": threads,
        "preload_app": True,
        "proc_name": "ttdn",
        # Forwarded headers are ttdn.site.proxy's alone: gunicorn believes none (its default is 127.0.0.1's).
        "forwarded_allow_ips": "",
        "secure_scheme_headers": {},
        "errorlog": "-",
        "loglevel": "info",
        "accesslog": "-" if access_log else None,
        "access_log_format": ACCESS_LOG_FORMAT,
        "graceful_timeout": 30,  # a stopped server lets the requests in progress finish
        "timeout": 120,  # a worker silent this long is restarted (the proxy waits 120 s for an answer)
        "keepalive": 5,
        "limit_request_line": 8190,  # long filter and search URLs (nginx passes up to 8 KB)
        "control_socket_disable": True,  # no control socket (gunicorn >= 25): nothing to listen on but the port
    }


class Server(BaseApplication):
    """gunicorn run from this process (it becomes the master; the workers are its forks)."""

    def __init__(
        self, load: Callable[[], Callable[..., Any]], options: dict[str, Any], trusted_proxy: str = ""
    ) -> None:
        self.loader = load
        self.options = options
        self.trusted_proxy = trusted_proxy
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings:  # a setting an older gunicorn lacks is left out
                self.cfg.set(key, value)

    def load(self) -> Callable[..., Any]:
        from ttdn.site.proxy import TrustedProxy

        return TrustedProxy(self.loader(), self.trusted_proxy)
