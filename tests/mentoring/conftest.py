"""Mentoring fixtures on top of the district personas: a mentor in the bank, pairs."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from mentoring import services
from mentoring.models import MentoringForm, MentorProfile, Topic
from tests.factories import EmploymentFactory, PersonFactory

TODAY = datetime.date(2026, 11, 10)


@pytest.fixture
def forms(db) -> dict[str, MentoringForm]:
    return {form.code: form for form in MentoringForm.objects.all()}


def make_mentor(person, organization, *, max_mentees: int = 2, topics=(Topic.METHODS,)):
    return MentorProfile.objects.create(
        person=person,
        organization=organization,
        results="Победитель районного конкурса «Учитель года»",
        topics=list(topics),
        max_mentees=max_mentees,
    )


@pytest.fixture
def mentor_profile(district):
    return make_mentor(district.mentor_a.person, district.school_a)


@pytest.fixture
def mentor_b(district):
    """A mentor of school B, for pairs across organizations."""
    person = PersonFactory(last_name="Кедрова", first_name="Вера")
    EmploymentFactory(person=person, organization=district.school_b, subjects="физика")
    return make_mentor(person, district.school_b, topics=(Topic.SUBJECT, Topic.PARENTS))


@pytest.fixture
def pair_data(district, forms):
    def build(**overrides) -> services.PairData:
        values = {
            "mentor": district.mentor_a.person,
            "mentees": [district.mentee_a.person],
            "form": forms["pedagog_pedagog"],
            "kind": forms["tradicionnoe"],
            "topic": "Методика урока математики",
            "planned_start": datetime.date(2026, 9, 1),
            "planned_end": datetime.date(2027, 5, 31),
            "order_number": "45-о",
            "order_date": datetime.date(2026, 8, 30),
        }
        values.update(overrides)
        return services.PairData(**values)

    return build


@pytest.fixture
def active_pair(district, mentor_profile, pair_data):
    pair = services.pair_register(
        curator=district.curator_a, organization=district.school_a, data=pair_data()
    )
    return services.pair_activate(user=district.curator_a, pair=pair, today=TODAY)


@pytest.fixture
def meeting(district, active_pair):
    return services.meeting_log(
        user=district.mentor_a,
        pair=active_pair,
        data=services.MeetingData(
            held_at=timezone.now() - datetime.timedelta(days=1),
            format="in_person",
            topic="Разбор открытого урока",
            attended=[district.mentee_a.person],
        ),
    )
