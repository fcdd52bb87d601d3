"""Capabilities inside the scope: objects come from `visible_to(user)` (else 404); these
decide what a user may change there (else 403)."""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import get_object_or_404

from core.permissions import require
from mentoring.models import Meeting, MentorProfile, NeedEntry, Pair
from orgs.models import Organization, committee_q, user_scope


def can_manage_organization(user, organization_id: int) -> bool:
    """Heads and curators keep the needs list, the mentors and the pairs of their organization."""
    scope = user_scope(user)
    return scope.is_superuser or organization_id in scope.managed_organizations


def can_manage_pair(user, pair: Pair) -> bool:
    return can_manage_organization(user, pair.organization_id)


def can_log_meetings(user, pair: Pair) -> bool:
    """Only the pair's own mentor logs and edits its meetings."""
    scope = user_scope(user)
    return scope.person_id is not None and scope.person_id == pair.mentor_id


def can_confirm_meeting(user, meeting: Meeting) -> bool:
    scope = user_scope(user)
    return scope.person_id is not None and any(
        row.person_id == scope.person_id for row in meeting.attendance_list
    )


def can_register_pairs(user) -> bool:
    scope = user_scope(user)
    return scope.is_superuser or bool(scope.managed_organizations)


def pair_for(user, pk: int, *, manage: bool = False, log: bool = False) -> Pair:
    pair = get_object_or_404(
        Pair.objects.visible_to(user).select_related("mentor", "organization", "form", "kind"),
        pk=pk,
    )
    if manage:
        require(can_manage_pair(user, pair))
    if log:
        require(can_log_meetings(user, pair))
    return pair


def meeting_for(user, pk: int, *, log: bool = False) -> Meeting:
    meeting = get_object_or_404(
        Meeting.objects.visible_to(user).select_related("pair__mentor", "pair__organization"),
        pk=pk,
    )
    if log:
        require(can_log_meetings(user, meeting.pair))
    return meeting


def mentor_for(user, pk: int, *, manage: bool = False) -> MentorProfile:
    profile = get_object_or_404(
        MentorProfile.objects.visible_to(user).select_related("person", "organization"), pk=pk
    )
    if manage:
        require(can_manage_organization(user, profile.organization_id))
    return profile


def organization_for_needs(user, pk: int, *, manage: bool = False) -> Organization:
    """An organization whose needs list the user reads (committee, head, curator)."""
    scope = user_scope(user)
    organizations = Organization.objects.all()
    if not scope.is_superuser:
        organizations = organizations.filter(
            committee_q(scope, "") | Q(pk__in=scope.managed_organizations)
        )
    organization = get_object_or_404(organizations, pk=pk)
    if manage:
        require(can_manage_organization(user, organization.pk))
    return organization


def need_entry_for(user, pk: int) -> NeedEntry:
    entry = get_object_or_404(
        NeedEntry.objects.visible_to(user).select_related("needs_list__organization", "person"),
        pk=pk,
    )
    require(can_manage_organization(user, entry.needs_list.organization_id))
    return entry
