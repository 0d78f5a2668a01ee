"""Tracking table (bảng theo dõi): yes/no values per body, item and year."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ttdn.core.dates import format_date


class TrackingItem(models.Model):
    """Hạng mục theo dõi, defined as data (``reporting/data/tracking_items.json``)."""

    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    sentence = models.TextField(_("câu tổng hợp"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    sentence_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("hạng mục theo dõi")
        verbose_name_plural = _("hạng mục theo dõi")
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
        verbose_name = _("lần nhập bảng theo dõi")
        verbose_name_plural = _("lần nhập bảng theo dõi")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        """The import as officials name it: the letter its table came with ("bảng kèm Công văn số
        212/BTTTT-TTĐN ngày 18/01/2013"), else the file an official uploaded and the day."""
        document = (self.summary or {}).get("document")
        if document:
            return _("bảng kèm %(document)s") % {"document": document}
        return _("tệp %(file)s nhập ngày %(day)s") % {
            "file": self.source_name,
            "day": format_date(timezone.localdate(self.imported_at)) if self.imported_at else "",
        }


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
        verbose_name = _("ô của bảng theo dõi")
        verbose_name_plural = _("ô của bảng theo dõi")
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
    SUBMITTED = "submitted", _("đã trình, chờ lãnh đạo duyệt")
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

    class Meta:
        verbose_name = _("mẫu báo cáo")
        verbose_name_plural = _("mẫu báo cáo")

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
        verbose_name = _("chỉ tiêu báo cáo")
        verbose_name_plural = _("chỉ tiêu báo cáo")
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

    class Meta:
        verbose_name = _("quy tắc kiểm tra số liệu")
        verbose_name_plural = _("quy tắc kiểm tra số liệu")


class ExpectedReporter(models.Model):
    """Who must report on a form, over time: one body, or every body of a kind."""

    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="expected")
    unit = models.ForeignKey(
        "orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=32, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("đơn vị phải báo cáo")
        verbose_name_plural = _("đơn vị phải báo cáo")


class Submission(models.Model):
    """Báo cáo: one body's report on a form for a period, with its values and state."""

    form = models.ForeignKey(ReportForm, on_delete=models.PROTECT, related_name="submissions")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="submissions")
    period = models.CharField(max_length=20)
    state = models.CharField(max_length=16, choices=SubmissionState.choices, default=SubmissionState.DRAFT)
    values = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Gửi Cục: when the last level (the body's own top leader) approved it and it reached the centre, the
    # first time; what counts as sent and as on time. A report still waiting for its leader is not sent.
    sent_at = models.DateTimeField(_("gửi Cục lúc"), null=True, blank=True)
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
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
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
        verbose_name = _("bước xử lý báo cáo")
        verbose_name_plural = _("bước xử lý báo cáo")
        ordering = ["at", "id"]
