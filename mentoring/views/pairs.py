"""Pairs and groups: the list, registration, the card with its history and actions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.idempotency import add_token
from core.listing import FilteredListView
from core.views import run_action, save_form
from mentoring import services
from mentoring.cards import pair_panels
from mentoring.filters import PairFilter
from mentoring.forms import (
    EndEarlyForm,
    MeetingForm,
    PairForm,
    new_pair_initial,
)
from mentoring.models import MentorProfile, Pair, PairStatus
from mentoring.permissions import (
    can_log_meetings,
    can_manage_pair,
    can_register_pairs,
    pair_for,
)
from orgs.models import Person


class PairListView(LoginRequiredMixin, FilteredListView):
    template_name = "mentoring/pair_list.html"
    filterset_class = PairFilter
    page_then_join = True
    row_fields = (
        "organization__short_name",
        *Person.name_fields("mentor"),
        "form__name",
        "kind__name",
        "topic",
        "planned_start",
        "planned_end",
        "status",
    )
    export_filename = "pairs.xlsx"
    export_title = _("Pairs and groups")
    export_headers = (
        _("Organization"),
        _("Mentor"),
        _("Mentees"),
        _("Form"),
        pgettext_lazy("mentoring", "Kind"),
        _("Direction and topic"),
        _("Planned start"),
        _("Planned end"),
        _("Order number"),
        _("Order date"),
        _("Status"),
        _("Meetings"),
        _("Last meeting"),
    )

    def get_base_queryset(self):
        pairs = Pair.objects.visible_to(self.request.user).for_list()
        if not self.request.GET.get("archived"):  # the archive is shown only when asked for
            pairs = pairs.filter(archived_at__isnull=True)
        return pairs

    def export_row(self, pair):
        last = timezone.localtime(pair.last_meeting_at).date() if pair.last_meeting_at else None
        return (
            pair.organization.short_name,
            pair.mentor.full_name,
            ", ".join(person.full_name for person in pair.mentee_list),
            pair.form.name,
            pair.kind.name,
            pair.topic,
            pair.planned_start,
            pair.planned_end,
            pair.order_number,
            pair.order_date,
            pair.get_status_display(),
            pair.meeting_count,
            last,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_register"] = can_register_pairs(self.request.user)
        return context


@login_required
def pair_add(request):
    if not can_register_pairs(request.user):
        raise PermissionDenied
    initial = new_pair_initial(timezone.localdate())
    mentor_pk = request.GET.get("mentor")
    if mentor_pk and mentor_pk.isdigit():
        initial["mentor"] = (
            MentorProfile.objects.visible_to(request.user).filter(pk=mentor_pk).first()
        )
        rank = request.GET.get("rank", "")
        if initial["mentor"] is not None and rank.isdigit():
            # From the suggestions: remember which suggested mentor this was.
            initial["suggested_mentor"] = initial["mentor"].pk
            initial["suggestion_rank"] = int(rank)
    for field in ("form", "kind"):
        value = request.GET.get(field, "")
        if value.isdigit():
            initial[field] = int(value)
    mentee_pk = request.GET.get("mentee")
    if mentee_pk and mentee_pk.isdigit():
        # From the needs list: the confirmed teacher who still has no mentor.
        initial["mentees"] = [int(mentee_pk)]
    form = PairForm(request.POST or None, user=request.user, initial=initial)
    add_token(form)
    if response := save_form(
        request,
        form,
        lambda: services.pair_register(
            curator=request.user,
            organization=form.cleaned_data["organization"],
            data=form.to_data(),
        ),
        gettext("The pair is registered as a draft."),
    ):
        return response
    return render(request, "mentoring/pair_form.html", {"form": form})


@login_required
def pair_edit(request, pk: int):
    pair = pair_for(request.user, pk, manage=True)
    form = PairForm(request.POST or None, user=request.user, pair=pair)
    if response := save_form(
        request,
        form,
        lambda: services.pair_update(user=request.user, pair=pair, data=form.to_data()),
        gettext("Changes are saved."),
        redirect_to=pair,
    ):
        return response
    return render(request, "mentoring/pair_form.html", {"form": form, "pair": pair})


def pair_context(request, pair: Pair, **extra) -> dict:
    user = request.user
    meetings = list(pair.meetings.for_list())
    events = pair.events.select_related("user")
    can_log = can_log_meetings(user, pair) and pair.status == PairStatus.ACTIVE
    return {
        "pair": pair,
        "mentees": pair.mentee_list,
        "meetings": meetings,
        "events": events,
        "can_manage": can_manage_pair(user, pair),
        "can_log": can_log,
        "meeting_form": MeetingForm(pair=pair) if can_log else None,
        "end_form": EndEarlyForm(),
        # «Составить программу» on a pair that has none yet (its mentor writes it).
        "needs_program": pair.status in (PairStatus.DRAFT, PairStatus.ACTIVE)
        and not pair.programs.exists(),
        "can_plan": can_log_meetings(user, pair) or can_manage_pair(user, pair),
        "statuses": PairStatus,
        "panels": pair_panels(request, pair),
        **extra,
    }


@login_required
def pair_detail(request, pk: int):
    pair = pair_for(request.user, pk)
    return render(request, "mentoring/pair_detail.html", pair_context(request, pair))


@login_required
@require_POST
def pair_activate(request, pk: int):
    pair = pair_for(request.user, pk, manage=True)
    run_action(
        request,
        lambda: services.pair_activate(user=request.user, pair=pair, today=timezone.localdate()),
        lambda: gettext("The pair is active."),
    )
    return redirect(pair)


@login_required
@require_POST
def pair_complete(request, pk: int):
    pair = pair_for(request.user, pk, manage=True)
    run_action(
        request,
        lambda: services.pair_complete(user=request.user, pair=pair, today=timezone.localdate()),
        lambda: gettext("The pair is completed."),
    )
    return redirect(pair)


@login_required
@require_POST
def pair_archive(request, pk: int):
    """Archive instead of delete: the pair leaves the lists, its records stay readable."""
    pair = pair_for(request.user, pk, manage=True)
    run_action(
        request,
        lambda: services.pair_archive(user=request.user, pair=pair),
        lambda: gettext("The pair is archived; its meetings and programs are kept."),
    )
    return redirect(pair)


@login_required
@require_POST
def pair_end_early(request, pk: int):
    pair = pair_for(request.user, pk, manage=True)
    form = EndEarlyForm(request.POST)
    if response := save_form(
        request,
        form,
        lambda: services.pair_end_early(
            user=request.user,
            pair=pair,
            reason_code=form.cleaned_data["reason_code"],
            reason=form.cleaned_data["reason"],
            today=timezone.localdate(),
        ),
        gettext("The pair is ended early."),
        redirect_to=pair,
    ):
        return response
    return render(
        request,
        "mentoring/pair_detail.html",
        pair_context(request, pair, end_form=form, show_end_form=True),
        status=400,
    )
