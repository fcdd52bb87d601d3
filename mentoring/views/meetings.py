"""Meetings: the list, logging (also as a quick htmx form), editing, confirming, files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.idempotency import ALREADY_SAVED, AlreadySubmitted, submit_once
from core.listing import FilteredListView
from core.uploads import protected_file_response
from core.views import already_submitted, apply_service_errors, save_form
from mentoring import services
from mentoring.filters import MeetingFilter
from mentoring.forms import MeetingForm
from mentoring.models import Meeting, MeetingFile
from mentoring.permissions import meeting_for, pair_for
from orgs.models import Person


class MeetingListView(LoginRequiredMixin, FilteredListView):
    template_name = "mentoring/meeting_list.html"
    filterset_class = MeetingFilter
    page_then_join = True
    row_fields = (
        "held_at",
        *Person.name_fields("pair__mentor"),
        "pair__organization__short_name",
        "topic",
        "format",
        "duration_minutes",
    )
    export_filename = "meetings.xlsx"
    export_title = _("Meetings")
    export_headers = (
        _("Date"),
        _("Time"),
        _("Organization"),
        _("Mentor"),
        _("Topic"),
        _("Format"),
        _("Link"),
        _("Duration, minutes"),
        _("Attended"),
        _("Confirmed"),
        _("Notes"),
    )

    def get_base_queryset(self):
        return Meeting.objects.visible_to(self.request.user).for_list()

    def export_row(self, meeting):
        held_at = timezone.localtime(meeting.held_at)
        rows = meeting.attendance_list
        return (
            held_at.date(),
            f"{held_at:%H:%M}",
            meeting.pair.organization.short_name,
            meeting.pair.mentor.full_name,
            meeting.topic,
            meeting.get_format_display(),
            meeting.link,
            meeting.duration_minutes,
            ", ".join(row.person.full_name for row in rows),
            ", ".join(row.person.full_name for row in rows if row.confirmed_at),
            meeting.notes,
        )


@login_required
def meeting_add(request, pk: int):
    """The pair's mentor logs a meeting; from "my pairs" it comes as an htmx partial."""
    pair = pair_for(request.user, pk, log=True)
    form = MeetingForm(request.POST or None, request.FILES or None, pair=pair)
    template = (
        "mentoring/includes/meeting_quick_form.html"
        if request.htmx
        else "mentoring/meeting_form.html"
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting, url = submit_once(
                request,
                form,
                lambda: services.meeting_log(
                    user=request.user,
                    pair=pair,
                    data=form.to_data(),
                    files=form.cleaned_data["files"],
                ),
                lambda meeting: meeting.pair.get_absolute_url(),
            )
        except AlreadySubmitted as done:
            if request.htmx:
                fresh = MeetingForm(pair=pair)
                context = {"pair": pair, "form": fresh, "already_saved": ALREADY_SAVED}
                return render(request, template, context)
            return already_submitted(request, done)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if request.htmx:
                fresh = MeetingForm(pair=pair)
                return render(request, template, {"pair": pair, "form": fresh, "logged": meeting})
            messages.success(request, gettext("The meeting is logged."))
            return redirect(url)
    return render(request, template, {"pair": pair, "form": form})


@login_required
def meeting_edit(request, pk: int):
    meeting = meeting_for(request.user, pk, log=True)
    pair = meeting.pair
    form = MeetingForm(request.POST or None, request.FILES or None, pair=pair, meeting=meeting)
    if response := save_form(
        request,
        form,
        lambda: services.meeting_update(
            user=request.user,
            meeting=meeting,
            data=form.to_data(),
            files=form.cleaned_data["files"],
        ),
        gettext("Changes are saved."),
        redirect_to=pair,
    ):
        return response
    return render(
        request, "mentoring/meeting_form.html", {"pair": pair, "form": form, "meeting": meeting}
    )


@login_required
@require_POST
def meeting_confirm(request, pk: int):
    meeting = meeting_for(request.user, pk)
    services.meeting_confirm(user=request.user, meeting=meeting)
    messages.success(request, gettext("Thank you: the meeting is confirmed."))
    next_url = request.POST.get("next")
    if next_url == "my_mentor":
        return redirect("mentoring:my_mentor")
    return redirect(meeting.pair)


@login_required
def meeting_file(request, pk: int):
    stored = get_object_or_404(
        MeetingFile.objects.filter(meeting__in=Meeting.objects.visible_to(request.user)), pk=pk
    )
    return protected_file_response(stored.file, stored.name)
