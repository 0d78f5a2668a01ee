"""Test settings: the real settings with a fast password hasher.

On SQLite the test database is a file (not shared memory), so the browser
tests' server threads and the tests read and write the same database with
the same WAL locking as in production.
"""

import os
import tempfile

from ttdn.settings import *  # noqa: F401,F403
from ttdn.settings import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(tempfile.gettempdir(), f"ttdn-test-{os.getpid()}.sqlite3")
    }

MEDIA_ROOT = tempfile.mkdtemp(prefix="ttdn-test-media-")

from pathlib import Path  # noqa: E402

SECRET_KEY_FILE = (
    Path(MEDIA_ROOT) / "secret_key"
)  # `ttdn setup` in a test writes its key there, not into var/
TTDN_LINEAGE_RECHECK_SECONDS = 0.0  # every look checks the registry version (rollbacks send no signal)
