from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ttdn.core.dates import DateParseError, parse_date
from ttdn.orgs.models import OrgKind, OrgUnit
from ttdn.orgs.selectors import SORTS


class DirectoryFilterForm(forms.Form):
    """Filters of the body directory; bad values give a message and fall back to defaults."""

    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Loại đơn vị"), required=False, choices=[("", _("Tất cả"))] + list(OrgKind.choices)
    )
    as_of = forms.CharField(label=_("Tính đến ngày"), required=False, max_length=20)
    view = forms.ChoiceField(
        label=_("Hiển thị"), required=False, choices=[("list", _("Danh sách")), ("tree", _("Cây"))]
    )
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in SORTS])
    parent = forms.CharField(required=False, max_length=40)

    def clean_parent(self) -> OrgUnit | None:
        code = (self.cleaned_data.get("parent") or "").strip()
        if not code:
            return None
        unit = OrgUnit.objects.filter(code=code).first()
        if unit is None:
            raise forms.ValidationError(_("Không có đơn vị mã “%(value)s”."), params={"value": code})
        return unit

    def clean_as_of(self) -> dt.date:
        text = (self.cleaned_data.get("as_of") or "").strip()
        if not text:
            return timezone.localdate()
        try:
            return parse_date(text)
        except DateParseError as exc:
            raise forms.ValidationError(
                _("Ngày “%(value)s” không hợp lệ. Nhập theo dạng dd/mm/yyyy, ví dụ 31/12/2012."),
                params={"value": text},
            ) from exc

    def values(self) -> dict[str, object]:
        """Cleaned values, with defaults for any field that failed validation."""
        data = getattr(self, "cleaned_data", {})
        as_of = data.get("as_of") if isinstance(data.get("as_of"), dt.date) else timezone.localdate()
        return {
            "q": data.get("q", "") or "",
            "kind": data.get("kind", "") or "",
            "as_of": as_of,
            "view": data.get("view") or "list",
            "sort": data.get("sort") or "name",
            "parent": data.get("parent"),
        }


class ContactForm(forms.ModelForm):
    class Meta:
        model = OrgUnit
        fields = ["address", "phone", "email", "focal_point"]
        widgets = {"address": forms.TextInput(attrs={"size": 60})}
