"""Demo data of the monitoring app, built on the orgs, mentoring and programs demo data:
local acts (some organizations late or missing), the year's deadlines, stage-1 entries for
the programs' passed quarters, and stage-2 surveys at the start, the middle and the end, a
few anonymous comments. Deterministic
and keyed, so running it twice creates nothing new."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import TextIO

from django.utils import timezone

from matching.health import Health, working
from mentoring.models import Pair, academic_year_of
from monitoring.indicators import deadlines_for, year_bounds
from monitoring.models import (
    ActType,
    Deadline,
    DeadlineKind,
    LocalAct,
    Measure,
    Order,
    OrderPoint,
    ProgressEntry,
    Survey,
    SurveyAnswer,
    SurveyComment,
    SurveyQuestion,
)
from monitoring.reference import load_orders, load_survey_questions
from monitoring.surveys import EARLIER, satisfaction_refresh
from orgs.demo import demo_organizations, demo_user, first_school
from orgs.models import OrganizationKind
from programs.models import Program, ProgramStatus

SEED = 2031
# Quarter ends of an academic year starting in year Y: (month, day, year offset).
QUARTERS = (("q1", 10, 31, 0), ("q2", 12, 28, 0), ("q3", 3, 22, 1), ("q4", 5, 31, 1))


def _seed_acts(rng: random.Random, organizations, today: datetime.date, admin) -> int:
    year_start = int(academic_year_of(today)[:4])
    created = 0
    for index, org in enumerate(organizations):
        if LocalAct.objects.filter(organization=org).exists():
            continue
        slug = f"https://org{index + 1}.example.org/nastavnichestvo"
        fate = index % 7
        acts = []
        if fate in (0, 1, 2, 3):  # adopted and published in 2022, on time
            adopted = datetime.date(2022, 7, rng.randint(10, 29))
            published = datetime.date(2022, 8, rng.randint(1, 5))
            acts.append((ActType.REGULATION, adopted, published))
        elif fate == 4:  # adopted on time this year, published late
            adopted = datetime.date(year_start, 7, rng.randint(15, 30))
            acts.append(
                (ActType.REGULATION, adopted, datetime.date(year_start, 8, rng.randint(10, 25)))
            )
        elif fate == 5:  # adopted late, not published
            acts.append(
                (ActType.REGULATION, datetime.date(year_start, 8, rng.randint(8, 28)), None)
            )
        # fate 6: nothing adopted yet
        if fate != 6:
            acts.append(
                (ActType.PAIRS_ORDER, datetime.date(year_start, 8, rng.randint(25, 31)), None)
            )
            acts.append((ActType.ROAD_MAP, datetime.date(year_start, 8, 30), None))
            acts.append(
                (ActType.ANNUAL_REPORT, datetime.date(year_start, 6, rng.randint(1, 20)), None)
            )
        for number, (act_type, adopted, published) in enumerate(acts, start=1):
            LocalAct.objects.create(
                organization=org,
                type=act_type,
                number=f"{number * 10 + index}-о",
                adopted_on=adopted,
                published_on=published,
                url=slug if published else "",
                created_by=admin,
            )
            created += 1
    return created


def _seed_deadlines(municipality, today: datetime.date) -> int:
    created = 0
    year = academic_year_of(today)
    for deadline in deadlines_for([municipality.pk], year).values():
        _row, made = Deadline.objects.get_or_create(
            municipality=municipality,
            academic_year=year,
            kind=deadline.kind,
            defaults={"due_on": deadline.due_on, "within_days": deadline.within_days},
        )
        created += made
    return created


def _quarters(program: Program, today: datetime.date):
    until = min(today, program.ends_on)
    for year_start in range(program.starts_on.year - 1, until.year + 1):
        for period, month, day, offset in QUARTERS:
            end = datetime.date(year_start + offset, month, day)
            if program.starts_on < end <= until:
                yield f"{year_start}/{year_start + 1}", period


def _seed_entries(rng: random.Random, programs, today: datetime.date, admin) -> int:
    created = 0
    for program in programs:
        for step, (year, period) in enumerate(_quarters(program, today)):
            if ProgressEntry.objects.filter(
                program=program, academic_year=year, period=period
            ).exists():
                continue
            total = rng.randint(18, 28)
            share = min(0.55 + 0.06 * step + rng.random() * 0.2, 1.0)
            participants = rng.randint(0, 6)
            # The exams of the 9th and 11th forms come at the end of the year.
            exams = {}
            if period == "q4" and program.pk % 3 == 0:
                sat = rng.randint(8, 20)
                exams = {"oge_total": sat, "oge_passed": sat - rng.randint(0, 2)}
            elif period == "q4" and program.pk % 3 == 1:
                sat = rng.randint(4, 12)
                exams = {"ege_total": sat, "ege_passed": sat - rng.randint(0, 1)}
            ProgressEntry.objects.create(
                program=program,
                academic_year=year,
                period=period,
                vpr_total=total,
                vpr_passed=int(total * share),
                average_mark=Decimal(str(round(min(3.4 + 0.1 * step + rng.random() * 0.5, 5), 2))),
                success_rate=min(100, int(share * 100) + rng.randint(5, 15)),
                olympiad_participants=participants,
                olympiad_winners=rng.randint(0, participants // 2),
                projects=rng.randint(0, 2),
                open_lessons=rng.randint(0, 2),
                contests=rng.randint(0, 1),
                publications=rng.randint(0, 1),
                talks=rng.randint(0, 2),
                methodical_work=rng.randint(0, 3),
                risks=rng.choice(
                    ["", "", "", "Высокая учебная нагрузка наставляемого", "Больничный"]
                ),
                entered_as="curator",
                entered_by=admin,
                **exams,
            )
            created += 1
    return created


def _answers(rng: random.Random, questions, end: bool):
    for question in questions:
        if question.is_yes_no:
            yield question, int(rng.random() < (0.45 if end else 0.2))
        else:
            low = 3 if end else 1
            yield question, rng.randint(low, min(low + 2, 5))


def _seed_surveys(rng: random.Random, programs, today: datetime.date, admin) -> int:
    questions = {
        respondent: list(SurveyQuestion.objects.for_respondent(respondent))
        for respondent in ("mentee", "mentor")
    }
    created = 0
    # Pairs that already need a check may also show a fall in satisfaction; elsewhere
    # satisfaction never falls, so the statuses shaped by matching's demo stay as they are.
    may_fall = set(
        working(Pair.objects.all(), today).filter(health=Health.CHECK).values_list("pk", flat=True)
    )
    for program in programs:
        stages = [("start", program.starts_on + datetime.timedelta(days=7))]
        middle = program.starts_on + (program.ends_on - program.starts_on) / 2
        if program.status == ProgramStatus.COMPLETED:
            # A finished program has had every point of its timeline, whenever it finished.
            ended = min(program.completed_on or program.ends_on, today)
            middle = min(middle, program.starts_on + (ended - program.starts_on) / 2)
            stages.append(("middle", middle))
            stages.append(("end", ended))
        elif middle <= today:  # the middle of the timeline, filled a few days after it fell due
            stages.append(("middle", middle + datetime.timedelta(days=3)))
        for stage, filled_on in stages:
            if filled_on > today:
                continue
            # Middle answers from their own generator, so the other demo data stays as it was.
            answers_rng = random.Random(program.pk) if stage == "middle" else rng
            for respondent, items in questions.items():
                survey, made = Survey.objects.get_or_create(
                    program=program,
                    respondent=respondent,
                    stage=stage,
                    defaults={"filled_on": filled_on, "filled_by": admin},
                )
                if not made:
                    continue
                SurveyAnswer.objects.bulk_create(
                    SurveyAnswer(survey=survey, question=question, value=value)
                    for question, value in _answers(answers_rng, items, stage == "end")
                )
                created += 1
    satisfaction_refresh([program.pk for program in programs])
    _keep_satisfaction(Survey.objects.filter(program__in=programs).exclude(
        program__pair__in=may_fall))  # fmt: skip
    satisfaction_refresh([program.pk for program in programs])
    return created


def _keep_satisfaction(surveys) -> None:
    """Raise a fallen satisfaction answer of these surveys to the person's earlier one."""
    for survey in surveys.filter(satisfaction_fell_pair__isnull=False):
        earlier = SurveyAnswer.objects.filter(
            survey__program_id=survey.program_id,
            survey__respondent=survey.respondent,
            survey__stage__in=EARLIER[survey.stage],
            question__measure=Measure.SATISFACTION,
        )
        for answer in survey.answers.filter(question__measure=Measure.SATISFACTION):
            best = max(
                (a.value for a in earlier if a.question_id == answer.question_id),
                default=answer.value,
            )
            if best > answer.value:
                answer.value = best
                answer.save(update_fields=["value"])


