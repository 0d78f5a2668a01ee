"""Forms of the task pages: they parse and check what an official types, and carry the messages."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from ttdn.core.dates import DateParseError, parse_date
from ttdn.reporting.models import TrackingItem

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
    done_on = forms.CharField(max_length=20, required=False, strip=True)  # dd/mm/yyyy, when 100% is reported

    def clean_done_on(self) -> dt.date | None:
        raw = self.cleaned_data.get("done_on") or ""
        if not raw:
            return None
        try:
            return parse_date(raw)
        except DateParseError as exc:
            raise forms.ValidationError(
                _("Ngày hoàn thành “%(v)s” không đúng dạng dd/mm/yyyy.") % {"v": raw[:20]}
            ) from exc


class ReopenForm(forms.Form):
    """Mở lại: why a task confirmed done is open again."""

    reason = forms.CharField(max_length=1000, required=False, strip=True)


class SendBackForm(forms.Form):
    """Trả lại: why the leader does not accept a report of completion."""

    reason = forms.CharField(
        max_length=1000, strip=True, error_messages={"required": _("Hãy ghi lý do trả lại.")}
    )


class TrackingLinkForm(forms.Form):
    """The tracking item a duty carries out (none: the duty feeds no item)."""

    item = forms.ModelChoiceField(
        queryset=TrackingItem.objects.all(),
        required=False,
        empty_label=_("(không gắn)"),
        error_messages={"invalid_choice": _("Hạng mục không có trong bảng theo dõi.")},
    )
