"""The one shared piece of every app's `permissions.py`: a refused capability is a 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


def require(allowed: bool) -> None:
    """Inside the user's scope, a capability the user lacks: 403 (outside the scope: 404)."""
    if not allowed:
        raise PermissionDenied
