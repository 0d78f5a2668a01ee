"""The middleware stack measured piece by piece: the lightest logged-in page (/tasks/notifications/) requested
in-process (Django's test client) with the whole stack, then with each middleware left out in turn, on the demo
database (`ttdn setup --demo` into a temporary folder, SQLite). Prints the best median ms a request over
interleaved rounds and what each piece costs (the difference). Asserts nothing.

Usage: python bench/middleware.py [--requests 200] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TTDN = str(Path(sys.executable).with_name("ttdn"))
URL = "/tasks/notifications/"
# Pieces a logged-in page cannot do without (the login itself, its session) are left in whatever is measured.
NEEDED = {
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
}


def timed(client, n: int) -> float:  # noqa: ANN001 (django.test.Client)
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(URL)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    return statistics.median(samples) * 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    var = tempfile.mkdtemp(prefix="ttdn-bench-mw-")
    env = {**os.environ, "TTDN_DATABASE_URL": "", "TTDN_VAR_DIR": var}
    env.pop("TTDN_SECRET_KEY", None)
    subprocess.run([TTDN, "setup", "--demo"], env=env, check=True, stdout=subprocess.DEVNULL)
    os.environ.update(
        {"TTDN_DATABASE_URL": "", "TTDN_VAR_DIR": var, "DJANGO_SETTINGS_MODULE": "ttdn.settings"}
    )
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client, override_settings

    from ttdn.accounts.models import User

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    user = User.objects.get(username="cuc.canbo")
    full = list(settings.MIDDLEWARE)

    def once(stack: list[str]) -> float:
        with override_settings(MIDDLEWARE=stack):
            client = Client()
            client.force_login(user)
            timed(client, 10)  # warm
            return timed(client, args.requests)

    stacks = {"(whole stack)": full}
    stacks.update({piece: [m for m in full if m != piece] for piece in full if piece not in NEEDED})
    stacks["(only sessions, login, messages)"] = [m for m in full if m in NEEDED]
    best = {name: float("inf") for name in stacks}
    for _round in range(
        args.rounds
    ):  # interleaved rounds, the best of each: other load on the machine cancels
        for name, stack in stacks.items():
            best[name] = min(best[name], once(stack))
    whole = best["(whole stack)"]
    print(f"{URL}, {len(full)} middleware, best median of {args.rounds} rounds x {args.requests} requests")
    print(f"{'left out':60s} {'ms':>7s} {'saves ms':>9s}")
    for name, ms in best.items():
        print(f"{name:60s} {ms:7.2f} {whole - ms:9.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
