"""Attachments (tệp minh chứng) shared by reports, tasks and plan activities."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Attachment(models.Model):
    """A stored evidence file; it belongs to a body, whose scope decides who may download it."""

    file = models.FileField(upload_to="evidence/%Y/%m/")
    name = models.CharField(_("tên tệp"), max_length=160)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.name


class DataVersion(models.Model):
    """A counter per app, raised when a transaction that wrote its tables commits (``ttdn.core.versions``)."""

    name = models.CharField(max_length=40, primary_key=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("phiên bản dữ liệu")
        verbose_name_plural = _("phiên bản dữ liệu")

    def __str__(self) -> str:
        return f"{self.name} {self.value}"
