"""The regional coordinator's dashboard: one row per municipality of the region, and each
municipality's dashboard, read-only (no drill-down lists, nothing to change)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from mentoring.models import academic_year_of
from monitoring import indicators as ind
from monitoring import region as regional
from monitoring import tables
from monitoring.filters import DashboardFilter
from monitoring.views.common import table_xlsx
from monitoring.views.dashboard import build_tables
from orgs.models import Municipality

ATTENTION_SHOWN = 10


class ReadOnlyLinks(tables.Links):
    """No drill-down addresses: the region reads the municipality's numbers only."""

    def drill(self, metric: str, year: str) -> str:
        return ""


def _require_region(user):
    scope = user.scope
    if not (scope.is_regional or scope.is_superuser):
        raise PermissionDenied
    region = regional.region_of(user)
    if region is None:
        raise PermissionDenied
    return region


def _year(request) -> str:
    today = timezone.localdate()
    years = ind.available_years(today)
    year = request.GET.get("year", "")
    return year if year in years else academic_year_of(today)


@login_required
def region_dashboard(request):
    """Every municipality of the region in one table, the registry's indicators per row."""
    region = _require_region(request.user)
    year = _year(request)
    today = timezone.localdate()
    rows = regional.municipality_rows(regional.RegionScope(region_id=region.pk), year, today)
    return render(
        request,
        "monitoring/region.html",
        {
            "region": region,
            "year": year,
            "years": ind.available_years(today),
            "rows": rows,
            "columns": regional.columns(),
            "extra_columns": regional.EXTRA_COLUMNS,
            "totals": regional.totals(rows),
            "attention": regional.furthest_behind(rows, ATTENTION_SHOWN),
            "attention_count": sum(1 for row in rows if row.needs_attention),
            "thresholds": regional.thresholds_text(),
            "freshness": regional.freshness(rows),
            "rows_version": regional.rows_version(rows, year),
        },
    )


@login_required
def region_municipality(request, pk: int):
    """One municipality's dashboard as its committee sees it, for the region: read-only."""
    scope = request.user.scope
    municipalities = Municipality.objects.filter(region__isnull=False)
    if not scope.is_superuser:  # outside the user's region: not found
        municipalities = municipalities.filter(pk__in=scope.regional_municipalities)
    municipality = get_object_or_404(municipalities.select_related("region"), pk=pk)
    region = municipality.region
    form = DashboardFilter(request.GET or None, user=request.user, organization_filter=False)
    form.fields.pop("kind", None)
    year = form.values()["year"]
    today = timezone.localdate()
    built = build_tables(ind.Scope(municipality_id=municipality.pk), year, today, ReadOnlyLinks({}))
    all_tables, freshness = built.tables, built.freshness
    if request.GET.get("export") == "xlsx":
        key = request.GET.get("table", "indicators")
        table = next((table for table in all_tables if table.key == key), None)
        if table is None:
            raise Http404
        return table_xlsx(table, f"{key}-{year.replace('/', '-')}.xlsx")
    return render(
        request,
        "monitoring/region_municipality.html",
        {
            "region": region,
            "municipality": municipality,
            "form": form,
            "year": year,
            "tables": {table.key: table for table in all_tables},
            "order_tables": [table for table in all_tables if table.key.startswith("order-")],
            "export_query": request.GET.urlencode(),
            "freshness": freshness,
        },
    )
