"""What needs the user's action, for the home page."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from mentoring import services
from mentoring.models import (
    MeetingAttendance,
    Pair,
    organizations_with_stale_needs,
    with_needs_state,
)
from orgs.models import Organization


def home_actions(user, managed=None) -> dict:
    """Unconfirmed candidates, stale needs lists, pairs ending soon, meetings to confirm:
    each part only for the roles it concerns. Quiet pairs are told by their health
    (matching.health), which the home page shows beside. `managed`: the user's managed
    organizations as the caller already queries them (e.g. with staff counts), annotated here
    with their needs state in the same query."""
    scope = user.scope
    today = timezone.localdate()
    actions: dict = {}
    if scope.managed_organizations:
        if managed is None:
            managed = Organization.objects.filter(pk__in=scope.managed_organizations)
        managed = list(with_needs_state(managed, today))
        candidates = services.needs_candidates_by_organization(managed, today)
        actions["needs"] = [
            {
                "organization": organization,
                "proposed": organization.needs_proposed,
                "new_candidates": len(candidates[organization.pk]),
                "stale": organization.needs_stale,
            }
            for organization in managed
        ]
        own = Pair.objects.filter(organization_id__in=scope.managed_organizations)
        # Named by their mentor and topic only (in the pairs' own order): none of the list's
        # joins, meeting columns or mentees (`for_list`) — the page's most expensive plan for a
        # line of text.
        actions["ending_pairs"] = list(own.ending_soon(today).select_related("mentor")[:20])
    if scope.is_committee:
        visible = Organization.objects.visible_to(user)
        actions["stale_organizations"] = list(organizations_with_stale_needs(visible, today))
    if scope.person_id:
        mine = Pair.objects.filter(mentor_id=scope.person_id)
        # «Log a meeting» one tap from the home page, for each pair the user mentors.
        actions["my_active_pairs"] = list(mine.active().for_list())
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
