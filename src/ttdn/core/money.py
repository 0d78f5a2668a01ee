"""Money as officials type it: whole đồng, "1.500.000", "1,500,000", "1500000 đ". Pure Python.

Amounts are integers (a đồng is never lost to a float); a fraction, a negative amount or text that
is not a number is refused with a message for the user.
"""

from __future__ import annotations

import re

_SPACES = re.compile(r"[\s\u00a0]+")


class MoneyError(ValueError):
    """Not an amount of money; the message says why (Vietnamese)."""


def parse_vnd(raw: object, *, maximum: int | None = None) -> int | None:
    """Whole đồng from typed text (None for empty). Dots and commas group thousands."""
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
        value = int(text.replace(".", "").replace(",", ""))
    if value < 0:
        raise MoneyError("không được là số âm")
    if maximum is not None and value > maximum:
        raise MoneyError(f"quá lớn (trên {format_vnd(maximum)}): hãy kiểm tra lại số chữ số")
    return value


def format_vnd(value: int | None, *, unit: bool = True) -> str:
    """1500000 → "1.500.000 đ"."""
    if value is None:
        return ""
    text = f"{int(value):,}".replace(",", ".")
    return f"{text} đ" if unit else text
