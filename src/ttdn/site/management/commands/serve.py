"""``ttdn serve``: serve the platform with waitress (no debug server, no network at run time)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Serve the web application."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

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

        self.stdout.write(f"TTĐN: http://{options['host']}:{options['port']}/  (Ctrl+C để dừng / to stop)")
        serve(application, host=options["host"], port=options["port"], threads=options["threads"])