COMMENTS = (
    "Встречи помогают, но хотелось бы чаще посещать уроки наставника.",
    "Не всегда хватает времени на встречи из-за нагрузки.",
    "Полезно разбирать реальные уроки, а не только планы.",
    "Хотелось бы больше заданий по работе с родителями.",
)


def _seed_comments(organization, today: datetime.date) -> int:
    """Anonymous comments of the year for the first school: enough to be shown (≥ 3)."""
    year = academic_year_of(today)
    created = 0
    for text in COMMENTS:
        _row, made = SurveyComment.objects.get_or_create(
            organization=organization, academic_year=year, text=text
        )
        created += made
    return created


def _seed_orders(municipality) -> None:
    """Order No. 182 of 12.05.2022 (reference data) and a later one: the kindergartens
    re-approve their regulation by 01.08.2026."""
    load_orders(Order, OrderPoint, municipality)
    order, _made = Order.objects.get_or_create(
        municipality=municipality,
        number="95",
        signed_on=datetime.date(2026, 6, 2),
        defaults={
            "title": "О переутверждении положений о наставничестве в дошкольных организациях",
            "organization_kind": OrganizationKind.PRESCHOOL,
        },
    )
    OrderPoint.objects.get_or_create(
        order=order,
        kind=DeadlineKind.REGULATION_ADOPTED,
        defaults={"due_on": datetime.date(2026, 8, 1)},
    )


def seed(stdout: TextIO) -> None:
    """Local acts, deadlines, stage-1 entries and stage-2 surveys of the demo district."""
    load_survey_questions(SurveyQuestion)
    rng = random.Random(SEED)
    today = timezone.localdate()
    organizations = demo_organizations()
    admin = demo_user("admin")
    acts = _seed_acts(rng, organizations, today, admin)
    deadlines = _seed_deadlines(organizations[0].municipality, today) if organizations else 0
    if organizations:
        _seed_orders(organizations[0].municipality)
    programs = list(
        Program.objects.filter(pair__organization__in=organizations)
        .exclude(status=ProgramStatus.DRAFT)
        .order_by("pk")
    )
    entries = _seed_entries(rng, programs, today, admin)
    surveys = _seed_surveys(rng, programs, today, admin)
    if organizations:
        _seed_comments(first_school(), today)
    start, _end = year_bounds(academic_year_of(today))
    stdout.write(
        f"monitoring: created now — {acts} local acts, {deadlines} deadlines, {entries} stage-1 "
        f"entries, {surveys} surveys "
        f"(year from {start:%d.%m.%Y}).\n"
    )
