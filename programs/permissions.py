"""Objects of the programs app for a user: outside the scope 404, missing capability 403."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from core.permissions import require
from mentoring.models import Pair, PairMentee
from orgs.models import Employment, Organization, Person, user_scope
from programs.models import Activity, Product, Program, Route, RouteItem
from programs.models.access import curates_person_or_organization, mentee_program_q

# Capabilities: what a user may change inside the scope ---------------------------------------


def is_program_curator(user, program: Program) -> bool:
    """The curator of the pair's organization or of the mentee's organization."""
    return curates_person_or_organization(
        user, organization_id=program.pair.organization_id, person_id=program.mentee_id
    )


def can_edit_program(user, program: Program) -> bool:
    """Its mentor, its mentee and the curator; the committee and heads only read."""
    scope = user_scope(user)
    if scope.person_id and scope.person_id in (program.pair.mentor_id, program.mentee_id):
        return True
    return is_program_curator(user, program)


def can_run_program(user, program: Program) -> bool:
    """Start, complete, change the plan, write the mentor's conclusion: the mentor and the
    curator (Положение 4.1.3). The mentee writes only her own parts (`is_program_mentee`)."""
    scope = user_scope(user)
    if scope.person_id and scope.person_id == program.pair.mentor_id:
        return True
    return is_program_curator(user, program)


def is_program_mentee(user, program: Program) -> bool:
    scope = user_scope(user)
    return bool(scope.person_id) and scope.person_id == program.mentee_id


def can_plan_for(user, pair: Pair, mentee: Person) -> bool:
    scope = user_scope(user)
    if scope.person_id and scope.person_id in (pair.mentor_id, mentee.pk):
        return True
    return curates_person_or_organization(
        user, organization_id=pair.organization_id, person_id=mentee.pk
    )


def can_edit_route(user, route: Route) -> bool:
    """The teacher and the curator of the route's organization (or of the teacher's)."""
    scope = user_scope(user)
    if scope.person_id and scope.person_id == route.person_id:
        return True
    return curates_person_or_organization(
        user, organization_id=route.organization_id, person_id=route.person_id
    )


def can_decide_product(user, product: Product) -> bool:
    """The council of mentors, in the portal the curator of the product's organization."""
    scope = user_scope(user)
    return scope.is_superuser or product.organization_id in scope.curated_organizations


def can_edit_reference(user) -> bool:
    scope = user_scope(user)
    return scope.is_superuser or bool(scope.coordinated_municipalities)


def can_start_route(user, person: Person, organization: Organization) -> bool:
    scope = user_scope(user)
    if scope.person_id == person.pk:
        return Employment.objects.active().filter(person=person, organization=organization).exists()
    return curates_person_or_organization(
        user, organization_id=organization.pk, person_id=person.pk
    )


# Objects for a user: outside the scope 404, missing capability 403 ---------------------------


def program_for(user, pk: int, *, edit: bool = False) -> Program:
    program = get_object_or_404(
        Program.objects.visible_to(user).select_related(
            "pair__mentor", "pair__organization", "mentee", "form", "kind", "approved_by"
        ),
        pk=pk,
    )
    if edit:
        require(can_edit_program(user, program))
    return program


def activity_for(user, pk: int, *, edit: bool = False) -> Activity:
    activity = get_object_or_404(
        Activity.objects.visible_to(user).select_related("program__pair", "program__mentee"),
        pk=pk,
    )
    if edit:
        require(can_edit_program(user, activity.program))
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
        require(can_edit_route(user, route))
    return route


def route_item_for(user, pk: int, *, edit: bool = False) -> RouteItem:
    item = get_object_or_404(
        RouteItem.objects.visible_to(user).select_related("route__person", "route__organization"),
        pk=pk,
    )
    if edit:
        require(can_edit_route(user, item.route))
    return item


def product_for(user, pk: int, *, decide: bool = False) -> Product:
    product = get_object_or_404(
        Product.objects.visible_to(user).select_related(
            "area", "organization", "position", "author"
        ),
        pk=pk,
    )
    if decide:
        require(can_decide_product(user, product))
    return product
