"""``ttdn monitoring eval [DIR] [--json]``: the pipeline scored on the labelled evaluation set (the one shipped,
or the one in DIR); ``ttdn monitoring variants [DIR]``: the set's generated near-duplicates written again;
``ttdn monitoring recount``: the counts of stories a day (``DayCount``) rebuilt from the stories."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ttdn.monitoring import evaluation


class Command(BaseCommand):
    help = "Opinion monitoring: score the pipeline on the labelled evaluation set."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        scoring = sub.add_parser("eval", help="dedup, provinces, language, sentiment and claims, measured")
        scoring.add_argument("folder", nargs="?", default=str(evaluation.DATA))
        scoring.add_argument("--json", action="store_true")
        variants = sub.add_parser("variants", help="write DIR/generated.json from DIR's items")
        variants.add_argument("folder", nargs="?", default=str(evaluation.DATA))
        sub.add_parser("recount", help="rebuild the counts of stories a day from the stories and their tags")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "recount":
            import time

            from django.db import transaction

            from ttdn.monitoring.services import rebuild_day_counts

            begun = time.perf_counter()
            with transaction.atomic():
                rows = rebuild_day_counts()
            self.stdout.write(f"{rows} dòng số tin theo ngày / rows in {time.perf_counter() - begun:.1f} s")
            return
        folder = Path(options["folder"])
        if not (folder / "claims.json").exists():
            raise CommandError(f"Không có bộ đánh giá ở / no evaluation set in {folder}")
        if options["action"] == "variants":
            raw = evaluation.generate_variants(evaluation.written_items(folder))
            (folder / "generated.json").write_text(json.dumps(raw, ensure_ascii=False, indent=1) + "\n")
            self.stdout.write(f"{len(raw)} tin trùng sinh tự động → {folder / 'generated.json'}")
            return
        from django.db import DatabaseError

        from ttdn.monitoring import services
        from ttdn.orgs.models import OrgKind, OrgUnit

        try:
            names = {
                u.code: u.short_name or u.name
                for u in OrgUnit.objects.filter(kind=OrgKind.PROVINCE).only("code", "name", "short_name")
            }
        except DatabaseError:  # not migrated yet
            names = {}
        if not names:
            raise CommandError("Danh bạ chưa có tỉnh nào / the registry has no provinces: ttdn setup first")
        result = evaluation.evaluate(evaluation.load(folder), services.place_tagger(), names)
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=1))
        else:
            self.stdout.write(evaluation.table(result))
