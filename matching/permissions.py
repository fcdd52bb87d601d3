"""Who may change the weights of the suggestions: the municipality's coordinator."""

from __future__ import annotations

from orgs.models import user_scope


def weights_municipality(user) -> int | None:
    """The municipality whose weights the user keeps, or None."""
    scope = user_scope(user)
    municipalities = sorted(scope.coordinated_municipalities)
    return municipalities[0] if municipalities else None
