"""A scope as index-friendly conditions: the organizations it covers as a set of ids.

`committee_q` describes the committee part of a scope over municipalities and kinds; a list
filtered through it joins every row to its organization and ORs the branches, so PostgreSQL
reads the rows of the whole region to keep one municipality's. Here the organizations are
looked up once per request (a small query on `orgs_organization`, only for committee users),
and the lists filter on `organization_id IN (...)`, which an index on the organization column
answers whatever the size of the rest of the region. A person's own records (as mentor or
mentee) are added with `UNION`, not `OR`, so each branch keeps its own index.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from orgs.models import Municipality, Organization, committee_q, user_scope

_CACHE = "_official_organization_ids"


def official_organization_ids(user) -> frozenset[int] | None:
    """Organizations the user's official roles cover: the committee's (whatever levels
    `committee_q` knows) and those the user heads or curates. None means every organization
    (superuser). Computed once per request and kept on the user object with the scope it was
    computed from."""
    scope = user_scope(user)
    if scope.is_superuser:
        return None
    cached = getattr(user, "__dict__", {}).get(_CACHE)
    if cached is not None and cached[0] is scope:
        return cached[1]
    # With no committee role every branch of committee_q is empty and Django sends no query.
    committee = Organization.objects.filter(committee_q(scope)).order_by()
    ids = frozenset(committee.values_list("pk", flat=True)) | scope.managed_organizations
    if hasattr(user, "__dict__"):
        user.__dict__[_CACHE] = (scope, ids)
    return ids


def in_organizations(field: str, organizations) -> Q:
    """`<field> IN organizations` for the id sets of `official_organization_ids`."""
    if not organizations:
        return Q(**{f"{field}__in": ()})  # nothing: Django sends no query
    return Q(**{f"{field}__any_of": organizations})


def union_of(*parts: QuerySet) -> QuerySet | None:
    """One `SELECT … UNION SELECT …` of id subqueries (unordered), or None when none given."""
    parts = [part.order_by() for part in parts if part is not None]
    if not parts:
        return None
    return parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]


# Region-wide lists -------------------------------------------------------------------------------
#
# A list over a whole region or installation (a superuser, a regional coordinator, no
# municipality or organization chosen) shows its newest 50 rows out of the region's. Sorting
# the region for them grows with the region; reading an index in the list's order reads just
# the 50. But such an index, usable by every list, tempted the planner to read the region in
# date order for a municipal list too (docs/scale.md). So the region-wide order indexes are
# partial, on `id > 0` — true of every row — and only a region-wide list states that condition
# (`region_wide`): a municipal or school plan cannot use them and stays as it was.

REGION_WIDE = Q(pk__gt=0)  # the condition of the region-wide order indexes


def reads_region_wide(user) -> bool:
    """The user's lists span more than one municipality: a superuser, a regional coordinator."""
    scope = user_scope(user)
    return scope.is_superuser or bool(scope.regional_municipalities)


def visible_municipalities(user) -> QuerySet:
    """The municipalities a region-wide user reads (for the municipality filter of lists)."""
    scope = user_scope(user)
    municipalities = Municipality.objects.order_by("name")
    if scope.is_superuser:
        return municipalities
    return municipalities.filter(pk__in=scope.regional_municipalities)


def region_wide(queryset: QuerySet) -> QuerySet:
    """The list read over the whole region: its rows may be read through a region-wide order
    index (the condition that index needs; it changes no row)."""
    return queryset.filter(REGION_WIDE)
