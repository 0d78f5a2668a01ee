"""``ttdn serve``: serve the platform with waitress (no debug server, no network at run time).

Behind an HTTPS reverse proxy (nginx), ``--trusted-proxy 127.0.0.1`` (or TTDN_TRUSTED_PROXY) makes waitress take
that proxy's ``X-Forwarded-Proto``, ``-For`` and ``-Host``, so the site knows its requests came over HTTPS (no
redirect loop, HSTS sent, the login's origin check passes); the same headers from anyone else are dropped."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Serve the web application."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--no-worker", action="store_true", help="do not start the job worker beside the server"
        )
        parser.add_argument(
            "--trusted-proxy",
            default=os.environ.get("TTDN_TRUSTED_PROXY", ""),
            help="address of the reverse proxy whose X-Forwarded-* headers are believed",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings

        if getattr(settings, "DEVELOPMENT_KEY", None) == settings.SECRET_KEY and not settings.DEBUG:
            raise CommandError(
                "TTĐN: khóa bí mật là khóa phát triển công khai; hãy chạy `ttdn setup` (tạo khóa trong var/) "
                "hoặc đặt TTDN_SECRET_KEY. / The secret key is the public development key: run `ttdn setup` "
                "(it writes one into var/) or set TTDN_SECRET_KEY."
            )
        from waitress import serve

        from ttdn.wsgi import application

        worker = None if options["no_worker"] else start_worker()
        self.stdout.write(f"TTĐN: http://{options['host']}:{options['port']}/  (Ctrl+C để dừng / to stop)")
        try:
            serve(
                application,
                host=options["host"],
                port=options["port"],
                threads=options["threads"],
                **proxy_options(options["trusted_proxy"]),
            )
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)


def start_worker() -> subprocess.Popen[bytes]:
    """The job worker (``ttdn worker``) as a child process with the same settings; it stops with the server."""
    return subprocess.Popen([sys.executable, "-m", "ttdn.cli", "worker", "--no-startup-delay"])


def proxy_options(trusted_proxy: str) -> dict[str, Any]:
    """waitress's settings for one trusted reverse proxy (none: every forwarded header is ignored)."""
    if not trusted_proxy:
        return {}
    return {
        "trusted_proxy": trusted_proxy,
        "trusted_proxy_count": 1,
        "trusted_proxy_headers": {"x-forwarded-proto", "x-forwarded-for", "x-forwarded-host"},
        "clear_untrusted_proxy_headers": True,
    }
