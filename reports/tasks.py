"""Celery tasks of monitoring: each takes ids, loads rows and calls a service.

`build_report` is acknowledged late and rejected (so redelivered) when its worker is lost,
retried after minutes (doubling) on an error, and idempotent: a report already ready, or
being built by a live worker, is not built again. A worker killed outright is noticed by its
stopped heartbeat: the every-minute sweep queues the report again. The periodic jobs run from Celery beat (config/settings.py) and can be
called by hand as plain functions.
"""

from __future__ import annotations

import logging
import zoneinfo

from celery import shared_task
from celery.signals import worker_process_init
from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone, translation

from core.idempotency import form_tokens_purge
from matching.health import health_escalate
from reports import regional, reminders
from reports import services as reports
from reports.models import Report

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
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
                delay = reports.retry_delay(retries)
                reason = f"{type(error).__name__}: {error}"
                try:
                    reports.report_failed(report_id, reason, final=final, retry_in=delay)
                except DatabaseError:
                    # The database is down too: the report stays "building" without a
                    # heartbeat, and the sweep requeues it once the database is back.
                    logger.exception("Report %s: the failure could not be recorded", report_id)
                if final:
                    # Given up: the report shows the reason; the message is acknowledged.
                    logger.exception("Report %s failed for good", report_id)
                    return None
                if not self.request.is_eager:
                    # Minutes, not seconds: a restarting database is waited out.
                    raise self.retry(exc=error, countdown=delay) from error
                # In-process (demo mode, no broker): Celery's eager retries would raise into
                # the caller, so the attempts are repeated here at once.
                retries += 1


@worker_process_init.connect
def warm_up_pdf(**kwargs) -> None:
    """Each pool process readies the PDF renderer when it starts (see `regional.warm_up`)."""
    try:
        regional.warm_up()
    except Exception:  # a cold renderer is slower, not broken
        logger.exception("The PDF renderer could not be warmed up")


def _regional_step(task, report_id: int, step, language, time_zone):
    """Run one step of the regional workflow; an error is retried (minutes, doubling) and,
    past the last retry, fails the report with its reason."""
    with (
        translation.override(language or settings.LANGUAGE_CODE),
        timezone.override(zoneinfo.ZoneInfo(time_zone or settings.TIME_ZONE)),
    ):
        try:
            return step()
        except Report.DoesNotExist:
            logger.warning("Report %s is gone; nothing to build.", report_id)
            return None
        except Exception as error:
            retries = task.request.retries
            if retries >= task.max_retries or task.request.is_eager:
                reports.report_failed(report_id, f"{type(error).__name__}: {error}", final=True)
                raise
            raise task.retry(exc=error, countdown=reports.retry_delay(retries)) from error


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=False,  # counted by the chord
    max_retries=settings.REPORTS_MAX_RETRIES,
)
def build_regional_annex(
    self, report_id: int, municipality_id: int, language=None, time_zone=None
) -> bool | None:
    """One municipality's annex of a regional report (a part of the chord)."""
    return _regional_step(
        self,
        report_id,
        lambda: regional.annex_build(report_id, municipality_id),
        language,
        time_zone,
    )


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=False,  # counted by the chord
    max_retries=settings.REPORTS_MAX_RETRIES,
)
def build_regional_summary(self, report_id: int, language=None, time_zone=None) -> bool | None:
    """The summary of a regional report (a part of the chord, built beside the annexes)."""
    return _regional_step(
        self, report_id, lambda: regional.summary_build(report_id), language, time_zone
    )


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=settings.REPORTS_MAX_RETRIES,
)
def finish_regional(self, report_id: int, language=None, time_zone=None) -> str | None:
    """The regional report's parts joined into one PDF and stored (the chord's body)."""
    result = _regional_step(
        self, report_id, lambda: regional.regional_finish(report_id), language, time_zone
    )
    return result.status if result is not None else None


@shared_task
def requeue_stuck_reports() -> list[int]:
    """Every minute: reports left "building" by a worker that died are queued again, and
    orders the broker could not take are sent."""
    return reports.reports_requeue_stuck()


@shared_task
def purge_form_tokens() -> int:
    """Daily: forget the one-time tokens of forms sent more than a month ago."""
    return form_tokens_purge()


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
