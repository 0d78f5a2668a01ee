"""Backup benchmark: ``ttdn backup`` and ``ttdn restore`` times and the archive's size. Prints figures; asserts nothing.

Builds the demo database (``ttdn setup --demo``) plus N generated documents with a text each (default
none: the demo alone), backs it up, then restores the archive into a fresh database named by ``--target``
(migrated here first; it must be empty) and prints both summaries.

Usage: python bench/backup.py [--docs N] --target postgresql://postgres@127.0.0.1:5432/somedb
The source is TTDN_DATABASE_URL (a fresh SQLite file in a temporary folder when unset).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from documents import generated_document  # noqa: E402  (the document benchmark's generator)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=0, help="generated documents added to the demo data")
    parser.add_argument("--target", required=True, help="database URL to restore into (empty)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ttdn-bench-backup-"))
    if not os.environ.get("TTDN_DATABASE_URL"):
        os.environ["TTDN_VAR_DIR"] = str(work / "source")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ttdn.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from ttdn.documents import search
    from ttdn.documents.models import Document
    from ttdn.documents.services import _set_keys, _terms
    from ttdn.site.backup import backup

    call_command("setup", "--demo", "--json", stdout=open(os.devnull, "w"))  # noqa: SIM115
    rng = random.Random(2026)
    for offset in range(0, args.docs, 5000):
        docs = []
        for i in range(offset, min(args.docs, offset + 5000)):
            doc = generated_document(rng, i, with_body=True)
            _set_keys(doc)
            doc.search_text = " ".join(sorted(_terms(doc)))
            docs.append(doc)
        with transaction.atomic():
            Document.objects.bulk_create(docs)
            search.bulk_update([(d.pk, d.search_text, d.text, d.issued_on) for d in docs])
    print(f"source: {connection.vendor}, {Document.objects.count():,} documents")
    made = backup(work / "bench.tar.gz")
    print(
        f"backup: {made.seconds:.1f} s, {sum(made.counts.values()):,} rows, {made.files} files, "
        f"archive {made.archive_bytes / 1e6:.1f} MB"
    )
    environ = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    environ.update(TTDN_DATABASE_URL=args.target, TTDN_VAR_DIR=str(work / "target"))
    ttdn = [sys.executable, "-m", "ttdn.cli"]
    subprocess.run([*ttdn, "migrate", "-v0"], env=environ, check=True)
    start = time.perf_counter()
    done = subprocess.run(
        [*ttdn, "restore", made.archive, "--json"], env=environ, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - start
    if done.returncode:
        print(done.stderr)
        return 1
    summary = json.loads(done.stdout)
    target = args.target.split("://")[0]
    print(
        f"restore into {target}: {summary['seconds']:.1f} s in the command ({wall:.1f} s with start-up), "
        f"{summary['indexed_documents']:,} documents indexed, checked: {', '.join(summary['checks'])}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
