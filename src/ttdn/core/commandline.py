"""Helpers shared by the ``ttdn`` management commands."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError


def read_file(path_text: str) -> tuple[str, bytes]:
    """(name, bytes) of a file named on the command line, or a one-line error."""
    path = Path(path_text)
    if not path.is_file():
        raise CommandError(f"Không có tệp / no such file: {path_text}")
    return path.name, path.read_bytes()
