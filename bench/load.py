"""Load test: simulated users against `ttdn serve` while `ttdn docs import` runs. Prints figures.

For each database (a SQLite file in a temporary folder, or a fresh PostgreSQL database on
postgresql://postgres@127.0.0.1:5432 that it creates and drops): `ttdn setup --demo`, `ttdn serve` (gunicorn, its
defaults) on a free port of 127.0.0.1, then N users (default 50; one client and cookie jar each, spread over the demo's central and
provincial officers and leaders) log in once and, for the duration, open the key pages and write what a user
writes (a report draft's autosave, a task's progress report), 0-200 ms apart. A few seconds in,
`ttdn docs import` of generated documents starts in a subprocess. Errors are any status other than 2xx/3xx, a
redirect to the login page, a refused write, or a failed request (timeout, connection).

Usage: python bench/load.py [--db sqlite|postgresql|both] [--users 50] [--seconds 60] [--import-docs 1500]
[--no-import] [--json]. Exit status 1 when there were errors.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serving import free_port, postgres_database, wait_for  # noqa: E402

BENCH = Path(__file__).resolve().parent
TTDN = str(Path(sys.executable).with_name("ttdn"))
PASSWORD = "ttdn-demo-2026"  # ttdn.site.demo.DEMO_PASSWORD (not imported: this script runs outside Django)
# The demo's central officers (no central leader in the demo) and provincial officers and leaders.
ACCOUNTS = (
    "cuc.canbo",
    "cuc.phantich",
    "quangtri.canbo",
    "quangtri.lanhdao",
    "dongnai.canbo",
    "quangtri.sovhttdl",
)
PAGES = (
    ("home", "/"),
    ("orgs", "/orgs/"),
    ("docs", "/docs/"),
    ("docs search", "/docs/?q={query}"),
    ("tasks", "/tasks/"),
    ("tasks overdue", "/tasks/overdue/"),
    ("reporting", "/reporting/"),
    ("tracking", "/reporting/tracking/"),
    ("plans", "/plans/"),
    ("notifications", "/tasks/notifications/"),
)
QUERIES = ("chi thi 21", "thong tin doi ngoai", "ke hoach 2024", "quang ba hinh anh", "bao chi nuoc ngoai")
WRITE_SHARE = 0.25  # of a writer's steps
EXCEPTION = re.compile(r"^(?:[\w.]+\.)?\w+(?:Error|Exception): .*$", re.MULTILINE)  # a traceback's last line
BOOTED = re.compile(r"\[INFO\] Booting worker with pid")  # gunicorn: a server process started (or restarted)
TIMED_OUT = re.compile(r"WORKER TIMEOUT")  # gunicorn: a server process killed for not answering its master
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def percentile(samples: list[float], p: float) -> float:
    """Nearest-rank percentile: the smallest sample with at least p% of the samples at or below it."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


@dataclass
class Stats:
    """Latencies (ms) and errors by page; errors also by kind, with the first few requests of each."""

    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    kinds: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    kind_counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def error(self, label: str, kind: str, where: str) -> None:
        self.errors[label] += 1
        self.kind_counts[kind] += 1
        if len(self.kinds[kind]) < 5:
            self.kinds[kind].append(where)

    def summary(self, seconds: float) -> dict:
        def row(samples: list[float], errors: int) -> dict:
            return {
                "requests": len(samples),
                "errors": errors,
                "req_s": round(len(samples) / seconds, 1),
                **{f"p{p}_ms": round(percentile(samples, p), 1) if samples else None for p in (50, 95, 99)},
            }

        pages = {label: row(self.times[label], self.errors[label]) for label in sorted(self.times)}
        everything = [t for samples in self.times.values() for t in samples]
        return {
            "pages": pages,
            "overall": row(everything, sum(self.errors.values())),
            "errors_by_kind": {k: {"count": n, "first": self.kinds[k]} for k, n in self.kind_counts.items()},
        }


@dataclass
class User:
    username: str
    client: httpx.AsyncClient
    rng: random.Random
    reports: list[str] = field(default_factory=list)  # entry forms it may autosave
    tasks: list[str] = field(default_factory=list)  # task pages where it may report progress


