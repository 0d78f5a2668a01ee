"""``ttdn restore FILE [--force] [--json]``: rebuild an archive of ``ttdn backup`` on an empty database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ttdn.site.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore an archive of `ttdn backup` into this database (migrated, empty) and MEDIA_ROOT, rebuild the "
        "search index and check counts and hashes. All or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="archive written by `ttdn backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace every row the database already holds (refused without it)",
        )
        parser.add_argument("--json", action="store_true", help="print a summary as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = restore(Path(options["file"]), force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False))
            return
        self.stdout.write(
            f"Đã khôi phục / restored: {sum(summary.counts.values()):,} bản ghi / rows, {summary.files} tệp / files, "
            f"{summary.indexed_documents} văn bản trong chỉ mục / documents indexed, {summary.seconds:.1f} s; "
            f"đã kiểm tra / checked: {', '.join(summary.checks)}."
        )
