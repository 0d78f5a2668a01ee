"""Page benchmark at demo and national scale: queries per request, page size, and throughput under load.

For each database (a SQLite file in a temporary folder, or a fresh PostgreSQL database on
postgresql://postgres@127.0.0.1:5432 that it creates and drops) it builds the demo (`ttdn setup --demo`) and, on
top of it, the national scale: 100,000 documents (bench/documents.py's generator, inserted in bulk with their
search index filled as `ttdn.documents.search.bulk_update` does), the 3,321 communes x 30 tracking items x 5 years
of tracking values, 50,000 task occurrences spread over bodies and due dates, and 1,000 users across bodies
(unit officers and leaders). The built SQLite folders are kept under var/bench/ (keyed by VERSION) and reused.

Then, for every key page as a central officer (cuc.canbo) and a unit officer (quangtri.canbo):
* the queries of one request and the page size, in-process with Django's test client and
  CaptureQueriesContext, at each scale built: the page built from the kept fragments (the first request
  warms them; the kept page is dropped before), then the same request again, answered as a kept page;
* req/s and p50/p95/p99 latency with N concurrent connections for S seconds against `ttdn serve --no-worker`
  on a free port, logged in, with wrk (Debian's package, `make wrk`) when it is installed, else with an asyncio
  client (httpx), which itself takes most of a core; `--client` chooses. With wrk the login is httpx's and its
  cookies are given to wrk; a small Lua script (written to the run's temporary folder) prints wrk's figures as
  JSON. Each page is requested once with httpx first: a page that does not answer 200 (a redirect to the login
  page, say) has all its requests counted as errors;
* the same for a bare hello-world WSGI app served by gunicorn as `ttdn serve` serves the site (the same
  workers, threads and settings: its defaults), the ceiling of this machine, server and client together, and
  for Django's own hello-world (one view, no middleware, no database) served the same way. The platform's lightest logged-in page (/tasks/notifications/)
  stands for a "stack hello-world": no view can be added to the served urlconf from outside.

Usage: python bench/pages.py [--db sqlite|postgresql|both] [--scale demo|national|both] [--seconds 20]
[--connections 16] [--client auto|wrk|httpx] [--json] [--rebuild]. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import math
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serving import free_port, postgres_database, wait_for  # noqa: E402

if TYPE_CHECKING:
    import httpx

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CACHE = ROOT / "var" / "bench"
VERSION = 2  # bump when the national data change: the cached SQLite folders are keyed by it
TTDN = str(Path(sys.executable).with_name("ttdn"))
PASSWORD = "ttdn-demo-2026"  # ttdn.site.demo.DEMO_PASSWORD (not imported: the driver runs outside Django)
ROLES = ("cuc.canbo", "quangtri.canbo")
PAGES = (
    "/",
    "/orgs/",
    "/docs/",
    "/docs/?q=thong+tin",
    "/tasks/",
    "/tasks/overdue/",
    "/reporting/",
    "/reporting/tracking/",
    "/reporting/tracking/?mode=current",
    "/plans/",
    "/monitoring/",
    "/tasks/notifications/",
)
LIGHTEST = "/tasks/notifications/"
DOCUMENTS = 100_000
TRACKING_ITEMS = 30
TRACKING_YEARS = (2022, 2023, 2024, 2025, 2026)
OCCURRENCES = 50_000
USERS = 1_000
WRK_THREADS = 2
WRK_TIMEOUT = (
    60  # s: wrk's default (2 s) would count the slowest pages' requests as timeouts, not measure them
)
WRK_REPORT = """\
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK-JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, "write": %d, '
      .. '"status": %d, "timeout": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""  # wrk's done(): latencies in µs; errors.status counts the answers that are not 2xx or 3xx
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NUMBER = re.compile(r"\b\d+\b|'[^']*'|%s")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------- in Django


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ttdn.settings")
    import django

    django.setup()


