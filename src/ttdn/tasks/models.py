"""Tasks (nhiệm vụ): duties read out of a document, issued to bodies, followed to the end.

- ``Duty``: one duty of a document as extracted and reviewed (proposed, issued or rejected).
- ``Task``: an issued duty for one lead body (a duty for "các Bộ, ngành, địa phương" is one task per body).
- ``TaskOccurrence``: one period of a task (a one-off task has one; a yearly duty one per year).
- ``ProgressEntry``: what a body reported, with evidence files and documents produced.
- ``ReminderSent``: reminders (đôn đốc) sent, at most once per occurrence and offset (the notices app keeps the messages).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext_lazy as _


class DutyState(models.TextChoices):
    PROPOSED = "proposed", _("chờ rà soát")
    ISSUED = "issued", _("đã giao")
    REJECTED = "rejected", _("đã loại")


class Recurrence(models.TextChoices):
    YEARLY = "yearly", _("hằng năm")
    SEMIANNUAL = "semiannual", _("6 tháng")
    QUARTERLY = "quarterly", _("hằng quý")
    MONTHLY = "monthly", _("hằng tháng")
    PERIODIC = "periodic", _("định kỳ")
    CONTINUOUS = "continuous", _("thường xuyên")


class Duty(models.Model):
    """Nhiệm vụ trong văn bản: the clause, who must do it, by when, as the official confirmed it."""

    document = models.ForeignKey("documents.Document", on_delete=models.CASCADE, related_name="duties")
    section = models.CharField(_("mục"), max_length=40, blank=True)
    order = models.PositiveIntegerField(default=0)
    text = models.TextField(_("nội dung nhiệm vụ"))
    span_start = models.PositiveIntegerField(null=True, blank=True)
    span_end = models.PositiveIntegerField(null=True, blank=True)
    assignee_label = models.CharField(_("đơn vị chủ trì (theo văn bản)"), max_length=500, blank=True)
    coordinator_labels = models.JSONField(_("đơn vị phối hợp (theo văn bản)"), default=list, blank=True)
    leads = models.ManyToManyField("orgs.OrgUnit", blank=True, related_name="+")
    coordinators = models.ManyToManyField("orgs.OrgUnit", blank=True, related_name="+")
    unresolved = models.JSONField(default=list, blank=True)  # names the registry lacks, proposed for creation
    due = models.DateField(_("thời hạn"), null=True, blank=True)
    due_as_written = models.CharField(max_length=200, blank=True)
    recurrence = models.CharField(_("định kỳ"), max_length=16, choices=Recurrence.choices, blank=True)
    recurrence_periods = models.JSONField(default=list, blank=True)
    recurrence_month = models.PositiveSmallIntegerField(null=True, blank=True)
    recurrence_day = models.PositiveSmallIntegerField(null=True, blank=True)
    confidence = models.FloatField(default=1.0)
    doubts = models.JSONField(default=list, blank=True)
    fingerprint = models.CharField(max_length=64, db_index=True)
    search_text = models.TextField(
        default="", editable=False
    )  # folded text and labels: search without diacritics
    state = models.CharField(max_length=16, choices=DutyState.choices, default=DutyState.PROPOSED)
    # The tracking item (hạng mục theo dõi) the duty carries out, set by the centre: each task of it confirmed
    # done proves the item for its lead body in the year it was completed.
    tracking_item = models.ForeignKey(
        "reporting.TrackingItem",
        verbose_name=_("hạng mục bảng theo dõi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    edited = models.BooleanField(default=False)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("nhiệm vụ trích từ văn bản")
        verbose_name_plural = _("nhiệm vụ trích từ văn bản")
        ordering = ["document_id", "order", "id"]

    def __str__(self) -> str:
        return f"{self.section} {self.text[:60]}"


class Task(models.Model):
    """Nhiệm vụ được giao: an issued duty for one lead body."""

    duty = models.ForeignKey(Duty, on_delete=models.CASCADE, related_name="tasks")
    lead = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="tasks")
    coordinators = models.ManyToManyField("orgs.OrgUnit", blank=True, related_name="coordinated_tasks")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nhiệm vụ giao cho đơn vị")
        verbose_name_plural = _("nhiệm vụ giao cho đơn vị")
        constraints = [models.UniqueConstraint(fields=["duty", "lead"], name="task_unique_lead")]

    def __str__(self) -> str:
        return f"{self.lead} · {self.duty}"


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("chưa thực hiện")
    IN_PROGRESS = "in_progress", _("đang thực hiện")
    DONE_ON_TIME = "done_on_time", _("hoàn thành đúng hạn")
    DONE_LATE = "done_late", _("hoàn thành quá hạn")
    OVERDUE = "overdue", _("quá hạn")


class OccurrenceQuerySet(models.QuerySet):
    def with_status(self, today: dt.date) -> OccurrenceQuerySet:
        """Annotate ``status`` as of ``today``; one rule for lists, filters and counts."""
        return self.annotate(
            status=Case(
                When(
                    completed_on__isnull=False,
                    due__isnull=False,
                    completed_on__gt=models.F("due"),
                    then=Value(TaskStatus.DONE_LATE),
                ),
                When(completed_on__isnull=False, then=Value(TaskStatus.DONE_ON_TIME)),
                When(due__lt=today, then=Value(TaskStatus.OVERDUE)),
                When(Q(progress__gt=0) | Q(entries_count__gt=0), then=Value(TaskStatus.IN_PROGRESS)),
                default=Value(TaskStatus.NOT_STARTED),
                output_field=models.CharField(),
            )
        )


class TaskOccurrence(models.Model):
    """Kỳ thực hiện: one period of a task, with its due date, progress and completion."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="occurrences")
    period = models.CharField(_("kỳ"), max_length=20, blank=True)  # "" for a one-off task, "2024", "2024-H1"
    due = models.DateField(_("thời hạn"), null=True, blank=True, db_index=True)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    entries_count = models.PositiveIntegerField(default=0)
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OccurrenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("kỳ thực hiện nhiệm vụ")
        verbose_name_plural = _("kỳ thực hiện nhiệm vụ")
        ordering = ["due", "id"]
        constraints = [models.UniqueConstraint(fields=["task", "period"], name="occurrence_unique_period")]

    def status_on(self, today: dt.date) -> str:
        if self.completed_on:
            return (
                TaskStatus.DONE_LATE if self.due and self.completed_on > self.due else TaskStatus.DONE_ON_TIME
            )
        if self.due and self.due < today:
            return TaskStatus.OVERDUE
        if self.progress > 0 or self.entries_count > 0:
            return TaskStatus.IN_PROGRESS
        return TaskStatus.NOT_STARTED


