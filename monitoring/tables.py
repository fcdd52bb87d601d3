"""The dashboard's tables built from `indicators`: every number a cell that may link to the
rows behind it (drill-down), every table exportable to Excel as it is shown."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from community import selectors as community_selectors
from matching import health
from monitoring import indicators as ind
from monitoring.models import DeadlineKind, Measure, SurveyRespondent

STATE_LABELS = {
    ind.State.MET: _("met"),
    ind.State.LATE: _("late"),
    ind.State.MISSING: _("not done"),
    ind.State.PENDING: _("not due yet"),
}


@dataclass(frozen=True)
class Cell:
    value: object
    url: str = ""
    css: str = ""
    note: str = ""

    @property
    def display(self) -> str:
        value = self.value
        if value is None:
            return "—"
        if isinstance(value, bool):
            return gettext("yes") if value else gettext("no")
        if isinstance(value, float):
            # docs/glossary.md: every number that is not a count has one decimal, «2,0» too.
            return number_format(value, decimal_pos=1)
        if isinstance(value, datetime.date):
            return date_format(value, "d.m.Y")
        return str(value)

    @property
    def excel(self):
        value = self.value
        if value is None:
            return None
        if isinstance(value, (int, float, datetime.date)) and not isinstance(value, bool):
            return value if not self.note else f"{self.display} ({self.note})"
        return self.display + (f" ({self.note})" if self.note else "")


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    chart: str = ""

    def add(self, *cells) -> None:
        self.rows.append([cell if isinstance(cell, Cell) else Cell(cell) for cell in cells])


class Links:
    """Drill-down addresses keeping the dashboard's filters."""

    def __init__(self, filters: dict[str, str]):
        self.filters = {key: value for key, value in filters.items() if value}

    def drill(self, metric: str, year: str) -> str:
        query = {**self.filters, "year": year}
        return reverse("monitoring:drill", args=[metric]) + "?" + urlencode(query)


def _pair(label, metric: str | None, compared: ind.Compared, getter, links: Links, percent=False):
    current, previous = getter(compared.current), getter(compared.previous)
    if percent:
        return [
            Cell(str(label)),
            Cell(current, note="%" if current is not None else ""),
            Cell(previous, note="%" if previous is not None else ""),
        ]
    if metric:
        return [
            Cell(str(label)),
            Cell(current, links.drill(metric, compared.year)),
            Cell(previous, links.drill(metric, compared.previous_year)),
        ]
    return [Cell(str(label)), Cell(current), Cell(previous)]


def indicators_table(summary: ind.Summary, links: Links) -> Table:
    table = Table(
        "indicators",
        gettext("Indicators"),
        [gettext("Indicator"), summary.year, summary.previous_year],
    )
    s = summary
    rows = [
        (_("Teachers on the needs lists"), "needing", s.coverage, lambda v: v.needing, False),
        (_("of them in a working pair"), "covered", s.coverage, lambda v: v.covered, False),
        (_("of them without a pair"), "uncovered", s.coverage, lambda v: v.uncovered, False),
        (_("Coverage, %"), None, s.coverage, lambda v: v.percent, True),
        (_("Pairs (one mentee)"), "pairs", s.pairs, lambda v: v.pairs, False),
        (_("Groups (two and more mentees)"), "groups", s.pairs, lambda v: v.groups, False),
        (_("Inter-organization pairs"), "inter", s.pairs, lambda v: v.inter_organization, False),
        (_("Programs running"), "programs", s.programs, lambda v: v.running, False),
        (_("Programs due to end"), "programs_due", s.programs, lambda v: v.due, False),
        (_("Programs completed"), "programs_completed", s.programs, lambda v: v.completed, False),
        (_("Programs completed, %"), None, s.programs, lambda v: v.completed_percent, True),
        (_("Overdue road-map activities"), "overdue", s.programs, lambda v: v.overdue_activities, False),
        (_("Meetings held"), "meetings", s.meetings, lambda v: v.meetings, False),
        (_("Meetings per pair per month"), None, s.meetings, lambda v: v.per_pair_month, False),
        (_("Mentees diagnosed at the start and the end"), "deficits", s.deficits, lambda v: v.mentees, False),
        (_("Deficits at the start"), "deficits", s.deficits, lambda v: v.deficits, False),
        (_("Deficits closed"), "deficits_closed", s.deficits, lambda v: v.closed, False),
        (_("Deficits closed, %"), None, s.deficits, lambda v: v.closed_percent, True),
        (_("Mean change of the diagnostic score"), None, s.deficits, lambda v: v.mean_change, False),
        (_("Teachers planning to become mentors"), "plans_mentor", s.stage2, lambda v: v.planning_mentors, False),
        (_("Teachers planning to become mentees"), "plans_mentee", s.stage2, lambda v: v.planning_mentees, False),
    ]  # fmt: skip
    for label, metric, compared, getter, percent in rows:
        table.rows.append(_pair(label, metric, compared, getter, links, percent))
    return table


