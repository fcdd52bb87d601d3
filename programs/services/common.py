"""Helpers shared by the services of programs, diagnostics and routes.

Each refusal raises ValidationError (a dict keyed by form field where one applies) or
PermissionDenied before anything is written, inside one transaction.
"""

from __future__ import annotations

from orgs.models import Employment, Organization, Person, Role, RoleAssignment


def head_of(organization: Organization) -> str:
    """The name of the organization's head for the approval block, or "" for a blank line."""
    assignment = (
        RoleAssignment.objects.filter(role=Role.HEAD, organization=organization)
        .select_related("user__person")
        .order_by("pk")
        .first()
    )
    if assignment is None:
        return ""
    user = assignment.user
    return user.person.short_name if user.person else user.get_full_name()


def employment_of(person: Person, preferred: Organization | None = None) -> Employment | None:
    employments = list(
        Employment.objects.active().filter(person=person).select_related("organization", "position")
    )
    for employment in employments:
        if preferred and employment.organization_id == preferred.pk:
            return employment
    return employments[0] if employments else None
