"""The one way lists work: scoped queryset, django-filter, remembered filters, pages, Excel."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpResponseRedirect
from django.views.generic import ListView

from core.excel import xlsx_response

MAX_PAGE_SIZE = 200


class FilteredListView(ListView):
    """A list with a FilterSet whose last filters are remembered per user and list.

    `?export=xlsx` returns the same filtered rows as an Excel file (all pages).
    Subclasses give `filterset_class`, `export_headers`, `export_row()` and `export_filename`.
    """

    filterset_class = None
    paginate_by = 50
    export_headers: Sequence[str] = ()
    export_filename = "export.xlsx"
    export_title = "Export"

    def remember_key(self) -> str:
        return f"filters:{self.request.resolver_match.view_name}:{self.kwargs}"

    def get(self, request, *args, **kwargs):
        key = self.remember_key()
        params = request.GET.copy()
        for transient in ("page", "export", "per_page"):
            params.pop(transient, None)
        if "reset" in request.GET:
            request.session.pop(key, None)
            return HttpResponseRedirect(request.path)
        if params:
            request.session[key] = params.urlencode()
        elif request.session.get(key) and "export" not in request.GET:
            return HttpResponseRedirect(f"{request.path}?{request.session[key]}")
        if request.GET.get("export") == "xlsx":
            return self.export(self.get_queryset())
        return super().get(request, *args, **kwargs)

    def get_base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=self.get_base_queryset(), request=self.request
        )
        return self.filterset.qs

    def get_paginate_by(self, queryset) -> int:
        try:
            requested = int(self.request.GET.get("per_page", self.paginate_by))
        except ValueError:
            requested = self.paginate_by
        return min(max(requested, 10), MAX_PAGE_SIZE)

    def export(self, queryset):
        return xlsx_response(
            self.export_filename,
            str(self.export_title),
            [str(header) for header in self.export_headers],
            (self.export_row(obj) for obj in queryset.iterator(chunk_size=2000)),
        )

    def export_row(self, obj) -> Sequence:
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        return context
