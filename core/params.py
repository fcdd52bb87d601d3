"""GET parameters: refused early when malformed (400), or read as a whole number safely.

Every list, dashboard, drill-down and export reads its filters through a form (django-filter
or a Django form), which ignores a value it cannot clean; what is read by hand goes through
`int_param`, which ignores a bad value with a message. Text that no form would accept anyway
(control characters, very long values, hundreds of parameters) is answered 400 here, before a
view or the database sees it.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _

MAX_PARAMETERS = 50
MAX_VALUE_LENGTH = 1000
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def query_problem(query) -> str | None:
    """Why a query string is refused, or None when it is acceptable."""
    if len(query) > MAX_PARAMETERS:
        return "too many parameters"
    for key, values in query.lists():
        for text in (key, *values):
            if len(text) > MAX_VALUE_LENGTH:
                return "a value is too long"
            if CONTROL.search(text):
                return "a value holds control characters"
    return None


class QueryGuardMiddleware:
    """400 for a malformed query string; the views never see such values."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.GET and query_problem(request.GET):
            return HttpResponseBadRequest(
                _("The address holds a malformed parameter.").encode(),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


def int_param(request, name: str) -> int | None:
    """A whole-number GET parameter; a bad value is ignored with a message."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    if raw.isascii() and raw.isdigit() and len(raw) <= 18:
        return int(raw)
    messages.warning(
        request,
        _("The value «%(value)s» of «%(name)s» is ignored.") % {"value": raw[:40], "name": name},
    )
    return None