def forms_table(summary: ind.Summary) -> Table:
    table = Table(
        "forms",
        gettext("Pairs and groups by form and kind, %(year)s") % {"year": summary.year},
        [gettext("Form"), pgettext("mentoring", "Kind"), gettext("Pairs"), gettext("Groups")],
    )
    for row in summary.pairs.current.by_form:
        table.add(row.form, row.kind, row.pairs, row.groups)
    return table


def stage1_table(summary: ind.Summary, links: Links) -> Table:
    table = Table(
        "stage1",
        gettext("Stage 1: the process of the programs"),
        [gettext("Indicator"), summary.year, summary.previous_year],
    )
    s = summary.stage1
    rows = [
        (_("Entries"), "progress", lambda v: v.entries, False),
        (_("Programs with entries"), "progress", lambda v: v.programs, False),
        (_("Students who passed ВПР"), None, lambda v: v.vpr_passed, False),
        (_("Students who wrote ВПР"), None, lambda v: v.vpr_total, False),
        (_("Passed ВПР, %"), None, lambda v: v.vpr_percent, True),
        (_("Students who passed ОГЭ"), None, lambda v: v.oge_passed, False),
        (_("Students who sat ОГЭ"), None, lambda v: v.oge_total, False),
        (_("Passed ОГЭ, %"), None, lambda v: v.oge_percent, True),
        (_("Students who passed ЕГЭ"), None, lambda v: v.ege_passed, False),
        (_("Students who sat ЕГЭ"), None, lambda v: v.ege_total, False),
        (_("Passed ЕГЭ, %"), None, lambda v: v.ege_percent, True),
        (_("Average mark"), None, lambda v: v.average_mark, False),
        (_("Success rate, %"), None, lambda v: v.success_rate, True),
        (_("Olympiad participants"), None, lambda v: v.olympiad_participants, False),
        (_("Olympiad winners and prize-winners"), None, lambda v: v.olympiad_winners, False),
        (_("Projects with the mentee"), None, lambda v: v.projects, False),
        (_("Open lessons"), None, lambda v: v.open_lessons, False),
        (_("Professional contests"), None, lambda v: v.contests, False),
        (_("Publications"), None, lambda v: v.publications, False),
        (_("Talks"), None, lambda v: v.talks, False),
        (_("Methodical association work"), None, lambda v: v.methodical_work, False),
        (_("Entries with risks noted"), "risks", lambda v: v.with_risks, False),
    ]
    for label, metric, getter, percent in rows:
        table.rows.append(_pair(label, metric, s, getter, links, percent))
    return table


def dynamics_table(rows: list[tuple[str, str, ind.Stage1]], title: str) -> Table:
    table = Table(
        "dynamics",
        title,
        [
            gettext("Academic year"),
            gettext("Period"),
            gettext("Passed ВПР, %"),
            gettext("Passed ОГЭ, %"),
            gettext("Passed ЕГЭ, %"),
            gettext("Average mark"),
            gettext("Success rate, %"),
            gettext("Olympiad participants"),
            gettext("Olympiad winners and prize-winners"),
            gettext("Projects with the mentee"),
            gettext("Professional activity"),
        ],
    )
    for year, period, s in rows:
        table.add(
            year,
            period,
            s.vpr_percent,
            s.oge_percent,
            s.ege_percent,
            s.average_mark,
            s.success_rate,
            s.olympiad_participants,
            s.olympiad_winners,
            s.projects,
            s.activity_total,
        )
    return table


def stage2_table(summary: ind.Summary, links: Links) -> Table:
    table = Table(
        "stage2",
        gettext("Stage 2: the effect on the participants (mean answer, 1–5)"),
        [
            gettext("Who answers"),
            gettext("What is measured"),
            gettext("At the start"),
            gettext("At the end"),
            gettext("Change of the mean"),
            gettext("Change in %(year)s") % {"year": summary.previous_year},
        ],
    )
    respondents = dict(SurveyRespondent.choices)
    measures = dict(Measure.choices)
    previous = summary.stage2.previous
    for row in summary.stage2.current.rows:
        before = previous.row(row.respondent, row.measure)
        table.add(
            str(respondents[row.respondent]),
            str(measures[row.measure]),
            row.start,
            row.end,
            row.change,
            before.change if before else None,
        )
    table.add(
        Cell(gettext("Surveys filled")),
        "",
        Cell(summary.stage2.current.surveys, links.drill("surveys", summary.year)),
        "",
        "",
        Cell(previous.surveys, links.drill("surveys", summary.previous_year)),
    )
    return table


