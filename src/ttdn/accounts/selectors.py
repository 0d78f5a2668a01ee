"""Scope (phạm vi): which bodies' private data a user may read or change.

A user's scope is their body and its sub-units, widened through the lineage
to the bodies that merged into it (a new province's officer reads the records
of the provinces it was formed from). Administrators, central officers and
anyone working in the central TTĐN department see everything.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ttdn.accounts.models import Role, User
from ttdn.orgs.models import DesignationRole, OrgDesignation, OrgUnit

CENTRAL_ROLES = {Role.ADMIN, Role.CENTRAL_OFFICER}
WRITER_ROLES = {Role.UNIT_OFFICER, Role.UNIT_LEADER}


def today() -> dt.date:
    return timezone.localdate()


def is_central(user: User) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.role in CENTRAL_ROLES:
        return True
    if user.org_unit_id is None:
        return False
    return OrgDesignation.objects.filter(unit_id=user.org_unit_id, role=DesignationRole.CENTRAL).exists()


def scope_prefixes(user: User) -> list[str] | None:
    """Materialised-path prefixes of the user's scope; ``None`` means everything."""
    from ttdn.orgs.selectors import predecessors

    if is_central(user):
        return None
    if not user.is_authenticated or not user.is_active or user.org_unit is None:
        return []
    unit = user.org_unit
    return [unit.path, *(p.path for p in predecessors(unit))]


def in_scope(user: User, unit: OrgUnit) -> bool:
    prefixes = scope_prefixes(user)
    if prefixes is None:
        return True
    return any(unit.path.startswith(prefix) for prefix in prefixes)


def can_edit_unit(user: User, unit: OrgUnit) -> bool:
    """Contact details: the body's own officers and leaders while it exists, or an administrator."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.role == Role.ADMIN:
        return True
    return user.role in WRITER_ROLES and unit.is_valid_on(today()) and in_scope(user, unit)


def can_see_audit(user: User) -> bool:
    return user.is_authenticated and user.is_active and (user.is_superuser or user.role == Role.ADMIN)


def users_of(viewer: User, unit: OrgUnit):  # noqa: ANN201
    """Accounts of a body, for a viewer whose scope covers it."""
    if not in_scope(viewer, unit):
        return User.objects.none()
    return User.objects.filter(org_unit=unit, is_active=True).order_by("role", "username")
