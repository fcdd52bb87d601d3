"""A small hand-made data set whose indicators are counted by hand in test_indicators.py.

Year under test: 2026/2027, today 10.11.2026; previous year 2025/2026.
- P1 (school A): mentor_a → mentee_a, active, 01.09.2026–31.05.2027, pair.
- P2 (school A): mentor_a → Ёлкина (school A) and Берёзова (school B), active,
  01.10.2026–30.06.2027, group, inter-organization (Берёзова works in school B).
- P3 (kindergarten): Кедрова → Садовая, completed, 01.09.2025–31.05.2026.
- P4 (school B): draft, never counted.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from mentoring.models import (
    Meeting,
    MentoringForm,
    NeedEntry,
    NeedsList,
    NeedStatus,
    Pair,
    PairMentee,
    PairStatus,
)
from monitoring.models import (
    ActType,
    LocalAct,
    Measure,
    ProgressEntry,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
)
from monitoring.surveys import satisfaction_refresh
from programs.models import (
    Activity,
    Answer,
    Diagnostic,
    DifficultyItem,
    Program,
    Respondent,
    Stage,
)
from tests.factories import EmploymentFactory, PersonFactory

TODAY = datetime.date(2026, 11, 10)
YEAR = "2026/2027"
PREVIOUS = "2025/2026"


def d(text: str) -> datetime.date:
    return datetime.datetime.strptime(text, "%d.%m.%Y").date()


def at(text: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.strptime(text + " 15:00", "%d.%m.%Y %H:%M"))


def make_pair(org, mentor, mentees, start, end, *, status=PairStatus.ACTIVE, kind="tradicionnoe"):
    forms = {form.code: form for form in MentoringForm.objects.all()}
    pair = Pair.objects.create(
        organization=org,
        mentor=mentor,
        form=forms["pedagog_pedagog"],
        kind=forms[kind],
        topic="Методика урока",
        planned_start=d(start),
        planned_end=d(end),
        status=status,
    )
    for person in mentees:
        PairMentee.objects.create(pair=pair, person=person)
    return pair


def make_program(pair, mentee, start, end, status):
    return Program.objects.create(
        pair=pair,
        mentee=mentee,
        form=pair.form,
        kind=pair.kind,
        starts_on=d(start),
        ends_on=d(end),
        goals="Освоить методику",
        status=status,
        completed_on=d(end) if status == "completed" else None,
    )


def diagnose(pair, mentee, stage, filled_on, scores: dict[str, int]):
    diagnostic = Diagnostic.objects.create(
        pair=pair, mentee=mentee, stage=stage, respondent=Respondent.SELF, filled_on=d(filled_on)
    )
    for item in DifficultyItem.objects.filter(area__code__in=scores).select_related("area"):
        Answer.objects.create(diagnostic=diagnostic, item=item, score=scores[item.area.code])


def survey(program, respondent, stage, filled_on, answers: dict[str, list[int]]):
    filled = Survey.objects.create(
        program=program, respondent=respondent, stage=stage, filled_on=d(filled_on)
    )
    for measure, values in answers.items():
        questions = SurveyQuestion.objects.filter(respondent=respondent, measure=measure)
        for question, value in zip(questions.order_by("sort_order"), values, strict=False):
            SurveyAnswer.objects.create(survey=filled, question=question, value=value)
    satisfaction_refresh([program.pk])  # as monitoring.services.survey_fill does
    return filled


@dataclass
class DataSet:
    district: object
    p1: Pair
    p2: Pair
    p3: Pair
    prog1: Program
    prog2: Program
    prog3: Program
    prog4: Program


@pytest.fixture
def dataset(district) -> DataSet:
    mentor = district.mentor_a.person
    mentee = district.mentee_a.person
    elkina = district.teacher_a.person
    berezova = district.teacher_b.person
    sadovaya = district.teacher_kindergarten.person
    kedrova = PersonFactory(last_name="Кедрова", first_name="Вера")
    EmploymentFactory(person=kedrova, organization=district.kindergarten)

    p1 = make_pair(district.school_a, mentor, [mentee], "01.09.2026", "31.05.2027")
    p2 = make_pair(
        district.school_a, mentor, [elkina, berezova], "01.10.2026", "30.06.2027", kind="v_gruppe"
    )
    p3 = make_pair(
        district.kindergarten,
        kedrova,
        [sadovaya],
        "01.09.2025",
        "31.05.2026",
        status=PairStatus.COMPLETED,
    )
    make_pair(district.school_b, berezova, [PersonFactory()], "01.09.2026", "31.05.2027",
              status=PairStatus.DRAFT)  # fmt: skip

    # Needs lists: school A this year (3 needing, 2 in a pair); kindergarten last year.
    needs_a = NeedsList.objects.create(
        organization=district.school_a, academic_year=YEAR, updated_on=d("10.09.2026")
    )
    NeedEntry.objects.create(needs_list=needs_a, person=mentee, reason="young_specialist",
                             status=NeedStatus.CONFIRMED)  # fmt: skip
    NeedEntry.objects.create(needs_list=needs_a, person=elkina, reason="newcomer")
    NeedEntry.objects.create(needs_list=needs_a, person=PersonFactory(last_name="Без пары"),
                             reason="newcomer", status=NeedStatus.CONFIRMED)  # fmt: skip
    NeedEntry.objects.create(needs_list=needs_a, person=PersonFactory(), reason="other",
                             status=NeedStatus.DISMISSED)  # fmt: skip
    needs_k = NeedsList.objects.create(
        organization=district.kindergarten, academic_year=PREVIOUS, updated_on=d("15.09.2025")
    )
    NeedEntry.objects.create(needs_list=needs_k, person=sadovaya, reason="young_specialist",
                             status=NeedStatus.CONFIRMED)  # fmt: skip

    prog1 = make_program(p1, mentee, "01.09.2026", "31.05.2027", "in_progress")
    prog2 = make_program(p2, elkina, "01.10.2026", "31.10.2026", "completed")
    prog3 = make_program(p2, berezova, "01.10.2026", "05.11.2026", "in_progress")
    prog4 = make_program(p3, sadovaya, "01.09.2025", "31.05.2026", "completed")

    for program, title, planned, status in (
        (prog1, "Посещение уроков наставника", "01.10.2026", "planned"),  # overdue
        (prog1, "Открытый урок", "01.12.2026", "planned"),  # not yet
        (prog1, "Технологическая карта", "15.10.2026", "done"),
        (prog3, "Анализ урока", "01.11.2026", "planned"),  # overdue
        (prog4, "Мастер-класс", "01.03.2026", "planned"),  # overdue, previous year
    ):
        Activity.objects.create(program=program, title=title, planned_on=d(planned), status=status)

    for pair, day in ((p1, "05.09.2026"), (p1, "20.09.2026"), (p1, "10.10.2026"),
                      (p1, "05.11.2026"), (p2, "05.10.2026"), (p2, "25.10.2026"),
                      (p3, "10.03.2026")):  # fmt: skip
        Meeting.objects.create(pair=pair, held_at=at(day), topic="Разбор урока")

    diagnose(p1, mentee, Stage.START, "05.09.2026", {"metod": 1, "ikt": 2, "predmet": 4})
    diagnose(p1, mentee, Stage.END, "01.11.2026", {"metod": 3, "ikt": 2, "predmet": 4})

    ProgressEntry.objects.create(
        program=prog1, academic_year=YEAR, period="q1", vpr_passed=8, vpr_total=10,
        average_mark=Decimal("4.2"), success_rate=90, olympiad_participants=5,
        olympiad_winners=1, projects=1, open_lessons=2, contests=1, talks=1,
        methodical_work=1, risks="Высокая нагрузка", entered_as="mentor",
    )  # fmt: skip
    ProgressEntry.objects.create(
        program=prog3, academic_year=YEAR, period="q1", vpr_passed=5, vpr_total=10,
        average_mark=Decimal("3.8"), success_rate=70, olympiad_participants=3,
        open_lessons=1, entered_as="curator",
    )  # fmt: skip

    survey(prog1, "mentee", "start", "05.09.2026", {Measure.MOTIVATION: [2, 3]})
    survey(prog1, "mentee", "end", "01.11.2026",
           {Measure.MOTIVATION: [4, 5], Measure.PLANS_MENTOR: [1]})  # fmt: skip
    survey(prog1, "mentor", "end", "01.11.2026",
           {Measure.PLANS_MENTOR: [1], Measure.PLANS_MENTEE: [1]})  # fmt: skip

    # Local acts: school A adopted in time and published 4 days late; kindergarten in 2022;
    # kindergarten B adopted 14 days late and did not publish; school B has nothing.
    LocalAct.objects.create(organization=district.school_a, type=ActType.REGULATION,
                            number="12", adopted_on=d("20.07.2026"), published_on=d("10.08.2026"),
                            url="https://school-a.example.org/nastavnichestvo")  # fmt: skip
    LocalAct.objects.create(organization=district.kindergarten, type=ActType.REGULATION,
                            number="7", adopted_on=d("25.07.2022"), published_on=d("03.08.2022"),
                            url="https://skazka.example.org/nastavnichestvo")  # fmt: skip
    LocalAct.objects.create(organization=district.kindergarten_b, type=ActType.REGULATION,
                            number="3", adopted_on=d("15.08.2026"))  # fmt: skip
    return DataSet(district, p1, p2, p3, prog1, prog2, prog3, prog4)
