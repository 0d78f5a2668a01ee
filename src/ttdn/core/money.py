"""Money as officials type it: whole đồng, "1.500.000", "1,500,000", "1500000 đ". Pure Python.

Amounts are integers (a đồng is never lost to a float); a fraction, a negative amount or text that
is not a number is refused with a message for the user.
"""

from __future__ import annotations

import re

_SPACES = re.compile(r"[\s\u00a0]+")


# One bound for every amount and count typed anywhere (plans, reports): 10,000 billion đồng is more than any
# TTĐN budget line; a larger figure is a typing slip, and the bound keeps every value inside a 64-bit column.
MAX_VND = 10_000_000_000_000


class MoneyError(ValueError):
    """Not an amount of money; the message says why (Vietnamese)."""


def parse_vnd(raw: object, *, maximum: int = MAX_VND) -> int | None:
    """Whole đồng from typed text (None for empty). Dots and commas group thousands; above ``maximum`` is
    refused (it is a typing slip), however many digits were typed."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise MoneyError("phải là số nguyên không âm")
    if isinstance(raw, int):
        value = raw
    else:
        text = _SPACES.sub("", str(raw)).lower().removesuffix("đồng").removesuffix("đ").removesuffix("vnd")
        if text == "":
            return None
        if text.startswith("-"):
            raise MoneyError("không được là số âm")
        if not re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+|\d+", text):
            raise MoneyError("phải là số nguyên không âm (đồng), ví dụ 1.500.000")
        digits = text.replace(".", "").replace(",", "").lstrip("0") or "0"
        if len(digits) > len(str(maximum)):  # never turned into a number: 4,300 digits would not parse
            raise MoneyError(f"quá lớn (trên {format_vnd(maximum)}): hãy kiểm tra lại số chữ số")
        value = int(digits)
    if value < 0:
        raise MoneyError("không được là số âm")
    if value > maximum:
        raise MoneyError(f"quá lớn (trên {format_vnd(maximum)}): hãy kiểm tra lại số chữ số")
    return value


def format_vnd(value: int | None, *, unit: bool = True) -> str:
    """1500000 → "1.500.000 đ"."""
    if value is None:
        return ""
    text = f"{int(value):,}".replace(",", ".")
    return f"{text} đ" if unit else text
