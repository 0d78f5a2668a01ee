"""``ttdn setup [--demo]``: migrate, load reference data (and demo data). Safe to run twice."""

from __future__ import annotations

import json
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from ttdn.orgs import reference
from ttdn.orgs.services import load_reference


class Command(BaseCommand):
    help = "Migrate the database and load reference data; --demo adds demo accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo", action="store_true", help="also load demo accounts")
        parser.add_argument("--json", action="store_true", help="print what changed as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        ensure_secret_key()
        call_command("migrate", interactive=False, verbosity=0)
        result = load_reference(reference.build())
        from ttdn.documents.services import load_field_documents

        field_docs = load_field_documents()
        from ttdn.reporting.services.submissions import load_forms
        from ttdn.reporting.services.tracking import load_items

        load_items()
        load_forms()
        from ttdn.plans.services import load_reference as load_plan_reference

        load_plan_reference()
        from ttdn.monitoring.services import ensure_rules

        ensure_rules()  # the default alert rules of opinion monitoring, once
        summary: dict[str, Any] = {
            "reference": {"created": result.created, "updated": result.updated},
            "field_documents_created": field_docs,
        }
        if not options["json"]:
            self.stdout.write(
                f"Dữ liệu tham chiếu / reference data: {result.created} bản ghi mới, {result.updated} bản ghi cập nhật."
            )
        if options["demo"]:
            from ttdn.site.demo import describe_logins, load_demo_accounts

            summary["demo_accounts_created"] = load_demo_accounts()
            from ttdn.site.demo import load_demo_documents

            docs_created, folder = load_demo_documents()
            summary["demo_documents_created"] = docs_created
            from ttdn.site.demo import load_demo_tracking

            summary["demo_tracking_values"] = load_demo_tracking()
            from ttdn.site.demo import load_demo_submissions

            summary["demo_submissions"] = load_demo_submissions()
            from ttdn.site.demo import load_demo_tasks

            summary["demo_tasks"] = load_demo_tasks()
            from ttdn.site.demo import load_demo_plans

            summary["demo_plans"] = load_demo_plans()
            from ttdn.monitoring.services import load_demo as load_demo_news

            summary["demo_news_items"] = load_demo_news()
            if not options["json"]:
                where = str(folder) if folder else "không tìm thấy thư mục seeds / seeds folder not found"
                self.stdout.write(f"Văn bản mẫu / seed documents: {docs_created} mới ({where}).")
            if not options["json"]:
                self.stdout.write("Tài khoản dùng thử / demo logins (tên đăng nhập, mật khẩu, vai trò):")
                for line in describe_logins():
                    self.stdout.write(line)
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))


def ensure_secret_key() -> bool:
    """Write a random secret key into var/ once (read by the settings at the next start), unless one is set in
    the environment: the demo never runs on the public development key. True when a key was written."""
    import os
    import secrets

    from django.conf import settings

    path = settings.SECRET_KEY_FILE
    if os.environ.get("TTDN_SECRET_KEY") or path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # readable by its owner only
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(secrets.token_urlsafe(50))
    return True
