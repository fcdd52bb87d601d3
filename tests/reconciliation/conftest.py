"""The reconciliation suite's data: monitoring's hand-made set (tests/monitoring/conftest.py)
plus the boundaries where formulas go wrong, each placed so that one mistake changes one
number:

- P5 (school B): a pair ended early last year (planned to 31.12.2026, ended 15.06.2026) —
  works in 2025/2026, not in 2026/2027;
- Ёлкина's diagnostics: «предметные» start at exactly 2.5 (not a deficit), «ИКТ» ends at
  exactly 2.5 (closed: the rule is «≥ 2.5»);
- a stage 1 entry with ОГЭ 3 of 4 and ЕГЭ 6 of 10 (so the two shares differ);
- programs completed early (P6, ends 31.05.2027, completed 01.11.2026, an activity carried
  over), late (prog7, due 31.08.2026, completed 15.09.2026) and not at all (prog3, due
  05.11.2026); a draft (prog8);
- the year 2024/2025 has no data at all;
- incentives and events (`_community`): an event held this year, a municipal one a school A
  teacher placed at (school B's teacher took part too), one later this year (not held yet),
  one last year, one of another municipality; a jury member (not a participant); nominations
  at every stage, one proposed on 01.09 (the first day of the year) and one on 31.08 (the
  last day of the year before); payments — a mentor with two in the year (one mentor), one
  ending on 31.08 (last year only), one ending on 01.09 (this year too);
- pair health and suggestions (`_health`): an active pair on track (first suggestion), one
  quiet for 26 days (needs a check, second suggestion), one ending in 20 days (no suggestion),
  besides P1, P2, P6 at risk (overdue activities, no meeting since the start).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import time_machine

from community.models import Event, EventParticipant, Nomination, Payment
from mentoring.models import Meeting, PairStatus
from monitoring.models import ProgressEntry
from orgs.models import Person
from programs.models import Activity, Answer, Diagnostic, DifficultyItem, Program, Respondent, Stage
from tests.factories import EmploymentFactory, PersonFactory
from tests.monitoring.conftest import (  # noqa: F401
    PREVIOUS,
    TODAY,
    YEAR,
    DataSet,
    at,
    d,
    dataset,
    make_pair,
    make_program,
)

EMPTY_YEAR = "2024/2025"


@dataclass
class Edge:
    base: DataSet
    p5: object
    p6: object
    prog5: Program
    prog6: Program
    prog7: Program
    prog8: Program
    health_ok: object = None
    health_check: object = None
    health_ending: object = None


def _diagnose(pair, mentee, stage, respondent, filled_on, scores: dict[str, int]):
    diagnostic = Diagnostic.objects.create(
        pair=pair, mentee=mentee, stage=stage, respondent=respondent, filled_on=d(filled_on)
    )
    for item in DifficultyItem.objects.filter(area__code__in=scores).select_related("area"):
        Answer.objects.create(diagnostic=diagnostic, item=item, score=scores[item.area.code])


@pytest.fixture
def travel():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def edge(dataset, travel) -> Edge:  # noqa: F811
    district = dataset.district
    mentor_b = PersonFactory(last_name="Ранняя")
    EmploymentFactory(person=mentor_b, organization=district.school_b)
    mentee_b = PersonFactory(last_name="Досрочная")
    EmploymentFactory(person=mentee_b, organization=district.school_b)
    p5 = make_pair(district.school_b, mentor_b, [mentee_b], "01.03.2026", "31.12.2026")
    p5.status = PairStatus.ENDED_EARLY
    p5.ended_on = d("15.06.2026")
    p5.end_reason = "Наставляемая уволилась"
    p5.save(update_fields=["status", "ended_on", "end_reason"])
    prog5 = make_program(p5, mentee_b, "01.03.2026", "31.12.2026", "in_progress")

    early = PersonFactory(last_name="Скорая")
    EmploymentFactory(person=early, organization=district.school_a)
    late = PersonFactory(last_name="Поздняя")
    EmploymentFactory(person=late, organization=district.school_a)
    draft = PersonFactory(last_name="Черновая")
    EmploymentFactory(person=draft, organization=district.school_a)
    mentor = district.mentor_a.person
    p6 = make_pair(district.school_a, mentor, [early, late, draft], "01.03.2026", "31.05.2027",
                   kind="v_gruppe")  # fmt: skip
    prog6 = make_program(p6, early, "01.09.2026", "31.05.2027", "completed")
    prog6.completed_on = d("01.11.2026")  # early
    prog6.save(update_fields=["completed_on"])
    Activity.objects.create(program=prog6, title="Итоговый урок", planned_on=d("20.10.2026"),
                            status="done")  # fmt: skip
    Activity.objects.create(program=prog6, title="Конкурс", planned_on=d("01.04.2027"),
                            status="carried")  # fmt: skip
    prog7 = make_program(p6, late, "01.03.2026", "31.08.2026", "completed")
    prog7.completed_on = d("15.09.2026")  # late: due last year, completed this one
    prog7.save(update_fields=["completed_on"])
    prog8 = make_program(p6, draft, "01.10.2026", "31.05.2027", "draft")

    elkina = district.teacher_a.person
    p2 = dataset.p2
    _diagnose(p2, elkina, Stage.START, Respondent.SELF, "05.10.2026", {"ikt": 2, "predmet": 2})
    _diagnose(p2, elkina, Stage.START, Respondent.MENTOR, "05.10.2026", {"ikt": 2, "predmet": 3})
    _diagnose(p2, elkina, Stage.END, Respondent.SELF, "31.10.2026", {"ikt": 2, "predmet": 4})
    _diagnose(p2, elkina, Stage.END, Respondent.MENTOR, "31.10.2026", {"ikt": 3, "predmet": 4})

    ProgressEntry.objects.create(
        program=dataset.prog2, academic_year=YEAR, period="q1", oge_passed=3, oge_total=4,
        ege_passed=6, ege_total=10, entered_as="curator",
    )  # fmt: skip
    edge = Edge(dataset, p5, p6, prog5, prog6, prog7, prog8)
    _community(district)
    _health(district, edge)
    return edge


def _community(district) -> None:
    def event(org, title, starts_on, people, municipality=None):
        created = Event.objects.create(
            municipality=municipality or district.municipality, organization=org, title=title,
            kind="festival", level="organization" if org else "municipal", starts_on=d(starts_on),
        )  # fmt: skip
        for person, role in people:
            EventParticipant.objects.create(event=created, person=person, role=role)

    mentor, mentee = district.mentor_a.person, district.mentee_a.person
    elkina, berezova = district.teacher_a.person, district.teacher_b.person
    event(district.school_a, "Фестиваль уроков", "15.10.2026",
          [(mentor, "winner"), (mentee, "participant"), (elkina, "jury")])  # fmt: skip
    event(None, "Муниципальный конкурс", "20.10.2026",
          [(mentee, "prize_winner"), (berezova, "participant")])  # fmt: skip
    event(district.school_a, "Декабрьский форум", "01.12.2026", [(mentor, "participant")])
    event(district.school_b, "Весенний конкурс", "20.05.2026", [(berezova, "winner")])
    stranger = PersonFactory(last_name="Чужая")
    event(None, "Чужой фестиваль", "16.10.2026", [(stranger, "winner")],
          municipality=district.other_municipality)  # fmt: skip

    for org, person, stage, proposed_on in (
        (district.school_a, mentor, "awarded", "01.10.2026"),
        (district.school_a, elkina, "supported", "05.10.2026"),
        (district.school_a, mentee, "proposed", "01.09.2026"),  # the first day of the year
        (district.school_b, berezova, "submitted", "15.10.2026"),
        (district.school_a, elkina, "not_awarded", "31.08.2026"),  # the last day of the year before
        (district.school_b, berezova, "not_awarded", "02.11.2026"),
    ):
        Nomination.objects.create(organization=org, person=person, kind="badge_honor",
                                  stage=stage, proposed_by="council",
                                  proposed_on=d(proposed_on))  # fmt: skip

    kedrova = Person.objects.get(last_name="Кедрова")  # the kindergarten's mentor (P3)
    for org, person, starts, ends in (
        (district.school_a, mentor, "01.09.2026", "31.12.2026"),
        (district.school_a, mentor, "01.01.2027", "31.05.2027"),  # the same mentor again
        (district.school_b, berezova, "01.01.2026", "31.08.2026"),  # last year only
        (district.kindergarten, kedrova, "01.01.2026", "01.09.2026"),  # reaches this year
    ):
        Payment.objects.create(organization=org, person=person, act="Положение об оплате",
                               amount=3000, starts_on=d(starts), ends_on=d(ends))  # fmt: skip


def _health(district, edge: Edge) -> None:
    def pair(last_name, start, end, meeting, rank):
        mentor = PersonFactory(last_name=f"{last_name}-наставник")
        EmploymentFactory(person=mentor, organization=district.school_b)
        mentee = PersonFactory(last_name=f"{last_name}-наставляемый")
        EmploymentFactory(person=mentee, organization=district.school_b)
        created = make_pair(district.school_b, mentor, [mentee], start, end)
        created.suggestion_rank = rank
        created.save(update_fields=["suggestion_rank"])
        make_program(created, mentee, start, end, "in_progress")
        Meeting.objects.create(pair=created, held_at=at(meeting), topic="Разбор урока")
        return created

    edge.health_ok = pair("Ровная", "01.09.2026", "30.06.2027", "05.11.2026", 1)
    edge.health_check = pair("Тихая", "01.09.2026", "30.06.2027", "15.10.2026", 2)
    edge.health_ending = pair("Итоговая", "01.09.2026", "30.11.2026", "08.11.2026", None)
