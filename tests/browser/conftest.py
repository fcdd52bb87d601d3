"""Browser journeys in real headless Chromium (Debian's /usr/bin/chromium) via Playwright.

Every test here is marked `browser` (run them alone with `make test-browser`, leave them out
with `make test-fast`) and runs against pytest-django's `live_server`, so its database rows
are committed (`transaction=True`). `serialized_rollback` puts back the reference data the
migrations load (positions, mentoring forms), which the flush after each test would erase
(see `django_db_setup` below for why that needs a hand here).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.db import DEFAULT_DB_ALIAS, connections

from orgs.two_factor import requires_two_factor
from tests.factories import DEFAULT_PASSWORD
from tests.services import in_ci

# Playwright's sync API keeps an event loop in the main thread; Django would then refuse
# synchronous database work in test set-up. Tests only (tests/conftest.py sets it too).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Quiet on a closed network: no first-run, sync, component updates or QUIC probes.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
HERE = Path(__file__).resolve().parent
_restore: dict = {}  # what the teardown hook needs: the serialized rows and the db blocker
SCREENSHOT_DIR = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/shots"))


def _is_browser_test(item) -> bool:
    return HERE in Path(item.path).resolve().parents


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(config, items):
    missing = not Path(CHROMIUM).exists()
    if missing and in_ci():
        raise pytest.UsageError(f"CI=true but no Chromium at {CHROMIUM}")
    for item in items:
        if not _is_browser_test(item):
            continue
        item.add_marker(pytest.mark.browser)
        item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))
        if missing:
            item.add_marker(pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Leave the reference data in place for whatever test runs next.

    A transactional test ends with a flush (without post_migrate under serialized_rollback),
    which empties positions, content types and the other rows the migrations created; a later
    transactional test elsewhere would find them gone.
    """
    yield
    if _is_browser_test(item) and _restore:
        connection = connections[DEFAULT_DB_ALIAS]
        with _restore["blocker"].unblock():
            connection.creation.deserialize_db_from_string(_restore["contents"])
            # Close it as Django's teardown did, or it keeps the test database from being
            # dropped at the end of the session.
            connection.close()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Make the serialized reference data reachable from the tests' database connection.

    Django keeps it on the connection object that created the test database. Connections
    live in context variables, and Playwright's sync API runs the test in a greenlet with a
    context of its own, so the test sees a fresh connection without it, and
    `serialized_rollback` silently restores nothing. Putting the string on the connection
    class makes it visible from every context; only `serialized_rollback` reads it.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    contents = getattr(connection, "_test_serialized_contents", None)
    if contents is None:
        yield
        return
    wrapper_class = type(connection)
    wrapper_class._test_serialized_contents = contents
    _restore.update(contents=contents, blocker=django_db_blocker)
    yield
    _restore.clear()
    del wrapper_class._test_serialized_contents


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright has no option for the executable: use Debian's Chromium."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "ru-RU",
        "timezone_id": "Asia/Barnaul",
        "accept_downloads": True,
        "viewport": {"width": 1400, "height": 900},
    }


@pytest.fixture
def sign_in(page, live_server):
    """`sign_in(user)`: sign in through the real login form; the page ends on the home page.
    Users who must use a second factor (orgs/two_factor.py) enter their authenticator's code
    on the second step, as they would."""

    def sign_in(user, password: str = DEFAULT_PASSWORD):
        if requires_two_factor(user):
            authenticator_code(user)  # her authenticator exists before she signs in
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.locator("form:has(#id_username) [type=submit]").click()
        page.wait_for_load_state()
        if requires_two_factor(user):
            page.fill("#id_token", authenticator_code(user))
            page.locator("form:has(#id_token) [type=submit]").click()
            page.wait_for_load_state()
        return page

    return sign_in


@pytest.fixture
def screenshot(page):
    """`screenshot(name)`: a full-page PNG in /tmp/shots, only when SCREENSHOTS=1."""

    def take(name: str) -> Path | None:
        if os.environ.get("SCREENSHOTS") != "1":
            return None
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOT_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def authenticator_code(user) -> str:
    """The current code of the user's authenticator (one is created for them if need be)."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="browser", confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
