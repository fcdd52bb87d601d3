"""Objects of the programs app for a user: outside the scope 404, missing capability 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from mentoring.models import Pair, PairMentee
from orgs.models import Person
from programs import services
from programs.models import Activity, Product, Program, Route, RouteItem
from programs.models.access import mentee_program_q


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def program_for(user, pk: int, *, edit: bool = False) -> Program:
    program = get_object_or_404(
        Program.objects.visible_to(user).select_related(
            "pair__mentor", "pair__organization", "mentee", "form", "kind", "approved_by"
        ),
        pk=pk,
    )
    if edit:
        require(services.can_edit_program(user, program))
    return program


def activity_for(user, pk: int, *, edit: bool = False) -> Activity:
    activity = get_object_or_404(
        Activity.objects.visible_to(user).select_related("program__pair", "program__mentee"),
        pk=pk,
    )
    if edit:
        require(services.can_edit_program(user, activity.program))
    return activity


def mentee_of_pair_for(user, pair_pk: int, mentee_pk: int) -> tuple[Pair, Person]:
    """A mentee of a pair whose diagnostics and program the user may read."""
    rows = PairMentee.objects.filter(pair_id=pair_pk, person_id=mentee_pk).select_related(
        "pair__mentor", "pair__organization", "pair__form", "pair__kind", "person"
    )
    q = mentee_program_q(
        user, organization="pair__organization", mentee="person_id", mentor="pair__mentor_id"
    )
    if q is not None:
        rows = rows.filter(q)
    row = get_object_or_404(rows)
    return row.pair, row.person


def route_for(user, pk: int, *, edit: bool = False) -> Route:
    route = get_object_or_404(
        Route.objects.visible_to(user).select_related("person", "organization"), pk=pk
    )
    if edit:
        require(services.can_edit_route(user, route))
    return route


def route_item_for(user, pk: int, *, edit: bool = False) -> RouteItem:
    item = get_object_or_404(
        RouteItem.objects.visible_to(user).select_related("route__person", "route__organization"),
        pk=pk,
    )
    if edit:
        require(services.can_edit_route(user, item.route))
    return item


def product_for(user, pk: int, *, decide: bool = False) -> Product:
    product = get_object_or_404(
        Product.objects.visible_to(user).select_related(
            "area", "organization", "position", "author"
        ),
        pk=pk,
    )
    if decide:
        require(services.can_decide_product(user, product))
    return product
