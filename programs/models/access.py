"""Who sees and who changes programs, diagnostics and routes: decided here, once."""

from __future__ import annotations

from django.db.models import Q

from orgs.models import user_scope
from orgs.visibility import in_organizations, official_organization_ids, union_of


def municipalities_of(user) -> set[int]:
    """Every municipality one of the user's roles lies in (all roles name one)."""
    if not user.is_authenticated:
        return set()
    return {assignment.municipality_id for assignment in user.scope_roles}


def mentee_program_q(
    user, *, organization: str, mentee: str, mentor: str | None, model=None
) -> Q | None:
    """Rows a user may read: committee over `organization`, its heads and curators, the mentor
    and the mentee. None means every row (superuser). The organization holding the record
    decides, not any employer of the mentee.

    The organizations come as a set of ids (orgs.visibility). Given the `model`, a person's
    own rows are joined with `UNION` of id subqueries instead of `OR` across the joins, so
    each branch reads its own index and the cost does not grow with the region."""
    organizations = official_organization_ids(user)
    if organizations is None:
        return None
    person = user_scope(user).person_id
    official = in_organizations(f"{organization}_id", organizations)
    if not person:
        return official
    if model is None:
        q = official | Q(**{mentee: person})
        if mentor:
            q |= Q(**{mentor: person})
        return q
    rows = model._default_manager.values("pk")
    return Q(
        pk__in=union_of(
            rows.filter(official) if organizations else None,
            rows.filter(**{mentee: person}),
            rows.filter(**{mentor: person}) if mentor else None,
        )
    )


def curates_person_or_organization(user, *, organization_id: int, person_id: int) -> bool:
    """The user is the curator of the organization that holds the record. (`person_id` is
    kept for the callers: the person's other employers give no rights over the record.)"""
    scope = user_scope(user)
    return scope.is_superuser or organization_id in scope.curated_organizations
