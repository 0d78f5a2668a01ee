"""Document benchmark: parse throughput and registry search latency. Prints figures; asserts nothing.

* parse throughput on the four seeds and on a generated corpus (documents/s, one core);
* search latency (p50/p95 over 100 queries) on a registry of N generated documents
  (default 100,000), against a baseline scan of the folded metadata.

Runs on a fresh SQLite database in a temporary folder, or on the database
named by TTDN_DATABASE_URL. Usage: python bench/documents.py [--docs N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
TYPES = [
    ("CT", "Chỉ thị"),
    ("QĐ", "Quyết định"),
    ("KH", "Kế hoạch"),
    ("HD", "Hướng dẫn"),
    ("TB", "Thông báo"),
    ("BC", "Báo cáo"),
    ("NQ", "Nghị quyết"),
]
ISSUERS = [
    ("BTTTT", "BỘ THÔNG TIN VÀ|TRUYỀN THÔNG"),
    ("BNG", "BỘ NGOẠI GIAO"),
    ("BVHTTDL", "BỘ VĂN HÓA, THỂ THAO|VÀ DU LỊCH"),
    ("UBND", "ỦY BAN NHÂN DÂN|TỈNH QUẢNG TRỊ"),
    ("UBND", "ỦY BAN NHÂN DÂN|TỈNH ĐẮK LẮK"),
]
WORDS = [
    "thông",
    "tin",
    "đối",
    "ngoại",
    "quảng",
    "bá",
    "hình",
    "ảnh",
    "địa",
    "phương",
    "kế",
    "hoạch",
    "triển",
    "khai",
    "tăng",
    "cường",
    "công",
    "tác",
    "tuyên",
    "truyền",
    "báo",
    "chí",
    "nước",
    "ngoài",
    "phóng",
    "viên",
    "đoàn",
    "khách",
    "quốc",
    "tế",
    "hội",
    "nghị",
    "tập",
    "huấn",
    "cán",
    "bộ",
    "biên",
    "giới",
    "hải",
    "đảo",
    "đầu",
    "tư",
    "du",
    "lịch",
    "văn",
    "hóa",
    "quyền",
    "con",
    "người",
    "dư",
    "luận",
    "thông",
    "tin",
    "sai",
    "lệch",
    "kỷ",
    "niệm",
    "quan",
    "hệ",
    "ngoại",
    "giao",
    "năm",
    "chẵn",
    "cổng",
    "thông",
    "tin",
    "điện",
    "tử",
    "tiếng",
    "nước",
    "ngoài",
    "xuất",
    "bản",
    "phẩm",
]
QUERIES = [
    "chi thi 21",
    "thong tin doi ngoai 2022",
    "ke hoach 2024",
    "quang ba hinh anh",
    "bao chi nuoc ngoai",
    "quyet dinh ubnd",
    "tap huan can bo 2019",
    "bien gioi hai dao",
]


def generate(rng: random.Random, index: int) -> str:
    code, type_name = rng.choice(TYPES)
    issuer_code, header = rng.choice(ISSUERS)
    day = dt.date(2010, 1, 1) + dt.timedelta(days=rng.randrange(5800))
    subject = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14)))
    body = []
    for _ in range(rng.randint(8, 25)):
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(10, 30)))
        if rng.random() < 0.3:
            cited = dt.date(2005, 1, 1) + dt.timedelta(days=rng.randrange(5000))
            sentence += (
                f" theo Quyết định số {rng.randint(1, 2000)}/{cited.year}/QĐ-TTg ngày {cited:%d/%m/%Y}"
            )
        body.append(f"- {sentence.capitalize()}.")
    return "\n".join(
        [
            *header.split("|"),
            "-------",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "---------------",
            f"Số: {index}/{code}-{issuer_code}",
            f"Hà Nội, ngày {day.day} tháng {day.month} năm {day.year}",
            type_name.upper(),
            subject.upper(),
            "",
            *body,
            "",
            "Nơi nhận:",
            "- Như trên;",
            "- Lưu: VT.",
            "",
            "KT. BỘ TRƯỞNG",
            "THỨ TRƯỞNG",
            "",
            "Nguyễn Văn An",
        ]
    )


def throughput(texts: list[str], parse) -> float:  # noqa: ANN001
    for text in texts[:3]:
        parse(text)
    start = time.perf_counter()
    count = 0
    while time.perf_counter() - start < 3:
        for text in texts:
            parse(text)
            count += 1
    return count / (time.perf_counter() - start)


def linearity(parse) -> None:  # noqa: ANN001
    """Parse time of 100 KB and 1 MB of text: the same document repeated, and one unbroken line (ratio ~10 is linear)."""
    base = (
        Path(__file__).resolve().parents[1] / "tests" / "tasks" / "data" / "chi_thi_phan_cong.txt"
    ).read_text(encoding="utf-8")
    for label, unit in (("one unbroken line", " ".join(base.split())), ("a document repeated", base)):
        small = (unit * (100_000 // len(unit) + 1))[:100_000]
        big = (unit * (1_000_000 // len(unit) + 1))[:1_000_000]
        times = []
        for text in (small, big):
            rounds = []
            for _ in range(3):  # best of three: one run is at the mercy of the machine's other work
                start = time.perf_counter()
                parse(text)
                rounds.append(time.perf_counter() - start)
            times.append(min(rounds))
        print(
            f"parse, {label}: 100 KB {times[0] * 1000:.0f} ms, 1 MB {times[1] * 1000:.0f} ms, ratio {times[1] / times[0]:.1f} (linear: ~10)"
        )


SYLLABLES = (
    "an",
    "bao",
    "binh",
    "cao",
    "chau",
    "dan",
    "dong",
    "gia",
    "hai",
    "hoa",
    "hung",
    "khanh",
    "lam",
    "long",
    "minh",
    "nam",
    "ngoc",
    "phong",
    "phu",
    "quang",
    "son",
    "tan",
    "thanh",
    "thuy",
    "tien",
    "trung",
    "tuan",
    "van",
    "viet",
    "xuan",
)


def body_words(rng: random.Random) -> str:
    """A body's distinct folded words: the field's vocabulary and a long tail of other words."""
    from ttdn.core.text import fold

    common = {fold(w) for w in rng.sample(WORDS, 40)}
    tail = {rng.choice(SYLLABLES) + rng.choice(SYLLABLES) + str(rng.randint(0, 99)) for _ in range(250)}
    return " ".join(sorted(common | tail))


def generated_document(rng: random.Random, i: int, *, with_body: bool = False):  # noqa: ANN201 (a Document)
    """The i-th generated registry record (unsaved): number, type, issuer, date and subject drawn from ``rng``;
    its text is a placeholder, or generated words with ``with_body`` (drawn after the subject)."""
    from ttdn.documents.models import Document

    code, type_name = rng.choice(TYPES)
    issuer_code, header = rng.choice(ISSUERS)
    return Document(
        number=f"{i + 1}/{code}-{issuer_code}",
        doc_type=type_name,
        issuer_name=header.replace("|", " ").title(),
        issued_on=dt.date(2010, 1, 1) + dt.timedelta(days=rng.randrange(5800)),
        subject=" ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14))).capitalize(),
        text=body_words(rng) if with_body else "(bench)",
    )


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=100_000)
    args = parser.parse_args()
    if not os.environ.get("TTDN_DATABASE_URL"):
        os.environ["TTDN_VAR_DIR"] = tempfile.mkdtemp(prefix="ttdn-bench-docs-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ttdn.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from ttdn.documents import search
    from ttdn.documents.models import Document
    from ttdn.documents.parsing.parser import parse
    from ttdn.documents.selectors import list_documents, search_documents
    from ttdn.documents.services import _set_keys, _terms

    rng = random.Random(2026)
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    if seeds:
        print(
            f"parse, 4 seeds ({sum(map(len, seeds)) // len(seeds)} chars each on average): {throughput(seeds, parse):.0f} documents/s"
        )
    corpus = [generate(rng, i) for i in range(500)]
    print(
        f"parse, generated corpus ({sum(map(len, corpus)) // len(corpus)} chars each on average): {throughput(corpus, parse):.0f} documents/s"
    )
    corpus_dir = SEEDS.parent / "corpus"
    real = [p.read_text(encoding="utf-8") for p in sorted(corpus_dir.glob("*.txt"))]
    if real:
        print(
            f"parse, the {len(real)} corpus documents ({sum(map(len, real)) // len(real)} chars each): {throughput(real, parse):.0f} documents/s"
        )
    linearity(parse)

    call_command("migrate", interactive=False, verbosity=0)
    print(f"database: {connection.vendor}; building a registry of {args.docs:,} documents ...")
    start = time.perf_counter()
    batch = 5000
    already = Document.objects.count()
    if already >= args.docs:
        print(f"  reusing the {already:,} documents already there")
    for offset in range(0, args.docs if already < args.docs else 0, batch):
        docs = []
        for i in range(offset, min(args.docs, offset + batch)):
            doc = generated_document(rng, i)
            _set_keys(doc)
            docs.append(doc)
        for d in docs:
            d.search_text = " ".join(sorted(_terms(d)))
            d.bench_body = body_words(rng)
        with transaction.atomic():
            Document.objects.bulk_create(docs)
            search.bulk_update([(d.pk, d.search_text, d.bench_body, d.issued_on) for d in docs])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # As autovacuum would: VACUUM also merges the GIN indexes' pending lists (left long by a bulk load).
            for table in ("documents_document", "documents_body_words"):
                cursor.execute(f"VACUUM ANALYZE {table}")
        else:
            cursor.execute("ANALYZE")  # as `ttdn dbshell` maintenance would
    print(f"  built in {time.perf_counter() - start:.0f} s")

    def page(query: str) -> int:
        """What the list page does: count, then the first 50 newest first (stubs left out, as the form has it)."""
        results = search_documents(query=query, include_stubs=False)
        total = results.count()
        list(results[:50])
        return total

    samples, hits = [], []
    for i in range(100):
        query = QUERIES[i % len(QUERIES)] if i < 50 else " ".join(rng.sample(WORDS, 2))
        t = time.perf_counter()
        hits.append(page(query))
        samples.append((time.perf_counter() - t) * 1000)
    print(
        f"search (count + first page of 50), 100 queries: p50 {percentile(samples, 50):.1f} ms, p95 {percentile(samples, 95):.1f} ms, max {max(samples):.1f} ms; median hits {statistics.median(hits):.0f}"
    )

    from ttdn.documents.selectors import found_in_text

    def text_page(query: str) -> int:
        """What the list page does in "cả toàn văn" scope: count, first page of 50 (metadata and body words)."""
        results = search_documents(query=query, body=True, include_stubs=False)
        total = results.count()
        list(results[:50])
        return total

    body_queries = [
        "bien phong",
        "quang ba hinh anh",
        "bao chi nuoc ngoai",
        "thong tin sai lech",
        "cong tac xuat ban",
    ] + [f"{rng.choice(SYLLABLES)}{rng.choice(SYLLABLES)}" for _ in range(4)]
    for label, fn in (
        ("search in the text too (count + first page of 50)", text_page),
        (
            "'found in the text' box (5 newest + count; shown when the metadata give <= 20)",
            lambda q: found_in_text(q)[1],
        ),
    ):
        samples, hits = [], []
        for i in range(100):
            query = body_queries[i % len(body_queries)]
            t = time.perf_counter()
            hits.append(fn(query))
            samples.append((time.perf_counter() - t) * 1000)
        print(
            f"{label}, 100 queries: p50 {percentile(samples, 50):.1f} ms, p95 {percentile(samples, 95):.1f} ms, "
            f"max {max(samples):.1f} ms; median hits {statistics.median(hits):.0f}"
        )

    from ttdn.core.text import fold

    def baseline(query: str) -> int:
        """A scan of the folded column with LIKE, word by word (what the search did without an engine)."""
        qs = Document.objects.all()
        for w in fold(query).split():
            qs = qs.filter(search_text__contains=w)
        return qs.count()

    base, fast = [], []
    for query in QUERIES:
        t = time.perf_counter()
        baseline(query)
        base.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        list_documents(query=query).count()
        fast.append((time.perf_counter() - t) * 1000)
    print(
        f"count only, {len(QUERIES)} queries: engine median {statistics.median(fast):.1f} ms vs LIKE scan median {statistics.median(base):.1f} ms ({statistics.median(base) / statistics.median(fast):.1f}x)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
