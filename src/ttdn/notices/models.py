"""Thông báo: one message to one user about one change of state, with the page it concerns."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    TASK_ISSUED = "task_issued", _("Nhiệm vụ được giao")
    TASK_REPORTED = "task_reported", _("Báo cáo hoàn thành nhiệm vụ")
    TASK_CONFIRMED = "task_confirmed", _("Nhiệm vụ được xác nhận hoàn thành")
    TASK_RETURNED = "task_returned", _("Nhiệm vụ bị trả lại hoặc mở lại")
    REMINDER = "reminder", _("Đôn đốc")
    REPORT_SUBMITTED = "report_submitted", _("Báo cáo chờ duyệt")
    REPORT_RETURNED = "report_returned", _("Báo cáo bị trả lại")
    REPORT_APPROVED = "report_approved", _("Báo cáo đã duyệt")
    REPORT_ACCEPTED = "report_accepted", _("Báo cáo được tiếp nhận")
    PLAN_SUBMITTED = "plan_submitted", _("Kế hoạch chờ xử lý")
    PLAN_RETURNED = "plan_returned", _("Kế hoạch bị trả lại")
    PLAN_APPROVED = "plan_approved", _("Kế hoạch được phê duyệt")
    PLAN_SENT = "plan_sent", _("Kế hoạch gửi Cục")
    IMPORT_DONE = "import_done", _("Nhập văn bản hàng loạt")
    ALERT = "alert", _("Cảnh báo dư luận")


class Notice(models.Model):
    """Thông báo trong ứng dụng (and by e-mail where the user has an address)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=_("người nhận"),
    )
    kind = models.CharField(_("loại"), max_length=32, choices=NoticeKind.choices, default=NoticeKind.REMINDER)
    message = models.CharField(_("nội dung"), max_length=500)
    url = models.CharField(_("đường dẫn"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notice_unread")]
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")

    def __str__(self) -> str:
        return self.message
