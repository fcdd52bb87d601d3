"""Access decided once: every view finds its objects through `visible_to(user)`.

An object outside the user's scope is simply not found (404); a missing capability inside
the scope is 403.
"""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from orgs.models import Employment, Organization


def organization_for_staff(user, pk: int, *, manage: bool = False) -> Organization:
    """The organization whose staff list is asked for, or 404/403."""
    organization = get_object_or_404(Organization.objects.visible_to(user), pk=pk)
    allowed = user.can_manage_staff(organization) if manage else user.can_view_staff(organization)
    if not allowed:
        raise PermissionDenied
    return organization


def employment_for_management(user, pk: int) -> Employment:
    employment = get_object_or_404(
        Employment.objects.visible_to(user).select_related("person", "organization", "position"),
        pk=pk,
    )
    if not user.can_manage_staff(employment.organization):
        raise PermissionDenied
    return employment


class ScopedMixin(LoginRequiredMixin):
    """For class-based views: the queryset is the model's `visible_to(user)`."""

    model = None

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)
