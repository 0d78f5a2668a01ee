"""Opinion monitoring at scale: search, the attention chart and the page over 1,000,000 stories, and the memory
of the near-duplicate index.

1. Builds (once) a database of N generated stories (default 1,000,000) on top of `ttdn setup` and the demo
   accounts: about two years of days (weekdays busier than weekends, volume growing over the period, a few days
   of a storm of coverage), 40 sources (Vietnamese outlets and foreign ones), languages mixed (Vietnamese,
   English, French, Chinese, German, Spanish, Russian), words drawn by a Zipf law from each language's
   vocabulary with a long tail of rare words, province names (today's 34 and, before 07/2025, the 63 of then,
   tagged with the body named and the body it is today, as `services._tag` does), topics with their keywords,
   sentiments, and one story in ten a duplicate (same title or near-same text) of a story of the two days
   before, with its tags. Rows go in by bulk insert (PostgreSQL COPY, SQLite executemany), not through the
   pipeline, but `search_text` is what the pipeline stores: `ttdn.core.text.fold` of title and text. The
   stories go in with migration 0001's indexes; the later monitoring migrations (their indexes) are applied
   after the load, as on a database that grew, and the time they take is printed. A marker table
   (`bench_monitoring_scale`, VERSION and N) lets a later run reuse the database.
2. Measures, for a central analyst (cuc.phantich: every story) and a provincial one (quangtri.phantich:
   the scope gate), over distinct queries (no two alike, so no cache of the database helps):
   * search: `selectors.filtered` with the count and the first page the list shows (`selectors.page_of`),
     common and rare words, with and without marks, alone or with a province, dates or a language;
   * the attention chart: `selectors.attention` over 30, 90 and 365 days, all stories and by sentiment;
   * the page `/monitoring/` as a whole through Django's test client (the kept pages of `core.pagecache`
     and the fragments are cleared before each request: every page is built);
   p50/p95/max in ms, queries per call, p95 over the 100 ms target.
3. The near-duplicate index (`pipeline.dedup.NearDuplicates`): memory (tracemalloc and RSS) and build time for
   the originals of the last 7 days as `services._recent_index` builds them for a poll, and for 100,000 and
   200,000 stories, extrapolated to 1,000,000.

Usage: python bench/monitoring_scale.py [--db sqlite|postgresql|both] [--items N] [--rebuild]
[--queries 40] [--dedup 100000,200000] [--skip-dedup] [--only search,attention,page] [--json]. SQLite lives in /work/h-scale-data or
TTDN_BENCH_DATA; PostgreSQL in the database h_scale_bench (TTDN_BENCH_PG). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import math
import os
import random
import re
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

VERSION = 1  # bump when the generated data change: a database built by another version is rebuilt
MARKER = "bench_monitoring_scale"
DATA_DIR = Path(os.environ.get("TTDN_BENCH_DATA", "/work/h-scale-data"))
PG_URL = os.environ.get("TTDN_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/h_scale_bench")
TARGET_MS = 100.0
CENTRAL, PROVINCIAL = "cuc.phantich", "quangtri.phantich"
DAYS = 730
CHUNK = 20_000


def words_of(text: str) -> list[str]:
    return text.split()


LANGUAGES = (("vi", 0.60), ("en", 0.22), ("fr", 0.06), ("zh", 0.05), ("de", 0.03), ("es", 0.02), ("ru", 0.02))
VI_SYLLABLES = words_of(
    "của và các có là được trong cho với đã một những người này không về tại theo năm đến từ khi ngày "
    "tỉnh thành phố huyện xã dân nhân quốc gia tế hội nghị đầu tư phát triển kinh tế xã hội văn hóa du lịch "
    "khách sạn biển đảo bão lũ lụt sạt lở mưa gió thiên tai cứu hộ giao thông đường cao tốc cầu cảng sân bay "
    "điện nước trường học sinh giáo dục y tế bệnh viện bác sĩ dịch vụ công an quân đội biên giới biên phòng "
    "chủ quyền ngoại giao đại sứ hợp tác đối tác chiến lược thương mại xuất khẩu nhập khẩu nông nghiệp lúa gạo "
    "cà phê hồ tiêu thủy sản tôm cá rừng môi trường ô nhiễm rác thải năng lượng điện gió mặt trời doanh nghiệp "
    "nhà máy khu công nghiệp lao động việc làm thu nhập giá vàng chứng khoán ngân hàng lãi suất tín dụng "
    "bất động sản nhà ở đất đai quy hoạch dự án vốn ngân sách thuế chính sách pháp luật quốc hội chính phủ "
    "thủ tướng bộ trưởng chủ tịch ủy ban lãnh đạo cán bộ đảng viên tham nhũng tiêu cực kỷ luật xét xử tòa án "
    "bắt giữ điều tra vụ án lừa đảo mạng xã hội thông tin truyền thông báo chí phóng viên tin tức sự kiện "
    "lễ hội di sản bảo tàng nghệ thuật âm nhạc bóng đá thể thao vận động viên huy chương giải đấu "
    "tôn giáo tín ngưỡng chùa nhà thờ dân tộc thiểu số miền núi vùng cao đồng bằng sông Cửu Long Tây Nguyên "
    "hiện nay tiếp tục tăng giảm mạnh cao thấp mới cũ lớn nhỏ nhiều ít tốt xấu nhanh chậm an toàn ổn định"
)
EN_WORDS = words_of(
    "the of and to in a is that for on with as was by at from said it be has have are an its were which "
    "government province city people minister officials party state country national international "
    "economy growth investment trade exports tourism tourists visitors storm flood floods typhoon rescue "
    "rights activist activists arrested police court trial sentenced prison freedom press journalists "
    "media social network online censorship border sea dispute island islands sovereignty China Beijing "
    "Washington Hanoi ambassador cooperation partnership agreement deal factory workers wages jobs energy "
    "power coal solar wind climate pollution environment forest farmers rice coffee fish shrimp bank "
    "interest rates inflation market stock property real estate land corruption anti graft campaign "
    "leader leaders general secretary president prime communist reform election vote assembly report "
    "according told reuters agency week month year last new first more than after before also would could"
)
FR_WORDS = words_of(
    "le la les de des du et en un une est que qui dans pour sur par avec au aux son sa ses plus pas ont "
    "gouvernement province ville pays ministre autorités parti économie croissance investissement commerce "
    "tourisme touristes tempête inondations typhon secours droits militant arrêté police tribunal procès "
    "prison liberté presse journalistes médias réseaux mer île souveraineté Chine Pékin Hanoï ambassadeur "
    "coopération accord usine ouvriers énergie charbon climat pollution forêt agriculteurs riz café banque "
    "marché corruption campagne dirigeant président réforme élection selon semaine mois année dernier nouveau"
)
DE_WORDS = words_of(
    "der die das und in zu den von mit ist im für auf dem nicht ein eine Regierung Provinz Stadt Land "
    "Wirtschaft Handel Tourismus Sturm Hochwasser Rechte Aktivist verhaftet Polizei Gericht Presse Freiheit"
)
ES_WORDS = words_of(
    "el la los las de del y en un una es que por con para gobierno provincia ciudad país economía comercio "
    "turismo tormenta inundaciones derechos activista detenido policía tribunal prensa libertad"
)
RU_WORDS = words_of(
    "и в не на что с по как это правительство провинция город страна экономика торговля туризм шторм "
    "наводнение права активист арестован полиция суд пресса свобода Вьетнам Ханой"
)
ZH_WORDS = words_of(
    "的 是 在 了 和 有 越南 河内 政府 省 城市 经济 贸易 投资 旅游 台风 洪水 人权 警方 法院 新闻 自由 南海 "
    "主权 合作 中国 北京 大使 协议 工厂 工人 能源 气候 污染 腐败 领导人 改革 选举"
)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def rss_mib() -> float:
    """The process's resident memory now (Linux: /proc), in MiB."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def percentile(samples: list[float], p: float) -> float:
    """Nearest rank: the smallest sample with at least p% of the samples at or below it."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


# ---------------------------------------------------------------------------------------------- generation


class Vocabulary:
    """A language's words drawn by a Zipf law (rank r with weight 1/r), and a long tail of rare words."""

    def __init__(self, words: list[str], rng: random.Random, *, tail: int = 0) -> None:
        rare = [self._rare(rng) for _ in range(tail)]
        self.words = list(dict.fromkeys(words)) + rare
        weights = [1 / (r + 1) ** 1.05 for r in range(len(self.words))]
        total = 0.0
        self.cumulative: list[float] = []
        for w in weights:
            total += w
            self.cumulative.append(total)

    @staticmethod
    def _rare(rng: random.Random) -> str:
        consonants, vowels = "bcdghklmnprstvx", "aeiouy"
        return "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(rng.randint(3, 4)))

    def draw(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cumulative, k=k)


