"""The region at a glance: one row per municipality, in a fixed number of queries.

Each indicator group of `monitoring.indicators` (coverage, pairs, programs, meetings,
diagnostics, both monitoring stages) is computed over the same row sets the dashboards count
— `ind.needing`, `ind.pairs_working`, `ind.programs_due`, ... for a `RegionScope` — grouped by
municipality in one query per row set, and put back into the indicators' own dataclasses;
the numbers printed are then read through the registry (`Indicator.read`), so a municipality's
row equals its municipal dashboard (tests/monitoring/test_region.py reconciles them). Deadlines
compliance comes from `ind.compliance` for the whole region at once, incentives from the
community app's row sets.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, DurationField, ExpressionWrapper, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from community import queries as community
from community.models import NominationStage
from mentoring.models import Pair
from monitoring import indicators as ind
from monitoring import registry
from monitoring.models import year_bounds
from orgs.models import Municipality, Region
from programs.models import ProgramStatus

# The registry's indicators a region row shows, in order.
ROW_INDICATORS = (
    "needing",
    "covered",
    "coverage_percent",
    "pairs",
    "groups",
    "programs_completed",
    "programs_completed_percent",
    "deficits_closed_percent",
    "mean_change",
    "entries",
    "surveys",
)

# When a municipality needs the region's attention: stated once, printed in the report.
COVERAGE_BELOW = 50.0  # % of the teachers on the needs lists in a working pair
COMPLETED_BELOW = 50.0  # % of the programs due that were completed
LATE_SHARE_ABOVE = 25.0  # % of the organizations that missed a deadline of the order


@dataclass(frozen=True)
class RegionScope(ind.Scope):
    """Every organization of the municipalities of a region (or of the given municipalities)."""

    region_id: int | None = None
    municipality_ids: tuple[int, ...] = ()

    def organizations(self) -> QuerySet:
        qs = super().organizations()
        if self.region_id:
            qs = qs.filter(municipality__region_id=self.region_id)
        if self.municipality_ids:
            qs = qs.filter(municipality_id__in=self.municipality_ids)
        return qs


@dataclass
class MunicipalityRow:
    """One municipality: the indicator groups (as the indicators module returns them), the
    deadlines compliance and the incentives."""

    municipality: Municipality
    groups: dict[str, object]
    organizations: int = 0
    late_organizations: int = 0
    nominations: int = 0
    awarded: int = 0
    payments: int = 0
    has_data: bool = False
    reasons: list[str] = field(default_factory=list)

    def value(self, code: str):
        """An indicator of the registry, read from this row's group values."""
        indicator = registry.get(code)
        return indicator.read(self.groups[indicator.group])

    @property
    def values(self) -> list:
        return [self.value(code) for code in ROW_INDICATORS]

    @property
    def late_percent(self) -> float | None:
        return ind.share(self.late_organizations, self.organizations)

    @property
    def needs_attention(self) -> bool:
        return bool(self.reasons)

    def frozen(self) -> dict:
        """What an issued report keeps of the row."""
        return {
            "municipality_id": self.municipality.pk,
            "name": self.municipality.name,
            "indicators": {code: self.value(code) for code in ROW_INDICATORS},
            "organizations": self.organizations,
            "late_organizations": self.late_organizations,
            "nominations": self.nominations,
            "awarded": self.awarded,
            "payments": self.payments,
            "reasons": self.reasons,
        }


def _by(qs: QuerySet, key: str, **aggregates) -> dict[int, dict]:
    return {row[key]: row for row in qs.values(key).annotate(**aggregates).order_by()}


def _pair_days(scope: ind.Scope, year: str, today: datetime.date) -> dict[int, int]:
    """`ind.meeting_rate`'s pair-days, per municipality."""
    start, end = year_bounds(year)
    until = min(end, today)
    if until < start:
        return {}
    span = ExpressionWrapper(
        Least(Coalesce("ended_on", "planned_end"), Value(until))
        - Greatest("planned_start", Value(start)),
        output_field=DurationField(),
    )
    working = ind.pairs_working(scope, year).filter(planned_start__lte=until)
    result = {}
    for key, row in _by(
        working, "organization__municipality_id", days=Sum(span), pairs=Count("pk")
    ).items():
        days = (row["days"].days if row["days"] else 0) + row["pairs"]
        result[key] = days
    return result


