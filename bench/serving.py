"""What the benchmarks that serve the platform share: a free port, waiting for the server, a fresh PostgreSQL
database. Imported by bench/load.py and bench/pages.py (their folder is on the path)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
from collections.abc import Iterator

PG_SERVER = "postgresql://postgres@127.0.0.1:5432"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, server: subprocess.Popen, timeout: float = 60, *, status: int | None = None) -> None:
    """Until ``url`` answers ``status`` (or, without one, anything but a server error); stop the benchmark if
    the server exits or never answers."""
    import httpx

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if server.poll() is not None:
            raise SystemExit(f"server exited with {server.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            code = httpx.get(url, timeout=2).status_code
            if code == status if status is not None else code < 500:
                return
        time.sleep(0.3)
    raise SystemExit(f"server did not answer {url} within {timeout:.0f} s")


@contextlib.contextmanager
def postgres_database(prefix: str) -> Iterator[str]:
    """The URL of a fresh PostgreSQL database on the local server, dropped afterwards."""
    import psycopg

    name = f"{prefix}_{os.getpid()}"
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
