"""One bound for free text typed into a service: a clear message instead of a silent cut."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ttdn.core.text import without_controls


def bounded(value: object, limit: int, label: str, *, required: str = "") -> str:
    """The text stripped of control characters and edge spaces; ValidationError when it is longer than ``limit``
    characters (the message names the field and both lengths) or empty while ``required`` (that message)."""
    text = without_controls(str(value or "")).strip()
    if required and not text:
        raise ValidationError(required)
    if len(text) > limit:
        raise ValidationError(
            _("%(label)s dài %(n)s ký tự, quá giới hạn %(limit)s ký tự; hãy rút gọn.")
            % {"label": label, "n": f"{len(text):,}".replace(",", "."), "limit": limit}
        )
    return text
