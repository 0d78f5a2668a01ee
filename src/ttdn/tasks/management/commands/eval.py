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
        from ttdn.tasks.evaluation import evaluate_directory

        directory = Path(args[0])
        if not directory.is_dir():
            raise CommandError(f"Không có thư mục / no such directory: {directory}")
        try:
            result = evaluate_directory(directory)
        except (FileNotFoundError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        header, duties, refs = result["header"], result["duties"], result["references"]
        self.stdout.write(f"{result['documents']} documents")
        self.stdout.write(
            f"header fields: {header['right']}/{header['total']} right ({_pct(header['accuracy'])})"
        )
        for name, field in header["fields"].items():
            self.stdout.write(f"  {name:<10} {field['right']}/{field['total']}")
        self.stdout.write(f"dated references: {refs['right']}/{refs['expected']} ({_pct(refs['recall'])})")
        self.stdout.write(
            f"duties: {duties['found']}/{duties['golden']} found, {duties['fully_right']} fully right "
            f"({_pct(duties['fully_right_rate'])}); {duties['spurious']} spurious of {duties['extracted']} "
            f"extracted ({_pct(duties['spurious_rate'])})"
        )
        if options["misses"]:
            for miss in result["misses"]["fields"]:
                self.stdout.write(
                    f"  ✗ {miss['file']} {miss['field']}: {miss['got']!r} ≠ {miss['expected']!r}"
                )
            for miss in result["misses"]["duties"]:
                self.stdout.write(
                    f"  ✗ {miss['file']} “{miss['key'][:50]}”: {'not found' if not miss['found'] else ', '.join(miss['wrong'])}"
                )


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"
