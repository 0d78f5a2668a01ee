"""``ttdn tasks extract FILE --json`` (stateless, no database) and ``ttdn tasks remind [--today DATE]``."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Extract duties from a document, or send the day's reminders."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        extract = sub.add_parser(
            "extract", help="print the duties of a document (.txt, .docx, .pdf); writes nothing"
        )
        extract.add_argument("file")
        extract.add_argument("--json", action="store_true")
        extract.add_argument(
            "--all-fields", action="store_true", help="also confidence, doubts, span and recurrence details"
        )
        remind = sub.add_parser(
            "remind",
            help="create the occurrences of recurring tasks and send due reminders (safe to run twice)",
        )
        remind.add_argument("--today", help="dd/mm/yyyy or yyyy-mm-dd (default: today)")
        remind.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "extract":
            self._extract(options)
        else:
            self._remind(options)

    def _extract(self, options: dict[str, Any]) -> None:
        from ttdn.offline import OfflineError, tasks_extract

        try:
            tasks_extract(
                options["file"],
                as_json=options["json"],
                all_fields=options["all_fields"],
                write=self.stdout.write,
            )
        except OfflineError as exc:
            raise CommandError(str(exc)) from exc

    def _remind(self, options: dict[str, Any]) -> None:
        from django.utils import timezone

        from ttdn.core.dates import DateParseError, parse_date
        from ttdn.tasks.reminders import send_reminders

        try:
            today = parse_date(options["today"]) if options["today"] else timezone.localdate()
        except DateParseError as exc:
            raise CommandError(f"Ngày không hợp lệ / bad date: {options['today']}") from exc
        result = dataclasses.asdict(send_reminders(today))
        if options["json"]:
            self.stdout.write(json.dumps({"today": today.isoformat(), **result}, ensure_ascii=False))
        else:
            self.stdout.write(
                f"{today:%d/%m/%Y}: {result['reminders']} lời nhắc, {result['notifications']} thông báo, {result['emails']} thư, "
                f"{result['occurrences_created']} kỳ mới"
            )
