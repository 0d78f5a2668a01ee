"""Scope (phạm vi): the one gate that says which bodies' private data a user may read or change.

A user's scope is their body and its sub-units (through the materialised path),
widened through the lineage to the bodies that merged into it (a new province's
officer reads the records of the provinces it was formed from). Administrators,
central officers and anyone working in the central TTĐN department see everything.

Every selector and service that returns or changes body-owned rows goes through
here: ``restrict`` for a queryset, ``visible_units`` for the bodies themselves,
``in_scope`` for one body. ``tests/test_architecture.py`` holds them to it.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from ttdn.accounts.models import Role, User
from ttdn.orgs.models import DesignationRole, OrgDesignation, OrgUnit, OrgUnitQuerySet

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
    # Asked several times a request (five on a unit officer's pages): answered once per user object, that is
    # once a request, for the body the user has now.
    known = user.__dict__.get("_ttdn_central")
    if known is not None and known[0] == user.org_unit_id:
        return known[1]
    central = OrgDesignation.objects.filter(unit_id=user.org_unit_id, role=DesignationRole.CENTRAL).exists()
    user.__dict__["_ttdn_central"] = (user.org_unit_id, central)
    return central


def scope_prefixes(user: User) -> list[str] | None:
    """Materialised-path prefixes of the user's scope; ``None`` means everything."""
    from ttdn.orgs.selectors import predecessors  # lineage: selectors read the events, which read the bodies

    if is_central(user):
        return None
    if not user.is_authenticated or not user.is_active or user.org_unit is None:
        return []
    unit = user.org_unit
    return [unit.path, *(p.path for p in predecessors(unit))]


def scope_key(user: User) -> str:
    """What a user's scope is, as a key for fragments kept per scope: the same for every central reader, the
    same for two officers of one body."""
    prefixes = scope_prefixes(user)
    return "*" if prefixes is None else "|".join(sorted(prefixes))


def visible_units(user: User, *, as_of: dt.date | None = None) -> OrgUnitQuerySet:
    """The bodies whose private data ``user`` may read; ``as_of``: only those that existed on that day."""
    qs = OrgUnit.objects.all()
    if as_of is not None:
        qs = qs.valid_on(as_of)
    prefixes = scope_prefixes(user)
    return qs if prefixes is None else qs.subtree_of(prefixes)


def restrict(qs: QuerySet, user: User, *via: str) -> QuerySet:
    """A queryset of body-owned rows cut to the user's scope. ``via``: the paths from a row to the body that
    owns it ("unit", "task__lead"); a row is kept when any of them is in scope. A path through a
    many-to-many relation ("task__coordinators") is tested with EXISTS, so no row comes back twice."""
    prefixes = scope_prefixes(user)
    if prefixes is None:
        return qs
    if not prefixes:
        return qs.none()
    condition = Q(pk__in=[])
    for path in via or ("unit",):
        many = _many_to_many(qs.model, path)
        if many is None:
            for prefix in prefixes:
                condition |= Q(**{f"{path}__path__startswith": prefix})
            continue
        through, own, other = many
        inner = Q(pk__in=[])
        for prefix in prefixes:
            inner |= Q(**{f"{other}__path__startswith": prefix})
        head, _, _ = path.rpartition("__")
        outer = f"{head}_id" if head else "pk"
        condition |= Exists(through.objects.filter(inner, **{own: OuterRef(outer)}))
    return qs.filter(condition)


def _many_to_many(model: type, path: str) -> tuple[type, str, str] | None:
    """(through model, its field towards the row, its field towards the body) when ``path`` ends in a
    many-to-many relation to bodies, else None."""
    *hops, last = path.split("__")
    for hop in hops:
        model = model._meta.get_field(hop).related_model
    field = model._meta.get_field(last)
    if not field.many_to_many:
        return None
    through = field.remote_field.through
    own = next(f.name for f in through._meta.fields if f.is_relation and f.related_model is model)
    other = next(
        f.name for f in through._meta.fields if f.is_relation and f.related_model is OrgUnit and f.name != own
    )
    return through, f"{own}_id", other


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