async def timed(
    stats: Stats, user: User, label: str, method: str, url: str, **kwargs
) -> httpx.Response | None:
    start = time.perf_counter()
    try:
        response = await user.client.request(method, url, **kwargs)
    except httpx.HTTPError as exc:
        stats.times[label].append((time.perf_counter() - start) * 1000)
        stats.error(label, type(exc).__name__, f"{method} {url} ({user.username})")
        return None
    stats.times[label].append((time.perf_counter() - start) * 1000)
    location = response.headers.get("location", "")
    if response.status_code >= 400:
        stats.error(label, f"HTTP {response.status_code}", f"{method} {url} ({user.username})")
        return None
    if location.startswith("/login/"):
        stats.error(label, "redirected to login", f"{method} {url} ({user.username})")
        return None
    return response


async def login(user: User) -> None:
    page = await user.client.get("/login/")
    token = TOKEN.search(page.text)
    response = await user.client.post(
        "/login/",
        data={
            "username": user.username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": token.group(1) if token else "",
        },
    )
    if response.status_code != 302 or response.headers.get("location", "").startswith("/login/"):
        raise SystemExit(f"login of {user.username} failed: {response.status_code}")


async def discover(user: User) -> None:
    """The entry forms the account may autosave and the task pages where it may report progress."""
    forms = await user.client.get("/reporting/")
    for period in sorted(set(re.findall(r'href="(/reporting/forms/ttdn_nam/\d{4}/)"', forms.text)))[-1:]:
        listing = await user.client.get(period)
        for url in sorted(set(re.findall(rf'href="({re.escape(period)}[\w-]+/)"', listing.text))):
            if not url.endswith("/totals/") and 'data-autosave="1"' in (await user.client.get(url)).text:
                user.reports.append(url)
    listing = await user.client.get("/tasks/")
    for url in sorted(set(re.findall(r'href="(/tasks/\d+/\?occ=\d+)"', listing.text)))[:30]:
        if 'value="progress"' in (await user.client.get(url)).text:
            user.tasks.append(url)


async def write(stats: Stats, user: User) -> None:
    """Open an entry form and autosave it, or open a task and report progress (a real user's writes)."""
    rng = user.rng
    if user.reports and (not user.tasks or rng.random() < 0.6):
        url = rng.choice(user.reports)
        page = await timed(stats, user, "report form", "GET", url)
        token = TOKEN.search(page.text) if page else None
        if token is None:
            return
        data = {
            "csrfmiddlewaretoken": token.group(1),
            "action": "autosave",
            "v_so_lop_tap_huan": str(rng.randint(1, 9)),
            "v_so_hoc_vien": str(rng.randint(20, 400)),
            "v_ket_qua": f"Tổ chức {rng.randint(1, 9)} lớp tập huấn cho cán bộ.",
        }
        saved = await timed(stats, user, "POST autosave", "POST", url, data=data)
        if saved is not None and not saved.headers.get("content-type", "").startswith("application/json"):
            stats.error("POST autosave", "autosave not answered in JSON", f"POST {url} {saved.status_code}")
        elif saved is not None and not saved.json().get("saved"):
            stats.error("POST autosave", "autosave refused", f"POST {url} {saved.text[:120]}")
        return
    url = rng.choice(user.tasks)
    page = await timed(stats, user, "task detail", "GET", url)
    token = TOKEN.search(page.text) if page else None
    occurrence = re.search(r'name="occurrence" value="(\d+)"', page.text) if page else None
    if token is None or occurrence is None:
        return
    data = {
        "csrfmiddlewaretoken": token.group(1),
        "action": "progress",
        "occurrence": occurrence.group(1),
        "text": f"Đã triển khai bước {rng.randint(1, 99)} của nhiệm vụ.",
        "percent": str(rng.randint(10, 90)),
    }
    done = await timed(stats, user, "POST progress", "POST", url, data=data)
    if done is not None and done.status_code != 302:
        stats.error("POST progress", "progress refused", f"POST {url} {done.status_code}")


