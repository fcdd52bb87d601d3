"""The registry of indicators: every number the portal shows has one definition here.

An `Indicator` has a code, a Russian name, what it counts in words (which records, which
dates, which statuses), its unit, and how it is computed for a scope and a year: the
function of `monitoring.indicators` that returns its group (coverage, pairs, programs, ...)
and the attribute of that group. The dashboard's tables, the drill-down lists (through
`drill`), the Excel exports, the PDF reports and the page «Как считаются показатели» all read
the numbers and their definitions from here; `definitions_version()` changes whenever a
definition does, and is stored with every issued report.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from community.models import NominationStage
from matching.health import Health
from monitoring import indicators as ind
from monitoring.models import Measure


class Unit:
    PEOPLE = pgettext_lazy("unit", "people")
    PAIRS = pgettext_lazy("unit", "pairs")
    PROGRAMS = pgettext_lazy("unit", "programs")
    ACTIVITIES = pgettext_lazy("unit", "activities")
    MEETINGS = pgettext_lazy("unit", "meetings")
    RATE = pgettext_lazy("unit", "meetings per pair a month")
    DEFICITS = pgettext_lazy("unit", "deficits")
    PERCENT = "%"
    SCORE = pgettext_lazy("unit", "points")
    ENTRIES = pgettext_lazy("unit", "entries")
    STUDENTS = pgettext_lazy("unit", "students")
    EVENTS = pgettext_lazy("unit", "events")
    SURVEYS = pgettext_lazy("unit", "surveys")
    ORGANIZATIONS = pgettext_lazy("unit", "organizations")
    PRODUCTS = pgettext_lazy("unit", "products")
    PLACES = pgettext_lazy("unit", "places")
    NOMINATIONS = pgettext_lazy("unit", "nominations")


GROUPS: dict[str, Callable] = {
    "coverage": ind.coverage,
    "pairs": ind.pair_counts,
    "programs": ind.program_counts,
    "meetings": ind.meeting_rate,
    "deficits": ind.deficits,
    "stage1": ind.stage1,
    "stage2": ind.stage2,
    "incentives": ind.incentives,
    "health": ind.pair_health,
    "uptake": ind.suggestion_uptake,
}


@dataclass(frozen=True)
class Indicator:
    code: str
    name: object
    counts: object
    unit: object
    group: str
    attribute: str
    drill: str = ""  # the drill-down list of the rows it counts, when it counts rows
    percent: bool = False
    # Indicators that are not the sum of the organizations' values (the same person counted
    # in two organizations): the rows to count for the whole scope, `(scope, year, today)`
    # → a queryset; the dashboard counts them from the records, not from the facts.
    exact: Callable | None = None

    @property
    def summable(self) -> bool:
        return self.exact is None

    def compute(self, scope: ind.Scope, year: str, today: datetime.date):
        """The indicator alone, for a scope and an academic year."""
        return self.read(GROUPS[self.group](scope, year, today))

    def read(self, group_value):
        """The indicator from its group's value (as `indicators.summary` returns it)."""
        return getattr(group_value, self.attribute)

    def of(self, summary: ind.Summary, previous: bool = False):
        compared = getattr(summary, self.group)
        return self.read(compared.previous if previous else compared.current)

    @property
    def source(self) -> str:
        return f"monitoring.indicators.{GROUPS[self.group].__name__}().{self.attribute}"


def _stage1(code: str, name, unit=Unit.STUDENTS, percent=False, counts=None, drill="") -> Indicator:
    return Indicator(
        code,
        name,
        counts
        or _(
            "The sum of this field over the stage 1 entries made for the academic year in "
            "the programs of the scope (every period of the year)."
        ),
        unit,
        "stage1",
        code,
        drill,
        percent=percent,
    )


NOT_SUMMED = _(
    "Not a sum over the organizations (one teacher can be counted in two of them): counted "
    "from the records for the whole scope."
)


def _covered(scope: ind.Scope, year: str, today: datetime.date):
    return ind.needing(scope, year).filter(has_pair=True).values("pk")


def _paid_mentors(scope: ind.Scope, year: str, today: datetime.date):
    return ind.paid_mentors(scope, year).values("pk")


def _planning(measure: str):
    def rows(scope: ind.Scope, year: str, today: datetime.date):
        return ind.planning_people(scope, year, measure)

    return rows


