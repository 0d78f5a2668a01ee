"""Body registry (đơn vị) that knows time.

Every record carries ``valid_from``/``valid_to`` (closed interval, ``None`` is
open). A structural change never rewrites a record: the old record is closed,
a new one opened, and an ``OrgEvent`` links them, so data stays attached to the
body that produced it and roll-ups go through the lineage.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ttdn.core.dates import is_valid_on
from ttdn.core.text import fold


class OrgKind(models.TextChoices):
    CENTRAL = "central", _("Cơ quan Trung ương")
    MINISTRY = "ministry", _("Bộ")
    MINISTERIAL_AGENCY = "ministerial_agency", _("Cơ quan ngang bộ")
    GOVERNMENT_AGENCY = "government_agency", _("Cơ quan thuộc Chính phủ")
    PROVINCE = "province", _("Tỉnh, thành phố")
    DEPARTMENT = "department", _("Sở, ngành")
    COMMUNE = "commune", _("Xã, phường, đặc khu")
    PRESS = "press", _("Cơ quan báo chí")
    OTHER = "other", _("Khác")


class EventKind(models.TextChoices):
    MERGE = "merge", _("Hợp nhất, sáp nhập")
    SPLIT = "split", _("Chia tách")
    RENAME = "rename", _("Đổi tên")
    TRANSFER = "transfer", _("Chuyển giao")
    DISSOLVE = "dissolve", _("Giải thể")


class DesignationRole(models.TextChoices):
    CENTRAL = "central", _("Cơ quan đầu mối TTĐN Trung ương")
    PROVINCIAL_STANDING = "provincial_standing", _("Cơ quan thường trực TTĐN cấp tỉnh")


def valid_on_q(on: dt.date, prefix: str = "") -> Q:
    """Filter for records valid on ``on`` (closed interval, open bounds allowed)."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": on})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": on})
    )


class OrgUnitQuerySet(models.QuerySet["OrgUnit"]):
    def valid_on(self, on: dt.date) -> OrgUnitQuerySet:
        return self.filter(valid_on_q(on))

    def search(self, query: str) -> OrgUnitQuerySet:
        """Every word of the query, folded (no diacritics, no case), must occur."""
        qs = self
        for word in fold(query).split():
            qs = qs.filter(search_text__contains=word)
        return qs

    def subtree_of(self, prefixes: list[str]) -> OrgUnitQuerySet:
        condition = Q(pk__in=[])
        for prefix in prefixes:
            condition |= Q(path__startswith=prefix)
        return self.filter(condition)


class OrgUnit(models.Model):
    """Đơn vị: a body (ministry, province, department, commune...) over a span of time."""

    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên ngắn"), max_length=120, blank=True)
    kind = models.CharField(_("loại"), max_length=32, choices=OrgKind.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    source = models.TextField(_("nguồn"), blank=True)
    search_text = models.TextField(editable=False, default="")
    sort_key = models.CharField(max_length=255, editable=False, default="", db_index=True)
    # Contact details kept by the body itself (private to its scope).
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    focal_point = models.CharField(_("đầu mối TTĐN"), max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["sort_key", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_from__lte=models.F("valid_to")),
                name="orgunit_valid_span",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, on: dt.date) -> bool:
        return is_valid_on(self.valid_from, self.valid_to, on)

    @property
    def authority_name(self) -> str:
        """The People's Committee that acts for a province (Ủy ban nhân dân tỉnh ...)."""
        if self.kind == OrgKind.PROVINCE:
            return f"Ủy ban nhân dân {self.name[0].lower()}{self.name[1:]}"
        return self.name

    def compute_search_text(self) -> str:
        return fold(" ".join(filter(None, [self.name, self.short_name, self.code, self.authority_name])))

    def compute_sort_key(self) -> str:
        """Alphabetical by the short name when there is one ("Đắk Lắk" files under D, not under "Tỉnh")."""
        return fold(self.short_name or self.name)[:255]

    def refresh_derived(self) -> None:
        self.search_text = self.compute_search_text()
        self.sort_key = self.compute_sort_key()


class OrgEvent(models.Model):
    """Sự kiện tổ chức: merge, split, rename, transfer or dissolution on a date."""

    key = models.CharField(max_length=255, unique=True, editable=False)
    kind = models.CharField(_("loại sự kiện"), max_length=16, choices=EventKind.choices)
    effective_on = models.DateField(_("ngày hiệu lực"), db_index=True)
    predecessors = models.ManyToManyField(
        OrgUnit, related_name="events_as_predecessor", verbose_name=_("đơn vị trước")
    )
    successors = models.ManyToManyField(
        OrgUnit, related_name="events_as_successor", blank=True, verbose_name=_("đơn vị kế thừa")
    )
    note = models.TextField(_("ghi chú"), blank=True)
    source = models.TextField(_("nguồn"), blank=True)

    class Meta:
        verbose_name = _("sự kiện tổ chức")
        verbose_name_plural = _("sự kiện tổ chức")
        ordering = ["effective_on", "key"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_on:%d/%m/%Y}"


class OrgDesignation(models.Model):
    """A body's TTĐN role over time (the central department; a province's standing department)."""

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="designations", verbose_name=_("đơn vị")
    )
    role = models.CharField(_("vai trò"), max_length=32, choices=DesignationRole.choices)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    source = models.TextField(_("nguồn"), blank=True)

    class Meta:
        verbose_name = _("vai trò TTĐN của đơn vị")
        verbose_name_plural = _("vai trò TTĐN của đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["unit", "role", "valid_from"], name="designation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.get_role_display()}"


class ReferenceLoad(models.Model):
    """One run of the reference-data loader: what it changed and from which sources."""

    ran_at = models.DateTimeField(auto_now_add=True)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    sources = models.TextField(blank=True)

    class Meta:
        verbose_name = _("lần nạp dữ liệu tham chiếu")
        verbose_name_plural = _("lần nạp dữ liệu tham chiếu")
        ordering = ["-ran_at"]
