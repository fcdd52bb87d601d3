"""What needs the user's action, for the home page."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from mentoring import services
from mentoring.models import (
    MeetingAttendance,
    NeedEntry,
    NeedStatus,
    Pair,
    academic_year_of,
    organizations_with_stale_needs,
)
from orgs.models import Organization


def home_actions(user) -> dict:
    """Unconfirmed candidates, stale needs lists, pairs ending soon, meetings to confirm:
    each part only for the roles it concerns. Quiet pairs are told by their health
    (matching.health), which the home page shows beside."""
    scope = user.scope
    today = timezone.localdate()
    actions: dict = {}
    if scope.managed_organizations:
        managed = Organization.objects.filter(pk__in=scope.managed_organizations)
        candidates = services.needs_candidates_by_organization(managed, today)
        proposed = dict(
            NeedEntry.objects.filter(
                needs_list__organization__in=managed,
                needs_list__academic_year=academic_year_of(today),
                status=NeedStatus.PROPOSED,
            )
            .values_list("needs_list__organization_id")
            .annotate(count=Count("pk"))
        )
        stale = set(organizations_with_stale_needs(managed, today).values_list("pk", flat=True))
        actions["needs"] = [
            {
                "organization": organization,
                "proposed": proposed.get(organization.pk, 0),
                "new_candidates": len(candidates[organization.pk]),
                "stale": organization.pk in stale,
            }
            for organization in managed
        ]
        own = Pair.objects.filter(organization__in=managed)
        actions["ending_pairs"] = list(own.ending_soon(today).for_list()[:20])
    if scope.is_committee:
        visible = Organization.objects.visible_to(user)
        actions["stale_organizations"] = list(organizations_with_stale_needs(visible, today))
    if scope.person_id:
        mine = Pair.objects.filter(mentor_id=scope.person_id)
        actions["my_ending_pairs"] = list(mine.ending_soon(today).for_list())
        actions["meetings_to_confirm"] = (
            MeetingAttendance.objects.filter(person_id=scope.person_id, confirmed_at__isnull=True)
            .filter(Q(meeting__pair__status="active") | Q(meeting__pair__status="completed"))
            .count()
        )
    actions["any"] = any(
        [
            any(
                row["proposed"] or row["new_candidates"] or row["stale"]
                for row in actions.get("needs", [])
            ),
            actions.get("ending_pairs"),
            actions.get("stale_organizations"),
            actions.get("my_ending_pairs"),
            actions.get("meetings_to_confirm"),
        ]
    )
    return actions
