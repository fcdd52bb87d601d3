"""Which PostgreSQL and Redis the test suite talks to.

DATABASE_URL / REDIS_URL when set; else the machine's PostgreSQL on 127.0.0.1:5432 and
Redis on 127.0.0.1:6379 when they answer; else the embedded PostgreSQL, and the tests that
need Redis are skipped. Under CI=true both real services are required: no fallback, no skip.
"""

from __future__ import annotations

import os
import socket

# The maintenance database: the suite creates and drops its own (TEST_DB_NAME).
LOCAL_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"
# A database number of our own: Redis is shared by everything on the machine.
LOCAL_REDIS_URL = "redis://127.0.0.1:6379/13"


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def choose_services() -> None:
    if not os.environ.get("DATABASE_URL"):
        if _answers("127.0.0.1", 5432):
            os.environ["DATABASE_URL"] = LOCAL_POSTGRES_URL
        elif in_ci():
            raise RuntimeError("CI needs PostgreSQL on 127.0.0.1:5432 or DATABASE_URL")
    if not os.environ.get("REDIS_URL"):
        if _answers("127.0.0.1", 6379):
            os.environ["REDIS_URL"] = LOCAL_REDIS_URL
        elif in_ci():
            raise RuntimeError("CI needs Redis on 127.0.0.1:6379 or REDIS_URL")


def redis_available() -> bool:
    return bool(os.environ.get("REDIS_URL"))