WORKING = _(
    "Pairs and groups registered and activated (active, completed or ended early) whose period — "
    "from the planned start to the end (the early end date if ended early, otherwise the "
    "planned end) — overlaps the academic year (01.09–31.08)."
)

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "needing",
        _("Teachers on the needs lists"),
        _(
            "Teachers on the organizations' needs lists of the academic year, except those the "
            "curator dismissed."
        ),
        Unit.PEOPLE, "coverage", "needing", "needing",
    ),
    Indicator(
        "covered",
        _("of them in a working pair"),
        format_lazy(
            "{} {}",
            _(
                "Of the teachers on the needs lists, those who are a mentee of a pair or group "
                "working in the academic year."
            ),
            NOT_SUMMED,
        ),
        Unit.PEOPLE, "coverage", "covered", "covered", exact=_covered,
    ),
    Indicator(
        "uncovered",
        _("of them without a pair"),
        _("Teachers on the needs lists minus those in a working pair."),
        Unit.PEOPLE, "coverage", "uncovered", "uncovered",
    ),
    Indicator(
        "coverage_percent",
        _("Coverage, %"),
        _("Teachers in a working pair as a share of the teachers on the needs lists."),
        Unit.PERCENT, "coverage", "percent", percent=True,
    ),
    Indicator(
        "pairs",
        _("Pairs (one mentee)"),
        format_lazy("{} {}", _("Working pairs with one mentee."), WORKING),
        Unit.PAIRS, "pairs", "pairs", "pairs",
    ),
    Indicator(
        "groups",
        _("Groups (two and more mentees)"),
        format_lazy("{} {}", _("Working groups with two and more mentees."), WORKING),
        Unit.PAIRS, "pairs", "groups", "groups",
    ),
    Indicator(
        "inter",
        _("Inter-organization pairs"),
        _(
            "Working pairs and groups whose mentor or a mentee has no current job in the "
            "registering organization."
        ),
        Unit.PAIRS, "pairs", "inter_organization", "inter",
    ),
    Indicator(
        "programs_running",
        _("Programs running"),
        _(
            "Personalized programs approved by the head (approved, in progress or completed) "
            "whose period overlaps the academic year."
        ),
        Unit.PROGRAMS, "programs", "running", "programs",
    ),
    Indicator(
        "programs_drafts",
        _("Program drafts"),
        _("Programs still in draft (not approved) whose period overlaps the academic year."),
        Unit.PROGRAMS, "programs", "drafts", "programs_drafts",
    ),
    Indicator(
        "programs_due",
        _("Programs due to end"),
        _(
            "Programs of any status whose planned end falls in the academic year, up to the "
            "date of the count."
        ),
        Unit.PROGRAMS, "programs", "due", "programs_due",
    ),
    Indicator(
        "programs_completed",
        _("Programs completed"),
        _(
            "Programs marked completed whose completion date falls in the academic year, up to "
            "the date of the count — completed early, on time or late alike."
        ),
        Unit.PROGRAMS, "programs", "completed", "programs_completed",
    ),
    Indicator(
        "programs_completed_percent",
        _("Programs due that were completed, %"),
        _("Of the programs due to end, the share marked completed."),
        Unit.PERCENT, "programs", "completed_percent", percent=True,
    ),
    Indicator(
        "overdue",
        _("Overdue road-map activities"),
        _(
            "Road-map activities planned in the academic year, still «planned» and with the "
            "planned date before the date of the count."
        ),
        Unit.ACTIVITIES, "programs", "overdue_activities", "overdue",
    ),
    Indicator(
        "meetings",
        _("Meetings held"),
        _("Meetings of the pairs held in the academic year up to the date of the count."),
        Unit.MEETINGS, "meetings", "meetings", "meetings",
    ),
    Indicator(
        "meeting_rate",
        _("Meetings per pair per month"),
        _(
            "Meetings held divided by the months the working pairs worked in the year up to "
            "the date of the count (days, both ends counted, divided by 30.44)."
        ),
        Unit.RATE, "meetings", "per_pair_month",
    ),
    Indicator(
        "diagnosed",
        _("Mentees diagnosed at the start and the end"),
        _(
            "Mentees of the scope's pairs with a diagnostic at the start and one at the end, "
            "the end one filled in the academic year."
        ),
        Unit.PEOPLE, "deficits", "mentees", "deficits",
    ),
    Indicator(
        "deficits",
        _("Deficits at the start"),
        _(
            "Areas of difficulty whose mean score at the start (self- and mentor's assessment "
            "together) is below 2.5, for the mentees diagnosed at the start and the end."
        ),
        Unit.DEFICITS, "deficits", "deficits", "deficits",
    ),
    Indicator(
        "deficits_closed",
        _("Deficits closed"),
        _("Deficits at the start whose mean score at the end is 2.5 or more."),
        Unit.DEFICITS, "deficits", "closed", "deficits_closed",
    ),
    Indicator(
        "deficits_closed_percent",
        _("Deficits closed, %"),
        _("Deficits closed as a share of the deficits at the start."),
        Unit.PERCENT, "deficits", "closed_percent", percent=True,
    ),
    Indicator(
        "mean_change",
        _("Mean change of the diagnostic score"),
        _("Mean of (end − start) over the areas of the mentees diagnosed at the start and the end."),
        Unit.SCORE, "deficits", "mean_change",
    ),
    _stage1(
        "entries",
        _("Entries"),
        Unit.ENTRIES,
        counts=_("Stage 1 entries made for the academic year in the programs of the scope."),
        drill="progress",
    ),
    _stage1(
        "programs",
        _("Programs with entries"),
        Unit.PROGRAMS,
        counts=_("Programs with at least one stage 1 entry for the academic year."),
    ),
    _stage1("vpr_passed", _("Students who passed ВПР")),
    _stage1("vpr_total", _("Students who wrote ВПР")),
    _stage1(
        "vpr_percent", _("Passed ВПР, %"), Unit.PERCENT, True,
        _("Students who passed ВПР as a share of those who wrote it (sums of the entries)."),
    ),
    _stage1("oge_passed", _("Students who passed ОГЭ")),
    _stage1("oge_total", _("Students who sat ОГЭ")),
    _stage1(
        "oge_percent", _("Passed ОГЭ, %"), Unit.PERCENT, True,
        _("Students who passed ОГЭ as a share of those who sat it (sums of the entries)."),
    ),
    _stage1("ege_passed", _("Students who passed ЕГЭ")),
    _stage1("ege_total", _("Students who sat ЕГЭ")),
    _stage1(
        "ege_percent", _("Passed ЕГЭ, %"), Unit.PERCENT, True,
        _("Students who passed ЕГЭ as a share of those who sat it (sums of the entries)."),
    ),
    _stage1(
        "average_mark", _("Average mark"), Unit.SCORE,
        counts=_("Mean of the average marks given in the stage 1 entries of the academic year."),
    ),
    _stage1(
        "success_rate", _("Success rate, %"), Unit.PERCENT, True,
        _("Mean of the success rates given in the stage 1 entries of the academic year."),
    ),
    _stage1("olympiad_participants", _("Olympiad participants")),
    _stage1("olympiad_winners", _("Olympiad winners and prize-winners")),
    _stage1("projects", _("Projects with the mentee"), Unit.EVENTS),
    _stage1("open_lessons", _("Open lessons"), Unit.EVENTS),
    _stage1("contests", _("Professional contests"), Unit.EVENTS),
    _stage1("publications", _("Publications"), Unit.EVENTS),
    _stage1("talks", _("Talks"), Unit.EVENTS),
    _stage1("methodical_work", _("Methodical association work"), Unit.EVENTS),
    _stage1(
        "with_risks",
        _("Entries with risks noted"),
        Unit.ENTRIES,
        counts=_("Stage 1 entries of the academic year whose «risks» field is filled."),
        drill="risks",
    ),
    Indicator(
        "surveys",
        _("Surveys filled"),
        _("Stage 2 surveys (start and end) filled in the academic year."),
        Unit.SURVEYS, "stage2", "surveys", "surveys",
    ),
    Indicator(
        "plans_mentor",
        _("Teachers planning to become mentors"),
        format_lazy(
            "{} {}",
            _(
                "Distinct teachers answering «yes» to «plans to become a mentor» in an "
                "end-of-program survey filled in the academic year."
            ),
            NOT_SUMMED,
        ),
        Unit.PEOPLE, "stage2", "planning_mentors", "plans_mentor",
        exact=_planning(Measure.PLANS_MENTOR),
    ),
    Indicator(
        "plans_mentee",
        _("Teachers planning to become mentees"),
        format_lazy(
            "{} {}",
            _(
                "Distinct teachers answering «yes» to «plans to become a mentee» in an "
                "end-of-program survey filled in the academic year."
            ),
            NOT_SUMMED,
        ),
        Unit.PEOPLE, "stage2", "planning_mentees", "plans_mentee",
        exact=_planning(Measure.PLANS_MENTEE),
    ),
)  # fmt: skip


