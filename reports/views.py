"""Screens of the analytic reports: the list (status polled by htmx while a build runs), the
order form, the download, and the notification settings of the weekly reminders."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.dates import moment_text
from core.idempotency import add_token
from core.uploads import protected_file_response
from core.views import save_form
from mentoring.models import academic_year_of
from monitoring import indicators as ind
from monitoring import registry
from monitoring.indicators import available_years
from monitoring.permissions import has_dashboard
from orgs.models import Municipality, OrganizationKind
from reports import services as reports
from reports.models import Report, ReportKind, ReportNarrative, ReportStatus

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
            "time": moment_text(report.requested_at),
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


@login_required
def report_download_docx(request, pk: int):
    """The Word copy built with the PDF, from the same HTML."""
    report = get_object_or_404(Report.objects.visible_to(request.user), pk=pk)
    if report.status != ReportStatus.READY or not report.docx:
        raise Http404
    return protected_file_response(report.docx, report.docx_name)


@login_required
def report_values(request, pk: int):
    """The numbers the report printed (frozen when it was built) beside the numbers now."""
    report = get_object_or_404(Report.objects.visible_to(request.user), pk=pk)
    if report.status != ReportStatus.READY or not report.values:
        raise Http404
    today = timezone.localdate()
    summary = ind.summary(reports.scope_of(report), report.academic_year, today)
    printed = report.values.get("indicators", {})
    rows = [
        (indicator, printed.get(indicator.code), indicator.of(summary))
        for indicator in registry.INDICATORS
    ]
    return render(
        request,
        "reports/values.html",
        {
            "report": report,
            "rows": rows,
            "as_of": report.values.get("as_of"),
            "today": today,
            "same_definitions": report.definitions_version == registry.definitions_version(),
        },
    )


@login_required
@require_POST
def report_rebuild(request, pk: int):
    """Build an issued report again: a new version with the reason; the old one stays."""
    report = get_object_or_404(Report.objects.visible_to(request.user), pk=pk)
    reason = (request.POST.get("reason") or "").strip()
    if not reason:
        messages.error(request, gettext("Say why the report is built again."))
        return redirect("reports:list")
    if report.kind == ReportKind.REGIONAL:
        from reports import regional

        new = regional.regional_order(
            user=request.user, region=report.region, year=report.academic_year, reason=reason
        )
        messages.success(
            request,
            gettext("The report «%(report)s» is ordered again; the earlier version is kept.")
            % {"report": new},
        )
        return redirect("reports:list")
    new = reports.report_order(
        user=request.user,
        kind=report.kind,
        year=report.academic_year,
        organization=report.organization,
        organization_kind=report.organization_kind,
        municipality=report.municipality,
        reason=reason,
    )
    messages.success(
        request,
        gettext("The report «%(report)s» is ordered again; the earlier version is kept.")
        % {"report": new},
    )
    return redirect("reports:list")


class NarrativeForm(forms.ModelForm):
    class Meta:
        model = ReportNarrative
        fields = ["conclusions", "problems", "proposals"]
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name in fields}
        help_texts = {
            "conclusions": _("What the year's work gave: results of the pairs and programs."),
            "problems": _("What got in the way."),
            "proposals": _("What to do next year."),
        }


@login_required
def narrative_edit(request):
    """The text of an annual report: the curator's for the organization's report, the
    coordinator's for the municipal one. Saved as a draft, previewed as PDF, then issued
    (the report is built with it)."""
    _require_reports(request.user)
    today = timezone.localdate()
    year = request.GET.get("year") or request.POST.get("year") or academic_year_of(today)
    try:
        reports.check_year(year)
    except ValidationError as error:
        # A hand-edited address: this year's text, and say why.
        messages.warning(request, " ".join(error.messages))
        year = academic_year_of(today)
    target = reports.narrative_target(request.user, request.GET.get("organization"))
    if target is None:
        raise PermissionDenied
    kind, municipality, organization = target
    narrative = reports.narrative_get(
        kind=kind, municipality=municipality, organization=organization, year=year
    )
    form = NarrativeForm(request.POST or None, instance=narrative)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "save")
        narrative = reports.narrative_save(user=request.user, narrative=form.instance)
        if action == "preview":
            content = reports.narrative_preview(narrative)
            response = HttpResponse(content, content_type="application/pdf")
            response["Content-Disposition"] = 'inline; filename="preview.pdf"'
            return response
        if action == "issue":
            report = reports.narrative_issue(user=request.user, narrative=narrative)
            messages.success(
                request,
                gettext("The text is issued; the report «%(report)s» is being built.")
                % {"report": report},
            )
            return redirect("reports:list")
        messages.success(request, gettext("The draft is saved."))
        query = f"?year={year}" + (f"&organization={organization.pk}" if organization else "")
        return redirect(reverse("reports:narrative") + query)
    return render(
        request,
        "reports/narrative.html",
        {
            "form": form,
            "narrative": narrative,
            "year": year,
            "organization": organization,
            "municipality": municipality,
            "years": available_years(today),
        },
    )


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
