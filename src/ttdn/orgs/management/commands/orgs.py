"""``ttdn orgs list|successors|predecessors``: the body registry from the command line."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ttdn.core.dates import DateParseError, parse_date
from ttdn.orgs import selectors
from ttdn.orgs.models import OrgKind, OrgUnit


def _row(unit: OrgUnit) -> dict[str, Any]:
    return {
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "parent": unit.parent.code if unit.parent_id else None,
        "valid_from": unit.valid_from.isoformat() if unit.valid_from else None,
        "valid_to": unit.valid_to.isoformat() if unit.valid_to else None,
    }


class Command(BaseCommand):
    help = "Body registry: list bodies as of a date, or follow a body's lineage."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="bodies valid on a date")
        listing.add_argument("--as-of", dest="as_of", help="date (YYYY-MM-DD or dd/mm/yyyy); default today")
        listing.add_argument("--kind", choices=OrgKind.values)
        listing.add_argument("--search", default="", help="words of the name, diacritics optional")
        listing.add_argument("--json", action="store_true")
        for name in ("successors", "predecessors"):
            lineage = sub.add_parser(name, help=f"{name} of a body")
            lineage.add_argument("name_or_code")
            lineage.add_argument("--as-of", dest="as_of")
            lineage.add_argument("--json", action="store_true")

    def _date(self, text: str | None) -> dt.date:
        if not text:
            return timezone.localdate()
        try:
            return parse_date(text)
        except DateParseError as exc:
            raise CommandError(
                f"Ngày không hợp lệ / invalid date: {text!r} (YYYY-MM-DD hoặc dd/mm/yyyy)"
            ) from exc

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = self._date(options.get("as_of"))
        action = options["action"]
        if action == "list":
            units = list(
                selectors.list_units(as_of=as_of, kind=options.get("kind") or "", query=options["search"])
            )
            rows = [_row(u) for u in units]
        else:
            try:
                if action == "successors":
                    units = selectors.successors_of_name(options["name_or_code"], as_of)
                else:
                    found: dict[int, OrgUnit] = {}
                    for unit in selectors.resolve(options["name_or_code"]):
                        for pred in selectors.predecessors(unit, as_of):
                            found[pred.pk] = pred
                    units = sorted(found.values(), key=lambda u: (u.name, u.code))
            except selectors.UnknownUnit as exc:
                raise CommandError(f"Không tìm thấy đơn vị / unknown body: {exc.args[0]!r}") from exc
            except selectors.AmbiguousUnit as exc:
                raise CommandError(
                    f"Tên chưa rõ, hãy dùng mã / ambiguous name, use a code: {exc.args[0]}"
                ) from exc
            rows = [{"code": u.code, "name": u.name} for u in units]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
        else:
            for row in rows:
                self.stdout.write(
                    "\t".join(
                        str(row.get(k) or "") for k in ("code", "name", "kind", "valid_from", "valid_to")
                    ).rstrip()
                )
            self.stdout.write(f"({len(rows)})")
