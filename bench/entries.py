"""Entries benchmark: how fast stories that do not come from a feed are read and taken in.

1. `pipeline.pages.read_page` (trafilatura and htmldate) on generated article pages of about 8 KB and 80 KB,
   with menus, footers and scripts around the article: pages/s.
2. `pipeline.uploads.read_upload` on a .docx and a .pdf: files/s.
3. `pipeline.bulk.read_export` on a CSV of 10,000 rows (the most one import takes): rows/s.
4. `services.enter_export` of 1,000 rows on a fresh SQLite database (or TTDN_DATABASE_URL) holding the
   registry: rows/s, all in one transaction.

Usage: python bench/entries.py. Prints figures; asserts nothing. Target: as fast as feeds (>= 50 stories/s).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

SENTENCES = [
    "Lãnh đạo tỉnh Quảng Trị tiếp đoàn doanh nghiệp Nhật Bản tìm hiểu cơ hội đầu tư vào khu kinh tế.",
    "Các đại sứ bày tỏ ấn tượng với tiềm năng du lịch biển và di tích lịch sử của địa phương.",
    "Tỉnh cam kết tạo điều kiện thuận lợi cho nhà đầu tư nước ngoài trong thủ tục hành chính.",
    "The delegation visited the coastal economic zone and discussed renewable energy projects.",
    "Hai bên thống nhất tổ chức diễn đàn xúc tiến đầu tư vào quý tới tại thành phố Đông Hà.",
]


def article(rng: random.Random, paragraphs: int) -> str:
    body = "".join(f"<p>{' '.join(rng.choice(SENTENCES) for _ in range(4))}</p>" for _ in range(paragraphs))
    menu = "".join(f'<li><a href="/muc-{i}">Chuyên mục {i}</a></li>' for i in range(40))
    return (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Tin thử - Báo thử</title>'
        '<meta property="article:published_time" content="2026-11-28T07:30:00+07:00">'
        "<script>var a = 1;</script></head><body><header><ul>"
        f"{menu}</ul></header><main><article><h1>Quảng Trị đón nhà đầu tư</h1>{body}</article></main>"
        "<aside>Tin đọc nhiều</aside><footer>Giấy phép số 00</footer></body></html>"
    )


def rate(label: str, n: int, seconds: float, unit: str) -> None:
    print(f"{label}: {n:,} in {seconds:.2f} s, {n / seconds:,.0f} {unit}/s")


def main() -> int:
    from ttdn.monitoring.pipeline import bulk, pages, uploads

    rng = random.Random(1)
    today = dt.date(2026, 12, 1)
    for paragraphs, n in ((8, 200), (80, 50)):
        html = [article(rng, paragraphs) for _ in range(n)]
        size = sum(len(h.encode()) for h in html) / n / 1024
        start = time.perf_counter()
        for page in html:
            pages.read_page(page, today=today)
        rate(f"web pages of {size:.0f} KB (trafilatura + htmldate)", n, time.perf_counter() - start, "pages")

    import docx

    document = docx.Document()
    for _ in range(30):
        document.add_paragraph(" ".join(rng.choice(SENTENCES) for _ in range(4)))
    out = io.BytesIO()
    document.save(out)
    data = out.getvalue()
    start = time.perf_counter()
    for _ in range(100):
        uploads.read_upload("bai.docx", data)
    rate(f".docx of {len(data) / 1024:.0f} KB", 100, time.perf_counter() - start, "files")

    rows = ["tiêu đề,nội dung,địa chỉ,ngày đăng,nguồn"]
    for i in range(bulk.MAX_ROWS):
        text = " ".join(rng.choice(SENTENCES) for _ in range(3))
        rows.append(
            f'Tin số {i} về đầu tư,"{text}",https://bulk.example/{i},{1 + i % 28:02d}/11/2026,Báo {i % 7}'
        )
    export = "\n".join(rows).encode()
    start = time.perf_counter()
    read = bulk.read_export("tin.csv", export)
    rate(
        f"CSV export of {len(export) / 1024 / 1024:.1f} MB read",
        len(read),
        time.perf_counter() - start,
        "rows",
    )

    if not os.environ.get("TTDN_DATABASE_URL"):
        os.environ["TTDN_VAR_DIR"] = tempfile.mkdtemp(prefix="ttdn-bench-entries-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ttdn.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from ttdn.monitoring import services
    from ttdn.orgs import reference
    from ttdn.orgs.services import load_reference

    load_reference(reference.build())
    services.place_tagger()
    small = "\n".join(rows[:1001]).encode()
    start = time.perf_counter()
    entered = services.enter_export(None, filename="tin.csv", data=small)
    where = "PostgreSQL" if os.environ.get("TTDN_DATABASE_URL") else "SQLite"
    rate(
        f"export of 1,000 rows taken in ({where}, one transaction; {entered.taken.new} new, "
        f"{entered.taken.duplicates} folded)",
        1000,
        time.perf_counter() - start,
        "stories",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