def municipality_rows(scope: RegionScope, year: str, today: datetime.date) -> list[MunicipalityRow]:
    """One row per municipality of the scope, in a fixed number of queries."""
    municipalities = list(
        Municipality.objects.filter(
            **({"region_id": scope.region_id} if scope.region_id else {}),
            **({"pk__in": scope.municipality_ids} if scope.municipality_ids else {}),
        ).order_by("name")
    )
    m = "organization__municipality_id"
    needing = _by(
        ind.needing(scope, year),
        "needs_list__" + m,
        total=Count("pk"),
        covered=Count("pk", filter=Q(has_pair=True)),
    )
    working = ind.pairs_working(scope, year)
    pairs = _by(
        ind.with_mentee_count(working),
        m,
        pairs=Count("pk", filter=Q(mentee_count__lte=1)),
        groups=Count("pk", filter=Q(mentee_count__gte=2)),
    )
    inter = _by(ind.inter_organization(working), m, n=Count("pk"))
    running = _by(ind.programs_of_year(scope, year), "pair__" + m, n=Count("pk"))
    due = _by(
        ind.programs_due(scope, year, today),
        "pair__" + m,
        n=Count("pk"),
        completed=Count("pk", filter=Q(status=ProgramStatus.COMPLETED)),
    )
    completed = _by(ind.programs_completed(scope, year, today), "pair__" + m, n=Count("pk"))
    drafts = _by(ind.programs_drafts(scope, year), "pair__" + m, n=Count("pk"))
    overdue = _by(ind.overdue_activities(scope, year, today), "program__pair__" + m, n=Count("pk"))
    meetings = _by(ind.meetings_held(scope, year, today), "pair__" + m, n=Count("pk"))
    pair_days = _pair_days(scope, year, today)
    diagnostic_rows = ind.deficit_rows(scope, year)
    pair_municipality = dict(
        Pair.objects.filter(pk__in={row.pair_id for row in diagnostic_rows}).values_list("pk", m)
    )
    by_municipality: dict[int, list] = defaultdict(list)
    for row in diagnostic_rows:
        by_municipality[pair_municipality[row.pair_id]].append(row)
    stage1 = _by(
        ind.progress_entries(scope, year), "program__pair__" + m, **ind._stage1_aggregates()
    )
    surveys = _by(
        ind.survey_answers(scope, year), "survey__program__pair__" + m,
        n=Count("survey_id", distinct=True),
    )  # fmt: skip
    organizations = scope.organizations()
    nominations = _by(
        community.nominations_of(organizations, year),
        m,
        n=Count("pk"),
        awarded=Count("pk", filter=Q(stage=NominationStage.AWARDED)),
    )
    payments = _by(community.payments_of(organizations, year), m, n=Count("pk"))
    compliance = ind.compliance(scope, year, today)
    organization_count: dict[int, int] = defaultdict(int)
    late: dict[int, int] = defaultdict(int)
    for compliance_row in compliance:
        key = compliance_row.organization.municipality_id
        organization_count[key] += 1
        late[key] += any(check.is_late for check in compliance_row.checks)

    rows = []
    for municipality in municipalities:
        pk = municipality.pk

        def get(table, name="n", pk=pk):
            return table.get(pk, {}).get(name, 0)

        stage1_row = stage1.get(pk) or {
            **dict.fromkeys(("programs", "entries", "with_risks", "marks", "rates"), 0),
            **dict.fromkeys(("mark_sum", "rate_sum"), 0.0),
            "average_mark": None,
            "success_rate": None,
            **dict.fromkeys(ind.STAGE1_SUMS, 0),
        }
        groups = {
            "coverage": ind.Coverage(
                needing=get(needing, "total"), covered=get(needing, "covered")
            ),
            "pairs": ind.PairCounts(
                pairs=get(pairs, "pairs"),
                groups=get(pairs, "groups"),
                inter_organization=get(inter),
            ),
            "programs": ind.ProgramCounts(
                running=get(running),
                due=get(due),
                due_completed=get(due, "completed"),
                completed=get(completed),
                overdue_activities=get(overdue),
                drafts=get(drafts),
            ),
            "meetings": ind.MeetingRate(meetings=get(meetings), pair_days=pair_days.get(pk, 0)),
            "deficits": ind.deficits_from(by_municipality.get(pk, [])),
            "stage1": ind._stage1_from(stage1_row),
            "stage2": ind.Stage2(
                surveys=get(surveys), rows=[], planning_mentors=0, planning_mentees=0
            ),
        }
        row = MunicipalityRow(
            municipality=municipality,
            groups=groups,
            organizations=organization_count.get(pk, 0),
            late_organizations=late.get(pk, 0),
            nominations=get(nominations),
            awarded=get(nominations, "awarded"),
            payments=get(payments),
        )
        row.has_data = bool(
            row.value("needing") or row.value("pairs") or row.value("groups")
            or groups["programs"].running or groups["programs"].drafts
        )  # fmt: skip
        row.reasons = attention_reasons(row)
        rows.append(row)
    return rows


