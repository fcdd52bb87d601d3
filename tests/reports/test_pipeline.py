"""The build is idempotent, retried, taken up again when its worker died, and given up with a
reason; the annual reports are ordered once a year. Tasks run in-process here (eager)."""

from __future__ import annotations

import datetime
import uuid

import pytest
import time_machine
from django.utils import timezone, translation

from reports import services as reports
from reports import tasks
from reports.models import Report, ReportKind, ReportStatus
from tests.reports.conftest import YEAR


@pytest.fixture
def queued(committee, django_capture_on_commit_callbacks, monkeypatch):
    """A municipal report saved, its build not yet run."""
    monkeypatch.setattr(reports, "enqueue_build", lambda *args, **kwargs: None)
    return reports.report_order(
        user=None, kind=ReportKind.MUNICIPAL, year=YEAR, municipality=committee
    )


@pytest.fixture
def counted(monkeypatch):
    renders = []
    real_render = reports.render

    def render(report):
        renders.append(report.pk)
        return real_render(report)

    monkeypatch.setattr(reports, "render", render)
    return renders


def test_build_task_is_acknowledged_late_and_retried_after_minutes_not_seconds():
    task = tasks.build_report
    assert task.acks_late is True
    assert task.reject_on_worker_lost is True
    assert task.max_retries >= 1
    delays = [reports.retry_delay(n) for n in range(task.max_retries)]
    assert delays == [60, 120, 240]
    assert sum(delays) > 6 * 60  # a database restart of several minutes is waited out


def test_a_ready_report_is_not_built_again(queued, counted):
    tasks.build_report.apply(args=[queued.pk])
    first = Report.objects.get(pk=queued.pk)
    tasks.build_report.apply(args=[queued.pk])
    again = Report.objects.get(pk=queued.pk)
    assert counted == [queued.pk]
    assert again.status == ReportStatus.READY
    assert again.file.name == first.file.name and again.attempts == 1


def test_report_left_building_by_a_dead_worker_is_requeued_and_built_once(
    queued, counted, monkeypatch, settings, django_capture_on_commit_callbacks
):
    real_render = reports.render

    def killed(report):
        counted.append(report.pk)
        raise SystemExit("the worker process was killed")  # not an Exception: no retry

    monkeypatch.setattr(reports, "render", killed)
    with pytest.raises(SystemExit):
        tasks.build_report.apply(args=[queued.pk], throw=True)
    stuck = Report.objects.get(pk=queued.pk)
    assert stuck.status == ReportStatus.BUILDING and stuck.attempts == 1

    # Not yet past the limit: left alone.
    assert reports.reports_requeue_stuck() == []
    monkeypatch.undo()  # the real enqueue_build: in-process, as in demo mode
    monkeypatch.setattr(reports, "render", real_render)
    later = timezone.now() + datetime.timedelta(seconds=settings.REPORTS_STUCK_AFTER_SECONDS + 1)
    with django_capture_on_commit_callbacks(execute=True):
        requeued = reports.reports_requeue_stuck(now=later)
    assert requeued == [queued.pk]

    report = Report.objects.get(pk=queued.pk)
    assert report.status == ReportStatus.READY and report.attempts == 2
    assert counted == [queued.pk, queued.pk]  # killed once, then one whole build
    # One PDF and its Word copy: nothing left over from the killed build.
    assert sorted(path.name for path in (settings.MEDIA_ROOT / "reports").iterdir()) == sorted(
        [report.file.name.split("/")[-1], report.docx.name.split("/")[-1]]
    )


def test_failed_attempts_are_retried_and_the_last_failure_keeps_its_reason(queued, monkeypatch):
    calls = []

    def broken(report):
        calls.append(report.pk)
        raise ValueError("chart data missing")

    monkeypatch.setattr(reports, "render", broken)
    tasks.build_report.apply(args=[queued.pk])
    report = Report.objects.get(pk=queued.pk)
    assert len(calls) == tasks.build_report.max_retries + 1
    assert report.status == ReportStatus.FAILED
    assert report.failure_reason == "ValueError: chart data missing"
    assert report.finished_at is not None and not report.file


