"""Form fields shared by the apps: a date typed the Vietnamese way."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ttdn.core.dates import DateParseError, format_date, parse_date

INVALID_DATE = _("Ngày “%(value)s” không hợp lệ; nhập theo dạng dd/mm/yyyy.")


class DateField(forms.CharField):
    """A date typed as dd/mm/yyyy (ISO accepted), shown back the same way; ``invalid`` is the message beside
    the field when the text is no real day (it names the typed text as ``%(value)s``)."""

    def __init__(self, *, invalid: Any = INVALID_DATE, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("strip", True)
        self.invalid = invalid
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("placeholder", "dd/mm/yyyy")
        self.widget.attrs.setdefault("inputmode", "numeric")

    def prepare_value(self, value: object) -> object:
        return format_date(value) if isinstance(value, dt.date) else value

    def clean(self, value: object) -> dt.date | None:  # type: ignore[override]
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        try:
            return parse_date(text)
        except DateParseError as exc:
            raise forms.ValidationError(self.invalid, params={"value": text[:40]}) from exc
