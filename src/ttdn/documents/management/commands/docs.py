"""``ttdn docs parse FILE --json`` (stateless, no database) and ``ttdn docs import FILE...``."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ttdn.core.commandline import read_file as _read


class Command(BaseCommand):
    help = "Parse or import official documents (.txt, .docx, .pdf)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        parse = sub.add_parser("parse", help="parse one file and print its parts; writes nothing")
        parse.add_argument("file")
        parse.add_argument("--json", action="store_true")
        parse.add_argument("--text", action="store_true", help="include the cleaned text")
        imp = sub.add_parser("import", help="import files into the registry")
        imp.add_argument("files", nargs="+")
        imp.add_argument("--json", action="store_true")
        imp.add_argument(
            "--batch",
            type=int,
            default=50,
            help="documents a transaction (the web keeps writing between batches)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "parse":
            self._parse(options)
        else:
            self._import(options)

    def _parse(self, options: dict[str, Any]) -> None:
        from ttdn.documents.parsing.command import OfflineError, docs_parse

        try:
            docs_parse(
                options["file"], as_json=options["json"], with_text=options["text"], write=self.stdout.write
            )
        except OfflineError as exc:
            raise CommandError(str(exc)) from exc

    def _import(self, options: dict[str, Any]) -> None:
        from django.db import transaction

        from ttdn.documents.bulk import expand, read_all, write_batches
        from ttdn.documents.services import ImportRefused

        try:
            files = expand([_read(f) for f in options["files"]])
        except ImportRefused as exc:
            raise CommandError(str(exc)) from exc
        texts, errors = read_all(files)  # every file read before anything is written
        if errors:
            raise CommandError("; ".join(f"{e['file']}: {e['message']}" for e in errors))
        total = len(texts)

        def progress(done: int, _outcome: Any) -> None:  # told once the batch has committed
            if not options["json"] and total > options["batch"]:
                transaction.on_commit(lambda: self.stderr.write(f"  {done}/{total}"))

        outcome = write_batches(texts, batch_size=max(1, options["batch"]), after_batch=progress)
        results = outcome.documents
        for error in outcome.errors:
            self.stderr.write(f"{error['file']}: {error['message']}")
        if options["json"]:
            self.stdout.write(json.dumps(results, ensure_ascii=False))
        else:
            for row in results:
                state = "mới / new" if row["created"] else "đã có / already there"
                self.stdout.write(f"{row['file']}: {row['number'] or '—'} (#{row['id']}, {state})")
        if outcome.errors:
            raise CommandError(f"{len(outcome.errors)} tệp không nhập được / files not imported")
