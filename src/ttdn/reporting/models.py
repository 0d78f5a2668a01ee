"""Tracking table (bảng theo dõi): yes/no values per body, item and year."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TrackingItem(models.Model):
    """Hạng mục theo dõi, defined as data (``reporting/data/tracking_items.json``)."""

    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    sentence = models.TextField(_("câu tổng hợp"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    sentence_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class TrackingImport(models.Model):
    """One import of a tracking table: where from, what it declared, what did not add up."""

    source_name = models.CharField(max_length=255)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.JSONField(default=dict)

    class Meta:
        ordering = ["-imported_at"]


class ValueOrigin(models.TextChoices):
    """Where a mark comes from. Stored values are imported or entered; a derived mark is not stored but read
    from the record that proves it (``reporting.sources``, ``reporting.selectors.tracking_view``)."""

    IMPORTED = "imported", _("nhập từ bảng")
    ENTERED = "entered", _("nhập tay")
    DERIVED = "derived", _("suy ra từ hồ sơ")


class TrackingValue(models.Model):
    """Whether a body did an item in a year (True), did not (False)."""

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="tracking_values")
    item = models.ForeignKey(TrackingItem, on_delete=models.PROTECT, related_name="values")
    year = models.PositiveSmallIntegerField()
    value = models.BooleanField()
    origin = models.CharField(max_length=16, choices=ValueOrigin.choices, default=ValueOrigin.ENTERED)
    source = models.ForeignKey(
        TrackingImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="values"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "item", "year"], name="tracking_value_unique")]
        indexes = [models.Index(fields=["item", "year"])]


class IndicatorKind(models.TextChoices):
    YES_NO = "yes_no", _("có/không")
    COUNT = "count", _("số lượng")
    MONEY = "money", _("số tiền (đồng)")
    PERCENT = "percent", _("tỷ lệ %")
    TEXT = "text", _("nội dung")
    FILE = "file", _("tệp đính kèm")


class SubmissionState(models.TextChoices):
    DRAFT = "draft", _("đang soạn")
    SUBMITTED = "submitted", _("đã gửi, chờ duyệt")
    RETURNED = "returned", _("bị trả lại")
    APPROVED = "approved", _("đã duyệt")
    ACCEPTED = "accepted", _("Cục đã tiếp nhận")


class ReportForm(models.Model):
    """Mẫu báo cáo: indicators, a period type, a cut-off rule and a deadline rule (Nghị định 09/2019)."""

    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    period_type = models.CharField(_("kỳ báo cáo"), max_length=16)
    cutoff_start_day = models.PositiveSmallIntegerField(_("ngày bắt đầu chốt số liệu"), default=15)
    deadline_month = models.PositiveSmallIntegerField(null=True, blank=True)
    deadline_day = models.PositiveSmallIntegerField(null=True, blank=True)
    deadline_year_offset = models.SmallIntegerField(default=0)
    deadline_days_after = models.PositiveSmallIntegerField(null=True, blank=True)
    source = models.TextField(_("căn cứ"), blank=True)

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=16, choices=IndicatorKind.choices)
    required = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)
    # Phân tổ: the value is entered per category (e.g. by language) and its total is their sum.
    categories = models.JSONField(default=list, blank=True)
    # Where the platform's own records give the value (plans: "plan_approved", "training_courses",
    # "trainees", "dedicated_posts"); shown beside the field and filled in when it is empty.
    derived_from = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["form", "code"], name="indicator_unique")]

    @property
    def disaggregated(self) -> bool:
        return bool(self.categories) and self.kind in (IndicatorKind.COUNT, IndicatorKind.MONEY)


class ValidationRule(models.Model):
    """A check that blocks submission: ``left`` >= / <= / = (sum of) ``right`` indicators."""

    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="rules")
    left = models.CharField(max_length=40)
    operator = models.CharField(max_length=4, choices=[(">=", ">="), ("<=", "<="), ("=", "=")])
    right = models.CharField(max_length=200, help_text="indicator codes joined by +")
    message = models.CharField(max_length=255)


class ExpectedReporter(models.Model):
    """Who must report on a form, over time: one body, or every body of a kind."""

    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="expected")
    unit = models.ForeignKey(
        "orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=32, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)


class Submission(models.Model):
    """Báo cáo: one body's report on a form for a period, with its values and state."""

    form = models.ForeignKey(ReportForm, on_delete=models.PROTECT, related_name="submissions")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="submissions")
    period = models.CharField(max_length=20)
    state = models.CharField(max_length=16, choices=SubmissionState.choices, default=SubmissionState.DRAFT)
    values = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(blank=True)
    # While submitted: the body whose leader must approve next (one level per organisational level).
    awaiting = models.ForeignKey(
        "orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["form", "unit", "period"], name="submission_unique")]

    @property
    def locked(self) -> bool:
        return self.state in (SubmissionState.SUBMITTED, SubmissionState.APPROVED, SubmissionState.ACCEPTED)


class StepAction(models.TextChoices):
    SUBMIT = "submit", _("gửi")
    APPROVE = "approve", _("duyệt")
    RETURN = "return", _("trả lại")
    ACCEPT = "accept", _("tiếp nhận")
    UNLOCK = "unlock", _("mở khóa")


class SubmissionStep(models.Model):
    """One step of a report's way: who did what, at which level, when, with which comment."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=16, choices=StepAction.choices)
    level = models.ForeignKey(
        "orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
