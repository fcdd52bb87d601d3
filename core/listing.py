"""The one way lists work: scoped queryset, django-filter, remembered filters, pages, Excel."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.paginator import Page, Paginator
from django.http import HttpResponseRedirect
from django.views.generic import ListView

from core import paging
from core.excel import xlsx_response

MAX_PAGE_SIZE = 200


def join_page(page: Page, queryset) -> Page:
    """Replace the ids of a page (paginated over `queryset.values_list("pk", flat=True)`)
    by the full rows of `queryset` — joins, annotations, prefetches — in the page's order."""
    ids = list(page.object_list)
    # The ids as one array parameter (`pk = ANY(…)`): `IN` prepares each of them one by one.
    rows = {row.pk: row for row in queryset.filter(pk__any_of=ids)} if ids else {}
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    return page


def read_only_shown(queryset, fields: Sequence[str]):
    """`queryset` reading only `fields` (relations by `__`) and joining only the relations
    they pass through; its annotations and prefetches stay."""
    relations = {field.rsplit("__", 1)[0] for field in fields if "__" in field}
    return queryset.select_related(None).select_related(*relations).only(*fields)


def page_then_join(queryset, per_page: int, number) -> Page:
    """A page of `queryset` chosen over its bare rows (filters, order, limit: the plan of a
    small index scan), then only its rows joined: the cost of a page of a big table stays
    the same whatever the rest of the table holds. One query more than a plain page."""
    page = Paginator(queryset.values_list("pk", flat=True), per_page).get_page(number)
    return join_page(page, queryset)


def rows_by_ids(queryset, chunk_size: int = 2000):
    """Every row of `queryset` in its order: the ids first (the bare plan), then the full
    rows chunk by chunk — for exports whose joins would otherwise drive the plan."""
    ids = list(queryset.values_list("pk", flat=True))
    for start in range(0, len(ids), chunk_size):
        chunk = ids[start : start + chunk_size]
        rows = {row.pk: row for row in queryset.filter(pk__any_of=chunk)}
        yield from (rows[pk] for pk in chunk if pk in rows)


class FilteredListView(ListView):
    """A list with a FilterSet whose last filters are remembered per user and list.

    `?export=xlsx` returns the same filtered rows as an Excel file (all pages).
    Subclasses give `filterset_class`, `export_headers`, `export_row()` and `export_filename`.
    """

    filterset_class = None
    paginate_by = 50
    # Lists over big tables: the page is chosen over the bare rows (filters, order, limit),
    # and only the rows of the page are then joined, annotated and prefetched, so the cost of
    # a page does not grow with everything the scope holds. One query more. Their count
    # stops past 10,000 rows (core.paging).
    page_then_join = False
    # The fields the table shows (relations by `__`): a page's rows are read and built with
    # what they print (`read_only_shown`), not every column and timestamp of every joined row
    # (≈ 10 % of a list's work). The Excel export reads whole rows.
    row_fields: Sequence[str] = ()
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

    def get_paginator(self, queryset, per_page, **kwargs):
        if self.page_then_join:
            whole_region = getattr(self.filterset, "reads_whole_region", False)
            cap = paging.REGION_COUNT_CAP if whole_region else paging.COUNT_CAP
            return paging.CappedCountPaginator(queryset, per_page, cap=cap, **kwargs)
        return super().get_paginator(queryset, per_page, **kwargs)

    def paginate_queryset(self, queryset, page_size):
        if self.row_fields:
            queryset = read_only_shown(queryset, self.row_fields)
        if not self.page_then_join:
            return super().paginate_queryset(queryset, page_size)
        paginator, page, ids, is_paginated = super().paginate_queryset(
            queryset.values_list("pk", flat=True), page_size
        )
        join_page(page, queryset)
        return paginator, page, page.object_list, is_paginated

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
