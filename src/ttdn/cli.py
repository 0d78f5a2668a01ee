"""The ``ttdn`` command: Django's management commands under the platform's name.

``ttdn setup --demo``, ``ttdn orgs list --as-of 2012-12-31 --kind province --json``,
``ttdn serve``, and every standard command (``ttdn migrate``, ``ttdn check --deploy``).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ttdn.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else ["ttdn", *argv])
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
