"""Capabilities inside the scope: objects come from `visible_to(user)` (else 404); these
decide what a user may change there (else 403)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from community.models import (
    Council,
    CouncilMeeting,
    Event,
    EventParticipant,
    Nomination,
    PairOrder,
    Payment,
)
from core.permissions import require
from orgs.models import Organization, committee_q, user_scope


def can_run_council(user, organization_id: int) -> bool:
    """The curator runs the council of mentors (4.1.3); its members and the head read it."""
    scope = user_scope(user)
    return scope.is_superuser or organization_id in scope.curated_organizations


def can_manage_records(user, organization_id: int) -> bool:
    """Head and curator keep their organization's events, payments, nominations, orders."""
    scope = user_scope(user)
    return scope.is_superuser or organization_id in scope.managed_organizations


def can_edit_records(user, organization_id: int | None, municipality_id: int | None = None) -> bool:
    """Editing and archiving a record: the curator of its organization; a municipal record
    (no organization) the coordinator of the municipality. Everyone else in scope reads."""
    scope = user_scope(user)
    if scope.is_superuser:
        return True
    if organization_id is None:
        return municipality_id in scope.coordinated_municipalities
    return organization_id in scope.curated_organizations


def can_edit_event(user, event: Event) -> bool:
    return can_edit_records(user, event.organization_id, event.municipality_id)


def is_committee_of(user, organization: Organization) -> bool:
    scope = user_scope(user)
    if scope.is_superuser:
        return True
    return Organization.objects.filter(committee_q(scope), pk=organization.pk).exists()


def can_manage_event(user, event: Event) -> bool:
    if event.organization_id is None:
        scope = user_scope(user)
        return scope.is_superuser or event.municipality_id in scope.coordinated_municipalities
    return can_manage_records(user, event.organization_id)


def can_decide_nomination(user, nomination: Nomination) -> bool:
    """Support, submission and the outcome are the committee's steps."""
    return is_committee_of(user, nomination.organization)


def can_add_records(user) -> bool:
    scope = user_scope(user)
    return scope.is_superuser or bool(scope.managed_organizations)


def council_for(user, organization_pk: int, *, run: bool = False) -> Council:
    """The organization's council; an unsaved one when it has none yet (the first change
    creates it)."""
    council = (
        Council.objects.visible_to(user)
        .select_related("organization", "head", "secretary")
        .filter(organization_id=organization_pk)
        .first()
    )
    if council is None:
        organization = get_object_or_404(
            Organization.objects.with_staff_visible_to(user), pk=organization_pk
        )
        council = Council(organization=organization)
    if run:
        require(can_run_council(user, council.organization_id))
    return council


def council_meeting_for(user, pk: int, *, run: bool = False) -> CouncilMeeting:
    meeting = get_object_or_404(
        CouncilMeeting.objects.visible_to(user).select_related("council__organization"), pk=pk
    )
    if run:
        require(can_run_council(user, meeting.council.organization_id))
    return meeting


def event_for(user, pk: int, *, manage: bool = False, edit: bool = False) -> Event:
    event = get_object_or_404(
        Event.objects.visible_to(user).select_related("organization", "municipality"), pk=pk
    )
    if manage:
        require(can_manage_event(user, event))
    if edit:
        require(can_edit_event(user, event))
    return event


def _record_for(queryset, user, pk: int, edit: bool):
    """A record of an organization inside the user's scope (else 404); `edit` requires the
    right to edit it (else 403)."""
    record = get_object_or_404(
        queryset.visible_to(user).select_related("person", "organization"), pk=pk
    )
    if edit:
        require(can_edit_records(user, record.organization_id))
    return record


def nomination_for(user, pk: int, *, edit: bool = False) -> Nomination:
    return _record_for(Nomination.objects, user, pk, edit)


def payment_for(user, pk: int, *, edit: bool = False) -> Payment:
    return _record_for(Payment.objects, user, pk, edit)


def participant_for(user, pk: int) -> EventParticipant:
    """A participant row of an event the user may edit (else 404 / 403)."""
    participant = get_object_or_404(
        EventParticipant.objects.filter(event__in=Event.objects.visible_to(user)).select_related(
            "event", "person"
        ),
        pk=pk,
    )
    require(can_edit_event(user, participant.event))
    return participant


def order_for(user, pk: int, *, manage: bool = False, edit: bool = False) -> PairOrder:
    order = get_object_or_404(
        PairOrder.objects.visible_to(user).select_related("organization", "responsible"), pk=pk
    )
    if manage:
        require(can_manage_records(user, order.organization_id))
    if edit:
        require(can_edit_records(user, order.organization_id))
    return order