def build_national() -> dict:
    """Add the national-scale data to the demo database named by the environment."""
    django_setup()
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from ttdn.accounts.models import Role, User
    from ttdn.documents import search
    from ttdn.documents.models import Document
    from ttdn.documents.services import _set_keys, _terms
    from ttdn.orgs.models import OrgKind, OrgUnit
    from ttdn.reporting.models import TrackingItem, TrackingValue
    from ttdn.tasks.models import Duty, DutyState, Task, TaskOccurrence

    sys.path.insert(0, str(BENCH))
    from documents import WORDS, body_words, generated_document

    rng = random.Random(2026)
    today = timezone.localdate()
    timings: dict[str, float] = {}

    start = time.perf_counter()
    batch = 5000
    for offset in range(0, DOCUMENTS, batch):
        docs = []
        for i in range(offset, offset + batch):
            doc = generated_document(rng, i)
            _set_keys(doc)
            doc.search_text = " ".join(sorted(_terms(doc)))
            docs.append(doc)
        bodies = [body_words(rng) for _ in docs]
        with transaction.atomic():
            Document.objects.bulk_create(docs)
            search.bulk_update(
                [(d.pk, d.search_text, body, d.issued_on) for d, body in zip(docs, bodies, strict=True)]
            )
    timings["documents"] = time.perf_counter() - start

    start = time.perf_counter()
    items = list(TrackingItem.objects.all())
    for n in range(len(items), TRACKING_ITEMS):
        items.append(
            TrackingItem.objects.create(
                code=f"bench_{n:02d}", name=f"Hạng mục {n + 1}", order=100 + n, sentence_order=100 + n
            )
        )
    communes = list(OrgUnit.objects.valid_on(today).filter(kind=OrgKind.COMMUNE))
    values = [
        TrackingValue(unit=u, item=i, year=y, value=rng.random() < 0.4)
        for y in TRACKING_YEARS
        for u in communes
        for i in items
    ]
    with transaction.atomic():
        TrackingValue.objects.bulk_create(values, batch_size=5000, ignore_conflicts=True)
    timings["tracking"] = time.perf_counter() - start

    start = time.perf_counter()
    bodies = list(
        OrgUnit.objects.valid_on(today).filter(
            kind__in=[OrgKind.PROVINCE, OrgKind.DEPARTMENT, OrgKind.MINISTRY]
        )
    )
    quang_tri = list(OrgUnit.objects.valid_on(today).filter(code__startswith="T44-2025"))
    password = make_password(PASSWORD)
    people = list(OrgUnit.objects.valid_on(today).filter(kind__in=[OrgKind.PROVINCE, OrgKind.DEPARTMENT]))
    people += rng.sample(communes, min(300, len(communes)))
    with transaction.atomic():
        User.objects.bulk_create(
            [
                User(
                    username=f"bench.{n:04d}",
                    password=password,
                    role=Role.UNIT_LEADER if n % 4 == 0 else Role.UNIT_OFFICER,
                    org_unit=rng.choice(people),
                    first_name=f"Người dùng {n}",
                    email=f"bench.{n:04d}@ttdn.example",
                )
                for n in range(USERS)
            ],
            batch_size=1000,
        )
    timings["users"] = time.perf_counter() - start

    start = time.perf_counter()
    leads_per_duty, periods = 5, len(TRACKING_YEARS)
    duties_count = OCCURRENCES // (leads_per_duty * periods)
    documents = list(
        Document.objects.filter(text="(bench)").order_by("pk").values_list("pk", flat=True)[:500]
    )
    with transaction.atomic():
        duties = Duty.objects.bulk_create(
            [
                Duty(
                    document_id=documents[n % len(documents)],
                    section=f"{n % 9 + 1}.{'abcde'[n % 5]}",
                    order=n,
                    text=f"{' '.join(rng.choice(WORDS) for _ in range(12)).capitalize()}.",
                    assignee_label="Ủy ban nhân dân các tỉnh, thành phố",
                    fingerprint=f"bench-{n}",
                    search_text=" ".join(rng.choice(WORDS) for _ in range(12)),
                    state=DutyState.ISSUED,
                    recurrence="yearly",
                    issued_at=timezone.now(),
                )
                for n in range(duties_count)
            ],
            batch_size=1000,
        )
        tasks = []
        for n, duty in enumerate(duties):
            leads = rng.sample(bodies, leads_per_duty - 1)
            leads.append(quang_tri[n % len(quang_tri)] if n % 4 == 0 else rng.choice(bodies))
            for lead in {u.pk: u for u in leads}.values():
                tasks.append(Task(duty=duty, lead=lead))
        tasks = Task.objects.bulk_create(tasks, batch_size=2000)
        occurrences = []
        for task in tasks:
            for year in TRACKING_YEARS:
                due = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
                done = due < today and rng.random() < 0.7
                occurrences.append(
                    TaskOccurrence(
                        task=task,
                        period=str(year),
                        due=due,
                        progress=100 if done else rng.choice([0, 20, 40, 60]),
                        completed_on=due - dt.timedelta(days=rng.randint(-20, 30)) if done else None,
                    )
                )
        TaskOccurrence.objects.bulk_create(occurrences, batch_size=5000)
    timings["tasks"] = time.perf_counter() - start

    start = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would, also merging the GIN pending lists
        else:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    timings["analyze"] = time.perf_counter() - start
    return {
        "documents": Document.objects.count(),
        "tracking_values": TrackingValue.objects.count(),
        "task_occurrences": TaskOccurrence.objects.count(),
        "users": User.objects.count(),
        "seconds": {k: round(v, 1) for k, v in timings.items()},
    }


