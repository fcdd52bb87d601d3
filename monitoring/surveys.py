"""Stage-2 surveys on the pair's timeline: at the start, in the middle and at the end of each
program, to the mentee and the mentor; and a drop in satisfaction between two of them, which
marks the pair «нужна проверка» (registered with matching.health in MonitoringConfig.ready)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, Subquery

from monitoring.models import Measure, Survey, SurveyAnswer, SurveyRespondent, SurveyStage
from programs.models import Program, ProgramStatus

# The end survey is due two weeks before the planned end, so it is filled while the pair works.
END_SURVEY_BEFORE_DAYS = 14
EARLIER = {
    SurveyStage.MIDDLE: (SurveyStage.START,),
    SurveyStage.END: (SurveyStage.START, SurveyStage.MIDDLE),
}


def stage_dates(starts_on: datetime.date, ends_on: datetime.date) -> dict[str, datetime.date]:
    """When each survey of a program falls due."""
    middle = starts_on + (ends_on - starts_on) / 2
    return {
        SurveyStage.START: starts_on,
        SurveyStage.MIDDLE: middle,
        SurveyStage.END: max(ends_on - datetime.timedelta(days=END_SURVEY_BEFORE_DAYS), middle),
    }


def satisfaction_refresh(program_ids) -> None:
    """Mark each survey of these programs whose satisfaction answer is lower than the same
    person's answer to the same question at an earlier point of the program (the query of
    `matching.health.SATISFACTION_DROP`); called whenever surveys are saved."""
    program_ids = list(program_ids)
    rows = SurveyAnswer.objects.filter(
        survey__program_id__in=program_ids, question__measure=Measure.SATISFACTION
    ).values_list(
        "survey_id", "survey__program_id", "survey__respondent", "survey__stage", "question_id",
        "value",
    )  # fmt: skip
    answers: dict[tuple, dict[str, int]] = {}
    survey_of: dict[tuple, int] = {}
    for survey_id, program_id, respondent, stage, question_id, value in rows:
        answers.setdefault((program_id, respondent, question_id), {})[stage] = value
        survey_of[(program_id, respondent, stage)] = survey_id
    fell = set()
    for (program_id, respondent, _question), by_stage in answers.items():
        for stage, earlier in EARLIER.items():
            if stage in by_stage and any(
                by_stage[before] > by_stage[stage] for before in earlier if before in by_stage
            ):
                fell.add(survey_of[(program_id, respondent, stage)])
    surveys = Survey.objects.filter(program_id__in=program_ids)
    surveys.filter(pk__in=fell, satisfaction_fell_pair__isnull=True).update(
        satisfaction_fell_pair=Subquery(
            Program.objects.filter(pk=OuterRef("program_id")).values("pair_id")[:1]
        )
    )
    surveys.exclude(pk__in=fell).filter(satisfaction_fell_pair__isnull=False).update(
        satisfaction_fell_pair=None
    )


def satisfaction_dropped(today: datetime.date):
    """Over a pair: one of its surveys is marked by `satisfaction_refresh` (a small partial
    index, so a list of a whole region stays fast)."""
    return Exists(Survey.objects.filter(satisfaction_fell_pair=OuterRef("pk")))


@dataclass(frozen=True)
class Due:
    program: Program
    respondent: str
    stage: str
    due_on: datetime.date

    @property
    def stage_label(self) -> str:
        return SurveyStage(self.stage).label


def surveys_due(person_ids, today: datetime.date) -> dict[int, list[Due]]:
    """Person id → the surveys of their working programs whose date has come and which are
    not filled yet (a mentee answers as the mentee, the pair's mentor as the mentor)."""
    person_ids = set(person_ids)
    programs = list(
        Program.objects.filter(
            Q(mentee_id__in=person_ids) | Q(pair__mentor_id__in=person_ids),
            status__in=(ProgramStatus.APPROVED, ProgramStatus.IN_PROGRESS),
            starts_on__lte=today,
        ).select_related("pair", "mentee")
    )
    filled = set(
        Survey.objects.filter(program__in=[p.pk for p in programs]).values_list(
            "program_id", "respondent", "stage"
        )
    )
    result: dict[int, list[Due]] = {}
    for program in programs:
        dates = stage_dates(program.starts_on, program.ends_on)
        # Only the latest stage whose date has come: a missed earlier one is not asked later.
        stage = max((s for s, day in dates.items() if day <= today), key=lambda s: dates[s])
        for respondent, person_id in (
            (SurveyRespondent.MENTEE, program.mentee_id),
            (SurveyRespondent.MENTOR, program.pair.mentor_id),
        ):
            if person_id in person_ids and (program.pk, respondent, stage) not in filled:
                result.setdefault(person_id, []).append(
                    Due(program, respondent, stage, dates[stage])
                )
    return result
