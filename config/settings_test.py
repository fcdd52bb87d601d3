"""Test settings: the real PostgreSQL and Redis chosen by tests/services.py, fast hashing."""

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault(
    "SECRET_KEY", "tests-only-secret-8c1f5e0b7d2a49e6b3f0c9a1d4e7b2f5a8c3d6e9f0b1a2c3d4e5f6"
)

from tests.services import choose_services  # noqa: E402

choose_services()

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
CELERY_TASK_ALWAYS_EAGER = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Our own test database name: the machine's PostgreSQL is shared (and several checkouts
# may test at once, each with its own TEST_DB_NAME).
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DB_NAME", "test_nastavnik")}  # noqa: F405
# No persistent connections: a live-server or worker thread would keep the test database
# open and stop its teardown.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
