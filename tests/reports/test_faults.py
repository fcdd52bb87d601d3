"""Reports under the faults of a real office: the whole worker killed in the middle of a build,
and the broker unreachable when a report is ordered.

The worker is a real process (tests/reports/worker_process.py) on the machine's Redis, with
a queue of its own; the sweep is called every 60 seconds as Celery beat calls it
(`requeue-stuck-reports` runs every minute).
"""

from __future__ import annotations

import datetime
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from uuid import uuid4

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings as django_settings
from django.db import connection, connections
from django.urls import reverse

from config.celery import app
from reports import services as reports
from reports.models import Report, ReportKind, ReportStatus
from tests.reports.conftest import YEAR

pytestmark = [
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROOT = Path(__file__).resolve().parents[2]
SWEEP_EVERY = 60  # seconds, as in CELERY_BEAT_SCHEDULE
CLOSED_PORT = 8123  # nothing listens here: the broker is "down"


@pytest.fixture
def queue():
    name = f"nastavnik-test-{uuid4().hex[:8]}"
    saved = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = name
    yield name
    app.conf.task_always_eager, app.conf.task_default_queue = saved


def _database_url() -> str:
    db = connection.settings_dict
    if str(db["HOST"]).startswith("/"):
        pytest.skip("the worker process needs PostgreSQL over TCP")
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _worker(queue: str, slow: float = 0) -> subprocess.Popen:
    env = os.environ | {
        "DATABASE_URL": _database_url(),
        "MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
    }
    args = [sys.executable, "-m", "tests.reports.worker_process", queue]
    if slow:
        args.append(str(slow))
    return subprocess.Popen(args, cwd=ROOT, env=env)


def _wait_for(report: Report, statuses: set[str], seconds: float) -> Report:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.status in statuses:
            return report
        time.sleep(0.5)
    raise AssertionError(f"report still {report.status} after {seconds} s")


def test_worker_killed_in_the_middle_of_a_build_the_report_is_built_once_by_a_new_worker(
    committee, queue, settings
):
    report = reports.report_order(
        user=None, kind=ReportKind.MUNICIPAL, year=YEAR, municipality=committee
    )
    doomed = _worker(queue, slow=600)
    rescuer = None
    try:
        _wait_for(report, {ReportStatus.BUILDING}, 90)
        time.sleep(settings.REPORTS_HEARTBEAT_SECONDS + 2)  # at least one heartbeat
        report.refresh_from_db()
        assert report.heartbeat_at > report.started_at  # the heartbeat is beating

        doomed.send_signal(signal.SIGKILL)  # the main process: no shutdown, no reject
        doomed.wait(timeout=10)
        killed_at = time.monotonic()
        rescuer = _worker(queue)

        next_sweep = killed_at + SWEEP_EVERY
        while time.monotonic() - killed_at < 180:
            if time.monotonic() >= next_sweep:
                reports.reports_requeue_stuck()
                next_sweep += SWEEP_EVERY
            report.refresh_from_db()
            if report.status in (ReportStatus.READY, ReportStatus.FAILED):
                break
            time.sleep(1)
        recovered_in = time.monotonic() - killed_at
        print(f"\nreport ready {recovered_in:.0f} s after the worker was killed")
    finally:
        for process in (doomed, rescuer):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(timeout=30)
        connections.close_all()

    assert report.status == ReportStatus.READY, (report.status, report.failure_reason)
    assert recovered_in < 180
    assert report.attempts == 2  # the killed build and the one that finished
    # One build stored: one PDF and its Word copy, nothing from the killed build.
    stored = sorted(path.name for path in (settings.MEDIA_ROOT / "reports").iterdir())
    assert stored == sorted([report.file.name.split("/")[-1], report.docx.name.split("/")[-1]])


def _use_broker(url: str) -> None:
    """Point the Celery app of this process at another broker (its pools are rebuilt)."""
    app.conf.broker_url = url
    app.conf.broker_write_url = url
    app._after_fork()  # forget the pooled connections to the previous broker


def _close_worker_connections(**kwargs):
    connections.close_all()


def test_report_ordered_while_the_broker_is_down_is_kept_and_built_when_it_returns(
    committee, district, queue, client_for
):
    client = client_for(district.coordinator)
    broker = app.conf.broker_url
    _use_broker(f"redis://127.0.0.1:{CLOSED_PORT}/13")
    try:
        pages = []
        for _attempt in range(2):  # the user tries again
            form_page = client.get(reverse("reports:list")).content.decode()
            token = re.search(r'name="form_token" value="([^"]+)"', form_page).group(1)
            data = {"kind": "municipal", "year": YEAR, "form_token": token}
            pages.append(client.post(reverse("reports:order"), data, follow=True))
    finally:
        _use_broker(broker)

    assert [page.status_code for page in pages] == [200, 200]
    first, again = (page.content.decode() for page in pages)
    assert "Очередь сборки сейчас недоступна" in first
    assert "уже заказан" in again
    report = Report.objects.get()  # one order, however many times it was sent
    assert report.status == ReportStatus.QUEUED and report.due_at is None
    assert "Очередь сборки сейчас недоступна" in report.failure_reason

    task_postrun.connect(_close_worker_connections, weak=False)
    try:
        with start_worker(
            app, queues=[queue], pool="solo", perform_ping_check=False, shutdown_timeout=20
        ):
            later = report.requested_at + datetime.timedelta(seconds=30)
            assert reports.reports_requeue_stuck(now=later) == [report.pk]
            report = _wait_for(report, {ReportStatus.READY, ReportStatus.FAILED}, 90)
    finally:
        task_postrun.disconnect(_close_worker_connections)

    assert report.status == ReportStatus.READY, report.failure_reason
    assert report.failure_reason == "" and report.attempts == 1
    assert Report.objects.count() == 1
