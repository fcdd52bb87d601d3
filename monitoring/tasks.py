"""Periodic jobs of monitoring: the dashboards' facts follow the records."""

from __future__ import annotations

from celery import shared_task

from monitoring import facts


@shared_task(acks_late=True)
def refresh_dirty_facts() -> int:
    """Every few minutes: recompute the organizations whose records changed."""
    return facts.refresh_dirty()


@shared_task(acks_late=True)
def refresh_all_facts() -> int:
    """At night: recompute every organization (counts «up to today» move with the date)."""
    return facts.refresh_all()