def shape(sql: str) -> str:
    """A query with its literals taken out, so that repeated queries of one shape can be counted."""
    return NUMBER.sub("?", sql)[:160]


def count_queries() -> dict:
    """Per role and page: queries of a request built from the kept fragments (the first request warms them) and
    of the same request served again as a kept page, status and size."""
    django_setup()
    from collections import Counter

    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from ttdn.accounts.models import User
    from ttdn.core import pagecache

    found: dict = {}
    for username in ROLES:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(username=username))
        for url in PAGES:
            with CaptureQueriesContext(connection) as cold:
                client.get(url)
            caches[pagecache.CACHE].clear()  # the page built again, from the fragments kept
            with CaptureQueriesContext(connection) as built:
                start = time.perf_counter()
                client.get(url)
                built_ms = time.perf_counter() - start
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                response = client.get(url)
                elapsed = time.perf_counter() - start
            shapes = Counter(shape(q["sql"]) for q in built.captured_queries)
            found[f"{username} {url}"] = {
                "status": response.status_code,
                "queries": len(built),
                "queries_kept": len(ctx),
                "queries_cold": len(cold),
                "bytes": len(response.content),
                "ms": round(built_ms * 1000, 1),  # this one request, alone, in-process, the page built
                "kept_ms": round(elapsed * 1000, 1),  # the same page again, served as kept
                "sql_ms": round(sum(float(q["time"]) for q in built.captured_queries) * 1000, 1),
                "repeated": {s: n for s, n in shapes.most_common(5) if n > 1},
            }
    return found


# ---------------------------------------------------------------------------------------------- the driver


