"""Forms of the task pages: they parse and check what an official types, and carry the messages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ttdn.core.dates import format_date
from ttdn.core.forms import DateField
from ttdn.reporting.models import TrackingItem
from ttdn.tasks.models import Recurrence
from ttdn.tasks.services import MAX_DUTY_TEXT

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
    done_on = DateField(  # when 100% is reported
        max_length=20, invalid=_("Ngày hoàn thành “%(value)s” không đúng dạng dd/mm/yyyy.")
    )


class ReopenForm(forms.Form):
    """Mở lại: why a task confirmed done is open again."""

    reason = forms.CharField(max_length=1000, required=False, strip=True)


class SendBackForm(forms.Form):
    """Trả lại: why the leader does not accept a report of completion."""

    reason = forms.CharField(
        max_length=1000, strip=True, error_messages={"required": _("Hãy ghi lý do trả lại.")}
    )


def _recurrences() -> list[tuple[str, Any]]:
    return [("", _("Một lần")), *Recurrence.choices]


class DutyForm(forms.Form):
    """A duty on the review page, as extracted and corrected, or added by hand. Each duty's fields carry its
    prefix (``d12-due``), so the page sends every duty at once and a refusal keeps all that was typed."""

    section = forms.CharField(
        max_length=40, required=False, strip=True, widget=forms.TextInput(attrs={"size": 6})
    )
    text = forms.CharField(
        max_length=MAX_DUTY_TEXT,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Nội dung nhiệm vụ không được để trống."),
            "max_length": _("Nội dung nhiệm vụ quá dài."),
        },
    )
    assignee = forms.CharField(max_length=500, required=False, strip=True)
    coordinators = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    due = DateField(
        invalid=_("Thời hạn “%(value)s” không phải một ngày có thật; hãy ghi theo dạng dd/mm/yyyy."),
        widget=forms.TextInput(attrs={"placeholder": _("không có")}),
    )
    recurrence = forms.ChoiceField(
        choices=_recurrences, required=False, error_messages={"invalid_choice": _("Định kỳ không hợp lệ.")}
    )

    def __init__(self, *args: Any, duty: Any = None, form_id: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.duty = duty
        if form_id:  # the fields sit in the duty's card but are sent with the page's one form of edits
            for field in self.fields.values():
                field.widget.attrs["form"] = form_id

    def point_to_errors(self, *, focus: bool) -> None:
        """Tie each wrong field to its message and, for the first wrong duty of the page, put the cursor
        in its first wrong field (the browser scrolls to it)."""
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-describedby"] = f"{self[name].auto_id}-error"
        wrong = [name for name in self.fields if name in self.errors]
        if focus and wrong:
            self.fields[wrong[0]].widget.attrs["autofocus"] = True

    @classmethod
    def of(cls, duty: Any, data: Any = None, *, form_id: str = "") -> DutyForm:
        """The form of a duty on the page: what is stored, or what was sent for it."""
        return cls(
            data,
            prefix=f"d{duty.pk}",
            duty=duty,
            form_id=form_id,
            initial={
                "section": duty.section,
                "text": duty.text,
                "assignee": duty.assignee_label,
                "coordinators": "\n".join(duty.coordinator_labels),
                "due": format_date(duty.due),
                "recurrence": duty.recurrence,
            },
        )

    @classmethod
    def new(cls, data: Any = None) -> DutyForm:
        """The form of a duty the text has but extraction missed."""
        form = cls(data, prefix="new")
        form.fields["assignee"].required = True
        form.fields["assignee"].error_messages["required"] = _("Hãy ghi đơn vị chủ trì.")
        return form

    def clean_text(self) -> str:
        return (self.cleaned_data.get("text") or "").replace("\r\n", "\n")

    def clean_coordinators(self) -> list[str]:
        raw = self.cleaned_data.get("coordinators") or ""
        return [line.strip() for line in raw.splitlines() if line.strip()]

    def edited(self) -> bool:
        """Whether what was sent differs from the duty as stored (a duty left as it was stays a proposal,
        which a new extraction may replace)."""
        duty = self.duty
        stored = {
            "section": duty.section,
            "text": duty.text,
            "assignee": duty.assignee_label,
            "coordinators": list(duty.coordinator_labels),
            "due": duty.due,
            "recurrence": duty.recurrence,
        }
        return any(self.cleaned_data.get(name) != value for name, value in stored.items())

    def fields_for_service(self, *, section: bool = True) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **({"section": data["section"]} if section else {}),
            "text": data["text"],
            "assignee": data["assignee"],
            "coordinators": data["coordinators"],
            "due": data["due"],
            "recurrence": data["recurrence"],
        }


class TrackingLinkForm(forms.Form):
    """The tracking item a duty carries out (none: the duty feeds no item)."""

    item = forms.ModelChoiceField(
        queryset=TrackingItem.objects.all(),
        required=False,
        empty_label=_("(không gắn)"),
        error_messages={"invalid_choice": _("Hạng mục không có trong bảng theo dõi.")},
    )
