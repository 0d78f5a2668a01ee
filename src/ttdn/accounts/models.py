"""Accounts: every user belongs to a body (đơn vị) and has one role (vai trò)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị hệ thống")
    CENTRAL_OFFICER = "central_officer", _("Cán bộ Cục")
    UNIT_OFFICER = "unit_officer", _("Cán bộ đơn vị")
    UNIT_LEADER = "unit_leader", _("Lãnh đạo đơn vị")
    ANALYST = "analyst", _("Cán bộ theo dõi dư luận")
    VIEWER = "viewer", _("Người xem")


class User(AbstractUser):
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices, default=Role.VIEWER)
    org_unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username
