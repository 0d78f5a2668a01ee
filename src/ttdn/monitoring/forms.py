"""Forms of opinion monitoring: the story filters and a new source."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ttdn.core.forms import DateField
from ttdn.core.text import without_controls
from ttdn.core.validation import bounded
from ttdn.monitoring.models import Claim, ResponseKind, Sentiment, Source, SourceKind
from ttdn.monitoring.pipeline import bulk, uploads
from ttdn.monitoring.selectors import Filters


class ItemFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("có dấu hay không đều được"),
                "title": _(
                    "Tìm các tin có mọi từ đã gõ, từ trọn vẹn, không phân biệt dấu; thêm * sau phần đầu của một "
                    "từ để tìm mọi từ bắt đầu như thế (đầu*)"
                ),
            }
        ),
    )
    province = forms.TypedChoiceField(
        label=_("Tỉnh, thành phố"), required=False, coerce=int, empty_value=None
    )
    topic = forms.ChoiceField(label=_("Chủ đề"), required=False)
    language = forms.ChoiceField(label=_("Ngôn ngữ"), required=False)
    sentiment = forms.ChoiceField(
        label=_("Sắc thái"), required=False, choices=[("", _("Tất cả")), *Sentiment.choices]
    )
    source = forms.TypedChoiceField(label=_("Nguồn"), required=False, coerce=int, empty_value=None)
    since = forms.DateField(label=_("Từ ngày"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    until = forms.DateField(label=_("Đến ngày"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    duplicates = forms.BooleanField(label=_("Hiện cả tin trùng"), required=False)

    def __init__(
        self,
        *args: Any,
        provinces: Iterable[Any] = (),
        topics: Iterable[tuple[str, str]] = (),
        languages: Iterable[tuple[str, str]] = (),
        sources: Iterable[Any] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [
            ("", _("Tất cả")),
            *((u.pk, u.short_name or u.name) for u in provinces),
        ]
        self.fields["topic"].choices = [("", _("Tất cả")), *topics]
        self.fields["language"].choices = [("", _("Tất cả")), *languages]
        self.fields["source"].choices = [("", _("Tất cả")), *((s.pk, s.name) for s in sources)]

    def clean(self) -> dict[str, object]:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if isinstance(since, dt.date) and isinstance(until, dt.date) and since > until:
            self.add_error("until", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data

    def filters(self) -> Filters:
        if not self.is_bound or not self.is_valid():
            data = {
                k: v for k, v in (self.cleaned_data if self.is_bound else {}).items() if k not in self.errors
            }
        else:
            data = self.cleaned_data
        return Filters(
            query=str(data.get("q") or ""),
            province=data.get("province") or None,
            topic=str(data.get("topic") or ""),
            language=str(data.get("language") or ""),
            sentiment=str(data.get("sentiment") or ""),
            source=data.get("source") or None,
            since=data.get("since"),
            until=data.get("until"),
            duplicates=bool(data.get("duplicates")),
        )


class SourceForm(forms.ModelForm):
    url = forms.URLField(
        label=_("Địa chỉ"),
        max_length=1000,
        required=False,
        assume_scheme="https",
        help_text=_("Địa chỉ RSS/Atom của nguồn, hoặc địa chỉ một trang web (một bài báo) cần theo dõi."),
    )

    class Meta:
        model = Source
        fields = ["name", "kind", "url", "outlet_names", "foreign", "interval_minutes"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, k.label) for k in (SourceKind.FEED, SourceKind.PAGE)]
        self.fields["interval_minutes"].min_value = 5

    def clean_name(self) -> str:
        return bounded(self.cleaned_data["name"], 200, _("Tên nguồn"))

    def clean_url(self) -> str:
        url = self.cleaned_data.get("url", "")
        if not url:
            raise forms.ValidationError(_("Hãy nhập địa chỉ RSS/Atom hay địa chỉ trang web của nguồn."))
        if not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError(_("Địa chỉ phải bắt đầu bằng http:// hoặc https://."))
        if Source.objects.filter(url=url).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Nguồn này đã có trong danh sách."))
        return url

    def clean_interval_minutes(self) -> int:
        value = self.cleaned_data["interval_minutes"]
        if value < 5:
            raise forms.ValidationError(_("Chu kỳ lấy tin ít nhất 5 phút."))
        return value


class ClaimForm(forms.ModelForm):
    class Meta:
        model = Claim
        fields = ["title", "summary", "keywords", "rebuttal", "evidence", "languages"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "rebuttal": forms.Textarea(attrs={"rows": 6}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_title(self) -> str:
        return bounded(
            self.cleaned_data["title"],
            300,
            str(_("Luận điệu")),
            required=str(_("Hãy ghi luận điệu cần phản bác.")),
        )

    def clean_rebuttal(self) -> str:
        return bounded(
            self.cleaned_data["rebuttal"],
            20_000,
            str(_("Lập luận phản bác")),
            required=str(_("Hãy ghi lập luận phản bác.")),
        )


class AlertStepForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(a, a) for a in ("acknowledge", "assign", "respond", "close", "reopen")]
    )
    assignee = forms.TypedChoiceField(label=_("Người xử lý"), required=False, coerce=int, empty_value=None)
    response = forms.ChoiceField(
        label=_("Cách xử lý"), required=False, choices=[("", "—"), *ResponseKind.choices]
    )
    rebuttal = forms.TypedChoiceField(
        label=_("Tài liệu lập luận đã dùng"), required=False, coerce=int, empty_value=None
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(
        self, *args: Any, people: Iterable[Any] = (), claims: Iterable[Any] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", "—"), *((p.pk, p.display_name) for p in people)]
        self.fields["rebuttal"].choices = [("", "—"), *((c.pk, c.title) for c in claims)]

    def clean_note(self) -> str:
        return bounded(self.cleaned_data.get("note", ""), 2000, str(_("Ghi chú")))


def _noon(day: dt.date | None) -> dt.datetime | None:
    """A day typed in as the story's time: noon of that day, Vietnam's time."""
    if day is None:
        return None
    return dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_current_timezone())


class _EntryForm(forms.Form):
    outlet = forms.CharField(
        label=_("Cơ quan báo chí, nguồn"),
        max_length=200,
        required=False,
        help_text=_("Tên báo, trang mạng hay kênh đăng tin (để so trùng tiêu đề và xem theo nguồn)."),
    )
    url = forms.URLField(
        label=_("Địa chỉ bài (nếu có)"), max_length=1000, required=False, assume_scheme="https"
    )
    published = DateField(label=_("Ngày đăng"))
    foreign = forms.BooleanField(label=_("Báo nước ngoài"), required=False)

    def clean_outlet(self) -> str:
        return bounded(
            self.cleaned_data.get("outlet", ""),
            200,
            str(_("Cơ quan báo chí, nguồn")),
            required=str(_("Hãy ghi tên báo hay nguồn đã đăng tin.")),
        )

    def clean_url(self) -> str:
        url = self.cleaned_data.get("url", "")
        if url and not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError(_("Địa chỉ phải bắt đầu bằng http:// hoặc https://."))
        return url

    def clean_published(self) -> dt.date | None:
        day = self.cleaned_data.get("published")
        if day is not None and day > timezone.localdate():
            raise forms.ValidationError(_("Ngày đăng không thể sau hôm nay."))
        if day is not None and day.year < 1990:
            raise forms.ValidationError(_("Ngày đăng quá xa (trước năm 1990)."))
        return day

    def when(self) -> dt.datetime | None:
        return _noon(self.cleaned_data.get("published"))


class StoryEntryForm(_EntryForm):
    """Nhập tay: one story typed or pasted in."""

    title = forms.CharField(label=_("Tiêu đề"), max_length=500, required=False)
    text = forms.CharField(
        label=_("Nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 8}), max_length=200_000
    )
    field_order = ["outlet", "title", "text", "url", "published", "foreign"]

    def clean_title(self) -> str:
        return bounded(
            self.cleaned_data.get("title", ""), 500, str(_("Tiêu đề")), required=str(_("Hãy ghi tiêu đề."))
        )

    def clean_text(self) -> str:
        return without_controls(self.cleaned_data.get("text", ""), keep_lines=True).strip()


def _checked_upload(upload: Any, limit: int, suffixes: tuple[str, ...]) -> Any:
    if upload is None:
        raise forms.ValidationError(_("Hãy chọn tệp."))
    if not str(upload.name).lower().endswith(suffixes):
        raise forms.ValidationError(_("Chỉ nhận tệp %(kinds)s.") % {"kinds": ", ".join(suffixes)})
    if upload.size is not None and upload.size > limit:
        raise forms.ValidationError(
            _("Tệp quá lớn (%(size)s MB); giới hạn là %(mb)s MB.")
            % {"size": f"{upload.size / 1024 / 1024:.1f}".replace(".", ","), "mb": limit // 1024 // 1024}
        )
    return upload


class FileEntryForm(_EntryForm):
    """Tin từ tệp: a saved page, a text, a Word file or a PDF."""

    file = forms.FileField(label=_("Tệp (.html, .txt, .docx, .pdf)"), required=False)
    field_order = ["file", "outlet", "url", "published", "foreign"]

    def clean_file(self) -> Any:
        return _checked_upload(self.cleaned_data.get("file"), uploads.MAX_BYTES, uploads.SUFFIXES)


class ExportEntryForm(forms.Form):
    """Nhập hàng loạt: an export of stories as JSON or CSV."""

    file = forms.FileField(label=_("Tệp JSON hoặc CSV"), required=False)
    outlet = forms.CharField(
        label=_("Tên nguồn khi tệp không ghi nguồn"),
        max_length=200,
        required=False,
        help_text=_("Dòng nào có cột nguồn (outlet, media_name, nguồn) thì theo cột đó."),
    )
    foreign = forms.BooleanField(label=_("Báo nước ngoài"), required=False)

    def clean_file(self) -> Any:
        return _checked_upload(
            self.cleaned_data.get("file"), bulk.MAX_BYTES, (".json", ".jsonl", ".ndjson", ".csv")
        )

    def clean_outlet(self) -> str:
        return bounded(self.cleaned_data.get("outlet", ""), 200, str(_("Tên nguồn")))
