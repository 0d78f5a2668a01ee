"""Dates as officials write them (pure Python, no Django).

Pages show and accept dd/mm/yyyy; JSON and URLs use ISO yyyy-mm-dd.
"""

from __future__ import annotations

import datetime as dt
import re

_DMY = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


class DateParseError(ValueError):
    """Raised with a message fit to show to the user."""


def parse_date(text: str) -> dt.date:
    """Parse ``dd/mm/yyyy`` (also ``d/m/yyyy``, ``dd.mm.yyyy``, ``dd-mm-yyyy``) or ISO ``yyyy-mm-dd``."""
    if not isinstance(text, str):
        raise DateParseError("not a text")
    match = _ISO.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _DMY.match(text)
        if not match:
            raise DateParseError(text)
        day, month, year = (int(g) for g in match.groups())
    if not 1000 <= year <= 9999:
        raise DateParseError(text)
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise DateParseError(text) from exc


def format_date(value: dt.date | None) -> str:
    """dd/mm/yyyy, or an empty string for no date."""
    return value.strftime("%d/%m/%Y") if value else ""


def is_valid_on(valid_from: dt.date | None, valid_to: dt.date | None, on: dt.date) -> bool:
    """True when ``on`` falls in the closed interval; a missing bound is open."""
    return (valid_from is None or valid_from <= on) and (valid_to is None or on <= valid_to)