def percentile(samples: list[float], p: float) -> float:
    """Nearest rank: the smallest sample with at least p% of the samples at or below it."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def in_django(env: dict[str, str], what: str) -> dict:
    """Run this script's `what` step (build or queries) in a process with the database's environment."""
    done = subprocess.run(
        [sys.executable, __file__, f"--step={what}"], env=env, check=True, stdout=subprocess.PIPE, text=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@contextlib.contextmanager
def serving(
    command: list[str], env: dict[str, str], cwd: Path, port: int, ready: str
) -> Iterator[subprocess.Popen]:
    with (cwd / f"serve-{port}.log").open("w") as out:
        server = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_for(f"http://127.0.0.1:{port}{ready}", server)
            yield server
        finally:
            server.terminate()
            server.wait(timeout=30)


async def login(client: httpx.AsyncClient, username: str) -> None:
    page = await client.get("/login/")
    token = TOKEN.search(page.text)
    response = await client.post(
        "/login/",
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": token.group(1) if token else "",
        },
    )
    if response.status_code != 302 or response.headers.get("location", "").startswith("/login/"):
        raise SystemExit(f"login of {username} failed: {response.status_code}")


async def hammer(client: httpx.AsyncClient, url: str, connections: int, seconds: float) -> dict:
    """`connections` loops requesting `url` back to back for `seconds`."""
    import httpx

    times: list[float] = []
    errors = 0
    deadline = time.monotonic() + seconds

    async def loop() -> None:
        nonlocal errors
        while time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                response = await client.get(url)
                ok = response.status_code == 200
            except httpx.HTTPError:
                ok = False
            times.append((time.perf_counter() - start) * 1000)
            errors += not ok

    started, cpu = time.monotonic(), time.process_time()
    await asyncio.gather(*(loop() for _ in range(connections)))
    elapsed = time.monotonic() - started
    return {
        "client_cpu": round((time.process_time() - cpu) / elapsed, 2),  # of one core
        "requests": len(times),
        "errors": errors,
        "req_s": round(len(times) / elapsed, 1),
        **{f"p{p}_ms": round(percentile(times, p), 1) for p in (50, 95, 99)},
    }


def wrk(url: str, cookies: str, script: Path, args: argparse.Namespace) -> dict:
    """wrk's figures for `url` with `args.connections` connections for `args.seconds`, in hammer()'s form."""
    command = [
        "wrk",
        f"-t{min(WRK_THREADS, args.connections)}",
        f"-c{args.connections}",
        f"-d{max(1, round(args.seconds))}s",
        f"--timeout={WRK_TIMEOUT}s",
        "--latency",
        "-s",
        str(script),
    ]
    if cookies:
        command += ["-H", f"Cookie: {cookies}"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=args.seconds + WRK_TIMEOUT + 60
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRK-JSON ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no figures for {url}:\n{done.stdout}\n{done.stderr}")
    figures = json.loads(line.removeprefix("WRK-JSON "))
    seconds = figures["duration_us"] / 1e6
    kinds = {k: figures[k] for k in ("connect", "read", "write", "status", "timeout") if figures[k]}
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return {
        "client_cpu": round(cpu / seconds, 2),  # of one core
        "requests": figures["requests"],
        "errors": sum(kinds.values()),
        "error_kinds": kinds,
        "req_s": round(figures["requests"] / seconds, 1),
        **{f"p{p}_ms": round(figures[f"p{p}_us"] / 1000, 1) for p in (50, 95, 99)},
    }


def refused(response: httpx.Response) -> str | None:
    """Why a page's answer does not count as served (a redirect to the login page, an error), or None."""
    if response.status_code == 200:
        return None
    location = response.headers.get("location", "")
    return f"HTTP {response.status_code}" + (f" -> {location}" if location else "")


async def measure(client: httpx.AsyncClient, url: str, args: argparse.Namespace, script: Path | None) -> dict:
    """Load `url` with wrk (when `script` is given: its Lua report) or with httpx, after one request with httpx
    that warms the page and checks it: when it is not a 200, every request of the load counts as an error."""
    check = refused(await client.get(url))
    if script is None:
        row = await hammer(client, url, args.connections, args.seconds)
    else:
        cookies = "; ".join(f"{c.name}={c.value}" for c in client.cookies.jar)
        row = wrk(str(client.base_url).rstrip("/") + url, cookies, script, args)
    if check:
        row["errors"], row["check"] = row["requests"], check
    return row


