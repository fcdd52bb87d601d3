"""Screens of the analytic reports: the list (status polled by htmx while a build runs), the
order form, the download, and the notification settings of the weekly reminders."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.idempotency import add_token
from core.uploads import protected_file_response
from core.views import save_form
from mentoring.models import academic_year_of
from monitoring.indicators import available_years
from monitoring.permissions import has_dashboard
from orgs.models import Municipality, OrganizationKind
from reports import services as reports
from reports.models import Report, ReportKind, ReportStatus

POLL_SECONDS = 3


class ReportOrderForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"))
    year = forms.ChoiceField(label=_("Academic year"))
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none(), required=False
    )
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=None,
        required=False,
        help_text=_("For an organization's report."),
    )
    organization_kind = forms.ChoiceField(
        label=_("Kind of organizations"),
        required=False,
        help_text=_("For a report on one kind of organizations."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = reports.order_options(user)
        labels = dict(ReportKind.choices)
        self.fields["kind"].choices = [(kind, labels[kind]) for kind in self.options.kinds]
        today = timezone.localdate()
        self.fields["year"].choices = [(year, year) for year in available_years(today)]
        self.fields["year"].initial = academic_year_of(today)
        self.fields["organization"].queryset = self.options.organizations.order_by("sort_key")
        kinds = dict(OrganizationKind.choices)
        self.fields["organization_kind"].choices = [("", "—")] + [
            (kind, kinds[kind]) for kind in self.options.organization_kinds
        ]
        municipalities = {m for m, _kind in self.options.kind_scopes} | set(
            self.options.municipalities
        )
        if len(municipalities) > 1:
            self.fields["municipality"].queryset = Municipality.objects.filter(
                pk__in=municipalities
            )
            self.fields["municipality"].required = True
        else:
            del self.fields["municipality"]
        if ReportKind.ORGANIZATION not in self.options.kinds:
            del self.fields["organization"]
        if ReportKind.KIND not in self.options.kinds:
            del self.fields["organization_kind"]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == ReportKind.ORGANIZATION and not data.get("organization"):
            self.add_error("organization", gettext("Choose the organization."))
        if kind == ReportKind.KIND and not data.get("organization_kind"):
            self.add_error("organization_kind", gettext("Choose the kind of organizations."))
        return data


def _require_reports(user) -> None:
    if not has_dashboard(user):
        raise PermissionDenied


def _reports_for(user):
    """The user's reports, newest first, each numbered within its kind, scope and year."""
    return (
        Report.objects.visible_to(user)
        .for_list()
        .annotate(
            version=Window(
                RowNumber(),
                partition_by=[
                    F("kind"),
                    F("municipality_id"),
                    F("organization_id"),
                    F("organization_kind"),
                    F("academic_year"),
                ],
                order_by=[F("requested_at").asc(), F("pk").asc()],
            )
        )
    )


def _table_context(user) -> dict:
    rows = list(_reports_for(user)[:200])
    latest: set[tuple] = set()
    for report in rows:  # newest first: the first of each group is the current version
        key = (
            report.kind,
            report.municipality_id,
            report.organization_id,
            report.organization_kind,
            report.academic_year,
        )
        report.is_current = key not in latest
        latest.add(key)
    return {
        "reports": rows,
        "polling": any(report.is_pending for report in rows),
        "poll_seconds": POLL_SECONDS,
    }


@login_required
def report_list(request):
    """The reports the user may download; while one is being built the table polls itself."""
    _require_reports(request.user)
    context = _table_context(request.user)
    if request.htmx:
        return render(request, "reports/includes/table.html", context)
    context["form"] = ReportOrderForm(user=request.user)
    add_token(context["form"])
    return render(request, "reports/list.html", context)


def _ordered_message(report: Report) -> str:
    """What the user is told after ordering: ordered, already being built, or kept until the
    queue is back (read after the commit, when the report was handed to the queue or not)."""
    if report.already_ordered:
        return gettext(
            "The report «%(report)s» is already ordered (%(time)s) and is being built; "
            "it appears here when ready."
        ) % {
            "report": report,
            "time": timezone.localtime(report.requested_at).strftime("%d.%m.%Y %H:%M"),
        }
    report.refresh_from_db(fields=["status", "due_at"])
    if reports.is_waiting_for_queue(report):
        return gettext("The report «%(report)s» is saved. %(reason)s") % {
            "report": report,
            "reason": gettext(reports.QUEUE_UNAVAILABLE),
        }
    return gettext("The report «%(report)s» is ordered; it appears here when ready.") % {
        "report": report
    }


@login_required
def report_order(request):
    _require_reports(request.user)
    form = ReportOrderForm(request.POST if request.method == "POST" else None, user=request.user)
    add_token(form)
    if response := save_form(
        request,
        form,
        lambda: reports.report_order(
            user=request.user,
            kind=form.cleaned_data["kind"],
            year=form.cleaned_data["year"],
            organization=form.cleaned_data.get("organization"),
            organization_kind=form.cleaned_data.get("organization_kind"),
            municipality=form.cleaned_data.get("municipality"),
        ),
        _ordered_message,
        redirect_to="reports:list",
    ):
        return response
    context = _table_context(request.user)
    context["form"] = form
    return render(request, "reports/list.html", context, status=200)


@login_required
def report_download(request, pk: int):
    """The stored PDF; a report outside the user's scope, or not ready, is not found."""
    report = get_object_or_404(Report.objects.visible_to(request.user), pk=pk)
    if report.status != ReportStatus.READY or not report.file:
        raise Http404
    return protected_file_response(report.file, report.download_name)


class NotificationForm(forms.Form):
    email_reminders = forms.BooleanField(
        label=_("Send me weekly e-mail reminders"),
        required=False,
        help_text=_(
            "Quiet pairs, overdue road-map activities, stale needs lists, pairs ending soon "
            "and late documents — one letter a week."
        ),
    )


@login_required
def notifications(request):
    """«Notification settings»: the user turns the weekly reminders on or off."""
    user = request.user
    data = request.POST if request.method == "POST" else None
    form = NotificationForm(data, initial={"email_reminders": user.email_reminders})
    if request.method == "POST" and form.is_valid():
        user.email_reminders = form.cleaned_data["email_reminders"]
        user.save(update_fields=["email_reminders"])
        messages.success(
            request,
            gettext("Reminders are on.") if user.email_reminders else gettext("Reminders are off."),
        )
        return redirect("reports:notifications")
    return render(request, "reports/notifications.html", {"form": form})
