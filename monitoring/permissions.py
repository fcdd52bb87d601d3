"""Which monitoring scope a user may look at: decided here, once.

The committee sees its municipality (a specialist only their kind of organizations), heads
and curators their organization. An organization outside the user's scope is not found
(404); a mentor or a mentee, who has no dashboard, gets 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from monitoring.indicators import Scope
from orgs.models import Organization

# Who may change what -------------------------------------------------------------------------


def can_edit_acts(user, organization: Organization) -> bool:
    """Heads and curators keep their organization's local acts."""
    return user.can_manage_staff(organization)


def can_edit_deadlines(user, municipality_id: int) -> bool:
    scope = user.scope
    return scope.is_superuser or municipality_id in scope.coordinated_municipalities


def can_edit_orders(user, municipality_id: int) -> bool:
    """The coordinator of the municipality keeps its committee's orders; the specialists, the
    heads and the curators read them."""
    return can_edit_deadlines(user, municipality_id)


def can_read_orders(user) -> bool:
    scope = user.scope
    return scope.is_committee or bool(scope.managed_organizations)


def can_edit_questions(user) -> bool:
    scope = user.scope
    return scope.is_superuser or bool(scope.coordinated_municipalities)


def has_dashboard(user) -> bool:
    scope = user.scope
    return scope.is_committee or bool(scope.managed_organizations)


def fixed_kind(user) -> str | None:
    """The kind a committee specialist is limited to (None for a coordinator)."""
    scope = user.scope
    if scope.is_superuser or scope.coordinated_municipalities:
        return None
    kinds = {kind for _municipality, kind in scope.specialist_kinds}
    return next(iter(kinds)) if len(kinds) == 1 else None


def committee_municipality(user) -> int | None:
    scope = user.scope
    if scope.is_superuser:
        return None
    municipalities = sorted(scope.coordinated_municipalities) or sorted(
        municipality for municipality, _kind in scope.specialist_kinds
    )
    return municipalities[0] if municipalities else None


def organization_for_dashboard(user, pk) -> Organization:
    organization = get_object_or_404(Organization.objects.visible_to(user), pk=pk)
    if not user.can_view_staff(organization):
        raise PermissionDenied
    return organization


def scope_for(user, *, kind: str | None = None, organization_id=None) -> Scope:
    """The scope of the user's dashboard narrowed by the filters they chose."""
    if not has_dashboard(user):
        raise PermissionDenied
    if organization_id:
        organization = organization_for_dashboard(user, organization_id)
        return Scope(municipality_id=organization.municipality_id, organization_id=organization.pk)
    scope = user.scope
    if not scope.is_committee:
        return Scope(organization_id=min(scope.managed_organizations))
    return Scope(
        municipality_id=committee_municipality(user), kind=fixed_kind(user) or kind or None
    )
