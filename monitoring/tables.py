"""The dashboard's tables built from `indicators`: every number a cell that may link to the
rows behind it (drill-down), every table exportable to Excel as it is shown."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from core.cache import content_key
from core.dates import day_text
from core.urls import reverse_pk
from matching import health
from monitoring import indicators as ind
from monitoring import registry
from monitoring.models import ANONYMOUS_FROM, DeadlineKind, Measure, SurveyRespondent, SurveyStage

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
    hint: str = ""  # an indicator's definition, shown beside its name
    code: str = ""  # the indicator's code in the registry

    @property
    def is_number(self) -> bool:
        """Anything but a text (a count, a share, a date, «—» for none) is right-aligned."""
        return not isinstance(self.value, str | Promise)

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
            return day_text(value)
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
    note: str = ""  # a line under the title (to whom an order applies)

    @property
    def header_cells(self) -> list[tuple[str, str]]:
        """Each header with its class: right-aligned over a column of numbers (judged by the
        first row; the first column names the rows)."""
        first = self.rows[0] if self.rows else []
        return [
            (header, "text-end" if 0 < index < len(first) and first[index].is_number else "")
            for index, header in enumerate(self.headers)
        ]

    def add(self, *cells) -> None:
        self.rows.append([cell if isinstance(cell, Cell) else Cell(cell) for cell in cells])

    @property
    def fingerprint(self) -> str:
        """Everything the table prints, in the current language: a table read live on every
        view (the deadlines, the orders, the pairs' health) is rendered again only when one
        of its cells changes. Read field by field: `dataclasses.astuple` deep-copies every
        cell, a sixth of the dashboard's time."""
        heading = [value for name, value in vars(self).items() if name != "rows"]
        return content_key(
            heading, [[tuple(vars(cell).values()) for cell in row] for row in self.rows]
        )


class Links:
    """Drill-down addresses keeping the dashboard's filters."""

    def __init__(self, filters: dict[str, str]):
        self.filters = {key: value for key, value in filters.items() if value}

    def drill(self, metric: str, year: str) -> str:
        query = {**self.filters, "year": year}
        return reverse("monitoring:drill", args=[metric]) + "?" + urlencode(query)


def _indicator_row(code: str, summary: ind.Summary, links: Links) -> list[Cell]:
    """One registry indicator: its name with its definition, this year and the one before."""
    indicator = registry.get(code)
    compared = getattr(summary, indicator.group)
    label = Cell(str(indicator.name), hint=str(indicator.counts), code=code)
    current, previous = indicator.of(summary), indicator.of(summary, previous=True)
    if indicator.percent:
        return [
            label,
            Cell(current, note="%" if current is not None else ""),
            Cell(previous, note="%" if previous is not None else ""),
        ]
    if indicator.drill:
        return [
            label,
            Cell(
                current, links.drill(indicator.drill, compared.year) if current is not None else ""
            ),
            Cell(
                previous,
                links.drill(indicator.drill, compared.previous_year)
                if previous is not None
                else "",
            ),
        ]
    return [label, Cell(current), Cell(previous)]


MAIN_INDICATORS = (
    "needing", "covered", "uncovered", "coverage_percent", "pairs", "groups", "inter",
    "programs_running", "programs_drafts", "programs_due", "programs_completed",
    "programs_completed_percent", "overdue", "meetings", "meeting_rate", "diagnosed",
    "deficits", "deficits_closed", "deficits_closed_percent", "mean_change", "plans_mentor",
    "plans_mentee",
)  # fmt: skip

STAGE1_INDICATORS = (
    "entries", "programs", "vpr_passed", "vpr_total", "vpr_percent", "oge_passed", "oge_total",
    "oge_percent", "ege_passed", "ege_total", "ege_percent", "average_mark", "success_rate",
    "olympiad_participants", "olympiad_winners", "projects", "open_lessons", "contests",
    "publications", "talks", "methodical_work", "with_risks",
)  # fmt: skip


def indicators_table(summary: ind.Summary, links: Links) -> Table:
    table = Table(
        "indicators",
        gettext("Indicators"),
        [gettext("Indicator"), summary.year, summary.previous_year],
    )
    for code in MAIN_INDICATORS:
        table.rows.append(_indicator_row(code, summary, links))
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
    for code in STAGE1_INDICATORS:
        table.rows.append(_indicator_row(code, summary, links))
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
            gettext("In the middle"),
            gettext("At the end"),
            gettext("Change of the mean"),
            gettext("Change in %(year)s") % {"year": summary.previous_year},
        ],
    )
    respondents = dict(SurveyRespondent.choices)
    measures = dict(Measure.choices)
    previous = summary.stage2.previous
    withheld = gettext("fewer than %(count)d answers, anonymous") % {"count": ANONYMOUS_FROM}

    def mean(row: ind.MeasureRow, stage: str, value) -> Cell:
        return Cell(value, note=withheld if stage in row.withheld else "")

    for row in summary.stage2.current.rows:
        before = previous.row(row.respondent, row.measure)
        table.add(
            str(respondents[row.respondent]),
            str(measures[row.measure]),
            mean(row, SurveyStage.START, row.start),
            mean(row, SurveyStage.MIDDLE, row.middle),
            mean(row, SurveyStage.END, row.end),
            row.change,
            before.change if before else None,
        )
    table.add(
        Cell(gettext("Surveys filled")),
        "",
        Cell(summary.stage2.current.surveys, links.drill("surveys", summary.year)),
        "",
        "",
        "",
        Cell(previous.surveys, links.drill("surveys", summary.previous_year)),
    )
    return table