async def run_user(stats: Stats, user: User, deadline: float) -> None:
    rng = user.rng
    writer = bool(user.reports or user.tasks)
    while time.monotonic() < deadline:
        if writer and rng.random() < WRITE_SHARE:
            await write(stats, user)
        else:
            label, url = rng.choice(PAGES)
            await timed(stats, user, label, "GET", url.format(query=rng.choice(QUERIES).replace(" ", "+")))
        await asyncio.sleep(rng.uniform(0, 0.2))


async def run_import(env: dict[str, str], files: list[str], delay: float) -> dict:
    await asyncio.sleep(delay)
    start = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(
        TTDN, "docs", "import", *files, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, err = await proc.communicate()
    return {
        "documents": len(files),
        "started_after_s": delay,
        "seconds": round(time.perf_counter() - start, 1),
        "ok": proc.returncode == 0,
        "stderr": err.decode(errors="replace")[-400:] if proc.returncode else "",
    }


async def load(
    base_url: str, env: dict[str, str], args: argparse.Namespace, files: list[str], server_pid: int
) -> dict:
    stats = Stats()
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    users = [
        User(
            ACCOUNTS[i % len(ACCOUNTS)],
            httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits),
            random.Random(2026 + i),
        )
        for i in range(args.users)
    ]
    try:
        for user in users:
            await login(user)
        # Each account's forms and tasks, found once and shared by the users on that account.
        found: dict[str, User] = {}
        for user in users:
            if user.username not in found:
                await discover(user)
                found[user.username] = user
            user.reports, user.tasks = found[user.username].reports, found[user.username].tasks
        start = time.monotonic()
        cpu = {"server": server_cpu(server_pid), "clients": time.process_time(), "import": children_cpu()}
        deadline = start + args.seconds
        jobs = [asyncio.create_task(run_user(stats, user, deadline)) for user in users]
        importing = asyncio.create_task(run_import(env, files, args.import_delay)) if files else None
        await asyncio.gather(*jobs)
        elapsed = time.monotonic() - start
        load_average = os.getloadavg()[0]
        cpu["server"] = server_cpu(server_pid) - cpu["server"]
        cpu["clients"] = time.process_time() - cpu["clients"]
        imported = await importing if importing else None
        cpu["import"] = children_cpu() - cpu["import"]  # the import is the only child that ends meanwhile
    finally:
        for user in users:
            await user.client.aclose()
    result = stats.summary(elapsed)
    result["seconds"] = round(elapsed, 1)
    result["users"] = args.users
    result["writers"] = {name: {"reports": u.reports, "tasks": len(u.tasks)} for name, u in found.items()}
    if imported is not None:
        imported["ended_after_users"] = imported["started_after_s"] + imported["seconds"] > elapsed
    result["import"] = imported
    result["cpu_s"] = {k: round(v, 1) if k != "import" or files else None for k, v in cpu.items()}
    result["load_average_1min"] = round(load_average, 1)
    return result


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) the server has used so far: gunicorn's master and its server processes (its
    forks, with the master's command line), not the job worker (Linux /proc)."""

    def read(path: Path) -> tuple[list[str], bytes]:
        return path.joinpath("stat").read_text().rsplit(")", 1)[1].split(), path.joinpath(
            "cmdline"
        ).read_bytes()

    fields, cmdline = read(Path(f"/proc/{pid}"))
    ticks = int(fields[11]) + int(fields[12])
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or entry.name == str(pid):
            continue
        try:
            child, child_cmdline = read(entry)
        except OSError:  # ended meanwhile
            continue
        if child[1] == str(pid) and child_cmdline == cmdline:
            ticks += int(child[11]) + int(child[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def write_documents(folder: Path, count: int) -> list[str]:
    sys.path.insert(0, str(BENCH))
    from documents import generate

    rng = random.Random(1500)
    folder.mkdir()
    files = []
    for i in range(count):
        path = folder / f"vb-{i:05d}.txt"
        path.write_text(generate(rng, 9000 + i), encoding="utf-8")
        files.append(str(path))
    return files


@contextlib.contextmanager
def database(kind: str, tmp: Path):
    """TTDN_DATABASE_URL of a fresh database, dropped afterwards (a SQLite file goes with the folder)."""
    if kind == "sqlite":
        yield ""
        return
    with postgres_database("ttdn_load") as url:
        yield url


def run(kind: str, args: argparse.Namespace) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"ttdn-load-{kind}-") as name, database(kind, Path(name)) as url:
        tmp = Path(name)
        env = {**os.environ, "TTDN_DATABASE_URL": url, "TTDN_VAR_DIR": str(tmp / "var")}
        env.pop("TTDN_SECRET_KEY", None)  # `ttdn setup` writes one into var/
        log(f"{kind}: ttdn setup --demo ...")
        subprocess.run([TTDN, "setup", "--demo"], env=env, cwd=tmp, check=True, stdout=subprocess.DEVNULL)
        files = [] if args.no_import else write_documents(tmp / "import", args.import_docs)
        port = free_port()
        with (tmp / "serve.log").open("w") as serve_log:
            server = subprocess.Popen(
                [TTDN, "serve", "--host", "127.0.0.1", "--port", str(port)],
                env=env,
                cwd=tmp,
                stdout=serve_log,
                stderr=subprocess.STDOUT,
            )
            try:
                base_url = f"http://127.0.0.1:{port}"
                wait_for(f"{base_url}/login/", server, status=200)
                log(
                    f"{kind}: {args.users} users for {args.seconds} s on {base_url}"
                    + ("" if args.no_import else f", importing {len(files)} documents")
                )
                result = asyncio.run(load(base_url, env, args, files, server.pid))
            finally:
                server.terminate()
                server.wait(timeout=30)
        served = (tmp / "serve.log").read_text(errors="replace")
        result["server_errors"] = served.count("Internal Server Error:")
        result["server_exceptions"] = sorted(set(EXCEPTION.findall(served)))
        result["server_processes"] = {
            "booted": len(BOOTED.findall(served)),
            "timed_out": len(TIMED_OUT.findall(served)),
        }
    result["database"] = kind
    return result


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def report(result: dict) -> None:
    print(f"\n== {result['database']}: {result['users']} users, {result['seconds']} s ==")
    print(
        f"{'page':<16} {'requests':>8} {'errors':>6} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
    )
    rows = [*result["pages"].items(), ("overall", result["overall"])]
    for label, row in rows:
        cells = [
            f"{row[k]:>8.1f}" if row[k] is not None else f"{'-':>8}" for k in ("p50_ms", "p95_ms", "p99_ms")
        ]
        print(f"{label:<16} {row['requests']:>8} {row['errors']:>6} {row['req_s']:>7.1f} {' '.join(cells)}")
    for kind, info in result["errors_by_kind"].items():
        print(f"error {kind}: {info['count']}, first: {'; '.join(info['first'])}")
    if result["server_errors"] or result["server_exceptions"]:
        print(
            f"server log: {result['server_errors']} internal server errors; raised: {'; '.join(result['server_exceptions'])}"
        )
    imported = result["import"]
    if imported:
        state = "succeeded" if imported["ok"] else f"FAILED: {imported['stderr']}"
        after = " (ended after the users had stopped)" if imported["ended_after_users"] else ""
        print(
            f"import of {imported['documents']} documents, started at {imported['started_after_s']:.0f} s: {imported['seconds']} s, {state}{after}"
        )
    cpu, processes = result["cpu_s"], result["server_processes"]
    print(
        f"CPU seconds: server {cpu['server']}, clients {cpu['clients']}"
        + (f", import {cpu['import']}" if cpu["import"] is not None else "")
        + " "
        f"({os.cpu_count()} cores x {result['seconds']} s = {(os.cpu_count() or 1) * result['seconds']:.0f}); load average {result['load_average_1min']}; "
        f"gunicorn: {processes['booted']} server processes booted, {processes['timed_out']} killed for a timeout"
    )
    writers = ", ".join(
        f"{name} ({len(w['reports'])} forms, {w['tasks']} tasks)" for name, w in result["writers"].items()
    )
    print(f"writers: {writers}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--import-docs", type=int, default=1500)
    parser.add_argument("--import-delay", type=float, default=5, help="seconds after the users begin")
    parser.add_argument("--no-import", action="store_true")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    kinds = ("sqlite", "postgresql") if args.db == "both" else (args.db,)
    results = [run(kind, args) for kind in kinds]
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        for result in results:
            report(result)
    failed = any(r["overall"]["errors"] or (r["import"] and not r["import"]["ok"]) for r in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