class Generator:
    """Stories as rows for the two tables, day by day, deterministic for a seed."""

    def __init__(self, n: int, today: dt.date, seed: int = 2026) -> None:
        from ttdn.core.text import fold
        from ttdn.orgs.lineage import lineage
        from ttdn.orgs.models import OrgKind, OrgUnit

        self.fold = fold
        self.rng = random.Random(seed)
        self.n = n
        self.today = today
        rng = self.rng
        self.vocab = {
            "vi": Vocabulary(VI_SYLLABLES, rng, tail=30_000),
            "en": Vocabulary(EN_WORDS, rng, tail=10_000),
            "fr": Vocabulary(FR_WORDS, rng, tail=3_000),
            "de": Vocabulary(DE_WORDS, rng, tail=1_000),
            "es": Vocabulary(ES_WORDS, rng, tail=1_000),
            "ru": Vocabulary(RU_WORDS, rng),
            "zh": Vocabulary(ZH_WORDS, rng),
        }
        self.rare_words = {lang: v.words[-200:] for lang, v in self.vocab.items() if lang in ("vi", "en")}
        merger = dt.date(2025, 7, 1)
        provinces = list(OrgUnit.objects.filter(kind=OrgKind.PROVINCE))
        graph = lineage()
        self.old_provinces = [u for u in provinces if u.is_valid_on(merger - dt.timedelta(days=1))]
        self.new_provinces = [u for u in provinces if u.is_valid_on(today)]
        self.successors = {u.pk: sorted(graph.successor_ids(u, today)) or [u.pk] for u in provinces}
        ministries = list(OrgUnit.objects.filter(kind=OrgKind.MINISTRY, code__in=("BNG", "BCA", "BVHTTDL")))
        self.ministries = [m for m in ministries if m.is_valid_on(today)]
        self.merger = merger
        data = ROOT / "src/ttdn/monitoring/data"
        taxonomy = json.loads((data / "topics.json").read_text(encoding="utf-8"))["topics"]
        self.topics = [(t["code"], dict(t["keywords"])) for t in taxonomy]
        lexicon = json.loads((data / "sentiment.json").read_text(encoding="utf-8"))
        self.lexicon = {"positive": lexicon["positive"], "negative": lexicon["negative"]}
        # the days: weekends lighter, volume growing over the two years, a few days of a storm of coverage
        first = today - dt.timedelta(days=DAYS - 1)
        weights = []
        storms = set(rng.sample(range(DAYS), 12))
        for i in range(DAYS):
            day = first + dt.timedelta(days=i)
            w = (0.6 if day.weekday() >= 5 else 1.0) * (0.7 + 0.6 * i / DAYS) * (3.0 if i in storms else 1.0)
            weights.append(w * rng.uniform(0.85, 1.15))
        total = sum(weights)
        counts = [int(n * w / total) for w in weights]
        for i in range(n - sum(counts)):
            counts[-1 - (i % DAYS)] += 1
        self.days = [(first + dt.timedelta(days=i), c) for i, c in enumerate(counts)]

    def sources(self) -> list[tuple[str, bool, str]]:
        """(name, foreign, main language) of the 40 sources."""
        found = [(f"Báo Việt {i + 1}", False, "vi") for i in range(25)]
        foreign = ("en",) * 8 + ("fr",) * 2 + ("zh",) * 2 + ("de", "es", "ru")
        found += [(f"Foreign Press {i + 1}", True, lang) for i, lang in enumerate(foreign)]
        return found

    def _language(self, main: str) -> str:
        if self.rng.random() < 0.85:
            return main
        return self.rng.choices([c for c, _ in LANGUAGES], weights=[w for _, w in LANGUAGES])[0]

    def stories(self, source_ids: list[tuple[int, str, str]]) -> Iterator[tuple[dict, list[dict]]]:
        """(item, tags) dicts in publication order; ids from 1. ``source_ids``: (pk, host, main language)."""
        rng = self.rng
        recent: list[tuple[int, dict, list[dict]]] = []  # originals of the last days, for duplicates
        pk = 0
        tz = dt.timezone(dt.timedelta(hours=7))
        for day, count in self.days:
            moments = sorted(rng.randrange(86_400) for _ in range(count))
            start = dt.datetime(day.year, day.month, day.day, tzinfo=tz)
            horizon = start - dt.timedelta(days=2)
            while recent and recent[0][1]["published_at"] < horizon:
                recent.pop(0)
            for second in moments:
                pk += 1
                published = start + dt.timedelta(seconds=second)
                source_pk, host, main = rng.choice(source_ids)
                if recent and rng.random() < 0.10:
                    item, tags = self._duplicate(pk, rng.choice(recent), source_pk, host, published)
                else:
                    item, tags = self._original(pk, source_pk, host, main, published, day)
                    if len(recent) < 5000 or rng.random() < 0.2:
                        recent.append((pk, item, tags))
                        if len(recent) > 5000:
                            recent.pop(rng.randrange(len(recent) // 2))
                yield item, tags

    def _original(
        self, pk: int, source_pk: int, host: str, main: str, published: dt.datetime, day: dt.date
    ) -> tuple[dict, list[dict]]:
        rng = self.rng
        language = self._language(main)
        vocab = self.vocab[language]
        title = vocab.draw(rng, rng.randint(8, 16))
        text = vocab.draw(rng, rng.randint(30, 120))
        tags: list[dict] = []
        marks = language == "vi"
        for unit in self._places(day):
            name = unit.short_name or unit.name
            words = name if marks else self.fold(name).title()
            text.insert(rng.randrange(len(text) + 1), words)
            if rng.random() < 0.4:
                title.insert(rng.randrange(len(title) + 1), words)
            kind = "place"
            for current in self.successors[unit.pk]:
                tags.append(
                    {"kind": kind, "unit_id": unit.pk, "current_id": current, "topic": "", "words": words}
                )
        if rng.random() < 0.05 and self.ministries:
            body = rng.choice(self.ministries)
            text.insert(0, body.name)
            tags.append(
                {"kind": "body", "unit_id": body.pk, "current_id": body.pk, "topic": "", "words": body.name}
            )
        for code, keywords in rng.sample(self.topics, rng.choices((0, 1, 2), weights=(45, 40, 15))[0]):
            said = keywords.get(language) or keywords.get("en") or []
            if said:
                word = rng.choice(said)
                text.insert(rng.randrange(len(text) + 1), word)
                tags.append(
                    {"kind": "topic", "unit_id": None, "current_id": None, "topic": code, "words": word}
                )
        sentiment = rng.choices(("neutral", "negative", "positive"), weights=(60, 25, 15))[0]
        said_words: dict[str, list[str]] = {"positive": [], "negative": []}
        if sentiment != "neutral":
            lexicon = self.lexicon[sentiment].get(language) or []
            if lexicon:
                word = rng.choice(lexicon)
                text.insert(rng.randrange(len(text) + 1), word)
                said_words[sentiment].append(word)
        joiner = "" if language == "zh" else " "
        title_s = joiner.join(title)[:500].capitalize()
        text_s = joiner.join(text)
        slug = "-".join(self.fold(title_s).split()[:6]) or "tin"
        url = f"https://{host}/{published:%Y/%m}/{slug}-{pk}.html"
        item = {
            "id": pk,
            "source_id": source_pk,
            "url": url,
            "url_key": url.removeprefix("https://"),
            "guid": url,
            "title": title_s,
            "text": text_s,
            "published_at": published,
            "fetched_at": published + dt.timedelta(minutes=rng.randint(1, 40)),
            "language": language,
            "language_confidence": round(rng.uniform(0.7, 1.0), 3),
            "title_key": self.fold(title_s)[:40] if len(title) >= 4 else "",
            "duplicate_of_id": None,
            "duplicate_reason": "",
            "similarity": None,
            "sentiment": sentiment,
            "sentiment_score": {"neutral": 0.0, "negative": -0.5, "positive": 0.5}[sentiment],
            "sentiment_words": json.dumps(said_words, ensure_ascii=False),
            "search_text": self.fold(f"{title_s}\n{text_s}")[:100_000],
        }
        return item, [dict(t, item_id=pk) for t in tags]

    def _places(self, day: dt.date) -> list:
        rng = self.rng
        k = rng.choices((0, 1, 2, 3), weights=(35, 45, 15, 5))[0]
        pool = self.old_provinces if day < self.merger or rng.random() < 0.1 else self.new_provinces
        return rng.sample(pool, k)

    def _duplicate(
        self,
        pk: int,
        earlier: tuple[int, dict, list[dict]],
        source_pk: int,
        host: str,
        published: dt.datetime,
    ) -> tuple[dict, list[dict]]:
        first_pk, first, tags = earlier
        rng = self.rng
        by_text = rng.random() < 0.4
        text = first["text"] + (" (Theo báo địa phương)" if by_text else "")
        url = f"https://{host}/{published:%Y/%m}/copy-{pk}.html"
        item = dict(
            first,
            id=pk,
            source_id=source_pk,
            url=url,
            url_key=url.removeprefix("https://"),
            guid=url,
            text=text,
            published_at=max(published, first["published_at"]),
            fetched_at=max(published, first["published_at"]) + dt.timedelta(minutes=5),
            duplicate_of_id=first_pk,
            duplicate_reason="text" if by_text else "title",
            similarity=round(rng.uniform(0.82, 0.97), 4) if by_text else None,
            search_text=self.fold(f"{first['title']}\n{text}")[:100_000],
        )
        return item, [dict(t, item_id=pk) for t in tags]


ITEM_COLUMNS = tuple(
    words_of(
        "id source_id url url_key guid title text published_at fetched_at language language_confidence title_key "
        "duplicate_of_id duplicate_reason similarity sentiment sentiment_score sentiment_words search_text"
    )
)
MOMENTS = {"published_at", "fetched_at"}
TAG_COLUMNS = ("item_id", "kind", "unit_id", "current_id", "topic", "words", "rule")
RULES = {"place": "tên", "body": "tên", "topic": "từ khoá chủ đề"}


def built_marker(connection) -> dict | None:  # noqa: ANN001
    with connection.cursor() as cursor:
        if MARKER not in connection.introspection.table_names(cursor):
            return None
        cursor.execute(f"SELECT version, items, seconds FROM {MARKER}")
        row = cursor.fetchone()
    return {"version": row[0], "items": row[1], "seconds": json.loads(row[2])} if row else None


def build(n: int) -> dict:
    """Generate ``n`` stories into the database of the environment (its monitoring tables emptied first)."""
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from ttdn.monitoring.models import Item, ItemTag, Source

    timings: dict[str, float] = {}
    start = time.perf_counter()
    call_command("migrate", "monitoring", "0001", verbosity=0)  # the load goes in under 0001's indexes only
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {MARKER}")
    ItemTag.objects.all().delete()
    Item.objects.all()._raw_delete(Item.objects.db)
    Source.objects.all().delete()
    gen = Generator(n, timezone.localdate())
    source_ids = []
    for i, (name, foreign, language) in enumerate(gen.sources()):
        source = Source.objects.create(
            name=name, kind="feed", url=f"https://source{i}.example/rss", foreign=foreign
        )
        source_ids.append((source.pk, f"source{i}.example", language))
    timings["setup"] = time.perf_counter() - start
    postgres = connection.vendor == "postgresql"
    item_table, tag_table = Item._meta.db_table, ItemTag._meta.db_table
    generating = inserting = 0.0
    items: list[tuple] = []
    tags: list[tuple] = []

    def flush() -> None:
        nonlocal inserting
        begun = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            if postgres:
                with cursor.cursor.copy(f"COPY {item_table} ({', '.join(ITEM_COLUMNS)}) FROM STDIN") as copy:
                    for row in items:
                        copy.write_row(row)
                with cursor.cursor.copy(f"COPY {tag_table} ({', '.join(TAG_COLUMNS)}) FROM STDIN") as copy:
                    for row in tags:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" * len(ITEM_COLUMNS))
                cursor.cursor.executemany(
                    f"INSERT INTO {item_table} ({', '.join(ITEM_COLUMNS)}) VALUES ({marks})", items
                )
                marks = ", ".join("?" * len(TAG_COLUMNS))
                cursor.cursor.executemany(
                    f"INSERT INTO {tag_table} ({', '.join(TAG_COLUMNS)}) VALUES ({marks})", tags
                )
        items.clear()
        tags.clear()
        inserting += time.perf_counter() - begun

    def when(moment: dt.datetime) -> object:
        if postgres:
            return moment
        return moment.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")

    begun = time.perf_counter()
    for made, (item, item_tags) in enumerate(gen.stories(source_ids), start=1):
        items.append(tuple(when(item[c]) if c in MOMENTS else item[c] for c in ITEM_COLUMNS))
        tags.extend(
            (
                t["item_id"],
                t["kind"],
                t["unit_id"],
                t["current_id"],
                t["topic"],
                t["words"][:500],
                RULES[t["kind"]],
            )
            for t in item_tags
        )
        if len(items) >= CHUNK:
            generating += time.perf_counter() - begun
            flush()
            if made % 100_000 < CHUNK:
                log(f"  {made:,} stories ({generating:.0f} s generating, {inserting:.0f} s inserting)")
            begun = time.perf_counter()
    generating += time.perf_counter() - begun
    if items:
        flush()
    timings["generate"], timings["insert"] = generating, inserting
    with connection.cursor() as cursor:
        if postgres:
            for table in (item_table, tag_table):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                )
    begun = time.perf_counter()
    call_command("migrate", verbosity=0)
    timings["later_migrations"] = time.perf_counter() - begun
    begun = time.perf_counter()
    analyse(connection)
    timings["analyze"] = time.perf_counter() - begun
    timings = {k: round(v, 1) for k, v in timings.items()}
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {MARKER} (version integer, items integer, seconds text)")
        cursor.execute(f"INSERT INTO {MARKER} VALUES (%s, %s, %s)", [VERSION, n, json.dumps(timings)])
    return {"version": VERSION, "items": n, "seconds": timings}


def analyse(connection) -> None:  # noqa: ANN001
    """Statistics up to date, as autovacuum would (PostgreSQL VACUUM ANALYZE; SQLite ANALYZE and a checkpoint)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


# ---------------------------------------------------------------------------------------------- measures


def timed(calls: list[Callable[[], object]]) -> dict:
    """Each call once, in order: p50/p95/max in ms and the queries per call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times: list[float] = []
    queries: list[int] = []
    for call in calls:
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            call()
            times.append((time.perf_counter() - start) * 1000)
        queries.append(len(ctx))
    p95 = percentile(times, 95)
    return {
        "n": len(times),
        "p50_ms": round(percentile(times, 50), 1),
        "p95_ms": round(p95, 1),
        "max_ms": round(max(times), 1),
        "queries": max(queries),
        "p95_vs_target": round(p95 / TARGET_MS, 2),
    }


def search_cases(rng: random.Random, count: int, users: dict, gen_words: dict) -> dict[str, list[tuple]]:
    """Distinct (user, Filters) by kind of search."""
    from ttdn.monitoring.selectors import Filters
    from ttdn.orgs.models import OrgKind, OrgUnit

    today = dt.date.today()
    provinces = list(
        OrgUnit.objects.filter(kind=OrgKind.PROVINCE).valid_on(today).values_list("pk", flat=True)
    )
    quang_tri = OrgUnit.objects.valid_on(today).get(code="T44-2025").pk
    common_vi = [
        "du lịch",
        "kinh tế",
        "bão lũ",
        "giao thông",
        "đầu tư",
        "biên giới",
        "giáo dục",
        "y tế",
        "môi trường",
        "nông nghiệp",
        "bất động sản",
        "tham nhũng",
        "lễ hội",
        "thể thao",
        "ngân hàng",
        "quốc hội",
        "chính phủ",
        "xuất khẩu",
        "năng lượng",
        "dân tộc",
        "Quảng Trị",
        "Hà Nội",
    ]
    common_en = [
        "storm",
        "rights",
        "tourism",
        "investment",
        "police",
        "border",
        "energy",
        "corruption",
        "press freedom",
        "trade",
        "rice",
        "climate",
    ]
    cases: dict[str, list[tuple]] = {}
    for who, user in users.items():

        def pick(words: list[str], i: int, *, marks: bool) -> str:
            from ttdn.core.text import fold

            word = words[i % len(words)]
            return word if marks else fold(word)

        words = common_vi + common_en
        common = []
        for i in range(count):  # one word, with marks or without; past the list, two words
            query = pick(words, i, marks=i % 2 == 0)
            if i >= len(words):
                query += " " + pick(common_vi, i * 7, marks=False)
            common.append((user, Filters(query=query)))
        rare = [(user, Filters(query=gen_words["vi" if i % 3 else "en"][i])) for i in range(count)]
        filtered = []
        for i in range(count):
            word = pick(common_vi + common_en, i * 3 + 1, marks=i % 2 == 1)
            since = today - dt.timedelta(days=rng.randint(7, 400))
            kind = i % 3
            if kind == 0:
                filters = Filters(
                    query=word, province=quang_tri if who == "provincial" else rng.choice(provinces)
                )
            elif kind == 1:
                filters = Filters(
                    query=word, since=since, until=since + dt.timedelta(days=rng.randint(3, 60))
                )
            else:
                filters = Filters(query=word, language=rng.choice(["vi", "en", "fr"]))
            filtered.append((user, filters))
        cases[f"{who}: common words"] = common
        cases[f"{who}: rare words"] = rare
        cases[f"{who}: word + province/dates/language"] = filtered
    return cases


def measure(args: argparse.Namespace) -> dict:
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from ttdn.accounts.models import User
    from ttdn.core import pagecache
    from ttdn.monitoring import selectors
    from ttdn.monitoring.selectors import Filters

    rng = random.Random(7)
    users = {
        "central": User.objects.get(username=CENTRAL),
        "provincial": User.objects.get(username=PROVINCIAL),
    }
    # the tail of the generator's vocabularies: the rare words, as the seed gives them
    gen_rng = random.Random(2026)
    tails = {}
    for lang, words, tail in (("vi", VI_SYLLABLES, 30_000), ("en", EN_WORDS, 10_000)):
        vocab = Vocabulary(words, gen_rng, tail=tail)
        tails[lang] = vocab.words[-tail:][::-1][: args.queries * 3 : 3]
    results: dict[str, dict] = {}

    def page_call(user, filters: Filters) -> Callable[[], object]:  # noqa: ANN001
        def call() -> object:
            found = selectors.filtered(user, filters)  # as the page reads it: the newest 1,000 once
            page = selectors.page_of(found, 1, newest=selectors.Newest(user, filters))
            return page.paginator.count, [item.pk for item in page.object_list]

        return call

    only = {part for part in args.only.split(",") if part}

    def want(part: str) -> bool:
        return not only or part in only

    for kind, cases in search_cases(rng, args.queries, users, tails).items():
        if not want("search"):
            break
        _ = selectors.Newest(*cases[0]).ids  # warm the shapes of this kind
        results[f"search, count and first page: {kind}"] = timed([page_call(u, f) for u, f in cases])
        log(f"  search {kind}: {results[f'search, count and first page: {kind}']}")

    today = timezone.localdate()
    for who, user in users.items() if want("attention") else ():
        for days in (30, 90, 365):
            for sentiment in ("", "negative"):
                calls = []
                for i in range(args.queries):
                    until = today - dt.timedelta(days=i * 3)
                    filters = Filters(
                        sentiment=("negative", "positive", "neutral")[i % 3] if sentiment else ""
                    )

                    def call(user=user, filters=filters, until=until, days=days) -> object:  # noqa: ANN001
                        return selectors.attention_of(user, filters, days=days, until=until)

                    calls.append(call)
                label = f"attention {days} days: {who}{', by sentiment' if sentiment else ''}"
                results[label] = timed(calls)
                log(f"  {label}: {results[label]}")
        calls = []
        words = ["du lich", "kinh tế", "storm", "bien gioi", "tham nhung", "rights", "giao thông", "y te"]
        for i in range(args.queries):
            word = words[i % len(words)] + (
                "" if i < len(words) else f" {tails['vi'][i]}"[: 0 if i % 2 else 99]
            )

            def search_call(user=user, word=word, i=i) -> object:  # noqa: ANN001
                return selectors.attention_of(
                    user, Filters(query=word), days=30, until=today - dt.timedelta(days=i)
                )

            calls.append(search_call)
        label = f"attention 30 days of a search: {who}"
        results[label] = timed(calls)
        log(f"  {label}: {results[label]}")

    for who, user in users.items() if want("page") else ():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        urls = ["/monitoring/"]
        words = [
            "du lich",
            "kinh te",
            "storm",
            "bien gioi",
            "quang tri",
            "rights",
            "giao thong",
            "y te",
            "lu lut",
        ]
        for i in range(args.queries - 1):
            word = words[i % len(words)]
            params = [f"q={word.replace(' ', '+')}"]
            if i % 3 == 1:
                params.append(f"language={['vi', 'en', 'fr'][i % 3]}")
            if i % 4 == 2:
                params.append(f"since={(today - dt.timedelta(days=30 + i)):%d/%m/%Y}")
            if i % 5 == 3:
                params = [
                    f"sentiment={['negative', 'positive'][i % 2]}",
                    f"until={(today - dt.timedelta(days=i)):%d/%m/%Y}",
                ]
            urls.append("/monitoring/?" + "&".join(params))
        client.get(urls[0])
        statuses = set()

        def get(url: str) -> object:
            caches[pagecache.CACHE].clear()
            caches["default"].clear()
            response = client.get(url)
            statuses.add(response.status_code)
            return response

        # the session is in the database (no shared cache configured): clearing "default" drops no login
        label = f"page /monitoring/ (page cache cleared before each): {who}"
        results[label] = timed([lambda url=url: get(url) for url in urls])
        results[label]["statuses"] = sorted(statuses)
        log(f"  {label}: {results[label]}")
    results["_database"] = {"vendor": connection.vendor}
    return results


def sizes() -> dict:
    """Tables and indexes of monitoring on disk, in MiB."""
    from django.db import connection

    found: dict[str, float] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname, pg_total_relation_size(c.oid) - "
                "(CASE WHEN c.relkind = 'r' THEN pg_indexes_size(c.oid) ELSE 0 END) "
                "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relname LIKE 'monitoring_item%%' AND c.relkind IN ('r', 'i')"
            )
        else:
            try:
                cursor.execute(
                    "SELECT name, SUM(pgsize) FROM dbstat WHERE name LIKE 'monitoring_item%' "
                    "OR tbl_name LIKE 'monitoring_item%' GROUP BY name"
                )
            except Exception:  # noqa: BLE001 (SQLite built without dbstat)
                return {}
        for name, size in cursor.fetchall():
            found[name] = round(size / 1024 / 1024, 1)
    return dict(sorted(found.items(), key=lambda kv: -kv[1]))


