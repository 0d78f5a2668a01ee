from __future__ import annotations

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, object]:
    from ttdn.orgs.scope import can_see_audit, is_central

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_is_central": False, "nav_is_admin": False}
    from django.utils.functional import SimpleLazyObject

    def unread() -> int:
        from ttdn.notices.selectors import unread_count

        return unread_count(user)

    from ttdn.core.versions import fragment_key

    admin = can_see_audit(user)
    match = getattr(request, "resolver_match", None)
    where = (match.app_name, match.url_name) if match else ("", "")
    return {
        "nav_is_central": is_central(user),
        "nav_is_admin": admin,
        "nav_unread": SimpleLazyObject(unread),
        # the main menu's links, rendered once per page kind, language and admin right (no data in them)
        "nav_key": fragment_key("nav", (*where, admin), reads=()),
    }
