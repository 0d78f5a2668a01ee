"""``ttdn eval DIR [--json]``: both text engines scored against DIR/golden.json; ``ttdn eval export DIR``: the
documents officials reviewed, written as a golden set."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Score the parser and the duty extractor on a golden set, or export the reviewed documents as one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("args", nargs="+", metavar="DIR | export DIR")
        parser.add_argument("--json", action="store_true")
        parser.add_argument(
            "--misses", action="store_true", help="list every miss (with --json they are always included)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if args[0] == "export":
            if len(args) != 2:
                raise CommandError("Cách dùng / usage: ttdn eval export DIR")
            from ttdn.tasks.golden import export_golden

            result = export_golden(Path(args[1]))
            if options["json"]:
                self.stdout.write(json.dumps(result, ensure_ascii=False))
            else:
                self.stdout.write(
                    f"{result['documents']} văn bản, {result['duties']} nhiệm vụ → {result['directory']}"
                )
            return
        if len(args) != 1:
            raise CommandError("Cách dùng / usage: ttdn eval DIR [--json]")
        from ttdn.offline import OfflineError, evaluate

        try:
            evaluate(args[0], as_json=options["json"], misses=options["misses"], write=self.stdout.write)
        except OfflineError as exc:
            raise CommandError(str(exc)) from exc