def dedup_memory(sizes_wanted: list[int]) -> dict:
    """Memory and build time of the near-duplicate index: the 7 days a poll builds, then larger ones."""
    from django.utils import timezone

    from ttdn.monitoring import services
    from ttdn.monitoring.models import Item
    from ttdn.monitoring.pipeline import dedup

    found: dict[str, dict] = {}
    gc.collect()
    before = rss_mib()
    start = time.perf_counter()
    tracemalloc.start()
    index = services._recent_index(timezone.now())
    traced, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    found["7 days (services._recent_index)"] = {
        "stories": len(index),
        "seconds": round(time.perf_counter() - start, 1),
        "traced_mib": round(traced / 1024 / 1024, 1),
        "rss_delta_mib": round(rss_mib() - before, 1),
    }
    log(f"  dedup 7 days: {found['7 days (services._recent_index)']}")
    del index
    for n in sizes_wanted:
        for keep in (True, False):
            gc.collect()
            texts = (
                Item.objects.filter(duplicate_of__isnull=True).order_by("-pk").values_list("pk", "text")[:n]
            )
            rows = list(texts.iterator(chunk_size=5000))
            gc.collect()
            before = rss_mib()
            start = time.perf_counter()
            tracemalloc.start()
            index = dedup.NearDuplicates(keep=keep)
            for pk, text in rows:
                index.add(str(pk), dedup.shingles(text))
            traced, _ = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            elapsed = time.perf_counter() - start
            row = {
                "stories": len(index),
                "seconds": round(elapsed, 1),
                "traced_mib": round(traced / 1024 / 1024, 1),
                "rss_delta_mib": round(rss_mib() - before, 1),
                "traced_bytes_a_story": round(traced / max(1, len(index))),
                "extrapolated_1m_gib": round(traced / max(1, len(index)) * 1_000_000 / 1024**3, 2),
                "extrapolated_1m_build_min": round(elapsed / max(1, len(index)) * 1_000_000 / 60, 1),
            }
            label = f"{n:,} stories, {'shingles kept (as a poll keeps them)' if keep else 'LSH alone (keep=False)'}"
            found[label] = row
            log(f"  dedup {label}: {row}")
            del index, rows
    return found


