"""Dashboards (the coordinator's, a specialist's, a curator's) and the drill-down lists."""

from __future__ import annotations

import dataclasses
import hashlib

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.db.models.query import ModelIterable
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext

from core.cache import content_key
from core.excel import xlsx_response
from core.listing import page_then_join, rows_by_ids
from core.params import int_param
from monitoring import charts, drill, facts, registry, tables
from monitoring import indicators as ind
from monitoring.filters import DashboardFilter
from monitoring.permissions import has_dashboard, organization_for_dashboard, scope_for
from monitoring.reported import reported_values
from monitoring.views.common import remembered_redirect, sheet_title, table_xlsx
from orgs.models import Municipality, Organization, OrganizationKind

DRILL_PAGE_SIZE = 50


CACHE_SECONDS = 24 * 60 * 60


def _fact_tables(scope: ind.Scope, year: str, today, links: tables.Links) -> list[tables.Table]:
    """The tables and charts built from facts (and the few exact counts beside them)."""
    data = facts.scope_data(scope, year, today)
    summary = data.summary
    indicators = tables.indicators_table(summary, links)
    current, previous = summary.pairs.current, summary.pairs.previous
    programs_now, programs_before = summary.programs.current, summary.programs.previous
    indicators.chart = charts.compared_chart(
        gettext("The year against the previous one"),
        [
            gettext("Pairs"),
            gettext("Groups"),
            gettext("Programs completed"),
            gettext("Overdue activities"),
        ],
        [current.pairs, current.groups, programs_now.completed, programs_now.overdue_activities],
        [
            previous.pairs,
            previous.groups,
            programs_before.completed,
            programs_before.overdue_activities,
        ],
        (summary.year, summary.previous_year),
    )
    return [
        indicators,
        tables.forms_table(summary),
        tables.stage1_table(summary, links),
        tables.dynamics_table(
            data.dynamics, gettext("Stage 1 by period, %(year)s") % {"year": year}
        ),
        tables.stage2_table(summary, links),
        tables.comments_table(data.comments, year),
        tables.monthly_table(data.monthly, year),
        tables.yearly_table(data.yearly),
        tables.health_status_table(summary, links),
        tables.uptake_table(summary, links),
        tables.incentives_table(summary, links),
    ]


@dataclasses.dataclass(frozen=True)
class Built:
    tables: list[tables.Table]
    freshness: facts.Freshness
    key: str
    organizations: list[Organization]


def build_tables(scope: ind.Scope, year: str, today, links: tables.Links) -> Built:
    """Every table of a dashboard, in the order shown, and how fresh its facts are.

    The deadlines and orders are read live (three queries, with the organizations, their facts'
    state and pair health); the rest comes from the facts, cached per scope, year and data
    version (the newest computation among the scope's organizations), so a recomputed
    organization invalidates it."""
    rows, orders, organizations = ind.compliance_and_orders(
        scope, year, today, **facts.organization_annotations(today)
    )
    freshness = facts.freshness_of(organizations)
    key = "dashboard:" + content_key(
        scope, year, sorted(links.filters.items()), freshness.version,
        registry.definitions_version(),
    )  # fmt: skip
    cached = cache.get(key)
    if cached is None:
        cached = _fact_tables(scope, year, today, links)
        cache.set(key, cached, CACHE_SECONDS)
    result = [
        *cached,
        tables.compliance_table(rows, year),
        *tables.order_tables(orders),
        tables.health_table(facts.health_rows(organizations)),
    ]
    return Built(result, freshness, key, organizations)


def _municipality_of(built: Built, municipality_id: int) -> Municipality | None:
    """The municipality of the heading, read with the organizations when it has any."""
    for org in built.organizations:
        if org.municipality_id == municipality_id:
            return org.municipality
    return Municipality.objects.filter(pk=municipality_id).first()


def _render_dashboard(request, *, form, scope, year, heading, links, template_extra=None):
    today = timezone.localdate()
    built = build_tables(scope, year, today, links)
    all_tables, freshness, key = built.tables, built.freshness, built.key
    if request.GET.get("export") == "xlsx":
        key = request.GET.get("table", "indicators")
        table = next((table for table in all_tables if table.key == key), None)
        if table is None:
            raise Http404
        return table_xlsx(table, f"{key}-{year.replace('/', '-')}.xlsx")
    context = {
        "form": form,
        "heading": heading,
        "year": year,
        "tables": {table.key: table for table in all_tables},
        "order_tables": [table for table in all_tables if table.key.startswith("order-")],
        "export_query": request.GET.urlencode(),
        "freshness": freshness,
        # The facts' tables are rendered once per data version (and export link) too.
        "facts_key": key + ":" + hashlib.sha1(request.GET.urlencode().encode()).hexdigest(),
        # (date, address) of the numbers an issued report printed for this scope and year.
        "reported": reported_values(request.user, scope, year),
        **(template_extra or {}),
    }
    if municipality_id := context.pop("municipality_id", None):
        context["municipality"] = _municipality_of(built, municipality_id)
    return render(request, "monitoring/dashboard.html", context)