async def load_pages(base_url: str, args: argparse.Namespace, script: Path | None) -> dict:
    import httpx

    limits = httpx.Limits(max_connections=args.connections, max_keepalive_connections=args.connections)
    found: dict = {}
    for username in ROLES:
        async with httpx.AsyncClient(base_url=base_url, timeout=120, limits=limits) as client:
            await login(client, username)
            for url in PAGES:
                row = found[f"{username} {url}"] = await measure(client, url, args, script)
                log(
                    f"    {username} {url}: {row['req_s']} req/s"
                    + (f", {row['errors']} errors" if row["errors"] else "")
                )
    return found


async def load_hello(base_url: str, args: argparse.Namespace, script: Path | None) -> dict:
    import httpx

    limits = httpx.Limits(max_connections=args.connections, max_keepalive_connections=args.connections)
    async with httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits) as client:
        return await measure(client, "/", args, script)


def load_client(choice: str) -> str:
    """The load generator: wrk when it is installed (auto) or asked for, else httpx."""
    if choice == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: make wrk (or --client httpx)")
    if choice == "auto":
        return "wrk" if shutil.which("wrk") else "httpx"
    return choice


HELLO = (
    "import sys\n"
    "from ttdn.site.management.commands.serve import THREADS, Server, default_workers, gunicorn_options\n"
    "def app(environ, start_response):\n"
    "    start_response('200 OK', [('Content-Type', 'text/plain'), ('Content-Length', '12')])\n"
    "    return [b'Hello, world']\n"
    "if sys.argv[2:] == ['django']:\n"
    "    from django.conf import settings\n"
    "    from django.http import HttpResponse\n"
    "    from django.urls import path\n"
    "    settings.configure(DEBUG=False, SECRET_KEY='x' * 50, ALLOWED_HOSTS=['*'], ROOT_URLCONF=__name__,\n"
    "                       MIDDLEWARE=[], INSTALLED_APPS=[], USE_I18N=False)\n"
    "    urlpatterns = [path('', lambda request: HttpResponse('Hello, world', content_type='text/plain'))]\n"
    "    from django.core.wsgi import get_wsgi_application\n"
    "    app = get_wsgi_application()\n"
    "options = gunicorn_options(host='127.0.0.1', port=int(sys.argv[1]), workers=default_workers(),\n"
    "                           threads=THREADS, access_log=False)\n"
    "Server(lambda: app, options).run()\n"
)  # gunicorn with `ttdn serve`'s options and defaults, in front of the same proxy wrapper


def measure_load(env: dict[str, str], tmp: Path, args: argparse.Namespace) -> dict:
    script = None
    if args.client == "wrk":
        script = tmp / "report.lua"
        script.write_text(WRK_REPORT)
    port = free_port()
    command = [TTDN, "serve", "--no-worker", "--host", "127.0.0.1", "--port", str(port)]
    with serving(command, env, tmp, port, "/login/"):
        pages = asyncio.run(load_pages(f"http://127.0.0.1:{port}", args, script))
    port = free_port()
    with serving([sys.executable, "-c", HELLO, str(port)], env, tmp, port, "/"):
        hello = asyncio.run(load_hello(f"http://127.0.0.1:{port}", args, script))
    port = free_port()
    with serving([sys.executable, "-c", HELLO, str(port), "django"], env, tmp, port, "/"):
        django_hello = asyncio.run(load_hello(f"http://127.0.0.1:{port}", args, script))
    log(
        f"    hello-world: {hello['req_s']} req/s (Django's: {django_hello['req_s']}), the client ({args.client}) "
        f"using {hello['client_cpu']:.0%} of a core"
    )
    return {
        "client": args.client,
        "pages": pages,
        "hello": hello,
        "django_hello": django_hello,
        "load_average_1min": round(os.getloadavg()[0], 1),
    }


def setup_demo(env: dict[str, str], cwd: Path) -> None:
    subprocess.run([TTDN, "setup", "--demo"], env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL)


