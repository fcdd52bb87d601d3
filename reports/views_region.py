"""The regional annual report: the list of the region's reports with the build progress
(polled by htmx while a build runs), the order and the rebuild. Only the region's coordinator
and the administrator reach these pages."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.idempotency import add_token
from core.params import int_param
from core.views import save_form
from mentoring.models import academic_year_of
from monitoring.indicators import available_years
from orgs.models import Region
from reports import regional

POLL_SECONDS = 3


class RegionalOrderForm(forms.Form):
    year = forms.ChoiceField(label=_("Academic year"))
    reason = forms.CharField(
        label=_("Reason for rebuilding"),
        max_length=500,
        required=False,
        help_text=_("Only when the report of this year was issued before: why it is built again."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].choices = [(year, year) for year in available_years(today)]
        self.fields["year"].initial = academic_year_of(today)


def _region(request) -> Region:
    """The user's region (`?region=` for an administrator); 403 for everyone else."""
    regions = regional.regions_for(request.user)
    if not request.user.scope.is_superuser and not request.user.scope.is_regional:
        raise PermissionDenied
    if region_id := int_param(request, "region"):
        return get_object_or_404(regions, pk=region_id)
    region = regions.order_by("name").first()
    if region is None:
        raise PermissionDenied
    return region


def _table_context(request, region: Region) -> dict:
    rows = list(regional.regional_reports(request.user, region)[:50])
    latest: set[str] = set()
    for report in rows:
        report.is_current = report.academic_year not in latest
        latest.add(report.academic_year)
        report.parts_done = min(report.parts_done, report.parts_total)
    return {
        "region": region,
        "reports": rows,
        "polling": any(report.is_pending for report in rows),
        "poll_seconds": POLL_SECONDS,
    }


def _ordered_message(report) -> str:
    if report.already_ordered:
        return gettext("The report «%(report)s» is already ordered and is being built.") % {
            "report": report
        }
    return gettext("The report «%(report)s» is ordered; it appears here when ready.") % {
        "report": report
    }


@login_required
def region_reports(request):
    """The region's annual reports, their versions and, while one builds, its progress."""
    region = _region(request)
    context = _table_context(request, region)
    if request.htmx:
        return render(request, "reports/includes/region_table.html", context)
    form = RegionalOrderForm(request.POST or None)
    add_token(form)
    if response := save_form(
        request,
        form,
        lambda: regional.regional_order(
            user=request.user,
            region=region,
            year=form.cleaned_data["year"],
            reason=form.cleaned_data.get("reason", ""),
        ),
        _ordered_message,
        redirect_to=lambda report: f"{request.path}?region={region.pk}",
    ):
        return response
    context["form"] = form
    return render(request, "reports/region.html", context)
