"""``ttdn backup [--output FILE] [--json]``: one archive of the database, the uploaded files and a manifest."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ttdn.site.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write one archive (.tar.gz) of the database, the uploaded files and a manifest of counts and hashes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", "-o", help="archive to write (default var/backups/ttdn-YYYYMMDD-HHMMSS.tar.gz)"
        )
        parser.add_argument("--json", action="store_true", help="print a summary as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = backup(Path(options["output"]) if options["output"] else None)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False))
            return
        self.stdout.write(
            f"Đã sao lưu / backed up: {summary.archive} ({summary.archive_bytes:,} bytes), "
            f"{sum(summary.counts.values()):,} bản ghi / rows, {summary.files} tệp / files, {summary.seconds:.1f} s."
        )
