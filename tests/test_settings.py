"""Settings come from the environment and refuse malformed values at start-up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD = {
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/nastavnik",
    "SECRET_KEY": "x" * 60 + "-a-long-and-random-enough-secret-key-for-the-deploy-check",
    "DEBUG": "false",
    "ALLOWED_HOSTS": "nastavnik.example.ru",
}


def run(code: str, **env: str) -> subprocess.CompletedProcess:
    dropped = {*GOOD, "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in dropped}
    environment.update({"DJANGO_SETTINGS_MODULE": "config.settings", **env})
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG must be a boolean"),
        ("DATABASE_URL", "mysql://root@localhost/db", "DATABASE_URL must be a URL"),
        ("REDIS_URL", "localhost:6379", "REDIS_URL must be a URL"),
        ("ALLOWED_HOSTS", "a.ru,,b.ru", "ALLOWED_HOSTS must be a comma-separated list"),
    ],
)
def test_malformed_value_stops_start_up_with_a_clear_error(name, value, message):
    result = run("import config.settings", **{**GOOD, name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_production_without_secret_key_refuses_to_start():
    env = {**GOOD}
    env.pop("SECRET_KEY")
    result = run("import config.settings", **env)
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = run(
        "import django, sys; django.setup(); from django.core.management import call_command; "
        "call_command('check', '--deploy', '--fail-level', 'WARNING')",
        **GOOD,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_without_redis_tasks_run_in_process():
    result = run(
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CELERY_TASK_ALWAYS_EAGER, settings.CELERY_BROKER_URL)",
        **GOOD,
    )
    assert result.stdout.split() == ["True", "memory://localhost/"]


def test_with_redis_tasks_go_to_the_broker():
    result = run(
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CELERY_TASK_ALWAYS_EAGER, settings.CELERY_BROKER_URL)",
        **GOOD,
        REDIS_URL="redis://127.0.0.1:6379/5",
    )
    assert result.stdout.split() == ["False", "redis://127.0.0.1:6379/5"]


def test_debug_is_off_when_the_variable_is_missing():
    env = {**GOOD}
    env.pop("DEBUG")
    result = run("import config.settings as s; print(s.DEBUG)", **env)
    assert result.stdout.split() == ["False"], result.stderr


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("x", "SECRET_KEY must be at least 50 random characters"),
        ("x" * 80, "SECRET_KEY must be at least 50 random characters"),
        (
            "insecure-demo-key-only-for-debug" + "a1b2c3d4e5" * 3,
            "must not be a default or example key",
        ),
        ("django-insecure-" + "q7w8e9r0t1y2u3i4o5p6" * 3, "must not be a default or example key"),
    ],
)
@pytest.mark.parametrize("debug", ["false", "true"])
def test_a_short_or_default_secret_key_stops_start_up(key, message, debug):
    result = run("import config.settings", **{**GOOD, "SECRET_KEY": key, "DEBUG": debug})
    assert result.returncode != 0
    assert message in result.stderr


def test_a_debug_checkout_without_a_key_gets_a_random_one_not_a_built_in_one():
    env = {**GOOD, "DEBUG": "true"}
    env.pop("SECRET_KEY")
    result = run("import config.settings as s; print(s.SECRET_KEY)", **env)
    assert result.returncode == 0, result.stderr
    key = result.stdout.strip()
    assert len(key) >= 50
    assert key not in (ROOT / "config" / "settings.py").read_text()


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    dropped = {*GOOD, "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    environment = {k: v for k, v in os.environ.items() if k not in dropped}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_checking_migrations_needs_no_secret_key_but_serving_does():
    checked = manage("makemigrations", "--check", "--dry-run")
    assert checked.returncode == 0, checked.stderr
    assert "No changes detected" in checked.stdout

    # Anything that may serve or sign still stops at start-up without a key.
    served = manage("diffsettings")
    assert served.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in served.stderr


def test_web_process_keeps_loaded_portal_out_of_collector():
    """A web worker freezes what loading the portal created (modules, models, settings):
    the collector's full passes, which otherwise walk it every few requests, skip it."""
    result = run(
        "import gc, config.wsgi; print(gc.get_freeze_count(), len(gc.get_objects(2)))", **GOOD
    )
    assert result.returncode == 0, result.stderr
    frozen, left_in_oldest = map(int, result.stdout.split())
    assert frozen > 50_000
    assert left_in_oldest < frozen / 100
