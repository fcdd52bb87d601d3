"""Celery tasks of monitoring: each takes ids, loads rows and calls a service.

`build_report` is acknowledged late and rejected (so redelivered) when its worker is lost,
retried with exponential back-off on an error, and idempotent: a report already ready is
never built again. The periodic jobs run from Celery beat (config/settings.py) and can be
called by hand as plain functions.
"""

from __future__ import annotations

import logging
import zoneinfo

from celery import shared_task
from django.conf import settings
from django.utils import timezone, translation

from matching.health import health_escalate
from reports import reminders
from reports import services as reports
from reports.models import Report

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=settings.REPORTS_MAX_RETRIES,
)
def build_report(self, report_id: int, language: str | None = None, time_zone: str | None = None):
    """Build one report's PDF in the language and time zone of whoever ordered it."""
    retries = self.request.retries
    with (
        translation.override(language or settings.LANGUAGE_CODE),
        timezone.override(zoneinfo.ZoneInfo(time_zone or settings.TIME_ZONE)),
    ):
        while True:
            try:
                return reports.report_build(report_id).status
            except Report.DoesNotExist:
                logger.warning("Report %s is gone; nothing to build.", report_id)
                return None
            except Exception as error:
                final = retries >= self.max_retries
                reports.report_failed(report_id, f"{type(error).__name__}: {error}", final=final)
                if final:
                    # Given up: the report shows the reason; the message is acknowledged.
                    logger.exception("Report %s failed for good", report_id)
                    return None
                if not self.request.is_eager:
                    raise  # autoretry_for: retried by the broker with back-off
                # In-process (demo mode, no broker): Celery's eager retries would raise into
                # the caller, so the attempts are repeated here at once.
                retries += 1


@shared_task
def requeue_stuck_reports() -> list[int]:
    """Reports left in "building" by a worker that died are queued again."""
    return reports.reports_requeue_stuck()


@shared_task
def order_annual_reports() -> int:
    """After REPORTS_ANNUAL_ORDER_DATE, order the annual reports of the year that ended (once)."""
    return len(reports.reports_order_annual())


@shared_task(
    autoretry_for=(reminders.LettersNotSent,),
    retry_backoff=600,
    retry_backoff_max=6 * 3600,
    max_retries=5,
)
def send_weekly_reminders() -> int:
    """One e-mail a week to each user with something to do; returns how many were sent.
    When some letters failed (the mail server down), the job is retried later the same day:
    the letters already sent have their rows, so only the failed ones go out."""
    return reminders.reminders_send()


@shared_task
def escalate_quiet_pairs() -> int:
    """Daily: alerts about pairs without meetings (21 days: the mentor, 30: the curator,
    45: the head) appear on their home pages; the weekly letter carries them too."""
    return len(health_escalate())
