"""The ``ttdn`` command: Django's management commands under the platform's name.

``ttdn setup --demo``, ``ttdn orgs list --as-of 2012-12-31 --kind province --json``,
``ttdn serve``, and every standard command (``ttdn migrate``, ``ttdn check --deploy``).
"""

from __future__ import annotations

import gc
import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    from ttdn.offline import handles

    if handles(args):  # the engines alone: no settings, no database, no checks
        from ttdn.offline import run

        if args[:1] != ["eval"]:
            # One document and out: the cyclic collector's passes over the engines' imports (hundreds of
            # compiled patterns) and the parse's objects free nothing that the exit would not (8-10 ms).
            gc.disable()
        sys.exit(run(args))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ttdn.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ttdn", *args])


if __name__ == "__main__":
    main()
