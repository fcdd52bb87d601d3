"""Matching fixtures: mentors of the district bank with hand-made profiles, diagnostics."""

from __future__ import annotations

import datetime

from django.utils import timezone

from mentoring.models import MentorProfile, PairStatus, Topic
from orgs.models import Position, QualificationCategory
from programs.models import Answer, Diagnostic, DifficultyItem, Respondent, Stage
from tests.factories import EmploymentFactory, PersonFactory
from tests.programs.conftest import make_pair


def teacher(organization, *, last_name, years=5, subjects="математика", position="uchitel",
            category=QualificationCategory.NONE):  # fmt: skip
    today = timezone.localdate()
    person = PersonFactory(
        last_name=last_name, teaching_since=today - datetime.timedelta(days=365 * years + 30)
    )
    EmploymentFactory(
        person=person,
        organization=organization,
        subjects=subjects,
        position=Position.objects.get(code=position),
        qualification_category=category,
    )
    return person


def bank_mentor(organization, *, last_name, topics=(Topic.OTHER,), max_mentees=2, **kwargs):
    person = teacher(organization, last_name=last_name, **kwargs)
    return MentorProfile.objects.create(
        person=person,
        organization=organization,
        results="Победитель конкурса",
        topics=list(topics),
        max_mentees=max_mentees,
    )


def diagnose(person, organization, *, low=(), high=(), on=None):
    """A self-assessment of `person`: 1 on the items of `low` areas, 4 on `high`, 3 elsewhere."""
    helper = PersonFactory(last_name="Помощникова")
    # A finished pair of the past: the teacher is free for a new one.
    pair = make_pair(organization, helper, [person], status=PairStatus.COMPLETED)
    diagnostic = Diagnostic.objects.create(
        pair=pair,
        mentee=person,
        stage=Stage.START,
        respondent=Respondent.SELF,
        filled_on=on or timezone.localdate(),
    )
    Answer.objects.bulk_create(
        Answer(
            diagnostic=diagnostic,
            item=item,
            score=1 if item.area.code in low else 4 if item.area.code in high else 3,
        )
        for item in DifficultyItem.objects.select_related("area")
    )
    return diagnostic
