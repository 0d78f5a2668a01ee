"""Opinion-monitoring benchmark: how fast stories go in, and the pure pipeline alone.

1. The pipeline's steps on one story, without the store (`ttdn.monitoring.pipeline.analyse`): stories/s.
2. `ttdn.monitoring.services.take_in` on a fresh SQLite database (or the PostgreSQL URL in
   TTDN_DATABASE_URL) holding the registry: N generated stories (Vietnamese and English words, 40-160 words
   each, some republished with a line added) in batches of 50, as polls bring them: stories/s, duplicates
   folded, and the near-duplicate index's size at the end.
3. The top terms of the list page (`ttdn.monitoring.pipeline.terms.top_terms`) over 500 texts as the page
   counts them (title and the first 3,000 characters): the generated stories, and, where ../shared/seeds is
   present, the seeds' prose cut in 3,000-character pieces. Mean of 3 runs, ms.

Search and the attention chart over 1,000,000 stories are measured by bench/monitoring_scale.py.
Usage: python bench/monitoring.py [N]. Prints figures; asserts nothing. Target: >= 50 stories/s.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

WORDS = [
    "tỉnh",
    "Quảng",
    "Trị",
    "đón",
    "khách",
    "du",
    "lịch",
    "quốc",
    "tế",
    "hội",
    "nghị",
    "đầu",
    "tư",
    "bão",
    "lũ",
    "lụt",
    "sạt",
    "lở",
    "Đà",
    "Nẵng",
    "Huế",
    "thành",
    "phố",
    "Hồ",
    "Chí",
    "Minh",
    "nhân",
    "quyền",
    "tôn",
    "giáo",
    "biên",
    "giới",
    "Biển",
    "Đông",
    "đại",
    "sứ",
    "hợp",
    "tác",
    "phát",
    "triển",
    "thành",
    "công",
    "chỉ",
    "trích",
    "phản",
    "đối",
    "Quang",
    "Tri",
    "tourists",
    "investors",
    "storm",
    "floods",
    "rights",
    "activists",
    "arrested",
    "praised",
    "growth",
    "record",
]


def stories(n: int, now: dt.datetime) -> list:
    from ttdn.monitoring.pipeline.analyse import Story

    rng = random.Random(1)
    found = []
    for i in range(n):
        if i and i % 10 == 0:  # a republication of an earlier story, a line added
            earlier = found[rng.randrange(len(found))]
            found.append(
                Story(
                    earlier.title, earlier.text + " (Theo báo địa phương)", f"https://copy.example/{i}", now
                )
            )
            continue
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 160)))
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14)))
        found.append(Story(title, text, f"https://gen.example/{i}", now - dt.timedelta(minutes=i)))
    return found


def top_terms_timing(batch: list) -> None:
    from ttdn.monitoring.pipeline.terms import top_terms

    sets = {"generated stories": [f"{s.title}\n{s.text[:3000]}" for s in batch[:500]]}
    seeds = ROOT.parent / "shared" / "seeds"
    if seeds.is_dir():
        prose = "".join(
            f.read_text(encoding="utf-8", errors="ignore") for f in sorted(seeds.iterdir()) if f.is_file()
        )
        pieces = [prose[i : i + 3000] for i in range(0, max(0, len(prose) - 3000), 3000)]
        if pieces:
            sets["seeds' prose"] = (pieces * (500 // len(pieces) + 1))[:500]
    for name, texts in sets.items():
        start = time.perf_counter()
        for _ in range(3):
            found = top_terms(texts)
        took = (time.perf_counter() - start) / 3 * 1000
        print(
            f"top terms over {len(texts)} texts ({name}): {took:.0f} ms; first: {', '.join(t for t, _ in found[:5])}"
        )


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    if not os.environ.get("TTDN_DATABASE_URL"):
        os.environ["TTDN_VAR_DIR"] = tempfile.mkdtemp(prefix="ttdn-bench-monitoring-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ttdn.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from ttdn.monitoring import services
    from ttdn.monitoring.models import Item
    from ttdn.monitoring.pipeline import dedup
    from ttdn.monitoring.pipeline.analyse import analyse
    from ttdn.monitoring.pipeline.language import detect
    from ttdn.orgs import reference
    from ttdn.orgs.services import load_reference

    load_reference(reference.build())
    now = timezone.now()
    batch = stories(n, now)
    tagger, topics = services.place_tagger(), services.topic_tagger()
    detect("warm the language model up")
    start = time.perf_counter()
    for story in batch:
        analyse(story, tagger=tagger, topic_tagger=topics)
    pure = time.perf_counter() - start
    print(f"pipeline alone: {n} stories in {pure:.2f} s, {n / pure:,.0f} stories/s")
    top_terms_timing(batch)

    source = services.add_source(None, name="Nguồn đo")
    start = time.perf_counter()
    for i in range(0, n, 50):
        services.take_in(source, batch[i : i + 50], now=now)
    stored = time.perf_counter() - start
    duplicates = Item.objects.filter(duplicate_of__isnull=False).count()
    print(
        f"taken in and kept ({os.environ.get('TTDN_DATABASE_URL') and 'PostgreSQL' or 'SQLite'}): {n} stories in "
        f"{stored:.2f} s, {n / stored:,.0f} stories/s; {duplicates} folded as duplicates"
    )
    tracemalloc.start()
    index = dedup.NearDuplicates()
    for item in Item.objects.filter(duplicate_of__isnull=True).values_list("pk", "text"):
        index.add(str(item[0]), dedup.shingles(item[1]))
    size, _peak = tracemalloc.get_traced_memory()
    print(
        f"near-duplicate index of {len(index):,} stories: {size / 1024 / 1024:.1f} MiB ({size / max(1, len(index)):,.0f} bytes a story)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
