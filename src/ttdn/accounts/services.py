"""Writes to accounts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from ttdn.accounts.models import Role, User

if TYPE_CHECKING:  # accounts sits below the registry of bodies: it names them, never imports them
    from ttdn.orgs.models import OrgUnit


@transaction.atomic
def ensure_user(
    username: str,
    *,
    password: str,
    role: str,
    org_unit: OrgUnit | None,
    full_name: str = "",
    email: str = "",
) -> tuple[User, bool]:
    """Create a user once; a second call with the same arguments changes nothing."""
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}")
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user, False
    first, _, last = full_name.rpartition(" ")
    user = User(
        username=username,
        role=role,
        org_unit=org_unit,
        first_name=first,
        last_name=last or full_name,
        email=email,
    )
    user.is_staff = role == Role.ADMIN
    user.is_superuser = role == Role.ADMIN
    user.set_password(password)
    user.save()
    return user, True
