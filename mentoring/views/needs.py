"""Who needs a mentor: the curator's yearly list per organization (4.1.3)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.idempotency import add_token
from core.listing import FilteredListView
from core.views import run_action, save_form
from mentoring import services
from mentoring.filters import NeedFilter
from mentoring.forms import NeedAddForm, NeedDismissForm
from mentoring.models import NeedEntry, NeedsList, NeedStatus, academic_year_of
from mentoring.permissions import can_manage_organization, need_entry_for, organization_for_needs
from mentoring.views.common import yes_no
from orgs.models import Person


class NeedListView(LoginRequiredMixin, FilteredListView):
    """Entries of the needs lists of every organization the user oversees."""

    template_name = "mentoring/need_list.html"
    filterset_class = NeedFilter
    page_then_join = True
    row_fields = (
        *Person.name_fields("person"),
        "needs_list__organization__short_name",
        "needs_list__academic_year",
        "reason",
        "status",
    )
    export_filename = "needs.xlsx"
    export_title = _("Needs list")
    export_headers = (
        _("Organization"),
        _("Academic year"),
        _("Full name"),
        _("Reason"),
        _("Status"),
        _("Note"),
        _("Decided by"),
        _("Decided at"),
        _("In a pair"),
    )

    def get_base_queryset(self):
        return NeedEntry.objects.visible_to(self.request.user).for_list()

    def export_row(self, entry):
        decided_at = timezone.localtime(entry.decided_at).date() if entry.decided_at else None
        return (
            entry.needs_list.organization.short_name,
            entry.needs_list.academic_year,
            entry.person.full_name,
            entry.get_reason_display(),
            entry.get_status_display(),
            entry.note,
            entry.decided_by.display_name if entry.decided_by else "",
            decided_at,
            yes_no(entry.in_pair),
        )


@login_required
def needs_organization(request, pk: int):
    """One organization's list for the current academic year, with candidates to decide on."""
    organization = organization_for_needs(request.user, pk)
    today = timezone.localdate()
    can_manage = can_manage_organization(request.user, organization.pk)
    needs_list = NeedsList.objects.filter(
        organization=organization, academic_year=academic_year_of(today)
    ).first()
    last = (
        NeedsList.objects.filter(organization=organization, updated_on__isnull=False)
        .select_related("organization__municipality")
        .order_by("-updated_on")
        .first()
    )
    entries = (
        NeedEntry.objects.filter(needs_list=needs_list).for_list()
        if needs_list
        else NeedEntry.objects.none()
    )
    new_candidates = services.needs_candidates(organization, today) if can_manage else []
    form = NeedAddForm(organization=organization)
    add_token(form)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        form = NeedAddForm(request.POST, organization=organization)
        add_token(form)
        if response := save_form(
            request,
            form,
            lambda: services.need_add(
                user=request.user,
                organization=organization,
                person=form.cleaned_data["person"],
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                today=today,
            ),
            gettext("The teacher is added to the list."),
            redirect_to=reverse("mentoring:needs_organization", args=[organization.pk]),
        ):
            return response
    return render(
        request,
        "mentoring/needs_organization.html",
        {
            "organization": organization,
            "needs_list": needs_list,
            "academic_year": academic_year_of(today),
            "last_updated": last.updated_on if last else None,
            "is_stale": last is None or last.is_stale(today),
            "entries": entries,
            "new_candidates": new_candidates,
            "can_manage": can_manage,
            "form": form,
            "statuses": NeedStatus,
            "dismiss_form": NeedDismissForm(),
        },
    )


@login_required
@require_POST
def needs_propose(request, pk: int):
    organization = organization_for_needs(request.user, pk, manage=True)
    count = services.needs_propose(
        user=request.user, organization=organization, today=timezone.localdate()
    )
    messages.info(request, gettext("Candidates added to the list: %(count)s.") % {"count": count})
    return redirect("mentoring:needs_organization", pk=organization.pk)


@login_required
@require_POST
def needs_reviewed(request, pk: int):
    organization = organization_for_needs(request.user, pk, manage=True)
    services.needs_mark_reviewed(
        user=request.user, organization=organization, today=timezone.localdate()
    )
    messages.success(request, gettext("The list is marked as up to date."))
    return redirect("mentoring:needs_organization", pk=organization.pk)


@login_required
@require_POST
def need_decide(request, pk: int, status: str):
    entry = need_entry_for(request.user, pk)
    dismiss = NeedDismissForm(request.POST)
    dismiss.is_valid()  # the service refuses a missing reason with its own message
    run_action(
        request,
        lambda: services.need_decide(
            user=request.user,
            entry=entry,
            status=status,
            today=timezone.localdate(),
            dismiss_reason=dismiss.cleaned_data.get("dismiss_reason", ""),
            note=dismiss.cleaned_data.get("note", ""),
            seen_status=request.POST.get("seen") or None,
        ),
        lambda: (
            gettext("%(name)s: %(status)s.")
            % {"name": entry.person, "status": entry.get_status_display()}
        ),
    )
    return redirect("mentoring:needs_organization", pk=entry.needs_list.organization_id)
