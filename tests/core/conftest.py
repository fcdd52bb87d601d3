"""Tests against the live test server with real concurrent requests.

They need committed rows (`transaction=True`); the flush that ends such a test also empties
the reference rows the migrations created (positions, mentoring forms...), so they are put
back after each test here, for whatever runs next (as tests/browser/conftest.py does)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import DEFAULT_DB_ALIAS, connections

HERE = Path(__file__).resolve().parent


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    if nextitem is None or HERE not in Path(item.path).resolve().parents:
        return  # the last test: the test database is already gone
    connection = connections[DEFAULT_DB_ALIAS]
    contents = getattr(connection, "_test_serialized_contents", None)
    if not contents or "django_db_blocker" not in item.funcargs:
        return
    with item.funcargs["django_db_blocker"].unblock():
        connection.creation.deserialize_db_from_string(contents)
        connection.close()
