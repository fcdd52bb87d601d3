"""The region at a glance: one row per municipality, in a fixed number of queries.

The rows are read from the same per-organization, per-year facts as the municipal dashboard
(`monitoring.facts`): the facts of each municipality's organizations summed (kept by the facts
job with the municipality, `facts.refresh_municipalities`), each indicator group rebuilt from its sums as the municipal dashboard rebuilds it
(`facts.rebuild`), the indicators that are not sums over organizations (`Indicator.exact`:
covered teachers, people planning, events, paid mentors) counted
for each municipality alone and kept by the facts job (`facts.refresh_municipalities`, read
with the municipalities: the page does not recount the region's records), and the numbers
printed read through the registry (`Indicator.read`) — so a municipality's row equals its
municipal dashboard, and is as fresh as its facts
(tests/monitoring/test_region.py reconciles them with the registry's computation from the
records). Deadlines compliance (`ind.compliance`) is kept with the exact counts; the incentive
payments column is the registry's `paid_mentors` (distinct mentors paid), as on the municipal
dashboard and in the regional report.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.cache import content_key
from core.numerals import number_text
from monitoring import facts, registry
from monitoring import indicators as ind
from orgs.models import Municipality, Region

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
    reasons: list[str] = field(default_factory=list)
    freshness: facts.Freshness | None = None  # of the facts the row is read from

    def value(self, code: str):
        """An indicator of the registry, read from this row's group values."""
        indicator = registry.get(code)
        return indicator.read(self.groups[indicator.group])

    @property
    def has_data(self) -> bool:
        """Anything of mentoring recorded for the year."""
        programs = self.groups["programs"]
        return bool(
            self.value("needing") or self.value("pairs") or self.value("groups")
            or programs.running or programs.drafts
        )  # fmt: skip

    @property
    def nominations(self) -> int:
        return self.value("nominations")

    @property
    def awarded(self) -> int:
        return self.value("nominations_awarded")

    @property
    def payments(self) -> int:
        """Mentors with a payment for mentoring: the registry's `paid_mentors`, counted for the
        municipality alone (a mentor paid by two of its organizations is one mentor)."""
        return self.value("paid_mentors")

    @property
    def values(self) -> list:
        return [self.value(code) for code in ROW_INDICATORS]

    @property
    def shown_values(self) -> list[str | None]:
        """`values` as the dashboard's table writes them (None for «—»)."""
        return [None if value is None else number_text(value) for value in self.values]

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
            "paid_mentors": self.payments,
            "reasons": self.reasons,
        }


# The indicator groups a row holds: those of ROW_INDICATORS, and the incentives (nominations).
ROW_GROUPS = (
    "coverage",
    "pairs",
    "programs",
    "meetings",
    "deficits",
    "stage1",
    "stage2",
    "incentives",
)


