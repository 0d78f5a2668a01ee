"""Sessions in a shared cache (TTDN_REDIS_URL): read without the database, and ended everywhere at logout."""

from __future__ import annotations

import socket

import pytest
from django.test import Client, override_settings

from ttdn.site.demo import DEMO_PASSWORD


def redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/15",
    }
}


@pytest.mark.skipif(not redis_up(), reason="no Redis server at 127.0.0.1:6379")
@pytest.mark.django_db
def test_a_cached_session_needs_no_query_and_ends_at_logout(django_assert_num_queries) -> None:
    with override_settings(CACHES=REDIS, SESSION_ENGINE="django.contrib.sessions.backends.cached_db"):
        from django.core.cache import caches

        caches["default"].clear()
        client = Client()
        assert client.post("/login/", {"username": "cuc.canbo", "password": DEMO_PASSWORD}).status_code == 302
        client.get("/")
        stolen = client.cookies["sessionid"].value
        from django.contrib.sessions.backends.cached_db import SessionStore

        with django_assert_num_queries(0):
            assert SessionStore(stolen).load().get("_auth_user_id")  # from the cache alone
        client.post("/logout/")
        other = Client()
        other.cookies["sessionid"] = stolen
        assert other.get("/").status_code == 302  # the ended session opens nothing
        caches["default"].clear()