def run_here(args: argparse.Namespace) -> dict:
    """Build if needed, then measure, in this process's database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ttdn.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from ttdn.site.demo import load_demo_accounts

    call_command("setup", verbosity=0)
    load_demo_accounts()
    marker = built_marker(connection)
    if args.rebuild or marker is None or marker["version"] != VERSION or marker["items"] != args.items:
        log(f"building {args.items:,} stories on {connection.vendor} ...")
        marker = build(args.items)
        marker["reused"] = False
    else:
        marker["reused"] = True
        call_command("migrate", verbosity=0)
    log(f"  database: {marker}")
    out: dict = {"build": marker, "sizes_mib": sizes()}
    if args.build_only:
        return out
    out["measures"] = measure(args)
    if not args.skip_dedup:
        out["dedup"] = dedup_memory([int(n) for n in args.dedup.split(",") if n])
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--dedup", default="100000,200000")
    parser.add_argument("--skip-dedup", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--only", default="", help="measure only these parts: search,attention,page")
    parser.add_argument(
        "--build-only", action="store_true", help="build (or check) the databases, measure nothing"
    )
    parser.add_argument("--here", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.here:
        print("RESULT " + json.dumps(run_here(args), ensure_ascii=False, default=str))
        return 0
    report: dict[str, dict] = {}
    for db in ("postgresql", "sqlite") if args.db == "both" else (args.db,):
        env = dict(os.environ)
        if db == "postgresql":
            ensure_pg_database(PG_URL)
            env["TTDN_DATABASE_URL"] = PG_URL
        else:
            DATA_DIR.mkdir(parents=True, exist_ok=True)
            suffix = "" if args.items == 1_000_000 else f"-{args.items}"
            env["TTDN_DATABASE_URL"] = f"sqlite:///{DATA_DIR / f'monitoring-scale{suffix}.sqlite3'}"
        env["TTDN_VAR_DIR"] = str(DATA_DIR / f"var-{db}")
        command = [sys.executable, __file__, "--here", f"--items={args.items}", f"--queries={args.queries}"]
        command += (
            [f"--dedup={args.dedup}"] + ["--rebuild"] * args.rebuild + ["--skip-dedup"] * args.skip_dedup
        )
        command += ["--build-only"] * args.build_only + [f"--only={args.only}"] * bool(args.only)
        done = subprocess.run(command, env=env, check=True, stdout=subprocess.PIPE, text=True)
        line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
        report[db] = json.loads(line.removeprefix("RESULT "))
    if args.json or args.build_only:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0
    for db, result in report.items():
        print(f"\n== {db}: {result['build']}")
        print(f"sizes on disk (MiB): {result['sizes_mib']}")
        print(f"{'measure':<78} {'n':>3} {'p50':>7} {'p95':>7} {'max':>7} {'q':>3} {'p95/100ms':>9}")
        for label, row in result["measures"].items():
            if label.startswith("_"):
                continue
            print(
                f"{label:<78} {row['n']:>3} {row['p50_ms']:>7} {row['p95_ms']:>7} {row['max_ms']:>7} "
                f"{row['queries']:>3} {row['p95_vs_target']:>9}"
            )
        for label, row in result.get("dedup", {}).items():
            print(f"dedup {label}: {row}")
    return 0


def ensure_pg_database(url: str) -> None:
    import psycopg

    server, _, name = url.rpartition("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"unexpected database name {name!r}")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f"CREATE DATABASE {name}")


if __name__ == "__main__":
    raise SystemExit(main())
