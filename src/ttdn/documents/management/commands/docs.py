"""``ttdn docs parse FILE --json`` (stateless, no database) and ``ttdn docs import FILE...``."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ttdn.core.commandline import read_file as _read
from ttdn.documents.extract import ExtractError, extract_text


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

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "parse":
            self._parse(options)
        else:
            self._import(options)

    def _parse(self, options: dict[str, Any]) -> None:
        from ttdn.documents.parsing.parser import parse

        name, data = _read(options["file"])
        try:
            text = extract_text(name, data)
        except ExtractError as exc:
            raise CommandError(f"{name}: {exc}") from exc
        result = parse(text).to_dict(with_text=options["text"])
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        for key in ("number", "doc_type", "issuer", "place", "issued_on", "subject"):
            self.stdout.write(f"{key}: {result[key] or '—'}")
        signer = result["signer"]
        self.stdout.write(
            f"signer: {signer['authority'] or ''} {signer['position'] or ''} {signer['name'] or '—'}".strip()
        )
        for ref in result["references"]:
            self.stdout.write(
                f"  → {ref['doc_type'] or ''} {ref['number']} {ref['issued_on'] or ''}".rstrip()
            )

    def _import(self, options: dict[str, Any]) -> None:
        from django.db import transaction

        from ttdn.documents.services import ImportRefused, import_file

        results = []
        files = [_read(f) for f in options["files"]]
        try:
            with transaction.atomic():  # all files or none
                for name, data in files:
                    try:
                        result = import_file(name, data)
                    except ImportRefused as exc:
                        raise CommandError(f"{name}: {exc}") from exc
                    results.append(
                        {
                            "file": name,
                            "id": result.document.pk,
                            "number": result.document.number or None,
                            "created": result.created,
                        }
                    )
        except CommandError:
            raise
        if options["json"]:
            self.stdout.write(json.dumps(results, ensure_ascii=False))
        else:
            for row in results:
                state = "mới / new" if row["created"] else "đã có / already there"
                self.stdout.write(f"{row['file']}: {row['number'] or '—'} (#{row['id']}, {state})")
