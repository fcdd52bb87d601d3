"""Programs fixtures on top of the district personas: an active pair of school A, a program."""

from __future__ import annotations

import datetime

import pytest

from mentoring.models import MentoringForm, Pair, PairMentee, PairStatus
from programs import services
from programs.models import (
    ActivityStatus,
    DifficultyArea,
    DifficultyItem,
    Program,
    Respondent,
    Responsible,
    Stage,
)

TODAY = datetime.date(2026, 11, 10)
START = datetime.date(2026, 9, 1)
END = datetime.date(2027, 5, 31)


def make_pair(
    organization, mentor, mentees, *, status=PairStatus.ACTIVE, topic="Методика урока"
) -> Pair:
    forms = {form.code: form for form in MentoringForm.objects.all()}
    pair = Pair.objects.create(
        organization=organization,
        mentor=mentor,
        form=forms["pedagog_pedagog"],
        kind=forms["tradicionnoe"],
        topic=topic,
        planned_start=START,
        planned_end=END,
        status=status,
    )
    for person in mentees:
        PairMentee.objects.create(pair=pair, person=person)
    return pair


@pytest.fixture
def areas(db) -> dict[str, DifficultyArea]:
    return {area.code: area for area in DifficultyArea.objects.all()}


@pytest.fixture
def pair(district) -> Pair:
    return make_pair(district.school_a, district.mentor_a.person, [district.mentee_a.person])


def scores_for(low_codes=("metod", "ikt"), high_codes=("predmet",)) -> dict[int, int]:
    """1 for the items of `low_codes`, 4 for `high_codes`, 3 elsewhere."""
    scores = {}
    for item in DifficultyItem.objects.select_related("area"):
        code = item.area.code
        scores[item.pk] = 1 if code in low_codes else 4 if code in high_codes else 3
    return scores


def program_data(areas, **overrides) -> services.ProgramData:
    forms = {form.code: form for form in MentoringForm.objects.all()}
    values = {
        "form": forms["pedagog_pedagog"],
        "kind": forms["tradicionnoe"],
        "starts_on": START,
        "ends_on": END,
        "goals": "Освоить планирование урока и цифровые инструменты",
        "directions": "Методика, ИКТ",
        "deficits": [areas["metod"], areas["ikt"]],
        "strengths": [areas["predmet"]],
    }
    values.update(overrides)
    return services.ProgramData(**values)


def activity_data(areas, **overrides) -> services.ActivityData:
    values = {
        "title": "Посещение уроков наставника",
        "planned_on": datetime.date(2026, 10, 15),
        "responsible": Responsible.BOTH,
        "area": areas["metod"],
        "status": ActivityStatus.PLANNED,
    }
    values.update(overrides)
    return services.ActivityData(**values)


@pytest.fixture
def diagnosed(district, pair):
    return services.diagnostic_fill(
        user=district.mentee_a,
        pair=pair,
        mentee=district.mentee_a.person,
        stage=Stage.START,
        respondent=Respondent.SELF,
        scores=scores_for(),
        today=TODAY,
    )


@pytest.fixture
def program(district, pair, areas) -> Program:
    program = services.program_create(
        user=district.mentor_a, pair=pair, mentee=district.mentee_a.person, data=program_data(areas)
    )
    for title, day in (
        ("Посещение уроков наставника", 15),
        ("Разработка технологической карты урока", 20),
    ):
        services.activity_add(
            user=district.mentor_a,
            program=program,
            data=activity_data(areas, title=title, planned_on=datetime.date(2026, 10, day)),
        )
    return program