def municipality_rows(scope: RegionScope, year: str, today: datetime.date) -> list[MunicipalityRow]:
    """One row per municipality of the scope, in a fixed number of queries: the municipalities
    with what the facts job keeps for each (`facts.refresh_municipalities`: its facts summed
    over its organizations, its counts that are not sums — the exact indicators —, its organizations late with the order's deadlines) in one query, and how
    fresh each one's facts are (one query). What was not kept for a municipality — never
    counted, a year out of the kept ones, counted as of another date than `today`, an
    organization recomputed after its municipality — is counted as before for those municipalities only (a few queries more): the rows always
    equal the facts and the registry. What was kept is rebuilt into a row's groups once per
    keeping (`facts.kept_group_values`), not on every view."""
    municipalities = list(
        Municipality.objects.filter(
            **({"region_id": scope.region_id} if scope.region_id else {}),
            **({"pk__in": scope.municipality_ids} if scope.municipality_ids else {}),
        )
        .annotate(**facts.municipality_count_annotations(year))
        .order_by("name")
    )
    fresh = facts.freshness_by_municipality(scope)
    none = facts.Freshness(0, 0, None, None, 0)
    newest = {each.pk: fresh.get(each.pk, none).newest for each in municipalities}

    compliance = {
        each.pk: facts.stored_compliance(each, newest[each.pk], today) for each in municipalities
    }
    uncounted = tuple(pk for pk, found in compliance.items() if found is None)
    if uncounted:
        organization_count: dict[int, int] = defaultdict(int)
        late: dict[int, int] = defaultdict(int)
        for checked in ind.compliance(RegionScope(municipality_ids=uncounted), year, today):
            key = checked.organization.municipality_id
            organization_count[key] += 1
            late[key] += any(check.is_late for check in checked.checks)
        compliance.update({pk: (organization_count[pk], late[pk]) for pk in uncounted})

    rebuilt = {
        each.pk: facts.kept_group_values(each, newest[each.pk], year, today, ROW_GROUPS)
        for each in municipalities
    }
    recount = [each for each in municipalities if rebuilt[each.pk] is None]
    counts = {each.pk: facts.stored_counts(each, today) for each in recount}
    missing = [pk for pk, found in counts.items() if found is None]
    if missing:
        counted = facts.with_exact_values(
            Municipality.objects.filter(pk__in=missing).order_by(),
            year,
            today,
            ROW_GROUPS,
        )
        for each in counted:
            counts[each.pk] = {
                f"exact_{code}": number for (code, _y), number in facts.exact_of(each, year).items()
            }
    sums = {each.pk: facts.stored_sums(each, newest[each.pk], today) for each in recount}
    unsummed = tuple(pk for pk, found in sums.items() if found is None)
    if unsummed:
        summed = facts.municipality_sums(RegionScope(municipality_ids=unsummed), year, ROW_GROUPS)
        sums.update({pk: summed.get(pk, {}) for pk in unsummed})

    rows = []
    for municipality in municipalities:
        pk = municipality.pk
        groups = rebuilt[pk]
        if groups is None:
            groups = facts.group_values(ROW_GROUPS, sums[pk], counts[pk], year, today)
        freshness = fresh.get(pk, none)
        if pk not in missing and freshness.oldest and municipality.kept_counts_at:
            # the row is as old as the oldest of its facts and its kept counts
            oldest = min(freshness.oldest, municipality.kept_counts_at)
            freshness = dataclasses.replace(freshness, oldest=oldest)
        organizations, late_organizations = compliance[pk]
        row = MunicipalityRow(
            municipality=municipality,
            groups=groups,
            organizations=organizations,
            late_organizations=late_organizations,
            freshness=freshness,
        )
        row.reasons = attention_reasons(row)
        rows.append(row)
    return rows


def rows_version(rows: list[MunicipalityRow], year: str) -> str:
    """A fingerprint of what the region's table and its attention list print: each row's
    municipality, numbers, compliance and reasons, the year, the language and the
    definitions. The rendered table is kept under it: rendered once for the numbers it
    shows, and again as soon as one of them changes (60 rows of 30 numbers are ≈ 60 % of
    the page's work)."""
    content = [
        (row.municipality.pk, row.municipality.name, row.groups, row.organizations,
         row.late_organizations, row.reasons)
        for row in rows
    ]  # fmt: skip
    return content_key(year, registry.definitions_version(), content)


def freshness(rows: list[MunicipalityRow]) -> facts.Freshness:
    """How fresh the facts of all the rows are, as the municipal dashboard says it."""
    found = [row.freshness for row in rows if row.freshness]
    oldest = [item.oldest for item in found if item.oldest]
    newest = [item.newest for item in found if item.newest]
    return facts.Freshness(
        organizations=sum(item.organizations for item in found),
        computed=sum(item.computed for item in found),
        oldest=min(oldest, default=None),
        newest=max(newest, default=None),
        dirty=sum(item.dirty for item in found),
    )


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
    registry.get("paid_mentors").name,
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
