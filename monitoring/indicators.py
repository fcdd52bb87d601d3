"""Every monitoring indicator, computed from recorded data in one place.

A plain API for the dashboards and the PDF reports alike: each function takes a `Scope`
(municipality / kind of organization / organization / program), an academic year
("2026/2027") and today's date, and returns plain dataclasses. `Compared` puts the previous
academic year beside the asked one. Every function runs a fixed number of aggregate queries,
however many organizations the scope holds.

Definitions (written down once, so the numbers can be checked by hand):
- A pair *works in a year* when it is registered and activated (active, completed or ended
  early) and its period [planned start, ended on or planned end] overlaps the year.
- *Coverage*: teachers on the organization's needs list of the year (not dismissed by the
  curator) who are a mentee of a pair working in that year.
- A *group* is a pair with two or more mentees.
- An *inter-organization pair*: the mentor or a mentee has no current job in the registering
  organization.
- *Programs completed*: programs marked completed with a completion date in the year (up to
  today); *programs due*: those whose planned end falls in the year (up to today), and the
  share of them completed.
- *Overdue activities*: road-map activities planned in the year, still planned, date passed.
- *Meetings per pair per month*: meetings held in the year up to today divided by the months
  the pairs worked in that time (days / 30.44).
- *Deficits closed*: areas whose mean score (self- and mentor's assessment together) was below
  2.5 at the start and is at least 2.5 at the end; counted for diagnostics ended in the year.
- Stage 1 sums the periodic entries of the year; stage 2 averages survey answers of the year
  by what each question measures, at the start, the middle and the end (satisfaction is anonymous: its mean is shown only from 3
  answers, `ANONYMOUS_FROM`; free comments likewise only from 3 in the scope); *planning to become a mentor / a mentee* counts distinct
  teachers answering «yes» in an end-of-program survey of the year.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import (
    Avg,
    Case,
    Count,
    DecimalField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import (
    Coalesce,
    ExtractYear,
    Greatest,
    JSONObject,
    Least,
    TruncMonth,
)

from community import queries as community_queries
from community.models import EventParticipant, NominationStage, ParticipantRole
from core.dates import on_days
from matching import health
from mentoring.models import (
    Meeting,
    NeedEntry,
    NeedsList,
    NeedStatus,
    Pair,
    PairMentee,
    PairStatus,
    academic_year_of,
)
from monitoring.models import (
    ANONYMOUS_FROM,
    PERIOD_ORDER,
    YES_NO_MEASURES,
    ActType,
    Deadline,
    DeadlineKind,
    LocalAct,
    Measure,
    Order,
    OrderPoint,
    Period,
    ProgressEntry,
    SurveyAnswer,
    SurveyComment,
    SurveyRespondent,
    SurveyStage,
    default_deadline,
    previous_year,
    year_bounds,
)
from orgs.models import NEEDS_LIST_PERIOD_DAYS, Employment, Municipality, Organization, Person
from programs.models import (
    DEFICIT_BELOW,
    Activity,
    Answer,
    Diagnostic,
    Program,
    ProgramStatus,
    Stage,
)

WORKING_STATUSES = (PairStatus.ACTIVE, PairStatus.COMPLETED, PairStatus.ENDED_EARLY)
DAYS_PER_MONTH = 30.4375


# Scope ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What the numbers are about. Empty fields do not narrow; `program_id` narrows to one
    program (and its pair)."""

    municipality_id: int | None = None
    kind: str | None = None
    organization_id: int | None = None
    program_id: int | None = None

    def organizations(self) -> QuerySet:
        qs = Organization.objects.all()
        if self.municipality_id:
            qs = qs.filter(municipality_id=self.municipality_id)
        if self.kind:
            qs = qs.filter(kind=self.kind)
        if self.organization_id:
            qs = qs.filter(pk=self.organization_id)
        return qs.order_by()

    def organization_ids(self):
        return self.organizations().values("pk")

    def pairs(self) -> QuerySet:
        qs = Pair.objects.filter(organization__in=self.organization_ids())
        if self.program_id:
            qs = qs.filter(programs__pk=self.program_id)
        return qs.order_by()

    def programs(self) -> QuerySet:
        qs = Program.objects.filter(pair__organization__in=self.organization_ids())
        if self.program_id:
            qs = qs.filter(pk=self.program_id)
        return qs.order_by()


@dataclass(frozen=True)
class Compared:
    """An indicator for the asked year and, beside it, the previous one."""

    year: str
    current: object
    previous_year: str
    previous: object


def compare(function, scope: Scope, year: str, today: datetime.date) -> Compared:
    before = previous_year(year)
    return Compared(year, function(scope, year, today), before, function(scope, before, today))


def share(part: int | float, whole: int | float) -> float | None:
    """Percent with one decimal, None when there is nothing to divide by."""
    if not whole:
        return None
    return round(100.0 * part / whole, 1)


# Row sets the numbers count (the drill-down lists show exactly these) ---------------------


def pairs_working(scope: Scope, year: str) -> QuerySet:
    start, end = year_bounds(year)
    return (
        scope.pairs()
        .filter(
            status__in=WORKING_STATUSES,
            planned_start__lte=end,
        )
        .filter(Q(ended_on__gte=start) | Q(ended_on__isnull=True, planned_end__gte=start))
    )