def test_a_report_that_keeps_dying_gives_up_after_the_attempts_limit(queued, settings):
    Report.objects.filter(pk=queued.pk).update(
        status=ReportStatus.BUILDING,
        attempts=settings.REPORTS_MAX_ATTEMPTS,
        started_at=timezone.now() - datetime.timedelta(days=1),
    )
    assert reports.reports_requeue_stuck() == []
    report = Report.objects.get(pk=queued.pk)
    assert report.status == ReportStatus.FAILED
    assert str(settings.REPORTS_MAX_ATTEMPTS) in report.failure_reason


def test_annual_reports_are_ordered_once_after_the_date_in_settings(
    committee, dataset, settings, monkeypatch, django_capture_on_commit_callbacks
):
    built = []
    monkeypatch.setattr(reports, "enqueue_build", lambda pk, **kwargs: built.append(pk))
    settings.REPORTS_ANNUAL_ORDER_DATE = "07-01"
    organizations = committee.organizations.count()
    other = dataset.district.other_municipality

    with time_machine.travel(datetime.date(2027, 6, 30), tick=False):
        assert tasks.order_annual_reports.apply().get() == 0
    with time_machine.travel(datetime.date(2027, 7, 1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            ordered = tasks.order_annual_reports.apply().get()
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.order_annual_reports.apply().get() == 0  # the same day again
    with time_machine.travel(datetime.date(2027, 8, 15), tick=False):
        assert tasks.order_annual_reports.apply().get() == 0  # later in the summer

    scheduled = Report.objects.filter(academic_year="2026/2027", requested_by__isnull=True)
    assert ordered == 2 + organizations + other.organizations.count()
    assert scheduled.filter(kind=ReportKind.MUNICIPAL, municipality=committee).count() == 1
    assert scheduled.filter(kind=ReportKind.ORGANIZATION).count() == organizations
    assert sorted(built) == sorted(scheduled.values_list("pk", flat=True))


def test_a_lost_build_is_noticed_within_minutes_and_never_redelivered_too_early(settings):
    sweep = settings.CELERY_BEAT_SCHEDULE["requeue-stuck-reports"]["schedule"]
    assert sweep.minute == set(range(60)) and sweep.hour == set(range(24))  # every minute
    assert settings.REPORTS_HEARTBEAT_SECONDS * 3 <= settings.REPORTS_STUCK_AFTER_SECONDS <= 120
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert visibility > settings.REPORTS_RETRY_MAX_SECONDS  # a delayed retry is not run twice
    assert visibility > 10 * 60  # nor the longest build (about a minute for a region)
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_an_attempt_that_failed_tells_the_user_why_and_when_the_next_one_is(queued):
    Report.objects.filter(pk=queued.pk).update(status=ReportStatus.BUILDING)
    with translation.override("ru"):
        reports.report_failed(
            queued.pk, "OperationalError: connection refused", final=False, retry_in=120
        )
    report = Report.objects.get(pk=queued.pk)
    assert report.status == ReportStatus.QUEUED
    assert "OperationalError: connection refused" in report.failure_reason
    assert "Следующая попытка в" in report.failure_reason
    assert report.due_at > timezone.now() + datetime.timedelta(seconds=100)


def test_old_form_tokens_are_forgotten(db):
    from core.models import FormSubmission

    old = FormSubmission.objects.create(token=uuid.uuid4())
    FormSubmission.objects.filter(pk=old.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=31)
    )
    fresh = FormSubmission.objects.create(token=uuid.uuid4())
    assert tasks.purge_form_tokens.apply().get() == 1
    assert list(FormSubmission.objects.all()) == [fresh]
