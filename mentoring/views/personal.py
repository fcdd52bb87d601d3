"""A mentor's "my pairs" and a mentee's "my mentor"."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import render

from mentoring.forms import MeetingForm
from mentoring.models import Meeting, MeetingAttendance, MentorProfile, Pair, PairStatus


@login_required
def my_pairs(request):
    """The mentor's pairs and groups, each with a quick meeting form."""
    person_id = request.user.person_id
    pairs = list(Pair.objects.filter(mentor_id=person_id).for_list()) if person_id else []
    rows = [
        {
            "pair": pair,
            "form": MeetingForm(pair=pair, auto_id=f"p{pair.pk}_%s")
            if pair.status == PairStatus.ACTIVE
            else None,
        }
        for pair in pairs
    ]
    profile = MentorProfile.objects.filter(person_id=person_id).first() if person_id else None
    return render(request, "mentoring/my_pairs.html", {"rows": rows, "profile": profile})


@login_required
def my_mentor(request):
    """The mentee's pairs: the mentor, the meetings, and the ones to confirm."""
    person_id = request.user.person_id
    pairs = []
    if person_id:
        pairs = list(
            Pair.objects.filter(memberships__person_id=person_id)
            .for_list()
            .prefetch_related(
                Prefetch(
                    "meetings",
                    queryset=Meeting.objects.filter(attendances__person_id=person_id)
                    .prefetch_related(
                        Prefetch(
                            "attendances",
                            queryset=MeetingAttendance.objects.filter(person_id=person_id),
                            to_attr="own_attendance",
                        ),
                        Prefetch("files", to_attr="file_rows"),
                    )
                    .order_by("-held_at"),
                    to_attr="own_meetings",
                ),
                Prefetch(
                    "mentor__mentor_profile",
                ),
            )
        )
    return render(request, "mentoring/my_mentor.html", {"pairs": pairs})
