"""Scope is enforced in selectors and services, for every role and every URL."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from ttdn.orgs.scope import in_scope, scope_prefixes, visible_units
from ttdn.orgs.services import update_contact
from ttdn.site.demo import DEMO_PASSWORD

# Quảng Trị (new, T44-2025) was formed from Quảng Bình (T44) and Quảng Trị (T45).
OWN, OWN_OLD, OTHER, OTHER_DEPT, MINISTRY = "T44-2025", "T44", "T75-2025", "T75-2025-SVHTTDL", "BNG"

# username -> expected status of each URL pattern
MATRIX = {
    "quantri": {
        "home": 200,
        "dir": 200,
        "detail": 200,
        "priv_own": 200,
        "priv_old": 200,
        "priv_other": 200,
        "priv_other_dept": 200,
        "audit": 200,
    },
    "cuc.canbo": {
        "home": 200,
        "dir": 200,
        "detail": 200,
        "priv_own": 200,
        "priv_old": 200,
        "priv_other": 200,
        "priv_other_dept": 200,
        "audit": 403,
    },
    "cuc.phantich": {
        "home": 200,
        "dir": 200,
        "detail": 200,
        "priv_own": 200,
        "priv_old": 200,
        "priv_other": 200,
        "priv_other_dept": 200,
        "audit": 403,
    },
    "quangtri.canbo": {
        "home": 200,
        "dir": 200,
        "detail": 200,
        "priv_own": 200,
        "priv_old": 200,
        "priv_other": 403,
        "priv_other_dept": 403,
        "audit": 403,
    },
    "quangtri.lanhdao": {
        "home": 200,
        "dir": 200,
        "detail": 200,
        "priv_own": 200,
        "priv_old": 200,
        "priv_other": 403,
        "priv_other_dept": 403,
        "audit": 403,
    },
    "dongnai.canbo": {
        "home": 200,
        "dir": 200,
        "detail": 200,
        "priv_own": 403,
        "priv_old": 403,
        "priv_other": 200,
        "priv_other_dept": 200,
        "audit": 403,
    },
    "bng.xem": {
        "home": 200,
        "dir": 200,
        "detail": 200,
        "priv_own": 403,
        "priv_old": 403,
        "priv_other": 403,
        "priv_other_dept": 403,
        "audit": 403,
    },
}
URLS = {
    "home": "/",
    "dir": "/orgs/?q=quang+tri",
    "detail": f"/orgs/{OTHER}/",
    "priv_own": f"/orgs/{OWN}/private/",
    "priv_old": f"/orgs/{OWN_OLD}/private/",
    "priv_other": f"/orgs/{OTHER}/private/",
    "priv_other_dept": f"/orgs/{OTHER_DEPT}/private/",
    "audit": f"/orgs/{OWN}/audit/",
}


@pytest.mark.django_db
@pytest.mark.parametrize("username", sorted(MATRIX))
def test_every_role_every_url(username: str) -> None:
    client = Client()
    assert client.post("/login/", {"username": username, "password": DEMO_PASSWORD}).status_code == 302
    got = {key: client.get(url).status_code for key, url in URLS.items()}
    assert got == MATRIX[username]


@pytest.mark.django_db
@pytest.mark.parametrize("url", list(URLS.values()))
def test_anonymous_is_sent_to_login(url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.django_db
def test_scope_prefixes(user, unit) -> None:  # noqa: ANN001
    assert scope_prefixes(user("cuc.canbo")) is None
    prefixes = scope_prefixes(user("quangtri.canbo"))
    assert set(prefixes) == {"/T44-2025/", "/T44/", "/T45/"}
    assert in_scope(user("quangtri.canbo"), unit("T45-STTTT"))
    assert not in_scope(user("quangtri.canbo"), unit("T70"))
    visible = visible_units(user("dongnai.canbo"))
    assert visible.filter(code="T70-STTTT").exists()
    assert not visible.filter(code__startswith="T44").exists()
    # as of a day: Quảng Trị's officer sees the old Quảng Bình (T44) of 2012, not the bodies formed in 2025
    old = visible_units(user("quangtri.canbo"), as_of=dt.date(2012, 6, 1))
    assert old.filter(code="T44").exists() and not old.filter(code="T44-2025").exists()


@pytest.mark.django_db
def test_service_refuses_writes_out_of_scope(user, unit) -> None:  # noqa: ANN001
    target = unit(OTHER)
    with pytest.raises(PermissionDenied):
        update_contact(user("quangtri.canbo"), target, {"phone": "0123"})
    with pytest.raises(PermissionDenied):
        update_contact(user("bng.xem"), unit(MINISTRY), {"phone": "0123"})
    # Historical bodies are read-only, even in scope.
    with pytest.raises(PermissionDenied):
        update_contact(user("quangtri.canbo"), unit(OWN_OLD), {"phone": "0123"})
    assert unit(OTHER).phone == "" and unit(OWN_OLD).phone == ""
    updated = update_contact(user("quangtri.canbo"), unit(OWN), {"phone": "0233 3852 000"})
    assert updated.phone == "0233 3852 000"


@pytest.mark.django_db
def test_inactive_user_has_no_scope(user, unit) -> None:  # noqa: ANN001
    officer = user("quangtri.canbo")
    officer.is_active = False
    assert scope_prefixes(officer) == []
    assert not in_scope(officer, unit(OWN))


@pytest.mark.django_db
def test_whether_a_user_is_central_is_asked_of_the_database_once_per_user_object(
    django_assert_num_queries,
) -> None:
    from ttdn.accounts.models import User
    from ttdn.orgs.models import OrgUnit
    from ttdn.orgs.scope import is_central

    officer = User.objects.get(username="quangtri.canbo")
    with django_assert_num_queries(1):
        assert [is_central(officer) for _ in range(5)] == [False] * 5
    officer.org_unit = OrgUnit.objects.get(code="BVHTTDL-TTCSTTDN")  # moved to the central department
    assert is_central(officer) is True  # a new body is asked again