def sqlite_var(scale: str, tmp: Path, rebuild: bool) -> tuple[Path, dict | None]:
    """A working copy of the cached var folder of `scale` (built first when missing); the build's figures."""
    cached = CACHE / f"pages-v{VERSION}-{scale}"
    built = None
    if rebuild or not (cached / "ttdn.sqlite3").is_file():
        shutil.rmtree(cached, ignore_errors=True)
        work = tmp / f"build-{scale}"
        if scale == "demo":
            env = {**os.environ, "TTDN_DATABASE_URL": "", "TTDN_VAR_DIR": str(work)}
            env.pop("TTDN_SECRET_KEY", None)
            start = time.perf_counter()
            setup_demo(env, tmp)
            built = {"seconds": {"setup --demo": round(time.perf_counter() - start, 1)}}
        else:
            demo, _ = sqlite_var("demo", tmp, False)
            shutil.copytree(demo, work)
            env = {**os.environ, "TTDN_DATABASE_URL": "", "TTDN_VAR_DIR": str(work)}
            log("sqlite: building the national scale ...")
            built = in_django(env, "build")
        CACHE.mkdir(parents=True, exist_ok=True)
        shutil.copytree(work, cached)
    copy = tmp / f"var-{scale}"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(cached, copy)
    return copy, built


def run(kind: str, args: argparse.Namespace) -> dict:
    scales = ["demo", "national"] if args.scale in ("both", "national") else ["demo"]
    result: dict = {"database": kind, "scales": {}}
    with tempfile.TemporaryDirectory(prefix=f"ttdn-pages-{kind}-") as name:
        tmp = Path(name)
        with postgres_database("ttdn_pages") if kind == "postgresql" else contextlib.nullcontext("") as url:
            if kind == "postgresql":
                env = {**os.environ, "TTDN_DATABASE_URL": url, "TTDN_VAR_DIR": str(tmp / "var")}
                env.pop("TTDN_SECRET_KEY", None)
            for scale in scales:
                log(f"{kind} {scale}: building ...")
                if kind == "sqlite":
                    var, built = sqlite_var(scale, tmp, args.rebuild)
                    env = {**os.environ, "TTDN_DATABASE_URL": "", "TTDN_VAR_DIR": str(var)}
                    env.pop("TTDN_SECRET_KEY", None)
                elif scale == "demo":
                    start = time.perf_counter()
                    setup_demo(env, tmp)
                    built = {"seconds": {"setup --demo": round(time.perf_counter() - start, 1)}}
                else:
                    built = in_django(env, "build")
                entry: dict = {"built": built, "queries": in_django(env, "queries")}
                if args.scale in ("both", scale):
                    log(f"{kind} {scale}: {args.connections} connections, {args.seconds} s a page ...")
                    entry["load"] = measure_load(env, tmp, args)
                result["scales"][scale] = entry
    return result


def errors_detail(row: dict) -> str:
    """The kinds of a row's errors: wrk's (connect, read, write, status, timeout) and the check's refusal."""
    kinds = [f"{n} {kind}" for kind, n in row.get("error_kinds", {}).items()]
    if row.get("check"):
        kinds.append(f"the page answered {row['check']}")
    return f": {', '.join(kinds)}" if kinds else ""


def targets(load: dict) -> str:
    """The acceptance figures of one run: p95 <= 100 ms at this many connections, the lightest page's req/s
    >= 40% of the bare hello-world's, every key page's >= 10%."""
    hello, pages = load["hello"]["req_s"], load["pages"]
    django_hello = load.get("django_hello", {}).get("req_s", 0)
    fast = [k for k, row in pages.items() if row["p95_ms"] <= 100 and not row["errors"]]
    slow = [k for k in pages if k not in fast]
    lightest = {k: 100 * row["req_s"] / hello for k, row in pages.items() if k.endswith(f" {LIGHTEST}")}
    low = [k for k, row in pages.items() if 100 * row["req_s"] / hello < 10]
    p95 = sorted(pages[k]["p95_ms"] for k in slow)
    return (
        f"p95 <= 100 ms: {len(fast)} of {len(pages)} pages ({', '.join(fast) or 'none'}); "
        f"{len(slow)} miss it" + (f" (p95 {p95[0]:,.0f}–{p95[-1]:,.0f} ms, or errors)" if slow else "") + "\n"
        "stack hello-world (lightest page) of bare: "
        + ", ".join(f"{k.split()[0]} {v:.1f}%" for k, v in lightest.items())
        + " (target >= 40%)"
        + (
            "; of Django's own hello-world: "
            + ", ".join(f"{k.split()[0]} {100 * pages[k]['req_s'] / django_hello:.1f}%" for k in lightest)
            if django_hello
            else ""
        )
        + f"\nkey pages below 10% of bare: {len(low)} of {len(pages)}"
    )


