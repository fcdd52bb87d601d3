"""The demo: mentors, needs lists, ~60 pairs of every form and kind, a year of meetings."""

from __future__ import annotations

from io import StringIO

from mentoring import demo as mentoring_demo
from mentoring.models import (
    FormType,
    Meeting,
    MentoringForm,
    MentorProfile,
    NeedEntry,
    Pair,
    PairStatus,
)
from orgs import demo as orgs_demo
from orgs.models import User


def counts() -> tuple:
    return (
        MentorProfile.objects.count(),
        NeedEntry.objects.count(),
        Pair.objects.count(),
        Meeting.objects.count(),
    )


def test_demo_is_complete_and_running_it_twice_adds_nothing(db):
    orgs_demo.seed(StringIO())
    mentoring_demo.seed(StringIO())
    first = counts()
    mentors, needs, pairs, meetings = first
    assert 35 <= mentors <= 40
    assert needs > 0
    assert 55 <= pairs <= 60
    assert meetings > 300
    used = set(Pair.objects.values_list("form__code", flat=True)) | set(
        Pair.objects.values_list("kind__code", flat=True)
    )
    assert set(MentoringForm.objects.values_list("code", flat=True)) <= used
    assert set(Pair.objects.values_list("status", flat=True)) == set(PairStatus.values)
    across = [
        pair
        for pair in Pair.objects.select_related("mentor__mentor_profile")
        if pair.mentor.mentor_profile.organization_id != pair.organization_id
    ]
    assert across
    mentor, mentee = User.objects.get(username="mentor"), User.objects.get(username="mentee")
    pair = Pair.objects.get(mentor=mentor.person, mentees=mentee.person)
    assert pair.status == PairStatus.ACTIVE
    assert MentoringForm.objects.filter(type=FormType.KIND).count() == 7

    mentoring_demo.seed(StringIO())
    assert counts() == first
