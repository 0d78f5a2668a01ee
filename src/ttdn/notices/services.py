"""Creating notices: the services that change a state (issue, submit, return, approve, accept, overdue,
reminder) call ``notify`` with who must know. Each notice is a row for the bar and the home pages; those
users who have an e-mail address also get it by mail (Django's e-mail framework, the file backend in the
demo), sent once the change is committed so a rolled-back change sends nothing."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ttdn.accounts.models import Role, User
from ttdn.notices.models import Notice
from ttdn.orgs.models import OrgUnit

log = logging.getLogger(__name__)

UNIT_STAFF = (Role.UNIT_OFFICER, Role.UNIT_LEADER)
MAX_MESSAGE = 500


def unit_people(unit: OrgUnit | None, roles: Iterable[str] = UNIT_STAFF) -> list[User]:
    """The active users of one body with one of the roles (cán bộ, lãnh đạo đơn vị)."""
    if unit is None:
        return []
    return list(User.objects.filter(org_unit=unit, is_active=True, role__in=list(roles)))


def central_people() -> list[User]:
    """The officers of the central department (cán bộ Cục), who receive what bodies send up."""
    return list(User.objects.filter(is_active=True, role=Role.CENTRAL_OFFICER))


def _clean(text: str) -> str:
    """One line of printable text: no control characters reach the database or a mail."""
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(text.split())[:MAX_MESSAGE]


def notify(
    people: Iterable[Any], kind: str, message: str, url: str = "", *, actor: Any = None, email: bool = True
) -> int:
    """One notice per person (the one who acted is left out: nobody is told what they just did)."""
    actor_id = getattr(actor, "pk", None)
    unique = {p.pk: p for p in people if p is not None and p.pk != actor_id}
    if not unique:
        return 0
    text = _clean(message)
    Notice.objects.bulk_create(
        [Notice(user=p, kind=kind, message=text, url=url[:300]) for p in unique.values()]
    )
    addresses = [p.email for p in unique.values() if p.email]
    if email and addresses:
        subject = _("[TTĐN] %(what)s") % {"what": text[:120]}
        site = getattr(settings, "TTDN_SITE_URL", "").rstrip("/")
        body = f"{text}\n\n{site}{url}" if url else text  # a mail is read outside the site: the whole address
        transaction.on_commit(lambda: _mail(subject, body, addresses))
    return len(unique)


def _mail(subject: str, body: str, addresses: list[str]) -> None:
    """One mail per address; a mail server that fails is logged, the change it reports stands."""
    try:
        send_mass_mail([(subject, body, None, [a]) for a in addresses], fail_silently=False)
    except Exception:  # noqa: BLE001 (any transport error: SMTP, socket, file)
        log.exception("notice e-mail to %d addresses failed", len(addresses))


def mark_read(user: Any, pk: int | None = None) -> int:
    """Mark one notice (or all of them) of the user as read; another user's notice is never touched."""
    mine = Notice.objects.filter(user=user, read_at__isnull=True)
    if pk is not None:
        mine = mine.filter(pk=pk)
    return mine.update(read_at=timezone.now())