def report(result: dict) -> None:
    scales = result["scales"]
    demo, national = scales.get("demo", {}).get("queries", {}), scales.get("national", {}).get("queries", {})
    for scale, entry in scales.items():
        if "load" not in entry:
            continue
        hello = entry["load"]["hello"]
        django_hello = entry["load"].get("django_hello", {}).get("req_s", "-")
        print(
            f"\n== {result['database']}, {scale} scale: hello-world {hello['req_s']} req/s "
            f"(Django's own, no middleware: {django_hello}), p50/p95/p99 "
            f"{hello['p50_ms']}/{hello['p95_ms']}/{hello['p99_ms']} ms (client {entry['load'].get('client', 'httpx')}, "
            f"{hello['client_cpu']:.0%} of a core); "
            f"load {entry['load']['load_average_1min']} =="
        )
        print(
            f"{'page':<34} {'role':<15} {'queries d/n':>11} {'kept':>4} {'KB':>6} {'1 req ms':>8} {'kept ms':>7} {'req/s':>7} {'p50':>7} {'p95':>7} {'p99':>7} {'% hello':>7}"
        )
        for key, row in entry["load"]["pages"].items():
            username, url = key.split(" ", 1)
            d, n = demo.get(key, {}).get("queries", "-"), national.get(key, {}).get("queries", "-")
            mark = " *" if d != n and n != "-" else "  "
            size = entry["queries"][key]["bytes"] / 1024
            label = url + (" (lightest)" if url == LIGHTEST else "")
            share = 100 * row["req_s"] / hello["req_s"] if hello["req_s"] else 0.0
            print(
                f"{label:<34} {username:<15} {f'{d}/{n}':>9}{mark} {entry['queries'][key].get('queries_kept', '-'):>4} "
                f"{size:>6.0f} {entry['queries'][key]['ms']:>8.1f} {entry['queries'][key].get('kept_ms', 0):>7.1f} {row['req_s']:>7.1f} "
                f"{row['p50_ms']:>7.1f} {row['p95_ms']:>7.1f} {row['p99_ms']:>7.1f} {share:>6.1f}%"
                + (f" ({row['errors']} errors{errors_detail(row)})" if row["errors"] else "")
                + (f" (HTTP {status})" if (status := entry["queries"][key]["status"]) != 200 else "")
            )
        print(targets(entry["load"]))
    if demo and national:
        changed = [k for k in national if demo.get(k, {}).get("queries") != national[k]["queries"]]
        print(
            "\n* queries differ between demo and national scale:"
            if changed
            else "\nsame queries at both scales"
        )
        for key in changed:
            print(
                f"  {key}: {demo[key]['queries']} -> {national[key]['queries']}; repeated: {national[key]['repeated']}"
            )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="sqlite")
    parser.add_argument("--scale", choices=["demo", "national", "both"], default="both")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--client", choices=["auto", "wrk", "httpx"], default="auto", help="the load generator"
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached SQLite databases")
    parser.add_argument("--step", choices=["build", "queries"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(build_national() if args.step == "build" else count_queries()))
        return 0
    args.client = load_client(args.client)
    log(f"load generator: {args.client}")
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    results = [run(kind, args) for kind in kinds]
    for result in results:
        report(result)
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
