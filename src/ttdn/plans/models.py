"""Plans (kế hoạch công tác thông tin đối ngoại): a body's yearly plan with activities and budgets,
consolidated from its units, approved, sent to the centre and compared with what was done; dedicated
posts and training courses (R8)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ttdn.core.money import MAX_VND

MAX_AMOUNT = MAX_VND  # the one bound of every amount (core.money)


class ActivityCategory(models.Model):
    """Nhóm hoạt động (data: ``plans/data/categories.json``)."""

    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("nhóm hoạt động"), max_length=255)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("nhóm hoạt động")
        verbose_name_plural = _("nhóm hoạt động")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class PlanState(models.TextChoices):
    DRAFT = "draft", _("đang soạn")
    SUBMITTED = "submitted", _("đã gửi")
    RETURNED = "returned", _("bị trả lại")
    CONSOLIDATED = "consolidated", _("đã tổng hợp")
    APPROVED = "approved", _("đã phê duyệt")
    SENT = "sent", _("đã gửi Cục")


class Plan(models.Model):
    """Kế hoạch công tác TTĐN năm của một đơn vị."""

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="plans")
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    title = models.CharField(_("tên kế hoạch"), max_length=300)
    objectives = models.TextField(_("mục đích"), blank=True)
    requirements = models.TextField(_("yêu cầu"), blank=True)
    bases = models.ManyToManyField(
        "documents.Document", blank=True, related_name="+", verbose_name=_("căn cứ")
    )
    state = models.CharField(max_length=16, choices=PlanState.choices, default=PlanState.DRAFT)
    comment = models.TextField(blank=True)
    consolidated_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="sources"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = ["-year", "unit__sort_key"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="plan_unique_unit_year")]

    def __str__(self) -> str:
        return self.title

    @property
    def editable(self) -> bool:
        return self.state in (PlanState.DRAFT, PlanState.RETURNED)


class BudgetSource(models.TextChoices):
    CENTRAL = "central", _("ngân sách trung ương")
    LOCAL = "local", _("ngân sách địa phương")
    SOCIALISED = "socialised", _("xã hội hóa")


class ResultStatus(models.TextChoices):
    DONE = "done", _("hoàn thành")
    PARTLY = "partly", _("hoàn thành một phần")
    NOT_DONE = "not_done", _("chưa thực hiện")


class Activity(models.Model):
    """Hoạt động: category, lead unit and partners, timeline, targets, budget lines, result."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="activities")
    category = models.ForeignKey(ActivityCategory, on_delete=models.PROTECT, related_name="activities")
    title = models.CharField(_("hoạt động"), max_length=500)
    lead = models.ForeignKey(
        "orgs.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("đơn vị chủ trì"),
    )
    partners = models.CharField(_("đơn vị phối hợp"), max_length=500, blank=True)
    timeline = models.CharField(_("thời gian"), max_length=40, blank=True)  # "Quý II", "Tháng 5", "Cả năm"
    targets = models.TextField(_("chỉ tiêu, sản phẩm"), blank=True)
    source_activity = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    source_unit = models.ForeignKey(
        "orgs.OrgUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    order = models.PositiveIntegerField(default=0)
    result = models.CharField(_("kết quả"), max_length=16, choices=ResultStatus.choices, blank=True)
    result_on = models.DateField(_("ngày"), null=True, blank=True)
    outputs = models.TextField(_("sản phẩm, kết quả cụ thể"), blank=True)
    actual_cost = models.PositiveBigIntegerField(_("kinh phí thực chi (đồng)"), null=True, blank=True)
    evidence = models.ManyToManyField("core.Attachment", blank=True, related_name="+")

    class Meta:
        verbose_name = _("hoạt động")
        verbose_name_plural = _("hoạt động")
        ordering = ["category__order", "order", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def planned_cost(self) -> int:
        return sum(line.amount for line in self.budget_lines.all())


class BudgetLine(models.Model):
    """Dòng kinh phí: an amount in whole đồng from one source."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="budget_lines")
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    source = models.CharField(_("nguồn"), max_length=16, choices=BudgetSource.choices)

    class Meta:
        verbose_name = _("dòng kinh phí")
        verbose_name_plural = _("dòng kinh phí")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__lte=MAX_AMOUNT), name="budget_amount_sane")
        ]


class PlanStep(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=16)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()
    comment = models.TextField(blank=True)

    class Meta:
        verbose_name = _("bước xử lý kế hoạch")
        verbose_name_plural = _("bước xử lý kế hoạch")
        ordering = ["at", "id"]


class DeadlineRule(models.Model):
    """Hạn gửi kế hoạch per plan level ("unit": departments and districts to their province; "province":
    the province to the centre), for every year or one year (``year`` set)."""

    level = models.CharField(
        _("cấp kế hoạch"),
        max_length=16,
        choices=[("unit", _("đơn vị trực thuộc")), ("province", _("tỉnh, bộ, ngành"))],
    )
    year = models.PositiveSmallIntegerField(_("năm kế hoạch (trống: mọi năm)"), null=True, blank=True)
    month = models.PositiveSmallIntegerField(_("tháng"))
    day = models.PositiveSmallIntegerField(_("ngày"))
    year_offset = models.SmallIntegerField(_("năm của hạn so với năm kế hoạch (−1: năm trước)"), default=0)

    class Meta:
        verbose_name = _("hạn gửi kế hoạch")
        verbose_name_plural = _("hạn gửi kế hoạch")
        constraints = [models.UniqueConstraint(fields=["level", "year"], name="plan_deadline_unique")]


class StaffPost(models.Model):
    """Biên chế chuyên trách TTĐN: a post of a body, who holds it and since when."""

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="ttdn_posts")
    title = models.CharField(_("vị trí"), max_length=200)
    dedicated = models.BooleanField(_("chuyên trách"), default=True)
    holder = models.CharField(_("người đảm nhiệm"), max_length=200, blank=True)
    since = models.DateField(_("từ ngày"), null=True, blank=True)
    until = models.DateField(_("đến ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _("vị trí làm công tác TTĐN")
        verbose_name_plural = _("vị trí làm công tác TTĐN")
        ordering = ["unit__sort_key", "title"]


class TrainingCourse(models.Model):
    """Lớp tập huấn TTĐN: date, topic, trainees, trainers, the plan activity it carried out."""

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="ttdn_courses")
    held_on = models.DateField(_("ngày"))
    topic = models.CharField(_("chủ đề"), max_length=300)
    trainees = models.PositiveIntegerField(_("số học viên"))
    trainers = models.CharField(_("giảng viên"), max_length=300, blank=True)
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="courses"
    )

    class Meta:
        verbose_name = _("lớp tập huấn")
        verbose_name_plural = _("lớp tập huấn")
        ordering = ["-held_on", "id"]
