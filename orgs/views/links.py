"""Requests to join two records of one teacher, decided by the side that already keeps her."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from core.permissions import require
from core.views import run_action
from orgs import services
from orgs.models import PersonLinkRequest


def _decidable(user):
    return PersonLinkRequest.objects.decidable_by(user).select_related(
        "existing", "typed", "employment__organization", "employment__position", "requested_by"
    )


@login_required
def link_requests(request):
    """Pending requests about teachers of the user's organizations (or municipality)."""
    scope = request.user.scope
    require(
        scope.is_superuser or bool(scope.managed_organizations or scope.coordinated_municipalities)
    )
    return render(
        request, "orgs/link_requests.html", {"requests": _decidable(request.user).pending()}
    )


@login_required
@require_POST
def link_decide(request, pk: int, decision: str):
    if decision not in ("confirm", "refuse"):
        raise Http404
    link = get_object_or_404(_decidable(request.user), pk=pk)
    if decision == "confirm":
        run_action(
            request,
            lambda: services.person_link_confirm(link=link, actor=request.user),
            lambda: gettext("The records of %(name)s are joined.") % {"name": link.existing},
        )
    else:
        run_action(
            request,
            lambda: services.person_link_refuse(link=link, actor=request.user),
            lambda: gettext("The request is refused: the organization keeps its own record."),
        )
    return redirect("orgs:link_requests")
