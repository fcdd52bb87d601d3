"""Periodic jobs of monitoring: the dashboards' facts follow the records."""

from __future__ import annotations

from celery import group, shared_task

from monitoring import facts
from orgs.models import Municipality, Organization


@shared_task(acks_late=True)
def refresh_dirty_facts() -> int:
    """Every few minutes: recompute the organizations whose records changed."""
    return facts.refresh_dirty()


@shared_task(acks_late=True)
def refresh_all_facts() -> int:
    """At night: recompute every organization (counts «up to today» move with the date), one
    task per municipality, so that the workers share a region (≈ 0.5 s an organization: 10
    minutes for 1,200 in one process) and a worker killed halfway loses one municipality's
    work, which is run again (`acks_late`). Returns how many municipalities were queued."""
    municipalities = list(Municipality.objects.order_by("pk").values_list("pk", flat=True))
    group(refresh_municipality_facts.s(pk) for pk in municipalities).apply_async()
    return len(municipalities)


@shared_task(acks_late=True)
def refresh_municipality_facts(municipality_id: int) -> int:
    """Recompute the organizations of one municipality, then its kept values."""
    organizations = Organization.objects.filter(municipality_id=municipality_id)
    ids = list(organizations.values_list("pk", flat=True))
    if not ids:  # its row on the regional dashboard is zeros, kept as such
        facts.refresh_municipalities([municipality_id])
    return facts.refresh_all(ids) if ids else 0