def _health(code: str, status: str, name) -> Indicator:
    return Indicator(
        code,
        name,
        format_lazy(
            _(
                "Active pairs and groups whose status on the date of the count is «{status}»: "
                "{rule}. A status is a state of today: counted for the current academic year "
                "only, a past year shows «—»."
            ),
            status=Health.labels[status],
            rule=Health.definitions[status],
        ),
        Unit.PAIRS,
        "health",
        status,
        f"health_{status}",
    )


def _stage(code: str, stage: str, name) -> Indicator:
    return Indicator(
        code,
        name,
        format_lazy(
            _("Of the nominations of the year, those whose current stage is «{stage}»."),
            stage=NOMINATION_STAGES[stage],
        ),
        Unit.NOMINATIONS,
        "incentives",
        stage,
        code,
    )


NOMINATION_STAGES = dict(NominationStage.choices)

INDICATORS += (
    Indicator(
        "events",
        _("Events held"),
        _(
            "Events (contests, forums, conferences, festivals) of the organizations of the "
            "scope, and municipal events their staff took part in, that started in the "
            "academic year up to the date of the count."
        ),
        Unit.EVENTS, "incentives", "events", "events",
        exact=ind.events_held,  # a municipal event is shared by the organizations whose staff took part
    ),
    Indicator(
        "event_participants",
        _("People taking part in the events"),
        _(
            "Distinct people of the portal recorded as participants, prize-winners or winners "
            "of the events held (jury members are not counted)."
        ),
        Unit.PEOPLE, "incentives", "participants", "event_participants",
        exact=ind.event_participants,  # a municipal event is shared by the organizations whose staff took part
    ),
    Indicator(
        "event_places",
        _("Winner and prize-winner places"),
        _(
            "Winner and prize-winner places taken by people of the portal at the events held; "
            "a person placed at two events counts twice."
        ),
        Unit.PLACES, "incentives", "places", "winners",
        exact=ind.event_places,  # a municipal event is shared by the organizations whose staff took part
    ),
    Indicator(
        "nominations",
        _("Nominations for incentives"),
        _(
            "Nominations for non-material incentives (3.4) the organizations of the scope "
            "proposed in the academic year, at any stage."
        ),
        Unit.NOMINATIONS, "incentives", "nominations", "nominations",
    ),
    _stage("nominations_proposed", "proposed", _("of them proposed")),
    _stage("nominations_supported", "supported", _("of them supported by the committee")),
    _stage("nominations_submitted", "submitted", _("of them submitted")),
    _stage("nominations_awarded", "awarded", _("of them awarded")),
    _stage("nominations_not_awarded", "not_awarded", _("of them not awarded")),
    Indicator(
        "paid_mentors",
        _("Mentors with a payment for mentoring"),
        _(
            "Distinct mentors with a payment for mentoring set by an organization of the scope "
            "whose period (from – until) overlaps the academic year."
        ),
        Unit.PEOPLE, "incentives", "paid_mentors", "paid_mentors",
        exact=_paid_mentors,  # one mentor may be paid by two organizations
    ),
    _health("health_at_risk", Health.AT_RISK, _("Active pairs at risk")),
    _health("health_check", Health.CHECK, _("Active pairs needing a check")),
    _health("health_ending", Health.ENDING, _("Active pairs ending")),
    _health("health_ok", Health.OK, _("Active pairs on track")),
    Indicator(
        "health_total",
        _("Active pairs"),
        _(
            "Pairs and groups with the status «active» on the date of the count (the four "
            "health statuses together); counted for the current academic year only."
        ),
        Unit.PAIRS, "health", "total", "health_all",
    ),
    Indicator(
        "pairs_registered",
        _("Pairs and groups registered"),
        _("Pairs and groups whose planned start falls in the academic year, drafts included."),
        Unit.PAIRS, "uptake", "registered", "registered",
    ),
    Indicator(
        "suggested",
        _("Mentor taken from the suggestions"),
        _(
            "Of the pairs and groups registered, those whose mentor was taken from the mentors "
            "the portal suggested."
        ),
        Unit.PAIRS, "uptake", "suggested", "suggested",
    ),
    Indicator(
        "suggested_first",
        _("The first suggestion taken"),
        _("Of the pairs and groups registered, those whose mentor was the first suggestion."),
        Unit.PAIRS, "uptake", "first", "suggested_first",
    ),
    Indicator(
        "suggested_percent",
        _("Mentor taken from the suggestions, %"),
        _("Pairs with a mentor taken from the suggestions as a share of the pairs registered."),
        Unit.PERCENT, "uptake", "share", percent=True,
    ),
)  # fmt: skip

BY_CODE: dict[str, Indicator] = {indicator.code: indicator for indicator in INDICATORS}
BY_GROUP: dict[str, tuple[Indicator, ...]] = {
    group: tuple(indicator for indicator in INDICATORS if indicator.group == group)
    for group in dict.fromkeys(indicator.group for indicator in INDICATORS)
}


@functools.cache
def definitions_version() -> str:
    """A short fingerprint of the definitions (their English text, groups and attributes):
    it changes whenever one of them does."""
    with translation.override(None):
        text = "|".join(f"{i.code}:{i.group}.{i.attribute}:{i.counts}" for i in INDICATORS)
    return hashlib.sha1(text.encode()).hexdigest()[:10]


def values(summary: ind.Summary) -> dict[str, object]:
    """Every indicator of the summary's year, by code (what an issued report stores)."""
    return {indicator.code: indicator.of(summary) for indicator in INDICATORS}


def get(code: str) -> Indicator:
    return BY_CODE[code]
