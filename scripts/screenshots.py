"""Save PNGs of the key pages to var/screenshots/ (``make screenshots``).

Runs on a fresh SQLite database in a temporary folder, loaded by
``ttdn setup --demo``, served by waitress on a free loopback port, and
photographed by Debian's chromium through Playwright. The generated .docx
annexes (tracking table, plan, overdue reminder letter) are downloaded as the
user would, converted to PDF by LibreOffice (headless) and their first page (the
plan: the annex's first page) to PNG by pdftoppm; skipped with a note when
``soffice`` or ``pdftoppm`` is missing (``make screenshots`` installs them).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "var" / "screenshots"
CHROMIUM = os.environ.get("TTDN_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# (file name, user, path, viewport width)
SHOTS = [
    ("01-login", None, "/login/", 1280),
    ("02-home-central", "cuc.canbo", "/", 1280),
    ("03-home-unit-officer", "quangtri.canbo", "/", 1280),
    ("04-directory-2012-provinces", "cuc.canbo", "/orgs/?kind=province&as_of=31/12/2012", 1280),
    ("05-directory-2025-provinces", "cuc.canbo", "/orgs/?kind=province&as_of=01/07/2025", 1280),
    ("06-directory-search-no-diacritics", "cuc.canbo", "/orgs/?q=ba+ria+vung+tau", 1280),
    ("07-directory-tree-2012", "cuc.canbo", "/orgs/?view=tree&as_of=31/12/2012", 1280),
    ("08-directory-bad-date", "cuc.canbo", "/orgs/?kind=province&as_of=30/02/2020", 1280),
    ("09-body-binh-phuoc", "cuc.canbo", "/orgs/T70/", 1280),
    ("10-body-dong-nai-2025", "cuc.canbo", "/orgs/T75-2025/", 1280),
    ("11-body-cuc-ttcs-ttdn", "cuc.canbo", "/orgs/BVHTTDL-TTCSTTDN/", 1280),
    ("12-private-own", "quangtri.canbo", "/orgs/T44-2025/private/", 1280),
    ("13-private-other-403", "quangtri.canbo", "/orgs/T75-2025/private/", 1280),
    ("14-not-found-404", "quangtri.canbo", "/orgs/KHONG-CO/", 1280),
    ("15-audit-admin", "quantri", "/orgs/T44-2025/audit/", 1280),
    ("16-directory-tablet", "cuc.canbo", "/orgs/?kind=province", 768),
    ("17-header-1366-province-analyst", "quangtri.phantich", "/monitoring/", 1366),
    ("18-header-1366-administrator", "quantri", "/", 1366),
    ("20-documents-list", "cuc.canbo", "/docs/", 1280),
    ("21-documents-search-no-diacritics", "cuc.canbo", "/docs/?q=chi+thi+21", 1280),
    ("22-document-5406", "cuc.canbo", "doc:5406/BTTTT-TTĐN", 1280),
    ("23-document-79-2010-ceased", "cuc.canbo", "doc:79/2010/QĐ-TTg", 1280),
    ("24-document-import", "quangtri.canbo", "/docs/import/", 1280),
    ("24b-bulk-import-run", "quangtri.canbo", "bulk:good", 1280),
    ("24c-bulk-import-refused", "quangtri.canbo", "bulk:bad", 1280),
    ("25-document-preview", "quangtri.canbo", "preview:002", 1280),
    ("26-expired-bases", "cuc.canbo", "/docs/expired-bases/", 1280),
    ("27-document-edit", "cuc.canbo", "edit:212/BTTTT-TTĐN", 1280),
    ("28-document-tablet", "cuc.canbo", "doc:1578/BTTTT-TTĐN", 768),
    ("29-documents-found-in-text", "cuc.canbo", "/docs/?q=bien+phong", 1280),
    ("29b-documents-search-in-text", "cuc.canbo", "/docs/?q=bien+phong&scope=text", 1280),
    ("30-tracking-63-provinces", "cuc.canbo", "/reporting/tracking/", 1280),
    ("31-tracking-34-provinces", "cuc.canbo", "/reporting/tracking/?mode=current", 1280),
    ("32-tracking-import", "cuc.canbo", "/reporting/tracking/import/", 1280),
    ("32b-tracking-import-letter-against-table", "cuc.canbo", "trackimport:000", 1280),
    ("33-home-central", "cuc.canbo", "/", 1280),
    ("34-notifications-bar-and-list", "quangtri.canbo", "/tasks/notifications/", 1280),
    ("35-home-leader-approval-queue", "quangtri.lanhdao", "/", 1280),
    ("36-home-central-approval-queue", "cuc.canbo", "/", 1280),
    ("37-home-department-todo", "quangtri.sovhttdl", "/", 1280),
    ("40-reports", "cuc.canbo", "/reporting/", 1280),
    ("41-report-period-national", "cuc.canbo", "/reporting/forms/ttdn_nam/YEAR/", 1280),
    ("42-report-entry-officer", "quangtri.canbo", "/reporting/forms/ttdn_nam/YEAR/T44-2025/", 1280),
    ("43-report-leader", "dongnai.canbo", "/reporting/forms/ttdn_nam/YEAR/T75-2025/", 1280),
    ("44-report-period-late", "cuc.canbo", "/reporting/forms/ttdn_nam/YEAR/?status=late", 1280),
    ("45-report-awaiting-steps", "cuc.canbo", "/reporting/forms/ttdn_nam/YEAR/T46-2025/", 1280),
    ("46-report-period-not-sent", "cuc.canbo", "/reporting/forms/ttdn_nam/YEAR/?status=missing", 1280),
    ("47-report-totals", "cuc.canbo", "/reporting/forms/ttdn_nam/YEAR/totals/", 1280),
    ("48-report-late-warning", "quangtri.canbo", "/reporting/forms/ttdn_nam/PREV/T44-2025/", 1280),
    ("50-tasks-centre", "cuc.canbo", "/tasks/", 1280),
    ("51-tasks-unit-officer", "quangtri.canbo", "/tasks/?status=open", 1280),
    ("52-task-detail-leader", "quangtri.lanhdao", "task:6.b:T45", 1280),
    ("53-tasks-overdue-dashboard", "cuc.canbo", "/tasks/overdue/", 1280),
    ("54-task-review-provincial", "cuc.canbo", "review:07/CT-UBND", 1280),
    ("55-document-21-tasks", "cuc.canbo", "doc:21/CT-TTg", 1280),
    ("56-task-review-tablet", "cuc.canbo", "review:07/CT-UBND", 768),
    ("57-task-review-crawled-normalised", "cuc.canbo", "review:09/CT-UBND", 1280),
    ("58-task-review-crawled-as-it-arrived", "cuc.canbo", "original:09/CT-UBND", 1280),
    ("60-plans-province", "quangtri.canbo", "/plans/?year=2026", 1280),
    ("61-plan-detail-consolidated", "quangtri.canbo", "plan:T44-2025:2026", 1280),
    ("62-plan-vs-actual", "quangtri.canbo", "actual:T44-2025:2026", 1280),
    ("63-plans-national", "cuc.canbo", "/plans/national/?year=2026", 1280),
    ("63b-plans-national-not-sent-provinces", "cuc.canbo", "/plans/national/?year=2026&group=province", 1280),
    ("64-anniversaries-2026", "cuc.canbo", "/plans/anniversaries/?year=2026", 1280),
    ("65-staff-and-courses", "quangtri.canbo", "/plans/staff/", 1280),
    ("66-plans-department-officer", "quangtri.sovhttdl", "/plans/?year=2027", 1280),
    ("67-plan-detail-tablet", "quangtri.canbo", "plan:T44-2025:2026", 768),
    ("90-home-analyst", "cuc.phantich", "/", 1280),
    ("91-monitoring-stories", "cuc.phantich", "/monitoring/", 1280),
    ("91b-monitoring-map-63-provinces", "cuc.phantich", "/monitoring/?until=30/06/2025", 1280),
    ("91c-monitoring-map-province-filtered", "cuc.phantich", "province:T44-2025", 1280),
    ("92-monitoring-negative", "cuc.phantich", "/monitoring/?sentiment=negative", 1280),
    ("93-monitoring-search-no-diacritics", "cuc.phantich", "/monitoring/?q=quang+tri&duplicates=on", 1280),
    ("94-monitoring-story-duplicates", "cuc.phantich", "item:quang-tri-don-hai-trieu-luot-khach-4821", 1280),
    ("95-monitoring-story-old-name", "cuc.phantich", "item:quang-binh-quang-ba-hang-dong-3001", 1280),
    ("96-monitoring-sources", "cuc.phantich", "/monitoring/sources/", 1280),
    ("97-monitoring-source-health", "cuc.phantich", "source:Nguồn RSS mẫu của hệ thống", 1280),
    ("97b-monitoring-source-entered", "cuc.phantich", "source:Báo Quảng Trị (mẫu)", 1280),
    ("98-monitoring-province-analyst", "quangtri.phantich", "/monitoring/", 1280),
    ("99-home-province-analyst", "quangtri.phantich", "/", 1280),
    ("99b-monitoring-tablet", "cuc.phantich", "/monitoring/", 768),
    ("99c-monitoring-phone", "cuc.phantich", "/monitoring/", 390),
    ("9a-monitoring-alerts", "cuc.phantich", "/monitoring/alerts/", 1280),
    ("9b-monitoring-alert-spike", "cuc.phantich", "alert:spike", 1280),
    ("9c-monitoring-claims", "cuc.phantich", "/monitoring/claims/", 1280),
    ("9d-monitoring-claim-matches", "quangtri.phantich", "claim:đàn áp tôn giáo", 1280),
    ("9e-monitoring-alerts-province", "quangtri.phantich", "/monitoring/alerts/?status=all", 1280),
    ("9f-monitoring-add", "cuc.phantich", "/monitoring/add/", 1280),
    ("9g-monitoring-add-export-refused", "cuc.phantich", "addexport:", 1280),
    ("9h-monitoring-import-run", "cuc.phantich", "run:", 1280),
]

# Generated .docx annexes: (file name, user, path of the download, the PDF page to show: the first
# page on which this text is written, "" for the first page).
DOCX_SHOTS = [
    (
        "70-docx-tracking-63-provinces",
        "cuc.canbo",
        "/reporting/tracking/export.docx?mode=historical",
        "first",
    ),
    ("71-docx-tracking-34-provinces", "cuc.canbo", "/reporting/tracking/export.docx?mode=current", ""),
    ("72-docx-plan-annex", "quangtri.canbo", "plandocx:T44-2025:2026", "PHỤ LỤC"),
    ("73-docx-overdue-letter", "cuc.canbo", "/tasks/overdue/letter.docx", ""),
    ("74-docx-plans-not-sent-letter", "cuc.canbo", "/plans/national/?year=2026&export=letter", ""),
    ("75-docx-plans-not-sent-annex", "cuc.canbo", "/plans/national/?year=2026&export=letter", "PHỤ LỤC"),
    ("76-docx-reports-not-sent-letter", "cuc.canbo", "/reporting/forms/ttdn_nam/YEAR/?export=letter", ""),
    (
        "77-docx-reports-not-sent-annex",
        "cuc.canbo",
        "/reporting/forms/ttdn_nam/YEAR/?export=letter",
        "PHỤ LỤC",
    ),
]


def docx_to_png(data: bytes, target: Path, page: str, work: Path) -> bool:
    """A page of a .docx as a PNG: LibreOffice to PDF, then pdftoppm (150 dpi)."""
    soffice, pdftoppm = shutil.which("soffice"), shutil.which("pdftoppm")
    if soffice is None or pdftoppm is None:
        print(f"skipped {target.name}: soffice or pdftoppm missing (scripts/install-libreoffice.sh)")
        return False
    source = work / f"{target.stem}.docx"
    source.write_bytes(data)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{work / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = work / f"{target.stem}.pdf"
    number = 1
    if page:
        from pypdf import PdfReader

        texts = [p.extract_text() or "" for p in PdfReader(pdf).pages]
        number = next((n for n, text in enumerate(texts, 1) if page in text), 1)
    subprocess.run(
        [
            pdftoppm,
            "-png",
            "-r",
            "150",
            "-f",
            str(number),
            "-l",
            str(number),
            "-singlefile",
            str(pdf),
            str(target.with_suffix("")),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return True


def main() -> int:
    only = tuple(sys.argv[1:])  # names' beginnings ("70", "72-docx"): only those shots; all by default
    var = Path(tempfile.mkdtemp(prefix="ttdn-shots-"))
    os.environ["TTDN_VAR_DIR"] = str(var)
    os.environ.pop("TTDN_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ttdn.settings")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("setup", "--demo", "--json")
    from waitress.server import create_server

    from ttdn.accounts.models import User
    from ttdn.documents.models import Document
    from ttdn.documents.services import import_text
    from ttdn.orgs.models import OrgUnit
    from ttdn.site.demo import DEMO_PASSWORD
    from ttdn.tasks.services import extract_document
    from ttdn.wsgi import application

    provincial = import_text(
        (ROOT / "tests" / "tasks" / "data" / "chi_thi_tinh.txt").read_text(encoding="utf-8")
    ).document
    extract_document(User.objects.get(username="cuc.canbo"), provincial)
    # A directive as a crawler keeps it (hard-wrapped, pipes, emphasis), when the shared corpus is beside the repository.
    crawled = ROOT.parent / "shared" / "corpus" / "02_cantho-ct09-nuoc-duoi-dat.txt"
    if crawled.is_file():
        extract_document(
            User.objects.get(username="cuc.canbo"), import_text(crawled.read_text(encoding="utf-8")).document
        )
    OrgUnit.objects.filter(code="T44-2025").update(
        address="Số 45 Hùng Vương, phường Đông Hà",
        phone="0233 3852 000",
        email="ttdn@quangtri.gov.vn",
        focal_point="Phòng Thông tin đối ngoại, Sở VHTTDL",
    )
    server = create_server(application, host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{server.effective_port}"
    OUT.mkdir(parents=True, exist_ok=True)
    # The demo's own feed, polled once from this server (the worker would, beside `make run`'s).
    from ttdn.monitoring import services as monitoring
    from ttdn.monitoring.models import Source

    for source in Source.objects.filter(url__endswith=monitoring.DEMO_FEED_PATH):
        source.url = base + monitoring.DEMO_FEED_PATH
        source.save(update_fields=["url"])
        monitoring.poll(source)

    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        contexts: dict[tuple[str | None, int], object] = {}

        def context_for(user: str | None, width: int) -> object:
            key = (user, width)
            if key not in contexts:
                context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": 900})
                if user:
                    page = context.new_page()
                    page.goto(f"{base}/login/")
                    page.fill("input[name=username]", user)
                    page.fill("input[name=password]", DEMO_PASSWORD)
                    page.click("button[type=submit].primary")
                    page.wait_for_url(f"{base}/")
                    page.close()
                contexts[key] = context
            return contexts[key]

        for name, user, path, width in SHOTS:
            if only and not name.startswith(only):
                continue
            page = context_for(user, width).new_page()  # type: ignore[attr-defined]
            if path.startswith(("doc:", "edit:")):
                kind, number = path.split(":", 1)
                pk = Document.objects.get(number=number).pk
                page.goto(f"{base}/docs/{pk}/" + ("edit/" if kind == "edit" else ""))
            elif path.startswith("item:"):
                from ttdn.monitoring.models import Item

                item = Item.objects.filter(url__contains=path.split(":", 1)[1]).first()
                page.goto(f"{base}/monitoring/{item.pk}/" if item else f"{base}/monitoring/")
            elif path.startswith("province:"):  # the stories filtered by a province, as its tile links them
                unit = OrgUnit.objects.get(code=path.split(":", 1)[1])
                page.goto(f"{base}/monitoring/?province={unit.pk}")
            elif path.startswith("alert:"):
                from ttdn.monitoring.models import Alert

                alert = Alert.objects.filter(kind=path.split(":", 1)[1]).first()
                page.goto(f"{base}/monitoring/alerts/{alert.pk}/" if alert else f"{base}/monitoring/alerts/")
            elif path.startswith("claim:"):
                from ttdn.monitoring.models import Claim

                claim = Claim.objects.filter(title__contains=path.split(":", 1)[1]).first()
                page.goto(f"{base}/monitoring/claims/{claim.pk}/" if claim else f"{base}/monitoring/claims/")
            elif path == "addexport:":  # an export with two wrong rows, refused whole, the rows named
                export = Path(tempfile.mkdtemp()) / "tin-bao-nuoc-ngoai.csv"
                export.write_text(
                    "title,url,publish_date,media_name\n"
                    "Ha Long Bay named among Asia's top destinations,https://w.example/1,2026-11-18,World Daily\n"
                    ",https://w.example/2,2026-11-18,World Daily\n"
                    "Hue festival draws record crowds,w.example/3,18/11/2026,Asia Travel\n",
                    encoding="utf-8",
                )
                page.goto(f"{base}/monitoring/add/")
                page.locator("[data-testid=entry-export] summary").click()
                page.locator("[data-testid=entry-export] input[type=file]").set_input_files(str(export))
                page.locator("[data-testid=entry-export] button[type=submit]").click()
                page.wait_for_selector("[data-testid=row-errors]")
            elif path == "run:":  # a large export's run, halfway
                from django.utils import timezone

                from ttdn.accounts.models import User
                from ttdn.monitoring.models import EntryRun

                run = EntryRun.objects.create(
                    created_by=User.objects.get(username=user),
                    filename="tin-thang-11-2026.csv",
                    staged="monitoring-runs/none.csv",
                    state="running",
                    total=4200,
                    done=1800,
                    new_count=1512,
                    duplicate_count=241,
                    known_count=47,
                    started_at=timezone.now(),
                )
                page.goto(f"{base}/monitoring/add/runs/{run.pk}/")
            elif path.startswith("source:"):
                from ttdn.monitoring.models import Source

                source = Source.objects.filter(name=path.split(":", 1)[1]).first()
                page.goto(
                    f"{base}/monitoring/sources/{source.pk}/" if source else f"{base}/monitoring/sources/"
                )
            elif path.startswith(("review:", "original:")):
                found = Document.objects.filter(number=path.split(":", 1)[1]).first()
                if found is None:
                    page.close()
                    continue
                page.goto(
                    f"{base}/tasks/review/{found.pk}/"
                    + ("?view=original" if path.startswith("original:") else "")
                )
            elif path.startswith("trackimport:"):
                from ttdn.site.demo import seeds_dir

                folder = seeds_dir()
                if folder is None:
                    page.close()
                    continue
                page.goto(f"{base}/reporting/tracking/import/")
                page.set_input_files(
                    "input[name=file]", str(next(folder.glob(f"{path.split(':')[1]}_*.txt")))
                )
                page.get_by_role("button", name="Kiểm tra").click()
                page.wait_for_load_state()
            elif path.startswith("task:"):
                from ttdn.tasks.models import Task

                _kind, section, lead = path.split(":")
                task = Task.objects.get(
                    duty__document__number="21/CT-TTg", duty__section=section, lead__code=lead
                )
                page.goto(f"{base}/tasks/{task.pk}/")
            elif path.startswith(("plan:", "actual:")):
                from ttdn.plans.models import Plan

                kind, code, year = path.split(":")
                plan = Plan.objects.get(unit__code=code, year=int(year))
                page.goto(f"{base}/plans/{plan.pk}/" + ("actual/" if kind == "actual" else ""))
            elif path.startswith("bulk:"):
                from django.core.management import call_command

                folder = Path(tempfile.mkdtemp())
                files = []
                for n, subject in ((7, "BIỂN ĐẢO"), (8, "DU LỊCH"), (9, "ĐẦU TƯ")):
                    path_n = folder / f"ke-hoach-{n}.txt"
                    path_n.write_text(
                        "UBND TỈNH QUẢNG TRỊ\nSỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                        f"Số: {n}0/KH-SVHTTDL\nĐông Hà, ngày {n} tháng 3 năm 2026\nKẾ HOẠCH\n"
                        f"THÔNG TIN ĐỐI NGOẠI VỀ {subject} NĂM 2026\nGIÁM ĐỐC\n\nTrần Văn Nam",
                        encoding="utf-8",
                    )
                    files.append(str(path_n))
                if path == "bulk:bad":
                    broken = folder / "bien-ban-hong.docx"
                    broken.write_bytes(b"PK\x03\x04 not a document")
                    files.append(str(broken))
                page.goto(f"{base}/docs/import/")
                page.set_input_files("input[name=files]", files)
                page.get_by_role("button", name="Nhập hàng loạt").click()
                page.wait_for_load_state()
                call_command("worker", "--batch", "--interval", "0")
                page.goto(page.url)
                page.wait_for_load_state()
            elif path.startswith("preview:"):
                from ttdn.site.demo import seeds_dir

                folder = seeds_dir()
                seed = next(folder.glob(f"{path.split(':')[1]}_*.txt")) if folder else None
                page.goto(f"{base}/docs/import/")
                page.fill("textarea[name=text]", seed.read_text(encoding="utf-8") if seed else "")
                page.get_by_role("button", name="Xem trước").click()
                page.wait_for_load_state()
            else:
                from django.utils import timezone

                year = timezone.localdate().year
                page.goto(base + path.replace("YEAR", str(year)).replace("PREV", str(year - 1)))
            page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
            page.close()
            print(f"var/screenshots/{name}.png")
        for name, user, path, which in DOCX_SHOTS:
            if only and not name.startswith(only):
                continue
            if path.startswith("plandocx:"):
                from ttdn.plans.models import Plan

                _kind, code, year = path.split(":")
                path = f"/plans/{Plan.objects.get(unit__code=code, year=int(year)).pk}/plan.docx"
            from django.utils import timezone

            path = path.replace("YEAR", str(timezone.localdate().year))
            response = context_for(user, 1280).request.get(base + path)  # type: ignore[attr-defined]
            if not response.ok or "wordprocessingml" not in response.headers.get("content-type", ""):
                print(f"skipped {name}: {path} answered {response.status}")
                continue
            if docx_to_png(response.body(), OUT / f"{name}.png", which, var):
                print(f"var/screenshots/{name}.png")
        browser.close()
    server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
