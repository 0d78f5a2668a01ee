"""Production profile: ``DJANGO_SETTINGS_MODULE=ttdn.settings_production``.

Requires TTDN_SECRET_KEY (at least 50 characters) and serves over HTTPS only.
Passes ``ttdn check --deploy`` with no warnings.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from ttdn.settings import *  # noqa: F401,F403
from ttdn.settings import VAR_DIR, env_bool

DEBUG = False
STATIC_ROOT = VAR_DIR / "static"
SECRET_KEY = os.environ.get("TTDN_SECRET_KEY", "")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("TTDN_SECRET_KEY must be set to a random string of at least 50 characters")

SECURE_SSL_REDIRECT = env_bool("TTDN_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("TTDN_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
EMAIL_BACKEND = os.environ.get("TTDN_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("TTDN_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("TTDN_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("TTDN_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("TTDN_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("TTDN_EMAIL_TLS", "") == "1"
EMAIL_TIMEOUT = 10  # a mail server that hangs never holds a request