def monthly_table(rows: list[dict], year: str) -> Table:
    from monitoring import charts

    table = Table(
        "monthly",
        gettext("Trend by month, %(year)s") % {"year": year},
        [gettext("Month"), gettext("Meetings"), gettext("Pairs started")],
        chart=charts.monthly_chart(rows),
    )
    for row in rows:
        table.add(row["month"].strftime("%m.%Y"), row["meetings"], row["pairs_started"])
    return table


def yearly_table(rows: list[dict]) -> Table:
    from monitoring import charts

    table = Table(
        "yearly",
        gettext("Trend by year"),
        [
            gettext("Academic year"),
            gettext("Pairs started"),
            gettext("Meetings"),
            gettext("Programs completed"),
        ],
        chart=charts.yearly_chart(rows),
    )
    for row in rows:
        table.add(row["year"], row["pairs_started"], row["meetings"], row["programs_completed"])
    return table


def _check_cell(check: ind.Check) -> Cell:
    state = str(STATE_LABELS[check.state])
    if check.state == ind.State.MET:
        return Cell(check.done_on, css="text-success", note=state)
    if check.state == ind.State.PENDING:
        return Cell(None, css="text-muted", note=state)
    late = ngettext("%(days)d day late", "%(days)d days late", check.days_late) % {
        "days": check.days_late
    }
    if check.state == ind.State.MISSING and check.done_on is None and check.days_late == 0:
        late = pgettext("deadline", "never")
    return Cell(check.done_on, css="text-danger fw-semibold", note=f"{state}: {late}")


def compliance_table(rows: list[ind.ComplianceRow], year: str, deadline_labels=None) -> Table:
    kinds = dict(DeadlineKind.choices)
    table = Table(
        "compliance",
        gettext("Deadlines of the order, %(year)s") % {"year": year},
        [gettext("Organization"), gettext("Kind")]
        + [str(kinds[kind]) for kind in DeadlineKind.values]
        + [gettext("Missed")],
    )
    for row in rows:
        org = row.organization
        table.add(
            Cell(org.short_name, reverse("monitoring:organization_dashboard", args=[org.pk])),
            org.get_kind_display(),
            *[_check_cell(check) for check in row.checks],
            Cell(row.late_count, css="text-danger fw-semibold" if row.late_count else ""),
        )
    return table


def incentives_table(scope: ind.Scope, year: str, links: Links) -> Table:
    """Incentives and events of the year (3.4), counted by `community.selectors.counts`."""
    result = community_selectors.counts(scope.organizations(), year)
    table = Table(
        "incentives",
        gettext("Incentives and events, %(year)s") % {"year": year},
        [gettext("Indicator"), year],
    )
    for label, metric, value in (
        (gettext("Events"), "events", result.events),
        (gettext("Winners and prize-winners"), "winners", result.winners),
        (gettext("Nominations for incentives"), "nominations", result.nominations),
        (gettext("Incentives awarded"), "awarded", result.awarded),
        (gettext("Payments for mentoring"), "payments", result.payments),
    ):
        table.add(label, Cell(value, links.drill(metric, year)))
    return table


def uptake_table(uptake: ind.Uptake, year: str) -> Table:
    table = Table(
        "uptake",
        gettext("Mentors chosen from the portal's suggestions, %(year)s") % {"year": year},
        [gettext("Pairs and groups registered"), gettext("Mentor taken from the suggestions"),
         gettext("The first suggestion taken"), gettext("Share, %")],
    )  # fmt: skip
    table.add(uptake.registered, uptake.suggested, uptake.first, uptake.share)
    return table


def health_table(rows: list[dict]) -> Table:
    """Working pairs by health per organization; each number opens those pairs."""
    order = health.Health.order
    table = Table(
        "health",
        gettext("Health of working pairs"),
        [gettext("Organization")] + [str(health.Health.labels[key]) for key in order]
        + [gettext("Total")],
    )  # fmt: skip
    base = reverse("matching:pair_health")
    css = {
        health.Health.AT_RISK: "text-danger fw-semibold",
        health.Health.CHECK: "text-warning-emphasis fw-semibold",
    }
    for row in rows:
        org = row["organization_id"]
        cells = [
            Cell(
                row[key],
                base + "?" + urlencode({"organization": org, "health": key}) if row[key] else "",
                css=css.get(key, "") if row[key] else "",
            )
            for key in order
        ]
        table.add(
            Cell(row["name"], reverse("monitoring:organization_dashboard", args=[org])),
            *cells,
            Cell(row["total"], base + "?" + urlencode({"organization": org})),
        )
    return table
