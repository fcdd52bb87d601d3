"""Who sees and who changes programs, diagnostics and routes: decided here, once."""

from __future__ import annotations

from django.db.models import Q

from orgs.models import committee_q, user_scope


def municipalities_of(user) -> set[int]:
    """Every municipality one of the user's roles lies in (all roles name one)."""
    if not user.is_authenticated:
        return set()
    return {assignment.municipality_id for assignment in user.scope_roles}


def mentee_program_q(user, *, organization: str, mentee: str, mentor: str | None) -> Q | None:
    """Rows a user may read: committee over `organization`, its heads and curators, the mentor
    and the mentee. None means every row (superuser). The organization holding the record
    decides, not any employer of the mentee."""
    scope = user_scope(user)
    if scope.is_superuser:
        return None
    q = committee_q(scope, f"{organization}__")
    if scope.managed_organizations:
        q |= Q(**{f"{organization}_id__in": scope.managed_organizations})
    if scope.person_id:
        q |= Q(**{mentee: scope.person_id})
        if mentor:
            q |= Q(**{mentor: scope.person_id})
    return q


def curates_person_or_organization(user, *, organization_id: int, person_id: int) -> bool:
    """The user is the curator of the organization that holds the record. (`person_id` is
    kept for the callers: the person's other employers give no rights over the record.)"""
    scope = user_scope(user)
    return scope.is_superuser or organization_id in scope.curated_organizations