class ProgressEntry(models.Model):
    """Báo cáo tiến độ: text, percentage, evidence files and documents produced."""

    occurrence = models.ForeignKey(TaskOccurrence, on_delete=models.CASCADE, related_name="entries")
    text = models.TextField(_("nội dung"))
    percent = models.PositiveSmallIntegerField(_("tiến độ (%)"))
    # Ngày hoàn thành thực tế: when the work was finished, as the officer reports it with its evidence (the
    # report itself may come later); a completion counts on time or late by this day.
    done_on = models.DateField(_("ngày hoàn thành thực tế"), null=True, blank=True)
    attachments = models.ManyToManyField("core.Attachment", blank=True, related_name="+")
    documents = models.ManyToManyField("documents.Document", blank=True, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ")
        ordering = ["-created_at", "-id"]


class ReminderSent(models.Model):
    """One reminder of one occurrence at one offset (days from the due date): at most once."""

    occurrence = models.ForeignKey(TaskOccurrence, on_delete=models.CASCADE, related_name="reminders")
    offset_days = models.SmallIntegerField()
    sent_on = models.DateField()
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("lần nhắc hạn đã gửi")
        verbose_name_plural = _("lần nhắc hạn đã gửi")
        constraints = [models.UniqueConstraint(fields=["occurrence", "offset_days"], name="reminder_once")]