def with_mentee_count(pairs: QuerySet) -> QuerySet:
    mentees = (
        PairMentee.objects.filter(pair_id=OuterRef("pk"))
        .order_by()
        .values("pair_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return pairs.annotate(mentee_count=Coalesce(Subquery(mentees, output_field=IntegerField()), 0))


def inter_organization(pairs: QuerySet) -> QuerySet:
    employed = Employment.objects.active()
    mentor_inside = employed.filter(
        person_id=OuterRef("mentor_id"), organization_id=OuterRef("organization_id")
    )
    mentee_outside = PairMentee.objects.filter(pair_id=OuterRef("pk")).exclude(
        Exists(
            employed.filter(
                person_id=OuterRef("person_id"), organization_id=OuterRef("pair__organization_id")
            )
        )
    )
    return pairs.filter(~Exists(mentor_inside) | Exists(mentee_outside))


def needing(scope: Scope, year: str) -> QuerySet:
    qs = NeedEntry.objects.filter(
        needs_list__organization__in=scope.organization_ids(), needs_list__academic_year=year
    ).exclude(status=NeedStatus.DISMISSED)
    if scope.program_id:
        qs = qs.filter(person__programs__pk=scope.program_id)
    working = pairs_working(scope, year)
    return qs.annotate(
        has_pair=Exists(
            PairMentee.objects.filter(person_id=OuterRef("person_id"), pair__in=working)
        )
    )


def programs_of_year(scope: Scope, year: str) -> QuerySet:
    start, end = year_bounds(year)
    return (
        scope.programs()
        .exclude(status=ProgramStatus.DRAFT)
        .filter(starts_on__lte=end, ends_on__gte=start)
    )


def programs_due(scope: Scope, year: str, today: datetime.date) -> QuerySet:
    start, end = year_bounds(year)
    return scope.programs().filter(ends_on__gte=start, ends_on__lte=min(end, today))


def programs_completed(scope: Scope, year: str, today: datetime.date) -> QuerySet:
    """Programs marked completed with a completion date in the year (up to today): early,
    on time or late alike."""
    start, end = year_bounds(year)
    return scope.programs().filter(
        status=ProgramStatus.COMPLETED, completed_on__gte=start, completed_on__lte=min(end, today)
    )


def programs_drafts(scope: Scope, year: str) -> QuerySet:
    """Drafts whose period overlaps the year: written, not yet approved by the head."""
    start, end = year_bounds(year)
    return scope.programs().filter(
        status=ProgramStatus.DRAFT, starts_on__lte=end, ends_on__gte=start
    )


def overdue_activities(scope: Scope, year: str, today: datetime.date) -> QuerySet:
    start, end = year_bounds(year)
    return Activity.objects.overdue(today).filter(
        program__in=scope.programs(), planned_on__gte=start, planned_on__lte=end
    )


def meetings_held(scope: Scope, year: str, today: datetime.date) -> QuerySet:
    start, end = year_bounds(year)
    return Meeting.objects.filter(
        on_days("held_at", start, min(end, today)), pair__in=scope.pairs()
    )


def progress_entries(scope: Scope, year: str) -> QuerySet:
    return ProgressEntry.objects.filter(program__in=scope.programs(), academic_year=year)


def survey_answers(scope: Scope, year: str) -> QuerySet:
    start, end = year_bounds(year)
    return SurveyAnswer.objects.filter(
        survey__program__in=scope.programs(),
        survey__filled_on__gte=start,
        survey__filled_on__lte=end,
    )


def _answer_person():
    return Case(
        When(survey__respondent=SurveyRespondent.MENTEE, then=F("survey__program__mentee_id")),
        default=F("survey__program__pair__mentor_id"),
    )


def planning(scope: Scope, year: str, measure: str) -> QuerySet:
    """«Yes» answers at the end of a program to a plans question of the year."""
    return survey_answers(scope, year).filter(
        question__measure=measure, value=1, survey__stage=SurveyStage.END
    )


def planning_people(scope: Scope, year: str, measure: str) -> QuerySet:
    """The distinct teachers behind `planning`: one row per person."""
    return (
        planning(scope, year, measure).annotate(person=_answer_person()).values("person").distinct()
    )


# Indicators ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    needing: int
    covered: int

    @property
    def uncovered(self) -> int:
        return self.needing - self.covered

    @property
    def percent(self) -> float | None:
        return share(self.covered, self.needing)


def coverage(scope: Scope, year: str, today: datetime.date) -> Coverage:
    totals = needing(scope, year).aggregate(
        total=Count("pk"), covered=Count("pk", filter=Q(has_pair=True))
    )
    return Coverage(needing=totals["total"], covered=totals["covered"])


@dataclass(frozen=True)
class FormRow:
    form: str
    kind: str
    pairs: int
    groups: int
    order: tuple[int, int] = field(default=(0, 0), compare=False)  # the forms' sort orders


@dataclass(frozen=True)
class PairCounts:
    pairs: int
    groups: int
    inter_organization: int
    by_form: list[FormRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.pairs + self.groups


def pair_counts(scope: Scope, year: str, today: datetime.date) -> PairCounts:
    working = with_mentee_count(pairs_working(scope, year))
    rows = [
        FormRow(
            row["form__name"],
            row["kind__name"],
            row["pairs"],
            row["groups"],
            order=(row["form__sort_order"], row["kind__sort_order"]),
        )
        for row in working.values(
            "form__name", "kind__name", "form__sort_order", "kind__sort_order"
        )
        .annotate(
            pairs=Count("pk", filter=Q(mentee_count__lte=1)),
            groups=Count("pk", filter=Q(mentee_count__gte=2)),
        )
        .order_by("form__sort_order", "kind__sort_order")
    ]
    inter = inter_organization(pairs_working(scope, year)).count()
    return PairCounts(
        pairs=sum(row.pairs for row in rows),
        groups=sum(row.groups for row in rows),
        inter_organization=inter,
        by_form=rows,
    )


@dataclass(frozen=True)
class ProgramCounts:
    running: int
    due: int
    due_completed: int
    completed: int
    overdue_activities: int
    drafts: int = 0

    @property
    def completed_percent(self) -> float | None:
        """Of the programs due to end in the year, the share completed."""
        return share(self.due_completed, self.due)


def program_counts(scope: Scope, year: str, today: datetime.date) -> ProgramCounts:
    due = programs_due(scope, year, today).aggregate(
        due=Count("pk"), completed=Count("pk", filter=Q(status=ProgramStatus.COMPLETED))
    )
    return ProgramCounts(
        running=programs_of_year(scope, year).count(),
        due=due["due"],
        due_completed=due["completed"],
        completed=programs_completed(scope, year, today).count(),
        overdue_activities=overdue_activities(scope, year, today).count(),
        drafts=programs_drafts(scope, year).count(),
    )


@dataclass(frozen=True)
class MeetingRate:
    meetings: int
    pair_days: int  # days the pairs worked, both ends counted: sums over organizations exactly

    @property
    def pair_months(self) -> float:
        return round(self.pair_days / DAYS_PER_MONTH, 2)

    @property
    def per_pair_month(self) -> float | None:
        if not self.pair_months:
            return None
        return round(self.meetings / self.pair_months, 2)


def meeting_rate(scope: Scope, year: str, today: datetime.date) -> MeetingRate:
    start, end = year_bounds(year)
    until = min(end, today)
    if until < start:
        return MeetingRate(0, 0)
    pair_end = Coalesce("ended_on", "planned_end")
    span = ExpressionWrapper(
        Least(pair_end, Value(until)) - Greatest("planned_start", Value(start)),
        output_field=DurationField(),
    )
    working = pairs_working(scope, year).filter(planned_start__lte=until)
    total = working.aggregate(days=Sum(span), pairs=Count("pk"))
    days = (total["days"].days if total["days"] else 0) + total["pairs"]  # both ends count
    meetings = meetings_held(scope, year, today).count()
    return MeetingRate(meetings=meetings, pair_days=days)


@dataclass(frozen=True)
class DeficitRow:
    pair_id: int
    mentee_id: int
    area_id: int
    start: float
    end: float

    @property
    def is_deficit(self) -> bool:
        return self.start < DEFICIT_BELOW

    @property
    def is_closed(self) -> bool:
        return self.is_deficit and self.end >= DEFICIT_BELOW


@dataclass(frozen=True)
class Deficits:
    mentees: int
    deficits: int
    closed: int
    areas: int = 0  # (mentee, area) rows diagnosed at the start and the end
    change_sum: float = 0.0  # the sum of (end − start) over them
    rows: list[DeficitRow] = field(default_factory=list, repr=False)

    @property
    def mean_change(self) -> float | None:
        return round(self.change_sum / self.areas, 2) if self.areas else None

    @property
    def closed_percent(self) -> float | None:
        return share(self.closed, self.deficits)


def deficit_rows(scope: Scope, year: str) -> list[DeficitRow]:
    start, end = year_bounds(year)
    ended = Diagnostic.objects.filter(
        pair_id=OuterRef("diagnostic__pair_id"),
        mentee_id=OuterRef("diagnostic__mentee_id"),
        stage=Stage.END,
        filled_on__gte=start,
        filled_on__lte=end,
    )
    answers = Answer.objects.filter(diagnostic__pair__in=scope.pairs()).filter(Exists(ended))
    if scope.program_id:
        answers = answers.filter(diagnostic__mentee__programs__pk=scope.program_id)
    means: dict[tuple, dict[str, float]] = defaultdict(dict)
    for row in (
        answers.values(
            "diagnostic__pair_id", "diagnostic__mentee_id", "item__area_id", "diagnostic__stage"
        )
        .annotate(mean=Avg("score"))
        .order_by()
    ):
        key = (row["diagnostic__pair_id"], row["diagnostic__mentee_id"], row["item__area_id"])
        means[key][row["diagnostic__stage"]] = float(row["mean"])
    return [
        DeficitRow(*key, start=stages[Stage.START], end=stages[Stage.END])
        for key, stages in sorted(means.items())
        if Stage.START in stages and Stage.END in stages
    ]


def deficits(scope: Scope, year: str, today: datetime.date) -> Deficits:
    return deficits_from(deficit_rows(scope, year))


def deficits_from(rows: list[DeficitRow]) -> Deficits:
    """The deficits' counts over diagnostic rows (a scope's, or one municipality's of them)."""
    changes = [row.end - row.start for row in rows]
    return Deficits(
        mentees=len({(row.pair_id, row.mentee_id) for row in rows}),
        deficits=sum(row.is_deficit for row in rows),
        closed=sum(row.is_closed for row in rows),
        areas=len(changes),
        change_sum=sum(changes),
        rows=rows,
    )


STAGE1_SUMS = (
    "vpr_passed",
    "vpr_total",
    "oge_passed",
    "oge_total",
    "ege_passed",
    "ege_total",
    "olympiad_participants",
    "olympiad_winners",
    "projects",
    "open_lessons",
    "contests",
    "publications",
    "talks",
    "methodical_work",
)


@dataclass(frozen=True)
class Stage1:
    programs: int
    entries: int
    with_risks: int
    average_mark: float | None
    success_rate: float | None
    sums: dict[str, int]
    # What the two means are made of, so that they add up over organizations exactly.
    mark_sum: float = 0.0
    marks: int = 0
    rate_sum: float = 0.0
    rates: int = 0

    def __getattr__(self, name):
        sums = self.__dict__.get("sums", {})
        if name in sums:
            return sums[name]
        raise AttributeError(name)

    @property
    def vpr_percent(self) -> float | None:
        return share(self.sums["vpr_passed"], self.sums["vpr_total"])

    @property
    def oge_percent(self) -> float | None:
        return share(self.sums["oge_passed"], self.sums["oge_total"])

    @property
    def ege_percent(self) -> float | None:
        return share(self.sums["ege_passed"], self.sums["ege_total"])

    @property
    def activity_total(self) -> int:
        return sum(
            self.sums[name]
            for name in ("open_lessons", "contests", "publications", "talks", "methodical_work")
        )


def _stage1_aggregates() -> dict:
    # The sums and counts first: after the alias "average_mark" exists, the name means it.
    return {
        "mark_sum": Coalesce(Sum("average_mark"), Value(0), output_field=DecimalField()),
        "marks": Count("average_mark"),
        "rate_sum": Coalesce(Sum("success_rate"), 0),
        "rates": Count("success_rate"),
        "programs": Count("program_id", distinct=True),
        "entries": Count("pk"),
        "with_risks": Count("pk", filter=~Q(risks="")),
        "average_mark": Avg("average_mark"),
        "success_rate": Avg("success_rate"),
        **{name: Coalesce(Sum(name), 0) for name in STAGE1_SUMS},
    }


def _stage1_from(row: dict) -> Stage1:
    def rounded(value):
        return None if value is None else round(float(value), 2)

    return Stage1(
        programs=row["programs"],
        entries=row["entries"],
        with_risks=row["with_risks"],
        average_mark=rounded(row["average_mark"]),
        success_rate=rounded(row["success_rate"]),
        sums={name: row[name] for name in STAGE1_SUMS},
        mark_sum=float(row["mark_sum"]),
        marks=row["marks"],
        rate_sum=float(row["rate_sum"]),
        rates=row["rates"],
    )


def stage1(scope: Scope, year: str, today: datetime.date) -> Stage1:
    return _stage1_from(progress_entries(scope, year).aggregate(**_stage1_aggregates()))


def stage1_dynamics(scope: Scope, year: str | None = None) -> list[tuple[str, str, Stage1]]:
    """Stage 1 by (academic year, period) in order: the dynamics over a program or a year."""
    qs = ProgressEntry.objects.filter(program__in=scope.programs())
    if year:
        qs = qs.filter(academic_year=year)
    rows = qs.values("academic_year", "period").annotate(**_stage1_aggregates()).order_by()
    ordered = sorted(rows, key=lambda row: (row["academic_year"], PERIOD_ORDER[row["period"]]))
    labels = dict(Period.choices)
    return [
        (row["academic_year"], str(labels[row["period"]]), _stage1_from(row)) for row in ordered
    ]


@dataclass(frozen=True)
class MeasureRow:
    respondent: str
    measure: str
    start: float | None
    end: float | None
    answers: int
    # Stages whose mean is withheld: anonymous answers, fewer than `ANONYMOUS_FROM` of them.
    withheld: frozenset[str] = frozenset()
    # The middle of the program (start → middle → end); the change stays end − start.
    middle: float | None = None
    # Sums and counts of the answers at each stage: the means add up exactly.
    sums: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def respondent_label(self) -> str:
        return str(SurveyRespondent(self.respondent).label)

    @property
    def measure_label(self) -> str:
        return str(Measure(self.measure).label)

    @property
    def change(self) -> float | None:
        if self.start is None or self.end is None:
            return None
        return round(self.end - self.start, 2)


@dataclass(frozen=True)
class Stage2:
    surveys: int
    rows: list[MeasureRow]
    planning_mentors: int
    planning_mentees: int

    def row(self, respondent: str, measure: str) -> MeasureRow | None:
        for row in self.rows:
            if row.respondent == respondent and row.measure == measure:
                return row
        return None


# The measures' order, built once: `Measure.choices` builds a list of labels on each call, and
# a regional table rebuilds stage 2 for every municipality (13 % of its work).
MEASURE_ORDER = {measure: index for index, measure in enumerate(Measure.values)}


def measure_rows(table: dict[tuple[str, str], dict]) -> list[MeasureRow]:
    """The rows of stage 2, mentees first, the measures in their order. The satisfaction of a
    stage with fewer than `ANONYMOUS_FROM` answers in the scope is withheld: a mean of one or
    two answers would name who gave them."""
    rows = []
    for (respondent, measure), values in sorted(
        table.items(), key=lambda item: (item[0][0] != "mentee", MEASURE_ORDER[item[0][1]])
    ):
        sums = values.get("sums", {})
        withheld = frozenset(
            stage
            for stage, (_total, count) in sums.items()
            if measure == Measure.SATISFACTION and count < ANONYMOUS_FROM
        )

        def mean(stage, values=values, withheld=withheld):
            return None if stage in withheld else values.get(stage)

        rows.append(
            MeasureRow(
                respondent=respondent,
                measure=measure,
                start=mean(SurveyStage.START),
                end=mean(SurveyStage.END),
                answers=values["answers"],
                withheld=withheld,
                middle=mean(SurveyStage.MIDDLE),
                sums=sums,
            )
        )
    return rows


def stage2(scope: Scope, year: str, today: datetime.date) -> Stage2:
    answers = survey_answers(scope, year)
    table: dict[tuple[str, str], dict] = defaultdict(lambda: {"answers": 0})
    for row in (
        answers.exclude(question__measure__in=YES_NO_MEASURES)
        .values("survey__respondent", "question__measure", "survey__stage")
        .annotate(mean=Avg("value"), n=Count("pk"), total=Sum("value"))
        .order_by()
    ):
        key = (row["survey__respondent"], row["question__measure"])
        table[key]["answers"] += row["n"]
        table[key][row["survey__stage"]] = round(float(row["mean"]), 2)
        table[key].setdefault("sums", {})[row["survey__stage"]] = (float(row["total"]), row["n"])
    plans = answers.aggregate(
        surveys=Count("survey_id", distinct=True),
        mentors=Count(
            _answer_person(),
            distinct=True,
            filter=Q(
                question__measure=Measure.PLANS_MENTOR, value=1, survey__stage=SurveyStage.END
            ),
        ),
        mentees=Count(
            _answer_person(),
            distinct=True,
            filter=Q(
                question__measure=Measure.PLANS_MENTEE, value=1, survey__stage=SurveyStage.END
            ),
        ),
    )
    return Stage2(
        surveys=plans["surveys"],
        rows=measure_rows(table),
        planning_mentors=plans["mentors"],
        planning_mentees=plans["mentees"],
    )


def survey_comment_texts(scope: Scope, year: str) -> QuerySet:
    return SurveyComment.objects.filter(
        organization__in=scope.organizations(), academic_year=year
    ).values_list("text", flat=True)


def anonymous_comments(comments) -> list[str]:
    """Comments in the order of their text; none at all while fewer than `ANONYMOUS_FROM`
    exist (a lone comment names its author)."""
    return sorted(comments) if len(comments) >= ANONYMOUS_FROM else []


def survey_comments(scope: Scope, year: str) -> list[str]:
    """The free comments of the scope's surveys of the year, as they may be shown."""
    return anonymous_comments(list(survey_comment_texts(scope, year)))


# Everything at once -------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    scope: Scope
    year: str
    previous_year: str
    coverage: Compared
    pairs: Compared
    programs: Compared
    meetings: Compared
    deficits: Compared
    stage1: Compared
    stage2: Compared
    incentives: Compared
    health: Compared
    uptake: Compared


def summary(scope: Scope, year: str, today: datetime.date) -> Summary:
    """Every indicator of the scope for the year and the previous one."""
    return Summary(
        scope=scope,
        year=year,
        previous_year=previous_year(year),
        coverage=compare(coverage, scope, year, today),
        pairs=compare(pair_counts, scope, year, today),
        programs=compare(program_counts, scope, year, today),
        meetings=compare(meeting_rate, scope, year, today),
        deficits=compare(deficits, scope, year, today),
        stage1=compare(stage1, scope, year, today),
        stage2=compare(stage2, scope, year, today),
        incentives=compare(incentives, scope, year, today),
        health=compare(pair_health, scope, year, today),
        uptake=compare(suggestion_uptake, scope, year, today),
    )


# Trends -------------------------------------------------------------------------------------


def months_of(year: str) -> list[dict]:
    """The first days of the twelve months of an academic year."""
    start, end = year_bounds(year)
    months = []
    month = start
    while month <= end:
        months.append({"month": month})
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def monthly_trend(scope: Scope, year: str, today: datetime.date) -> list[dict]:
    """Per month of the year: meetings held and pairs that started."""
    start, end = year_bounds(year)
    months = [row["month"] for row in months_of(year)]
    meetings = {
        row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]: row[
            "n"
        ]
        for row in meetings_held(scope, year, today)
        .annotate(month=TruncMonth("held_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    }
    started = {
        row["month"]: row["n"]
        for row in scope.pairs()
        .filter(status__in=WORKING_STATUSES, planned_start__gte=start, planned_start__lte=end)
        .annotate(month=TruncMonth("planned_start"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    }
    return [
        {"month": month, "meetings": meetings.get(month, 0), "pairs_started": started.get(month, 0)}
        for month in months
    ]


def _academic_start(field_name: str):
    return ExtractYear(field_name) - Case(
        When(**{f"{field_name}__month__lt": 9}, then=Value(1)), default=Value(0)
    )


def yearly_trend(scope: Scope, year: str, today: datetime.date, years: int = 5) -> list[dict]:
    """Per academic year up to the asked one: pairs started, meetings, programs completed."""
    last = int(year[:4])
    first = last - years + 1
    lower = datetime.date(first, 9, 1)
    upper = datetime.date(last + 1, 8, 31)

    def grouped(qs, field_name):
        return {
            row["ay"]: row["n"]
            for row in qs.annotate(ay=_academic_start(field_name))
            .values("ay")
            .annotate(n=Count("pk"))
            .order_by()
        }

    pairs = grouped(
        scope.pairs().filter(
            status__in=WORKING_STATUSES, planned_start__gte=lower, planned_start__lte=upper
        ),
        "planned_start",
    )
    meetings = grouped(
        Meeting.objects.filter(on_days("held_at", lower, upper), pair__in=scope.pairs()).annotate(
            held_on=F("held_at__date")
        ),
        "held_on",
    )
    # The same row set as the indicator «programs completed», year by year.
    completed = grouped(
        scope.programs().filter(
            status=ProgramStatus.COMPLETED,
            completed_on__gte=lower,
            completed_on__lte=min(upper, today),
        ),
        "completed_on",
    )
    return [
        {
            "year": f"{start}/{start + 1}",
            "pairs_started": pairs.get(start, 0),
            "meetings": meetings.get(start, 0),
            "programs_completed": completed.get(start, 0),
        }
        for start in range(first, last + 1)
    ]


# Deadlines and compliance --------------------------------------------------------------------


def deadlines_for(
    municipality_ids, year: str, periods: dict[int, int] | None = None
) -> dict[tuple[int, str], Deadline]:
    """Saved deadlines of the year, and the order's defaults for those not saved. The needs
    list's period is the municipality's one setting (Municipality.needs_list_period_days), the
    same one the curator's home, the needs badge and the reminders read."""
    saved = {
        (row.municipality_id, row.kind): row
        for row in Deadline.objects.filter(
            municipality_id__in=municipality_ids, academic_year=year
        ).exclude(kind=DeadlineKind.NEEDS_UPDATED)
    }
    if periods is None:
        periods = dict(
            Municipality.objects.filter(pk__in=municipality_ids).values_list(
                "pk", "needs_list_period_days"
            )
        )
    result = {}
    for municipality_id in municipality_ids:
        for kind in DeadlineKind.values:
            if kind == DeadlineKind.NEEDS_UPDATED:
                result[(municipality_id, kind)] = Deadline(
                    municipality_id=municipality_id,
                    academic_year=year,
                    kind=kind,
                    within_days=periods.get(municipality_id, NEEDS_LIST_PERIOD_DAYS),
                )
            else:
                result[(municipality_id, kind)] = saved.get(
                    (municipality_id, kind)
                ) or default_deadline(municipality_id, year, kind)
    return result


class State:
    MET = "met"
    LATE = "late"  # done, but after the deadline
    MISSING = "missing"  # not done and the deadline passed
    PENDING = "pending"  # not done, the deadline has not come


@dataclass(frozen=True)
class Check:
    kind: str
    due: datetime.date | None
    done_on: datetime.date | None
    state: str
    days_late: int = 0

    @property
    def is_late(self) -> bool:
        return self.state in (State.LATE, State.MISSING)


@dataclass(frozen=True)
class ComplianceRow:
    organization: Organization
    checks: list[Check]

    @property
    def late_count(self) -> int:
        return sum(check.is_late for check in self.checks)


def _check_date(kind: str, due: datetime.date, done_on, today: datetime.date) -> Check:
    if done_on and done_on <= due:
        return Check(kind, due, done_on, State.MET)
    if done_on:
        return Check(kind, due, done_on, State.LATE, (done_on - due).days)
    if today > due:
        return Check(kind, due, None, State.MISSING, (today - due).days)
    return Check(kind, due, None, State.PENDING)


def _check_period(
    kind: str, within_days: int, updated_on, year: str, today: datetime.date
) -> Check:
    _start, end = year_bounds(year)
    reference = min(today, end)
    if updated_on is None:
        return Check(kind, None, None, State.MISSING, 0)
    due = updated_on + datetime.timedelta(days=within_days)
    if due >= reference:
        return Check(kind, due, updated_on, State.MET)
    return Check(kind, due, updated_on, State.MISSING, (reference - due).days)


def _first(model_qs, value: str, aggregate=Min):
    """The organization's least (`Min`) or greatest (`Max`) `value` of the rows, as the first
    row in that order: an index on (organization, value) reads one row instead of all of
    them (a region's 60,000 pairs for the regional dashboard)."""
    order = value if aggregate is Min else f"-{value}"
    return Subquery(
        model_qs.filter(organization_id=OuterRef("pk"), **{f"{value}__isnull": False})
        .order_by(order)
        .values(value)[:1]
    )


def compliance_queryset(scope: Scope, year: str) -> QuerySet:
    """Organizations with the dates the deadlines are checked against (one query)."""
    start, end = year_bounds(year)
    regulations = LocalAct.objects.filter(type=ActType.REGULATION)
    return (
        scope.organizations()
        .annotate(
            regulation_adopted=_first(regulations, "adopted_on"),
            regulation_published=_first(
                regulations.filter(published_on__isnull=False), "published_on"
            ),
            system_working=_first(
                Pair.objects.filter(status__in=WORKING_STATUSES), "planned_start"
            ),
            needs_updated=_first(
                NeedsList.objects.filter(updated_on__lte=end),
                "updated_on",
                Max,
            ),
            needs_period=F("municipality__needs_list_period_days"),
        )
        .order_by("sort_key", "pk")
    )


# Orders ---------------------------------------------------------------------------------------

ORDER_KINDS = (
    DeadlineKind.REGULATION_ADOPTED,
    DeadlineKind.REGULATION_PUBLISHED,
    DeadlineKind.SYSTEM_WORKING,
)


class Events:
    """When each organization did what the orders ask: every regulation adopted and published,
    every day a pair started working (one query for any number of organizations)."""

    def __init__(self, organization_ids):
        self.dates: dict[tuple[int, str], list[datetime.date]] = defaultdict(list)

        def dated(qs, kind: str, day: str):
            return qs.annotate(o=F("organization_id"), k=Value(kind), d=F(day)).values_list(
                "o", "k", "d"
            )

        acts = LocalAct.objects.filter(
            organization_id__in=organization_ids, type=ActType.REGULATION
        ).order_by()
        pairs = Pair.objects.filter(
            organization_id__in=organization_ids, status__in=WORKING_STATUSES
        ).order_by()
        rows = dated(acts, DeadlineKind.REGULATION_ADOPTED, "adopted_on").union(
            dated(acts.filter(published_on__isnull=False), DeadlineKind.REGULATION_PUBLISHED,
                  "published_on"),
            dated(pairs, DeadlineKind.SYSTEM_WORKING, "planned_start"),
        )  # fmt: skip
        for org_id, kind, day in rows:
            self.dates[(org_id, kind)].append(day)

    def first_since(self, organization_id: int, kind: str, since: datetime.date):
        """The first time it was done on or after the order's date (an order asks for a
        new act, not for one adopted before it)."""
        found = [day for day in self.dates.get((organization_id, kind), []) if day >= since]
        return min(found) if found else None


def _applies(order: Order, organization: Organization) -> bool:
    named = order.named_ids
    if named:
        return organization.pk in named
    return not order.organization_kind or order.organization_kind == organization.kind


def _orders_of(municipality_ids) -> list[Order]:
    """The orders with their points (`point_list`) and named organizations (`named_ids`,
    `named_names`), in one query."""
    points = OrderPoint.objects.filter(order_id=OuterRef("pk")).values(
        row=JSONObject(kind="kind", due_on="due_on")
    )
    named = (
        Order.organizations.through.objects.filter(order_id=OuterRef("pk"))
        .order_by("organization__short_name")
        .values(row=JSONObject(id="organization_id", name="organization__short_name"))
    )
    orders = list(
        Order.objects.current()
        .filter(municipality_id__in=municipality_ids)
        .annotate(point_rows=ArraySubquery(points), named=ArraySubquery(named))
        .order_by("signed_on", "pk")
    )
    for order in orders:
        order.named_ids = {row["id"] for row in order.named}
        order.named_names = [row["name"] for row in order.named]
        order.point_list = [
            OrderPoint(
                order=order, kind=row["kind"], due_on=datetime.date.fromisoformat(row["due_on"])
            )
            for row in order.point_rows
        ]
    return orders


@dataclass(frozen=True)
class OrderCompliance:
    order: Order
    rows: list[ComplianceRow]
    kinds: list[str]
    dues: list[datetime.date] = field(default_factory=list)  # the deadline of each point


def order_compliance(
    scope: Scope, today: datetime.date, *, organizations=None, orders=None, events=None
) -> list[OrderCompliance]:
    """Each order of the scope's municipalities, and each organization it binds judged against
    that order's own dates — not re-applied every year. The organizations, orders and events
    may be passed in when already read (the dashboard reads them once for both tables)."""
    if organizations is None:
        organizations = list(scope.organizations().order_by("sort_key", "pk"))
    if orders is None:
        orders = _orders_of({org.municipality_id for org in organizations})
    if events is None:
        events = Events([org.pk for org in organizations]) if orders else None
    result = []
    for order in orders:
        points = sorted(order.point_list, key=lambda point: (point.due_on, point.kind))
        rows = [
            ComplianceRow(
                org,
                [
                    _check_date(
                        point.kind,
                        point.due_on,
                        events.first_since(org.pk, point.kind, order.signed_on),
                        today,
                    )
                    for point in points
                ],
            )
            for org in organizations
            if org.municipality_id == order.municipality_id and _applies(order, org)
        ]
        result.append(
            OrderCompliance(
                order, rows, [point.kind for point in points], [point.due_on for point in points]
            )
        )
    return result


def _order_check(orders, events, org, kind: str, year_end: datetime.date, today):
    """The deadline of the latest order signed by the end of the year that binds the
    organization on this point; None when no order does."""
    binding = [
        (order, point)
        for order in orders
        if order.municipality_id == org.municipality_id
        and order.signed_on <= year_end
        and _applies(order, org)
        for point in order.point_list
        if point.kind == kind
    ]
    if not binding:
        return None
    order, point = binding[-1]
    done_on = events.first_since(org.pk, kind, order.signed_on)
    return _check_date(kind, point.due_on, done_on, today)


def compliance(
    scope: Scope, year: str, today: datetime.date, *, organizations=None, orders=None, events=None
) -> list[ComplianceRow]:
    """Each organization against the deadlines binding it in the year: a deadline the
    coordinator saved for the year, else the latest order that sets it, else the dates of the
    Положение re-applied to the year. `organizations` (from `compliance_queryset`), orders
    and events may be passed in when already read."""
    if organizations is None:
        organizations = list(compliance_queryset(scope, year))
    municipality_ids = {org.municipality_id for org in organizations}
    periods = {org.municipality_id: org.needs_period for org in organizations}
    deadlines = deadlines_for(municipality_ids, year, periods)
    saved = {key for key, deadline in deadlines.items() if deadline.pk is not None}
    if orders is None:
        orders = _orders_of(municipality_ids)
    if events is None:
        events = Events([org.pk for org in organizations]) if orders else None
    _start, year_end = year_bounds(year)
    rows = []
    for org in organizations:
        checks = []
        for kind in DeadlineKind.values:
            deadline = deadlines[(org.municipality_id, kind)]
            by_order = None
            if orders and kind in ORDER_KINDS and (org.municipality_id, kind) not in saved:
                by_order = _order_check(orders, events, org, kind, year_end, today)
            if by_order is not None:
                checks.append(by_order)
            elif deadline.within_days is not None:
                checks.append(
                    _check_period(kind, deadline.within_days, org.needs_updated, year, today)
                )
            else:
                done_on = getattr(org, kind)
                checks.append(_check_date(kind, deadline.due_on, done_on, today))
        rows.append(ComplianceRow(org, checks))
    return rows


def compliance_and_orders(
    scope: Scope, year: str, today: datetime.date, **annotations
) -> tuple[list[ComplianceRow], list[OrderCompliance], list[Organization]]:
    """The deadlines table and the orders' tables together, reading the organizations (with
    any extra `annotations`), the deadlines, the orders and the events once: three queries
    without orders, seven with."""
    organizations = list(
        compliance_queryset(scope, year).select_related("municipality").annotate(**annotations)
    )
    orders = _orders_of({org.municipality_id for org in organizations})
    events = Events([org.pk for org in organizations]) if orders else None
    shared = {"organizations": organizations, "orders": orders, "events": events}
    return (
        compliance(scope, year, today, **shared),
        order_compliance(scope, today, **shared),
        organizations,
    )


@dataclass(frozen=True)
class ComplianceTotals:
    organizations: int
    late: dict[str, int]


def compliance_totals(rows: list[ComplianceRow]) -> ComplianceTotals:
    late = {kind: 0 for kind in DeadlineKind.values}
    for row in rows:
        for check in row.checks:
            late[check.kind] += check.is_late
    return ComplianceTotals(len(rows), late)


def available_years(today: datetime.date, back: int = 5) -> list[str]:
    first = int(academic_year_of(today)[:4])
    return [f"{start}/{start + 1}" for start in range(first, first - back, -1)]


# Mentor suggestions and pair health (matching) ---------------------------------------------


@dataclass(frozen=True)
class Uptake:
    """Pairs registered in the year, and how many took a mentor the portal suggested."""

    registered: int
    suggested: int
    first: int

    @property
    def share(self) -> float | None:
        return share(self.suggested, self.registered)


def pairs_registered(scope: Scope, year: str) -> QuerySet:
    """Pairs and groups whose planned start falls in the year (draft ones too)."""
    start, end = year_bounds(year)
    return scope.pairs().filter(planned_start__gte=start, planned_start__lte=end)


def pairs_suggested(scope: Scope, year: str, first: bool = False) -> QuerySet:
    """Of the pairs registered in the year, those whose mentor was taken from the portal's
    suggestions (`first`: the first suggestion)."""
    qs = pairs_registered(scope, year)
    return qs.filter(suggestion_rank=1) if first else qs.filter(suggestion_rank__isnull=False)


def suggestion_uptake(scope: Scope, year: str, today: datetime.date | None = None) -> Uptake:
    """The registry's group «uptake»: pairs registered and how many took a suggested mentor."""
    row = pairs_registered(scope, year).aggregate(
        registered=Count("pk"),
        suggested=Count("pk", filter=Q(suggestion_rank__isnull=False)),
        first=Count("pk", filter=Q(suggestion_rank=1)),
    )
    return Uptake(**row)


@dataclass(frozen=True)
class PairHealth:
    """Active pairs of each health status (matching.health) on the date of the count; None
    for a year the date of the count is not in (a status is a state of today)."""

    at_risk: int | None
    check: int | None
    ending: int | None
    ok: int | None

    @property
    def total(self) -> int | None:
        if self.ok is None:
            return None
        return self.at_risk + self.check + self.ending + self.ok


def health_counted(year: str, today: datetime.date) -> bool:
    start, end = year_bounds(year)
    return start <= today <= end


def pairs_by_health(scope: Scope, year: str, today: datetime.date, status: str = "") -> QuerySet:
    """Active pairs of the scope with their health as of today (one status, or all)."""
    if not health_counted(year, today):
        return scope.pairs().none()
    qs = health.working(scope.pairs(), today)
    return qs.filter(health=status) if status else qs


def pair_health(scope: Scope, year: str, today: datetime.date) -> PairHealth:
    if not health_counted(year, today):
        return PairHealth(None, None, None, None)
    found = health.counts(scope.pairs(), today)
    return PairHealth(
        at_risk=found[health.Health.AT_RISK],
        check=found[health.Health.CHECK],
        ending=found[health.Health.ENDING],
        ok=found[health.Health.OK],
    )


def pair_health_by_organization(scope: Scope, today: datetime.date) -> list[dict]:
    """The same statuses per registering organization (a breakdown of `pair_health`)."""
    return health.counts_by_organization(scope.pairs(), today)


# Incentives and events (community, 3.4) ----------------------------------------------------

PLACE_ROLES = (ParticipantRole.WINNER, ParticipantRole.PRIZE_WINNER)
TAKING_PART = (ParticipantRole.PARTICIPANT, ParticipantRole.PRIZE_WINNER, ParticipantRole.WINNER)


def events_held(scope: Scope, year: str, today: datetime.date) -> QuerySet:
    """Events of the scope's organizations, and municipal events their staff took part in,
    starting in the academic year up to the date of the count."""
    _start, end = year_bounds(year)
    return community_queries.events_of(scope.organizations(), year).filter(
        starts_on__lte=min(end, today)
    )


def event_places(scope: Scope, year: str, today: datetime.date) -> QuerySet:
    """Winner and prize-winner places taken at the events held (a row each)."""
    return EventParticipant.objects.filter(
        event__in=events_held(scope, year, today).values("pk"), role__in=PLACE_ROLES
    )


def event_participants(scope: Scope, year: str, today: datetime.date) -> QuerySet:
    """People of the portal who took part in the events held (jury members not counted)."""
    taking_part = EventParticipant.objects.filter(
        event__in=events_held(scope, year, today).values("pk"), role__in=TAKING_PART
    )
    return Person.objects.filter(pk__in=taking_part.values("person_id"))


def nominations_of_year(scope: Scope, year: str, stage: str = "") -> QuerySet:
    """Nominations for incentives proposed in the academic year (one stage, or all)."""
    qs = community_queries.nominations_of(scope.organizations(), year)
    return qs.filter(stage=stage) if stage else qs


def paid_mentors(scope: Scope, year: str) -> QuerySet:
    """Mentors with a payment for mentoring whose period overlaps the academic year."""
    payments = community_queries.payments_of(scope.organizations(), year)
    return Person.objects.filter(pk__in=payments.values("person_id"))


@dataclass(frozen=True)
class Incentives:
    events: int
    participants: int
    places: int
    nominations: int
    proposed: int
    supported: int
    submitted: int
    awarded: int
    not_awarded: int
    paid_mentors: int


def incentives(scope: Scope, year: str, today: datetime.date) -> Incentives:
    """The registry's group «incentives»: events, people taking part, places, nominations by
    stage and mentors paid for mentoring (5 queries)."""
    stages = nominations_of_year(scope, year).aggregate(
        total=Count("pk"),
        **{
            stage: Count("pk", filter=Q(stage=stage))
            for stage in (
                NominationStage.PROPOSED,
                NominationStage.SUPPORTED,
                NominationStage.SUBMITTED,
                NominationStage.AWARDED,
                NominationStage.NOT_AWARDED,
            )
        },
    )
    return Incentives(
        events=events_held(scope, year, today).count(),
        participants=event_participants(scope, year, today).count(),
        places=event_places(scope, year, today).count(),
        nominations=stages["total"],
        proposed=stages[NominationStage.PROPOSED],
        supported=stages[NominationStage.SUPPORTED],
        submitted=stages[NominationStage.SUBMITTED],
        awarded=stages[NominationStage.AWARDED],
        not_awarded=stages[NominationStage.NOT_AWARDED],
        paid_mentors=paid_mentors(scope, year).count(),
    )
