from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from matching.queries import home_health
from mentoring.queries import home_actions as mentoring_home_actions
from monitoring.surveys import surveys_due
from orgs.models import Employment, Organization, OrganizationKind
from programs.queries import home_programs


@login_required
def home(request):
    """One page per person, with a section for each role they hold."""
    user = request.user
    scope = user.scope
    context: dict = {"roles": user.scope_roles}
    if scope.is_committee:
        organizations = Organization.objects.visible_to(user).with_staff_counts()
        context["committee_organizations"] = organizations
        context["committee_totals"] = _totals(organizations)
        context["kinds"] = _by_kind(organizations)
    managed = None
    if scope.managed_organizations:
        managed = Organization.objects.filter(
            pk__in=scope.managed_organizations
        ).with_staff_counts()
    if scope.person_id:
        context["own_employments"] = (
            Employment.objects.filter(person_id=scope.person_id)
            .active()
            .select_related("organization", "position")
        )
    context["today"] = timezone.localdate()
    # The managed organizations with their staff counts and needs state: one query.
    context["mentoring_actions"] = mentoring_home_actions(user, managed=managed)
    if managed is not None:
        context["managed_organizations"] = [
            row["organization"] for row in context["mentoring_actions"]["needs"]
        ]
    context["home_programs"] = home_programs(user)
    context["home_health"] = home_health(user)
    if scope.person_id:
        context["surveys_due"] = surveys_due([scope.person_id], context["today"]).get(
            scope.person_id, []
        )
    return render(request, "portal/home.html", context)


def _totals(organizations) -> dict:
    rows = list(organizations)
    return {
        "organizations": len(rows),
        "staff": sum(row.staff_count for row in rows),
        "young": sum(row.young_count for row in rows),
        "newcomers": sum(row.newcomer_count for row in rows),
    }


def _by_kind(organizations) -> list[dict]:
    rows = list(organizations)
    result = []
    for kind in OrganizationKind:
        of_kind = [row for row in rows if row.kind == kind]
        if of_kind:
            result.append({"kind": kind, "label": kind.label, **_totals(of_kind)})
    return result
