"""The regional coordinator reads and changes nothing: decided here, once.

Every change in the portal is a POST (STYLE: actions that change state are POST-only), so a
user whose only role is read-only (`UserScope.is_read_only`) gets 403 on any request that is
not a read — whatever a view's own checks would allow — except signing in and out, the second
factor, the password and ordering the regional report, which change nothing of the
municipalities.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
ALLOWED_PREFIXES = ("/accounts/", "/i18n/", "/reports/region/")


def refuses_change(request) -> bool:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or request.method in SAFE_METHODS:
        return False
    if request.path.startswith(ALLOWED_PREFIXES):
        return False
    return user.scope.is_read_only


class ReadOnlyRoleMiddleware:
    """403 for a change asked by a read-only role (the regional coordinator)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if refuses_change(request):
            raise PermissionDenied
        return None