def comments_table(comments: list[str], year: str) -> Table:
    """The free comments of the year's surveys, without authors, only from three of them."""
    table = Table(
        "comments",
        gettext("Comments of the surveys, %(year)s") % {"year": year},
        [gettext("Comment (anonymous, shown from %(count)d comments)") % {"count": ANONYMOUS_FROM}],
    )
    for text in comments:
        table.add(text)
    if not comments:
        table.add(
            Cell(
                gettext("Fewer than %(count)d comments: they are not shown.")
                % {"count": ANONYMOUS_FROM},
                css="text-muted",
            )
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
            Cell(org.short_name, reverse_pk("monitoring:organization_dashboard", org.pk)),
            org.get_kind_display(),
            *[_check_cell(check) for check in row.checks],
            Cell(row.late_count, css="text-danger fw-semibold" if row.late_count else ""),
        )
    return table


INCENTIVE_INDICATORS = (
    "events", "event_participants", "event_places", "nominations", "nominations_proposed",
    "nominations_supported", "nominations_submitted", "nominations_awarded",
    "nominations_not_awarded", "paid_mentors",
)  # fmt: skip

HEALTH_INDICATORS = ("health_at_risk", "health_check", "health_ending", "health_ok", "health_total")

UPTAKE_INDICATORS = ("pairs_registered", "suggested", "suggested_first", "suggested_percent")


def registry_table(key: str, title: str, codes, summary: ind.Summary, links: Links) -> Table:
    """Registry indicators as rows: the name with its definition, this year, the one before."""
    table = Table(key, title, [gettext("Indicator"), summary.year, summary.previous_year])
    for code in codes:
        table.rows.append(_indicator_row(code, summary, links))
    return table


def incentives_table(summary: ind.Summary, links: Links) -> Table:
    """Incentives and events of the year (3.4), from the registry."""
    return registry_table(
        "incentives",
        gettext("Incentives and events, %(year)s") % {"year": summary.year},
        INCENTIVE_INDICATORS,
        summary,
        links,
    )


def health_status_table(summary: ind.Summary, links: Links) -> Table:
    """Active pairs by health on the date of the count (matching.health), from the registry."""
    return registry_table(
        "health_status", gettext("Health of active pairs"), HEALTH_INDICATORS, summary, links
    )


def order_applies_to(order) -> str:
    """To whom an order applies, in words (its organizations read with it, or prefetched)."""
    named = getattr(order, "named_names", None)
    if named is None:
        named = sorted(org.short_name for org in order.organizations.all())
    if named:
        return gettext("Applies to: %(names)s.") % {"names": ", ".join(named)}
    if order.organization_kind:
        return gettext("Applies to the organizations of the kind «%(kind)s».") % {
            "kind": order.get_organization_kind_display()
        }
    return gettext("Applies to every organization of the municipality.")


def order_tables(results: list[ind.OrderCompliance]) -> list[Table]:
    """One table per order: the organizations it binds against its own deadlines — each
    point with its deadline in the header, each organization on time, late or not done."""
    kinds = dict(DeadlineKind.choices)
    found = []
    for result in results:
        order = result.order
        dues = result.dues or [None] * len(result.kinds)
        table = Table(
            f"order-{order.pk}",
            gettext("Deadlines of order No. %(number)s of %(date)s: %(title)s")
            % {
                "number": order.number,
                "date": day_text(order.signed_on),
                "title": order.title,
            },
            [gettext("Organization"), gettext("Kind")]
            + [
                gettext("%(point)s, due %(date)s") % {"point": kinds[kind], "date": day_text(due)}
                if due
                else str(kinds[kind])
                for kind, due in zip(result.kinds, dues, strict=True)
            ]
            + [gettext("Missed")],
            note=order_applies_to(order),
        )
        for row in result.rows:
            org = row.organization
            table.add(
                Cell(org.short_name, reverse_pk("monitoring:organization_dashboard", org.pk)),
                org.get_kind_display(),
                *[_check_cell(check) for check in row.checks],
                Cell(row.late_count, css="text-danger fw-semibold" if row.late_count else ""),
            )
        found.append(table)
    return found


def uptake_table(summary: ind.Summary, links: Links) -> Table:
    return registry_table(
        "uptake",
        gettext("Mentors chosen from the portal's suggestions, %(year)s") % {"year": summary.year},
        UPTAKE_INDICATORS,
        summary,
        links,
    )


def health_table(rows: list[dict]) -> Table:
    """Working pairs by health per organization; each number opens those pairs."""
    order = health.Health.order
    table = Table(
        "health",
        gettext("Health of active pairs by organization"),
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
            Cell(row["name"], reverse_pk("monitoring:organization_dashboard", org)),
            *cells,
            Cell(row["total"], base + "?" + urlencode({"organization": org})),
        )
    return table
