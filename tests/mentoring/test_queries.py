"""Lists state what they need at the source: the same number of queries for 10 and 500 rows."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentoring.models import (
    Meeting,
    MeetingAttendance,
    MentorProfile,
    Pair,
    PairMentee,
    PairStatus,
    Topic,
)
from orgs.models import Employment, Person
from tests.factories import position


def people(count: int, prefix: str) -> list[Person]:
    rows = [
        Person(
            last_name=f"{prefix}{index:04d}",
            first_name="Анна",
            search_key=f"{prefix.lower()}{index:04d} анна",
            teaching_since=datetime.date(2015, 9, 1),
        )
        for index in range(count)
    ]
    return Person.objects.bulk_create(rows)


def employ(persons, organization) -> None:
    teacher = position()
    Employment.objects.bulk_create(
        Employment(
            person=person,
            organization=organization,
            position=teacher,
            hired_on=datetime.date(2015, 9, 1),
            subjects="история",
        )
        for person in persons
    )


def build(district, forms, count: int) -> None:
    mentors = people(count, "Наставник")
    employ(mentors, district.school_a)
    MentorProfile.objects.bulk_create(
        MentorProfile(
            person=person,
            organization=district.school_a,
            results="Высшая категория",
            topics=[Topic.METHODS],
            max_mentees=3,
        )
        for person in mentors
    )
    mentees = people(count, "Наставляемый")
    employ(mentees, district.school_a)
    pairs = Pair.objects.bulk_create(
        Pair(
            organization=district.school_a,
            mentor=mentor,
            form=forms["pedagog_pedagog"],
            kind=forms["tradicionnoe"],
            topic="Тема",
            planned_start=datetime.date(2026, 9, 1),
            planned_end=datetime.date(2027, 5, 31),
            status=PairStatus.ACTIVE,
        )
        for mentor in mentors
    )
    PairMentee.objects.bulk_create(
        PairMentee(pair=pair, person=mentee) for pair, mentee in zip(pairs, mentees, strict=True)
    )
    held_at = timezone.now() - datetime.timedelta(days=3)
    meetings = Meeting.objects.bulk_create(
        Meeting(pair=pair, held_at=held_at, topic="Встреча", logged_by=None) for pair in pairs
    )
    MeetingAttendance.objects.bulk_create(
        MeetingAttendance(meeting=meeting, person=mentee)
        for meeting, mentee in zip(meetings, mentees, strict=True)
    )


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/mentoring/pairs/?status=active",
        "/mentoring/meetings/?format=in_person",
        "/mentoring/mentors/?free=true",
        "/mentoring/pairs/?status=active&export=xlsx",
        "/mentoring/meetings/?format=in_person&export=xlsx",
        "/mentoring/mentors/?free=true&export=xlsx",
    ],
)
def test_list_uses_the_same_number_of_queries_for_10_and_500_rows(district, forms, client_for, url):
    client = client_for(district.curator_a)
    build(district, forms, 10)
    small = count_queries(client, url)
    build(district, forms, 490)
    large = count_queries(client, url)
    assert small == large
