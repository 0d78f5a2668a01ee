"""``ttdn tracking import FILE [--dry-run] --json``: read a tracking table, check its totals, import it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ttdn.reporting import tracking
from ttdn.reporting.services import tracking as services


class Command(BaseCommand):
    help = "Import a tracking table (.xlsx, .docx, or the plain text of a published page)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import")
        imp.add_argument("file")
        imp.add_argument("--dry-run", action="store_true", help="check and report; write nothing")
        imp.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không có tệp / no such file: {path}")
        try:
            table = tracking.read_file(path.name, path.read_bytes())
            outcome = services.import_table(table, source_name=path.name, dry_run=options["dry_run"])
        except tracking.TrackingError as exc:
            raise CommandError(f"{path.name}: {exc}") from exc
        summary = dict(outcome.summary)
        summary.pop("units", None)
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
            return
        self.stdout.write(
            f"{summary['rows']} dòng, năm {summary['years']}, {'không ghi (--dry-run)' if outcome.dry_run else f'{outcome.written} ô được ghi'}"
        )
        for d in summary["discrepancies"]:
            self.stdout.write(
                f"  ! {d['item']} {d['year']}: khai báo {d['declared']}, đếm được {d['computed']}"
            )
