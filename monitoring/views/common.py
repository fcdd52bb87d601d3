"""Small pieces shared by the monitoring views."""

from __future__ import annotations

import re

from django.http import HttpResponseRedirect

from core.excel import xlsx_response
from monitoring.tables import Table


def remembered_redirect(request, key: str):
    """The last filters of a page, kept in the session like the lists' (FilteredListView)."""
    params = request.GET.copy()
    for transient in ("page", "export", "table"):
        params.pop(transient, None)
    key = f"filters:{key}"
    if "reset" in request.GET:
        request.session.pop(key, None)
        return HttpResponseRedirect(request.path)
    if params:
        if request.session.get(key) != params.urlencode():  # an unchanged session is not saved
            request.session[key] = params.urlencode()
    elif request.session.get(key) and "export" not in request.GET:
        return HttpResponseRedirect(f"{request.path}?{request.session[key]}")
    return None


def sheet_title(title: str) -> str:
    """Excel refuses : / \\ ? * [ ] in a sheet's name."""
    return re.sub(r"[:/\\?*\[\]]", " ", str(title)).strip()[:31] or "Sheet"


def table_xlsx(table: Table, filename: str):
    return xlsx_response(
        filename,
        sheet_title(table.title),
        table.headers,
        ([cell.excel for cell in row] for row in table.rows),
    )
