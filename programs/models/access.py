"""Who sees and who changes programs, diagnostics and routes: decided here, once."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from orgs.models import Employment, committee_q, user_scope


def municipalities_of(user) -> set[int]:
    """Every municipality one of the user's roles lies in (all roles name one)."""
    if not user.is_authenticated:
        return set()
    return {assignment.municipality_id for assignment in user.scope_roles}


def mentee_program_q(user, *, organization: str, mentee: str, mentor: str | None) -> Q | None:
    """Rows a user may read: committee over `organization`, heads and curators of it or of the
    mentee's organization, the mentor and the mentee. None means every row (superuser)."""
    scope = user_scope(user)
    if scope.is_superuser:
        return None
    q = committee_q(scope, f"{organization}__")
    if scope.managed_organizations:
        q |= Q(**{f"{organization}_id__in": scope.managed_organizations})
        q |= Exists(
            Employment.objects.active().filter(
                organization_id__in=scope.managed_organizations, person_id=OuterRef(mentee)
            )
        )
    if scope.person_id:
        q |= Q(**{mentee: scope.person_id})
        if mentor:
            q |= Q(**{mentor: scope.person_id})
    return q


def curates_person_or_organization(user, *, organization_id: int, person_id: int) -> bool:
    """The user is the curator of the organization or of an organization the person works in."""
    scope = user_scope(user)
    if scope.is_superuser:
        return True
    curated = scope.curated_organizations
    if not curated:
        return False
    return (
        organization_id in curated
        or Employment.objects.active()
        .filter(person_id=person_id, organization_id__in=curated)
        .exists()
    )
