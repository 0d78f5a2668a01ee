"""Body-registry benchmark: prints figures and ratios; never asserts a time.

Runs on a fresh SQLite database in a temporary folder (or on the database
named by TTDN_DATABASE_URL when set) and measures:

* building the reference data from the packages (pure Python);
* loading it (first run) and re-loading it (second run, nothing to change);
* directory search by the stored folded key, against a baseline that folds
  every name in Python for each query;
* successors() of the 63 former provinces as of 01/07/2025;
* the directory page and a body page through Django's test client.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable

QUERIES = ["quang tri", "dak lak", "ba ria vung tau", "ha noi", "so van hoa", "phuong", "bo thong tin"]


def timed(fn: Callable[[], object], repeat: int = 5) -> tuple[float, object]:
    """Median wall time in milliseconds over ``repeat`` runs, and the last result."""
    samples = []
    result: object = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), result


def main() -> int:
    if not os.environ.get("TTDN_DATABASE_URL"):
        os.environ["TTDN_VAR_DIR"] = tempfile.mkdtemp(prefix="ttdn-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ttdn.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    import datetime as dt

    from ttdn.core.text import fold
    from ttdn.orgs import reference, selectors
    from ttdn.orgs.models import OrgKind, OrgUnit
    from ttdn.orgs.services import load_reference
    from ttdn.site.demo import load_demo_accounts

    print(f"database: {connection.vendor}")
    build_ms, data = timed(reference.build, repeat=3)
    print(f"reference.build(): {build_ms:.0f} ms for {len(data.units)} bodies, {len(data.events)} events")  # type: ignore[attr-defined]

    start = time.perf_counter()
    first = load_reference(data)  # type: ignore[arg-type]
    first_ms = (time.perf_counter() - start) * 1000
    second_ms, second = timed(lambda: load_reference(data), repeat=3)  # type: ignore[arg-type]
    print(f"load_reference, first run: {first_ms:.0f} ms ({first.created} created)")
    print(
        f"load_reference, second run: {second_ms:.0f} ms ({second.created} created, {second.updated} updated)"
    )  # type: ignore[attr-defined]
    load_demo_accounts()

    today = dt.date(2026, 11, 22)
    names = list(OrgUnit.objects.values_list("pk", "name", "short_name", "code", "valid_from", "valid_to"))

    def baseline(query: str) -> int:
        """Fold every name in Python for each query (what a naive implementation does)."""
        words = fold(query).split()
        hits = 0
        for _, name, short, code, v_from, v_to in names:
            if (v_from is None or v_from <= today) and (v_to is None or today <= v_to):
                hay = fold(f"{name} {short} {code}")
                hits += all(w in hay for w in words)
        return hits

    print(f"{'query':<18}{'indexed ms':>12}{'baseline ms':>13}{'ratio':>8}{'hits':>7}")
    ratios = []
    for query in QUERIES:
        fast_ms, hits = timed(lambda q=query: selectors.list_units(as_of=today, query=q).count(), repeat=7)
        slow_ms, _ = timed(lambda q=query: baseline(q), repeat=3)
        ratios.append(slow_ms / fast_ms)
        print(f"{query:<18}{fast_ms:>12.2f}{slow_ms:>13.2f}{slow_ms / fast_ms:>7.1f}x{hits:>7}")
    print(f"search: baseline / indexed, median ratio {statistics.median(ratios):.1f}x")

    old = list(selectors.list_units(as_of=dt.date(2012, 12, 31), kind=OrgKind.PROVINCE))
    lineage_ms, _ = timed(lambda: [selectors.successors(u, dt.date(2025, 7, 1)) for u in old], repeat=3)
    print(
        f"successors() of {len(old)} provinces as of 01/07/2025: {lineage_ms:.0f} ms ({lineage_ms / len(old):.2f} ms each)"
    )

    from django.test import Client

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    client = Client()
    client.force_login(
        __import__("ttdn.accounts.models", fromlist=["User"]).User.objects.get(username="cuc.canbo")
    )
    pages = [
        ("/orgs/?kind=province&as_of=31/12/2012", "directory, 63 provinces"),
        ("/orgs/?q=quang+tri", "directory search"),
        ("/orgs/?view=tree", "directory tree (today)"),
        ("/orgs/T75-2025/", "body page"),
    ]
    for url, label in pages:
        page_ms, response = timed(lambda u=url: client.get(u), repeat=7)
        print(f"GET {label}: {page_ms:.1f} ms (status {response.status_code})")  # type: ignore[attr-defined]
    return 0


if __name__ == "__main__":
    sys.exit(main())
