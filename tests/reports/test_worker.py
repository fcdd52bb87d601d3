"""A real Celery worker (in a thread) on the machine's Redis builds the reports.

The queue is ours alone (a random name per run), so no other worker on the machine takes our
tasks; Redis is never flushed. The worker's thread has its own database connection, so the
rows are committed (`transaction=True`); `serialized_rollback` puts back the reference data
(mentoring forms, difficulty areas, survey questions) the flush after a transactional test
removes.
"""

from __future__ import annotations

import re
import time
from uuid import uuid4

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections

from config.celery import app
from reports import services as reports
from reports.models import Report, ReportKind, ReportStatus
from tests.reports.conftest import COMMITTEE, YEAR, pdf_text

pytestmark = [
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _close_worker_connections(**kwargs):
    # The worker's thread opened its own connection: close it after each task, or the test
    # database cannot be flushed or dropped.
    connections.close_all()


@pytest.fixture
def worker():
    queue = f"nastavnik-test-{uuid4().hex[:8]}"
    saved = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    task_postrun.connect(_close_worker_connections, weak=False)
    try:
        with start_worker(
            app, queues=[queue], pool="solo", perform_ping_check=False, shutdown_timeout=20
        ):
            yield queue
    finally:
        task_postrun.disconnect(_close_worker_connections)
        app.conf.task_always_eager, app.conf.task_default_queue = saved
        _forget_queue(queue)


def _forget_queue(queue: str) -> None:
    """Remove the keys our queue left in the shared Redis (never a flush), and check none is
    left: the list, its priority lists and the exchange binding."""
    with app.connection_for_write() as connection:
        client = connection.default_channel.client
        keys = [queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"]
        keys += [f"{queue}\x06\x16{priority}" for priority in range(10)]
        client.delete(*keys)
        assert not client.keys(f"*{queue}*"), "the test queue left keys in Redis"


def wait_until_done(report: Report, seconds: float = 90) -> Report:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.status in (ReportStatus.READY, ReportStatus.FAILED):
            return report
        time.sleep(0.2)
    raise AssertionError(f"report still {report.status} after {seconds} s")


def test_worker_builds_the_ordered_municipal_report_with_the_right_numbers(committee, worker):
    report = reports.report_order(
        user=None, kind=ReportKind.MUNICIPAL, year=YEAR, municipality=committee
    )
    assert Report.objects.get(pk=report.pk).status == ReportStatus.QUEUED

    report = wait_until_done(report)

    assert report.status == ReportStatus.READY, report.failure_reason
    assert report.attempts == 1 and report.started_at <= report.finished_at
    text = pdf_text(report.file.read())
    assert COMMITTEE in text
    assert YEAR in text
    for name in committee.organizations.values_list("short_name", flat=True):
        assert name in text
    # Coverage of school A: 3 teachers need a mentor, 2 have one (66,7 %).
    assert re.search(r"Барановская СОШ \S+ 3 2 66,7 ", text)
    # Pairs of school A: 1 pair, 1 group, 1 inter-organization pair, 6 meetings.
    assert "Барановская СОШ 1 1 1 6" in text


def test_build_interrupted_on_the_worker_is_retried_and_the_report_is_built_once(
    committee, worker, monkeypatch, settings
):
    renders = []
    real_render = reports.render

    def dies_the_first_time(report):
        renders.append(report.pk)
        if len(renders) == 1:
            raise ConnectionResetError("worker lost in the middle of the build")
        return real_render(report)

    monkeypatch.setattr(reports, "render", dies_the_first_time)
    report = reports.report_order(
        user=None, kind=ReportKind.MUNICIPAL, year=YEAR, municipality=committee
    )

    report = wait_until_done(report)

    assert report.status == ReportStatus.READY, report.failure_reason
    assert report.attempts == 2 and len(renders) == 2
    assert report.failure_reason == ""
    stored = list((settings.MEDIA_ROOT / "reports").iterdir())
    assert [path.name for path in stored] == [report.file.name.split("/")[-1]]