@login_required
def dashboard(request):
    """The committee's dashboard over the municipality (a specialist: their kind only); heads
    and curators go to their organization's."""
    user = request.user
    if "reset" in request.GET:  # forget the filters and show the page afresh (checked there)
        return remembered_redirect(request, "monitoring:dashboard")
    if not has_dashboard(user):
        raise PermissionDenied
    if not user.scope.is_committee:
        return redirect(
            "monitoring:organization_dashboard", pk=min(user.scope.managed_organizations)
        )
    remembered = remembered_redirect(request, "monitoring:dashboard")
    if remembered:
        return remembered
    if organization_id := int_param(request, "organization"):
        organization_for_dashboard(user, organization_id)  # foreign: 404
    form = DashboardFilter(request.GET or None, user=user)
    values = form.values()
    scope = scope_for(user, kind=values["kind"], organization_id=values["organization"])
    heading = gettext("Monitoring of mentoring")
    if scope.kind:
        heading += " · " + str(OrganizationKind(scope.kind).label)
    return _render_dashboard(
        request,
        form=form,
        scope=scope,
        year=values["year"],
        heading=heading,
        links=tables.Links({"kind": values["kind"], "organization": values["organization"]}),
        template_extra={"municipality_id": scope.municipality_id, "committee": True},
    )


@login_required
def organization_dashboard(request, pk: int):
    """One organization's dashboard: its curator's and head's, and the committee's drill-down."""
    organization = organization_for_dashboard(request.user, pk)
    remembered = remembered_redirect(request, f"monitoring:organization:{pk}")
    if remembered:
        return remembered
    form = DashboardFilter(request.GET or None, user=request.user, organization_filter=False)
    values = form.values()
    if "kind" in form.fields:
        del form.fields["kind"]
    scope = ind.Scope(municipality_id=organization.municipality_id, organization_id=organization.pk)
    return _render_dashboard(
        request,
        form=form,
        scope=scope,
        year=values["year"],
        heading=organization.short_name,
        links=tables.Links({"organization": organization.pk}),
        template_extra={
            "organization": organization,
            "can_import": organization.pk in request.user.scope.managed_organizations,
        },
    )


@login_required
def drill_down(request, metric: str):
    """The rows behind a dashboard number, with the same filters; `?export=xlsx` exports all."""
    found = drill.METRICS.get(metric)
    if found is None:
        raise Http404
    user = request.user
    if not has_dashboard(user):
        raise PermissionDenied
    organization = None
    if organization_id := int_param(request, "organization"):
        organization = organization_for_dashboard(user, organization_id)
    form = DashboardFilter(request.GET or None, user=user)
    values = form.values()
    scope = scope_for(
        user, kind=values["kind"], organization_id=organization.pk if organization else None
    )
    today = timezone.localdate()
    year = values["year"]
    rows = found.rows(scope, year, today)
    headers = [str(header) for header in found.headers]
    title = str(found.title)
    # Model rows are chosen over their ids first, then joined (core.listing.page_then_join).
    model_rows = isinstance(rows, QuerySet) and rows._iterable_class is ModelIterable
    if request.GET.get("export") == "xlsx":
        if model_rows:
            iterable = rows_by_ids(rows)
        else:
            iterable = rows.iterator(chunk_size=2000) if hasattr(rows, "iterator") else rows
        return xlsx_response(
            drill.export_name(metric, year),
            sheet_title(title),
            headers,
            ([cell.excel for cell in found.row(obj, today)] for obj in iterable),
        )
    number = request.GET.get("page")
    if model_rows:
        page = page_then_join(rows, DRILL_PAGE_SIZE, number)
    else:
        page = Paginator(rows, DRILL_PAGE_SIZE).get_page(number)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "monitoring/drill.html",
        {
            "title": title,
            "headers": headers,
            # Built only when the template reads them: a kept table needs no cells.
            "rows": SimpleLazyObject(lambda: [found.row(obj, today) for obj in page.object_list]),
            "page_obj": page,
            "paginator": page.paginator,
            "year": year,
            "organization": organization,
            "kind": OrganizationKind(scope.kind).label if scope.kind else "",
            "query_without_page": query.urlencode(),
            "form": form,
        },
    )


@login_required
def definitions(request):
    """«How the indicators are counted»: every number's definition, read from the registry."""
    if not (has_dashboard(request.user) or request.user.scope.is_regional):
        raise PermissionDenied
    return render(
        request,
        "monitoring/definitions.html",
        {"indicators": registry.INDICATORS, "version": registry.definitions_version()},
    )
