from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ttdn.core.forms import DateField
from ttdn.documents.extract import MAX_BYTES, SUFFIXES
from ttdn.documents.models import Document, RelationKind
from ttdn.documents.selectors import SORTS
from ttdn.documents.services import CORRECTABLE

MAX_PASTE = 2_000_000


class DocumentFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=200)
    doc_type = forms.CharField(label=_("Loại văn bản"), required=False, max_length=40)
    issuer = forms.CharField(label=_("Cơ quan ban hành"), required=False, max_length=255)
    year = forms.IntegerField(label=_("Năm"), required=False, min_value=1945, max_value=2100)
    validity = forms.ChoiceField(
        label=_("Hiệu lực"),
        required=False,
        choices=[
            ("", _("Tất cả")),
            ("in_force", _("Còn hiệu lực hoặc chưa rõ")),
            ("ceased", _("Hết hiệu lực")),
        ],
    )
    stubs = forms.BooleanField(label=_("Gồm cả văn bản chỉ biết qua dẫn chiếu"), required=False)
    scope = forms.ChoiceField(
        label=_("Tìm trong"),
        required=False,
        choices=[("", _("số, ký hiệu, trích yếu, cơ quan")), ("text", _("cả toàn văn"))],
    )
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in SORTS])

    def values(self) -> dict[str, object]:
        data = getattr(self, "cleaned_data", {})
        return {
            "query": data.get("q") or "",
            "doc_type": data.get("doc_type") or "",
            "issuer": data.get("issuer") or "",
            "year": data.get("year"),
            "validity": data.get("validity") or "",
            "include_stubs": bool(data.get("stubs")) if self.is_bound else False,
            "body": data.get("scope") == "text",
            "sort": data.get("sort") or "-issued_on",
        }


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp văn bản (.txt, .docx, .pdf)"), required=False)
    text = forms.CharField(
        label=_("Hoặc dán nội dung văn bản"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=MAX_PASTE,
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        upload = data.get("file")
        text = (data.get("text") or "").strip()
        if upload and text:
            raise forms.ValidationError(_("Chọn một trong hai: tải tệp lên hoặc dán nội dung."))
        if not upload and not text:
            raise forms.ValidationError(_("Hãy chọn tệp hoặc dán nội dung văn bản."))
        if upload:
            if upload.size > MAX_BYTES:
                raise forms.ValidationError(
                    _("Tệp quá lớn; giới hạn là %(mb)s MB.") % {"mb": MAX_BYTES // 1024 // 1024}
                )
            if not upload.name.lower().endswith(SUFFIXES):
                raise forms.ValidationError(_("Chỉ nhận tệp .txt, .docx hoặc .pdf."))
        return data


class CorrectionForm(forms.ModelForm):
    issued_on = DateField(label=_("Ngày ban hành"))
    effective_on = DateField(label=_("Ngày có hiệu lực"))

    class Meta:
        model = Document
        fields = list(CORRECTABLE)  # the header fields an official may correct, as the services keep them
        widgets = {"subject": forms.Textarea(attrs={"rows": 3})}


class RelationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Quan hệ"), choices=RelationKind.choices)
    target = forms.CharField(label=_("Số, ký hiệu văn bản liên quan"), max_length=80)
    effective_on = DateField(label=_("Từ ngày"))
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=500)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented way of taking them)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,.docx,.pdf,.zip"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


BULK_SUFFIXES = (*SUFFIXES, ".zip")
BULK_MAX_BYTES = 200 * 1024 * 1024  # the whole upload; each document stays within MAX_BYTES


class BulkImportForm(forms.Form):
    """Nhập hàng loạt: many files, or a .zip of them, imported by the job worker."""

    files = MultipleFileField(label=_("Các tệp văn bản (.txt, .docx, .pdf) hoặc một tệp nén .zip"))

    def clean_files(self) -> list[Any]:
        uploads = self.cleaned_data["files"]
        total = 0
        for upload in uploads:
            name = upload.name or ""
            if not name.lower().endswith(BULK_SUFFIXES):
                raise forms.ValidationError(
                    _("%(name)s: chỉ nhận tệp .txt, .docx, .pdf hoặc .zip.") % {"name": name[:120]}
                )
            limit = BULK_MAX_BYTES if name.lower().endswith(".zip") else MAX_BYTES
            if upload.size > limit:
                raise forms.ValidationError(
                    _("%(name)s: tệp quá lớn; giới hạn là %(mb)s MB.")
                    % {"name": name[:120], "mb": limit // 1024 // 1024}
                )
            total += upload.size
        if total > BULK_MAX_BYTES:
            raise forms.ValidationError(
                _("Tổng dung lượng quá lớn; giới hạn là %(mb)s MB một lượt.")
                % {"mb": BULK_MAX_BYTES // 1024 // 1024}
            )
        return uploads
