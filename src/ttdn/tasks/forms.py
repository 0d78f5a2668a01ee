"""Forms of the task pages: they parse and check what an official types, and carry the messages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

PERCENT_ERROR = _("Tiến độ phải là số từ 0 đến 100.")


class ProgressForm(forms.Form):
    """Báo cáo tiến độ: what was done, how far (0–100%), the documents issued for it (numbers)."""

    text = forms.CharField(
        max_length=5000, strip=True, error_messages={"required": _("Hãy ghi việc đã thực hiện.")}
    )
    percent = forms.IntegerField(
        min_value=0,
        max_value=100,
        error_messages={
            "required": PERCENT_ERROR,
            "invalid": PERCENT_ERROR,
            "min_value": PERCENT_ERROR,
            "max_value": PERCENT_ERROR,
        },
    )
    documents = forms.CharField(max_length=1000, required=False, strip=True)


class ReopenForm(forms.Form):
    """Mở lại: why a task confirmed done is open again."""

    reason = forms.CharField(max_length=1000, required=False, strip=True)
