"""Forms of the plan pages: they parse and check what an official types, carry the messages shown beside
each field and keep what was typed when something is refused."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ttdn.core.dates import format_date
from ttdn.core.forms import DateField
from ttdn.core.money import format_vnd
from ttdn.plans.models import Activity, ActivityCategory, BudgetSource, ResultStatus
from ttdn.plans.services import parse_budget, parse_cost


def _amount_field() -> forms.CharField:
    return forms.CharField(max_length=40, required=False, strip=True)


class ActivityForm(forms.Form):
    """Hoạt động of a plan: title, category, timeline, partners, targets and one amount per budget source
    (whole đồng, "1.500.000"); a wrong amount is named beside its field, and nothing typed is lost."""

    title = forms.CharField(
        max_length=500, strip=True, error_messages={"required": _("Hãy ghi tên hoạt động.")}
    )
    category = forms.CharField(
        max_length=40, strip=True, error_messages={"required": _("Hãy chọn nhóm hoạt động.")}
    )
    lead = forms.CharField(max_length=40, required=False, strip=True)
    timeline = forms.CharField(max_length=40, required=False, strip=True)
    partners = forms.CharField(max_length=500, required=False, strip=True)
    targets = forms.CharField(required=False, strip=True)
    amount_central = _amount_field()
    amount_local = _amount_field()
    amount_socialised = _amount_field()

    @classmethod
    def of(cls, activity: Activity) -> ActivityForm:
        """The form of an activity as stored (to edit it)."""
        amounts = {
            f"amount_{line.source}": format_vnd(line.amount, unit=False)
            for line in activity.budget_lines.all()
        }
        return cls(
            initial={
                "title": activity.title,
                "category": activity.category.code,
                "timeline": activity.timeline,
                "partners": activity.partners,
                "targets": activity.targets,
                **amounts,
            }
        )

    def clean_category(self) -> str:
        code = self.cleaned_data.get("category") or ""
        if not ActivityCategory.objects.filter(code=code).exists():
            raise ValidationError(_("Hãy chọn nhóm hoạt động."))
        return code

    def _clean_amount(self, source: str) -> str:
        raw = self.cleaned_data.get(f"amount_{source}") or ""
        parse_budget([(raw, source)])  # the rule's own message: "Số tiền “-30.000.000” không được là số âm."
        return raw

    def clean_amount_central(self) -> str:
        return self._clean_amount(BudgetSource.CENTRAL)

    def clean_amount_local(self) -> str:
        return self._clean_amount(BudgetSource.LOCAL)

    def clean_amount_socialised(self) -> str:
        return self._clean_amount(BudgetSource.SOCIALISED)

    @property
    def budget_fields(self) -> list[tuple[str, str, forms.BoundField]]:
        """(source, label, field) in the order of the sources, for the page's budget grid."""
        return [(code, str(label), self[f"amount_{code}"]) for code, label in BudgetSource.choices]

    def first_wrong(self) -> str:
        """The first field with a message, in the page's order (the cursor goes there)."""
        return next((name for name in self.fields if name in self.errors), "")

    def data_for_service(self) -> dict[str, Any]:
        return {
            k: self.cleaned_data[k] for k in ("title", "category", "lead", "partners", "timeline", "targets")
        }

    def budget_rows(self) -> list[tuple[str, str]]:
        return [(self.cleaned_data[f"amount_{code}"], code) for code in BudgetSource.values]


class ResultForm(forms.Form):
    """Kết quả of an activity of an approved plan: done or not, the day, the actual cost, what it produced."""

    result = forms.ChoiceField(
        choices=[("", "—"), *ResultStatus.choices],
        error_messages={"required": _("Hãy chọn kết quả."), "invalid_choice": _("Hãy chọn kết quả.")},
    )
    result_on = DateField(
        max_length=20,
        invalid=_("Ngày “%(value)s” không phải một ngày có thật; hãy ghi theo dạng dd/mm/yyyy."),
    )
    actual_cost = forms.CharField(max_length=40, required=False, strip=True)
    outputs = forms.CharField(required=False, strip=True)

    @classmethod
    def of(cls, activity: Activity) -> ResultForm:
        return cls(
            initial={
                "result": activity.result,
                "result_on": format_date(activity.result_on),
                "actual_cost": format_vnd(activity.actual_cost, unit=False),
                "outputs": activity.outputs,
            }
        )

    def clean_actual_cost(self) -> str:
        raw = self.cleaned_data.get("actual_cost") or ""
        try:
            parse_cost(raw)
        except ValidationError as exc:  # the rule's own message, beside this field
            raise ValidationError(exc.messages) from exc
        return raw

    def first_wrong(self) -> str:
        return next((name for name in self.fields if name in self.errors), "")