def attention_reasons(row: MunicipalityRow) -> list[str]:
    """Why a municipality needs the region's attention, by the thresholds stated above."""
    if not row.organizations:
        return []
    if not row.has_data:
        return [gettext("no mentoring recorded in the portal for the year")]
    reasons = []
    coverage = row.value("coverage_percent")
    if coverage is not None and coverage < COVERAGE_BELOW:
        reasons.append(
            gettext("coverage %(percent)s %% is below %(threshold)s %%")
            % {"percent": _number(coverage), "threshold": _number(COVERAGE_BELOW)}
        )
    completed = row.value("programs_completed_percent")
    if completed is not None and completed < COMPLETED_BELOW:
        reasons.append(
            gettext("%(percent)s %% of the programs due were completed (below %(threshold)s %%)")
            % {"percent": _number(completed), "threshold": _number(COMPLETED_BELOW)}
        )
    late_percent = row.late_percent
    if late_percent is not None and late_percent > LATE_SHARE_ABOVE:
        reasons.append(
            gettext(
                "%(late)d of %(total)d organizations missed deadlines of the order "
                "(more than %(threshold)s %%)"
            )
            % {
                "late": row.late_organizations,
                "total": row.organizations,
                "threshold": _number(LATE_SHARE_ABOVE),
            }
        )
    return reasons


def furthest_behind(rows: list[MunicipalityRow], limit: int) -> list[MunicipalityRow]:
    """The municipalities needing attention, the most reasons and the lowest coverage first."""
    flagged = [row for row in rows if row.needs_attention]

    def key(row: MunicipalityRow):
        coverage = row.value("coverage_percent")
        return (-len(row.reasons), coverage if coverage is not None else -1, row.municipality.name)

    return sorted(flagged, key=key)[:limit]


def thresholds_text() -> str:
    return gettext(
        "A municipality needs attention when no mentoring is recorded for the year, when "
        "coverage is below %(coverage)s %%, when less than %(completed)s %% of the programs due "
        "were completed, or when more than %(late)s %% of its organizations missed a deadline "
        "of the order."
    ) % {
        "coverage": _number(COVERAGE_BELOW),
        "completed": _number(COMPLETED_BELOW),
        "late": _number(LATE_SHARE_ABOVE),
    }


def _number(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


@dataclass(frozen=True)
class Column:
    code: str
    name: str
    hint: str
    percent: bool = False


def columns() -> list[Column]:
    """The registry indicators of a row, with their names and definitions."""
    return [
        Column(code, str(registry.get(code).name), str(registry.get(code).counts),
               registry.get(code).percent)
        for code in ROW_INDICATORS
    ]  # fmt: skip


EXTRA_COLUMNS = (
    _("Organizations that missed deadlines"),
    _("Incentives: nominations (awarded)"),
    _("Incentive payments"),
)


def region_of(user) -> Region | None:
    """The region the user reads as its regional coordinator (the first by name), or for a
    superuser the first region."""
    scope = user.scope
    if scope.regions:
        return Region.objects.filter(pk__in=scope.regions).order_by("name").first()
    if scope.is_superuser:
        return Region.objects.order_by("name").first()
    return None


def totals(rows: list[MunicipalityRow]) -> dict:
    """The region's sums of the additive columns."""
    return {
        "municipalities": len(rows),
        "organizations": sum(row.organizations for row in rows),
        "late_organizations": sum(row.late_organizations for row in rows),
        "needing": sum(row.value("needing") for row in rows),
        "covered": sum(row.value("covered") for row in rows),
        "attention": sum(1 for row in rows if row.needs_attention),
    }
