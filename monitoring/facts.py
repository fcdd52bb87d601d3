"""Dashboards from facts: every registry indicator kept per organization and academic year.

`organization_facts` computes, for one organization, each indicator group of the registry
(`registry.GROUPS`) with the registry's own function and stores the group's additive
components (`IndicatorFact`): counts as they are, shares and means as their numerator and
denominator (`meetings.pair_days`, `stage1.mark_sum` / `stage1.marks`, …). A scope's group
value is rebuilt from the components summed over its organizations, so the indicator read
from it is the registry's exactly. Indicators that cannot be summed (distinct people across
organizations) say so in the registry (`Indicator.exact`) and are counted for the whole scope
from the records, all in one query.

Facts follow the records: saving a record that feeds an indicator marks its organization
dirty (`monitoring.signals`), the job `refresh_dirty` recomputes the dirty ones every few
minutes, and `refresh_all` recomputes everything at night (counts «up to today» move with the
date). Each organization's `FactState` says when its facts were computed; the dashboard shows
the oldest as «данные на …» and keys its cached tables and charts on the newest.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import json
import logging
import typing
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import (
    Count,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.expressions import RawSQL
from django.db.models.fields.json import KeyTransform
from django.utils import timezone

from matching import health
from mentoring.models import academic_year_of
from monitoring import indicators as ind
from monitoring import registry
from monitoring.models import (
    PERIOD_ORDER,
    FactState,
    IndicatorFact,
    MunicipalityFacts,
    Period,
    ProgressEntry,
    previous_year,
)
from orgs.models import Municipality, Organization

log = logging.getLogger(__name__)

YEARS_KEPT = 6  # the five years a dashboard offers (indicators.available_years) and one before
TREND_YEARS = 10  # the yearly trend reaches five years back from the oldest year offered

Components = dict[tuple[str, str], float]


def kept_years(today: datetime.date) -> list[str]:
    return ind.available_years(today, back=YEARS_KEPT)


# Components of a group value, and the value rebuilt from summed components ------------------


def _numeric(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def components(group: str, value) -> Components:
    """The additive parts of a group's value. A dataclass of counts needs nothing more (its
    numeric fields are summed); the groups with means and breakdowns list their parts."""
    found: Components = {}
    if isinstance(value, ind.Stage1):
        for name in ("programs", "entries", "with_risks", "mark_sum", "marks", "rate_sum", "rates"):
            found[(f"{group}.{name}", "")] = getattr(value, name)
        for name, number in value.sums.items():
            found[(f"{group}.{name}", "")] = number
        return found
    if isinstance(value, ind.Stage2):
        found[(f"{group}.surveys", "")] = value.surveys
        for row in value.rows:
            for stage, (total, count) in row.sums.items():
                dimension = f"{row.respondent}|{row.measure}|{stage}"
                found[(f"{group}.answer_sum", dimension)] = total
                found[(f"{group}.answers", dimension)] = count
        return found
    if isinstance(value, ind.PairCounts):
        for row in value.by_form:
            dimension = json.dumps([*row.order, row.form, row.kind], ensure_ascii=False)
            found[(f"{group}.by_form.pairs", dimension)] = row.pairs
            found[(f"{group}.by_form.groups", dimension)] = row.groups
    if not dataclasses.is_dataclass(value):
        return found  # not kept as facts: the dashboard computes it from the records
    for item in dataclasses.fields(value):
        number = getattr(value, item.name)
        if _numeric(number):
            found[(f"{group}.{item.name}", "")] = number
    return found


def _int(number: float) -> int:
    return int(round(number))


def _mean(total: float, count: int) -> float:
    """A mean rounded to two decimals as the database's would be: the sums are of values with
    at most two decimals, so in decimal arithmetic they are exact (a float 15.9 / 4 would give
    3.9749… where the database says 3.975)."""
    return round(float(Decimal(str(round(total, 6))) / Decimal(count)), 2)


def rebuild(group: str, sums: dict[tuple[str, str], float], example_type: type):
    """The group's value from its components summed over a scope's organizations."""

    def total(name: str, dimension: str = "") -> float:
        return sums.get((f"{group}.{name}", dimension), 0)

    def by_dimension(name: str) -> dict[str, float]:
        prefix = f"{group}.{name}"
        return {dim: value for (code, dim), value in sums.items() if code == prefix and dim}

    if example_type is ind.Stage1:
        return _stage1_from_totals(total)
    if example_type is ind.Stage2:
        return _stage2_from(total, by_dimension("answer_sum"), by_dimension("answers"))
    values = {}
    for name, kind in _summed_fields(example_type):
        if kind is None:
            raise TypeError(f"{example_type.__name__}.{name} cannot be summed")
        values[name] = kind(sums.get((f"{group}.{name}", ""), 0))
    if example_type is ind.PairCounts:
        values["by_form"] = _form_rows(
            by_dimension("by_form.pairs"), by_dimension("by_form.groups")
        )
    return example_type(**values)


@functools.cache
def _summed_fields(example_type: type) -> tuple[tuple[str, typing.Callable | None], ...]:
    """The fields `rebuild` fills from sums, each with how its sum is read (`_int` for a
    count, `float`), and None for a field that has no default and cannot be summed; the
    fields with a default that are not numbers are left to the default."""
    found = []
    for item in dataclasses.fields(example_type):
        if item.type in ("int", int):
            found.append((item.name, _int))
        elif item.type in ("float", float):
            found.append((item.name, float))
        elif item.default is dataclasses.MISSING and item.default_factory is dataclasses.MISSING:
            found.append((item.name, None))
    return tuple(found)


@functools.lru_cache(maxsize=4096)
def _form_dimension(dimension: str) -> tuple:
    """(form order, kind order, form, kind) of a «by form» fact's dimension (JSON)."""
    return tuple(json.loads(dimension))


def _form_rows(pairs: dict, groups: dict) -> list[ind.FormRow]:
    rows = []
    for dimension in pairs.keys() | groups.keys():  # zeros are not stored
        form_order, kind_order, form, kind = _form_dimension(dimension)
        rows.append(
            ind.FormRow(
                form,
                kind,
                _int(pairs.get(dimension, 0)),
                _int(groups.get(dimension, 0)),
                order=(form_order, kind_order),
            )
        )
    return sorted(rows, key=lambda row: row.order)


def _stage1_from_totals(total) -> ind.Stage1:
    marks, rates = _int(total("marks")), _int(total("rates"))
    return ind.Stage1(
        programs=_int(total("programs")),
        entries=_int(total("entries")),
        with_risks=_int(total("with_risks")),
        average_mark=_mean(total("mark_sum"), marks) if marks else None,
        success_rate=_mean(total("rate_sum"), rates) if rates else None,
        sums={name: _int(total(name)) for name in ind.STAGE1_SUMS},
        mark_sum=total("mark_sum"),
        marks=marks,
        rate_sum=total("rate_sum"),
        rates=rates,
    )


def _stage2_from(total, answer_sums: dict, answer_counts: dict) -> ind.Stage2:
    table: dict[tuple[str, str], dict] = defaultdict(lambda: {"answers": 0, "sums": {}})
    for dimension, count in answer_counts.items():
        respondent, measure, stage = dimension.split("|")
        count = _int(count)
        if not count:
            continue
        entry = table[(respondent, measure)]
        entry[stage] = _mean(answer_sums.get(dimension, 0), count)
        entry["answers"] += count
        entry["sums"][stage] = (answer_sums.get(dimension, 0), count)
    return ind.Stage2(
        surveys=_int(total("surveys")),
        rows=ind.measure_rows(table),
        planning_mentors=0,
        planning_mentees=0,
    )


# Computing one organization's facts -----------------------------------------------------------


def group_type(group: str) -> type | None:
    """The class of a group's value, from its function's return annotation (None when it has
    none, or it is not a dataclass whose parts can be summed)."""
    return _return_type(registry.GROUPS[group])


@functools.cache
def _return_type(function: Callable) -> type | None:
    # Resolving a function's annotations takes ~40 µs: a regional page asks 1,440 times.
    found = typing.get_type_hints(function).get("return")
    return found if dataclasses.is_dataclass(found) else None


def organization_facts(organization_id: int, today: datetime.date) -> dict[str, Components]:
    """Every fact of one organization, by academic year, counted as of `today` with the
    registry's own functions."""
    scope = ind.Scope(organization_id=organization_id)
    by_year: dict[str, Components] = defaultdict(dict)
    for year in kept_years(today):
        found = by_year[year]
        for group, function in registry.GROUPS.items():
            value = function(scope, year, today)
            found.update(components(group, value))
        for row in ind.monthly_trend(scope, year, today):
            month = row["month"].strftime("%Y-%m")
            found[("trend.month_meetings", month)] = row["meetings"]
            found[("trend.month_pairs_started", month)] = row["pairs_started"]
        for row in (
            ProgressEntry.objects.filter(program__in=scope.programs(), academic_year=year)
            .values("period")
            .annotate(**ind._stage1_aggregates())
            .order_by()
        ):
            stage1 = ind._stage1_from(row)
            for (code, _dim), number in components("stage1", stage1).items():
                found[(code.replace("stage1.", "dynamics.", 1), row["period"])] = number
    current = academic_year_of(today)
    for row in ind.yearly_trend(scope, current, today, years=TREND_YEARS):
        for name in ("pairs_started", "meetings", "programs_completed"):
            by_year[row["year"]][(f"trend.{name}", "")] = row[name]
    for row in ind.pair_health_by_organization(scope, today):
        for key, number in row.items():
            if key not in ("organization_id", "name", "total"):
                by_year[current][("health", key)] = number
    return by_year


@transaction.atomic
def refresh_organization(organization_id: int, today: datetime.date | None = None) -> int:
    """Recompute and store one organization's facts; returns how many were stored. The state
    row is locked, so two workers refreshing one organization do it one after the other; a
    record changed while we counted keeps the organization dirty."""
    today = today or timezone.localdate()
    started = timezone.now()
    FactState.objects.get_or_create(
        organization_id=organization_id,
        defaults={"computed_at": started, "as_of": today, "dirty_since": started},
    )
    state = FactState.objects.select_for_update().get(organization_id=organization_id)
    by_year = organization_facts(organization_id, today)
    IndicatorFact.objects.filter(organization_id=organization_id).delete()
    rows = [
        IndicatorFact(
            organization_id=organization_id,
            academic_year=year,
            code=code,
            dimension=dimension,
            value=float(number),
        )
        for year, found in by_year.items()
        for (code, dimension), number in found.items()
        if number
    ]
    IndicatorFact.objects.bulk_create(rows, batch_size=2000)
    state.computed_at = started
    state.as_of = today
    state.definitions = registry.definitions_version()
    if state.dirty_since and state.dirty_since <= started:
        state.dirty_since = None
    state.save()
    return len(rows)


def _other_definitions() -> Q:
    """Facts computed under other definitions ("" — before versions were recorded — is
    trusted until the nightly refresh records one)."""
    return ~Q(fact_state__definitions__in=("", registry.definitions_version()))


def refresh_dirty(limit: int = 500) -> int:
    """Recompute the organizations whose records changed, and those never computed."""
    ids = list(
        Organization.objects.filter(
            Q(fact_state__isnull=True)
            | Q(fact_state__dirty_since__isnull=False)
            | _other_definitions()
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    for organization_id in ids:
        refresh_organization(organization_id)
    # The municipalities' counts follow their organizations' facts, and their own changes.
    municipalities = set(
        Organization.objects.filter(pk__in=ids).values_list("municipality_id", flat=True)
    )
    municipalities.update(
        Municipality.objects.filter(
            Q(fact_counts__isnull=True) | Q(fact_counts__dirty_since__isnull=False)
        ).values_list("pk", flat=True)
    )
    refresh_municipalities(municipalities)
    return len(ids)


def refresh_all(
    organization_ids: Iterable[int] | None = None, today: datetime.date | None = None
) -> int:
    """Recompute every organization (at night: counts «up to today» move with the date)."""
    ids = (
        list(organization_ids)
        if organization_ids is not None
        else list(Organization.objects.order_by("pk").values_list("pk", flat=True))
    )
    today = today or timezone.localdate()
    for organization_id in ids:
        refresh_organization(organization_id, today)
    municipalities = (
        Municipality.objects.all()  # those without organizations too: their rows are zeros
        if organization_ids is None
        else Municipality.objects.filter(organizations__pk__in=ids)
    )
    refresh_municipalities(municipalities.values_list("pk", flat=True), today)
    return len(ids)


def mark_dirty(organization_ids: Iterable[int]) -> None:
    ids = {pk for pk in organization_ids if pk}
    if ids:
        FactState.objects.filter(organization_id__in=ids, dirty_since__isnull=True).update(
            dirty_since=timezone.now()
        )


# Reading facts for a scope ----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Freshness:
    """How current a scope's facts are: the oldest computation (what the page can vouch for),
    the newest (the data version), organizations changed since and never computed."""

    organizations: int
    computed: int
    oldest: datetime.datetime | None
    newest: datetime.datetime | None
    dirty: int

    @property
    def missing(self) -> int:
        return self.organizations - self.computed

    @property
    def version(self) -> str:
        newest = self.newest.timestamp() if self.newest else 0
        return f"{newest:.6f}-{self.organizations}-{self.computed}-{self.dirty}"


def _freshness_aggregates() -> dict:
    """The fields of `Freshness`, aggregated over organizations and their fact states."""
    return {
        "organizations": Count("pk"),
        "computed": Count("fact_state"),
        "oldest": Min("fact_state__computed_at"),
        "newest": Max("fact_state__computed_at"),
        "dirty": Count(
            "fact_state",
            filter=Q(fact_state__dirty_since__isnull=False) | _other_definitions(),
        ),
    }


def freshness(scope: ind.Scope) -> Freshness:
    return Freshness(**scope.organizations().aggregate(**_freshness_aggregates()))


def scope_sums(scope: ind.Scope, years: list[str]) -> dict[str, dict[tuple[str, str], float]]:
    """The facts of the scope's organizations summed, by year (one query)."""
    found: dict[str, dict] = defaultdict(dict)
    rows = (
        IndicatorFact.objects.filter(
            organization__in=scope.organization_ids(), academic_year__in=years
        )
        .filter(Q(academic_year__in=years[:2]) | Q(code__startswith="trend."))
        .values("academic_year", "code", "dimension")
        .annotate(total=Sum("value"))
        .order_by()
    )
    for row in rows:
        found[row["academic_year"]][(row["code"], row["dimension"])] = row["total"]
    return found


def exact_values(scope: ind.Scope, years: list[str], today: datetime.date) -> dict:
    """The indicators that cannot be summed over organizations, counted from the records for
    the whole scope: every one of them and every year in one query."""
    wanted = [
        (indicator.code, year, indicator.exact(scope, year, today))
        for indicator in registry.INDICATORS
        if indicator.exact is not None
        for year in years
    ]
    parts, params = [], []
    for _code, _year, rows in wanted:
        sql, sql_params = rows.query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS exact_{len(parts)})")
        params.extend(sql_params)
    # The free comments of the year ride along: they are not facts (anonymous texts).
    sql, sql_params = ind.survey_comment_texts(scope, years[0]).query.sql_with_params()
    parts.append(f"(SELECT ARRAY(SELECT comments.text FROM ({sql}) AS comments))")
    params.extend(sql_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        *numbers, comments = cursor.fetchone()
    found = {
        (code, year): number for (code, year, _rows), number in zip(wanted, numbers, strict=True)
    }
    found[("comments", years[0])] = ind.anonymous_comments(comments)
    return found


def _group_codes(groups: Iterable[str]) -> Q:
    """The codes of the groups' facts (`<group>.<part>`, or the group itself)."""
    codes = Q()
    for group in groups:
        codes |= Q(code__startswith=f"{group}.") | Q(code=group)
    return codes


def municipality_sums(
    scope: ind.Scope, year: str, groups: Iterable[str]
) -> dict[int, dict[tuple[str, str], float]]:
    """The facts of the groups for one year summed per municipality of the scope's
    organizations (one query): `scope_sums` with the municipality as the key."""
    found: dict[int, dict] = defaultdict(dict)
    rows = (
        IndicatorFact.objects.filter(
            _group_codes(groups), organization__in=scope.organization_ids(), academic_year=year
        )
        .values("organization__municipality_id", "code", "dimension")
        .annotate(total=Sum("value"))
        .order_by()
    )
    for row in rows:
        key = row["organization__municipality_id"]
        found[key][(row["code"], row["dimension"])] = row["total"]
    return found


def organization_sums(
    scope: ind.Scope, year: str, groups: Iterable[str]
) -> dict[int, dict[tuple[str, str], float]]:
    """The facts of the groups for one year per organization of the scope (one query):
    `municipality_sums` with the organization as the key. An organization's group value is
    rebuilt from its own facts with `group_value(group, sums, year, today, {})` — its exact
    indicators are its own counts, nothing to replace."""
    found: dict[int, dict] = defaultdict(dict)
    rows = (
        IndicatorFact.objects.filter(
            _group_codes(groups), organization__in=scope.organization_ids(), academic_year=year
        )
        .values_list("organization_id", "code", "dimension", "value")
        .order_by()
    )
    for organization_id, code, dimension, value in rows:
        found[organization_id][(code, dimension)] = value
    return found


_MUNICIPALITY = Municipality._meta.db_table


@dataclasses.dataclass(frozen=True)
class EachMunicipality(ind.Scope):
    """The organizations of the municipality of the outer row in `with_exact_values` (a
    correlated reference: one query counts for every municipality)."""

    def organizations(self):
        outer = RawSQL(f'"{_MUNICIPALITY}"."id"', (), output_field=IntegerField())
        return Organization.objects.filter(municipality_id=outer).order_by()


def with_exact_values(
    municipalities: QuerySet,
    year: str,
    today: datetime.date,
    groups: Iterable[str],
) -> QuerySet:
    """`exact_values` per municipality: the municipalities annotated with the groups'
    indicators that cannot be summed over organizations (`exact_<code>`), each counted from
    the records for the municipality alone (its organizations, as `Scope(municipality_id=…)`
    counts them); all of them are read with the municipalities, in one query."""
    groups = set(groups)
    wanted = {
        f"exact_{indicator.code}": indicator.exact(EachMunicipality(), year, today)
        for indicator in registry.INDICATORS
        if indicator.exact is not None and indicator.group in groups
    }
    annotations = {}
    for name, rows in wanted.items():
        sql, params = rows.query.sql_with_params()
        if f'FROM "{_MUNICIPALITY}"' in sql or f'JOIN "{_MUNICIPALITY}"' in sql:
            # the outer municipality would be shadowed by the inner one
            raise ValueError(f"{name} cannot be counted per municipality")
        annotations[name] = RawSQL(
            f"SELECT COUNT(*) FROM ({sql}) AS {name}", params, output_field=IntegerField()
        )
    return municipalities.annotate(**annotations)


def exact_of(municipality: Municipality, year: str) -> dict:
    """The exact counts of a municipality annotated by `with_exact_values`, keyed as
    `exact_values` keys them."""
    return {
        (indicator.code, year): getattr(municipality, f"exact_{indicator.code}")
        for indicator in registry.INDICATORS
        if hasattr(municipality, f"exact_{indicator.code}")
    }


# A municipality's counts that are not sums, kept (MunicipalityFacts) ------------------------

# The groups with indicators that cannot be summed over organizations.
EXACT_GROUPS = tuple(
    dict.fromkeys(indicator.group for indicator in registry.INDICATORS if indicator.exact)
)


def _kept_names() -> list[str]:
    return [f"exact_{indicator.code}" for indicator in registry.INDICATORS if indicator.exact]


def _summed_groups() -> list[str]:
    """The groups a municipality's kept sums hold: those rebuilt from summed facts."""
    return [group for group in registry.GROUPS if group_type(group) not in (None, ind.PairHealth)]


@dataclasses.dataclass(frozen=True)
class _Municipalities(ind.Scope):
    municipality_ids: tuple[int, ...] = ()

    def organizations(self) -> QuerySet:
        return super().organizations().filter(municipality_id__in=self.municipality_ids)


def refresh_municipalities(
    municipality_ids: Iterable[int], today: datetime.date | None = None
) -> int:
    """Keep, for every kept year, each municipality's facts summed over its organizations
    (`municipality_sums` as of now), its counts that are not sums (the exact indicators and
    the payments, counted from the records) and its organizations late with a deadline of the
    order (`indicators.compliance`): a few queries a year for all of them. Run after the
    organizations' facts (`refresh_dirty`, `refresh_all`)."""
    ids = sorted({pk for pk in municipality_ids if pk})
    if not ids:
        return 0
    today = today or timezone.localdate()
    started = timezone.now()
    names = _kept_names()
    codes = _group_codes(_summed_groups())
    found: dict[int, dict] = defaultdict(dict)
    for year in kept_years(today):
        rows = with_exact_values(
            Municipality.objects.filter(pk__in=ids).order_by(),
            year,
            today,
            EXACT_GROUPS,
        ).values("pk", *names)
        for row in rows:
            found[row["pk"]][year] = {name: row[name] for name in names} | {
                "sums": [],
                "organizations": 0,
                "late_organizations": 0,
            }
        # The deadlines compliance of the order, as `indicators.compliance` checks it.
        for checked in ind.compliance(_Municipalities(municipality_ids=tuple(ids)), year, today):
            kept = found[checked.organization.municipality_id][year]
            kept["organizations"] += 1
            kept["late_organizations"] += any(check.is_late for check in checked.checks)
        summed = (
            IndicatorFact.objects.filter(
                codes, organization__municipality_id__in=ids, academic_year=year
            )
            .values("organization__municipality_id", "code", "dimension")
            .annotate(total=Sum("value"))
            .order_by()
        )
        for row in summed:
            kept = found[row["organization__municipality_id"]][year]
            kept["sums"].append([row["code"], row["dimension"], row["total"]])
    for pk in ids:
        with transaction.atomic():
            state, _created = MunicipalityFacts.objects.select_for_update().get_or_create(
                municipality_id=pk, defaults={"computed_at": started, "as_of": today}
            )
            state.values = found.get(pk, {})
            state.computed_at = started
            state.as_of = today
            if state.dirty_since and state.dirty_since <= started:
                state.dirty_since = None  # a change while we counted keeps it dirty
            state.save()
    return len(ids)


def mark_municipalities_dirty(condition: Q) -> None:
    """The kept counts of the municipalities matching `condition` (over `Municipality`) are
    out of date: the refresh job recounts them."""
    MunicipalityFacts.objects.filter(
        municipality__in=Municipality.objects.filter(condition).values("pk"),
        dirty_since__isnull=True,
    ).update(dirty_since=timezone.now())


def municipality_count_annotations(year: str) -> dict:
    """A municipality's kept values of the year and when they were kept, read with the
    municipalities (`stored_counts`, `stored_sums`)."""
    return {
        "kept_counts": KeyTransform(year, "fact_counts__values"),
        "kept_counts_at": F("fact_counts__computed_at"),
        "kept_as_of": F("fact_counts__as_of"),
    }


def _kept_as_of(municipality: Municipality, today: datetime.date) -> dict | None:
    """What was kept for the municipality, when it was counted as of `today` (counts «up to
    today» and deadlines passed move with the date: another date is counted again)."""
    if getattr(municipality, "kept_as_of", None) != today:
        return None
    return getattr(municipality, "kept_counts", None)


def stored_counts(municipality: Municipality, today: datetime.date) -> dict | None:
    """The kept counts of a municipality annotated by `municipality_count_annotations`, keyed
    as `with_exact_values` names them, or None when none were kept for the year and date."""
    kept = _kept_as_of(municipality, today)
    if not kept or any(name not in kept for name in _kept_names()):
        return None  # never counted, or counted before an indicator was added
    return kept


def _kept_since(
    municipality: Municipality, newest: datetime.datetime | None, today: datetime.date
) -> dict | None:
    """What was kept for the municipality as of `today`, unless one of its organizations'
    facts was computed after it (its municipality not yet: then it is counted again)."""
    kept = _kept_as_of(municipality, today)
    kept_at = getattr(municipality, "kept_counts_at", None)
    if not kept or not kept_at or (newest and newest > kept_at):
        return None
    return kept


def stored_sums(
    municipality: Municipality, newest: datetime.datetime | None, today: datetime.date
) -> dict[tuple[str, str], float] | None:
    """The kept sums of a municipality's facts (annotated by `municipality_count_annotations`),
    or None unless they were kept after the `newest` facts of its organizations — then they
    equal `municipality_sums` over those facts."""
    kept = _kept_since(municipality, newest, today)
    if kept is None or "sums" not in kept:
        return None
    return {(code, dimension): total for code, dimension, total in kept["sums"]}


def group_values(groups: tuple[str, ...], sums: dict, counts: dict, year: str, today) -> dict:
    """`group_value` of each of `groups` from summed facts and counts as `stored_counts`
    returns them."""
    exact = exact_of_counts(counts, year)
    return {group: group_value(group, sums, year, today, exact) for group in groups}


# Groups rebuilt from a municipality's kept values, by the keeping they were rebuilt from.
# What was kept changes only when the facts job keeps it again (a new `kept_counts_at`), so a
# regional table rebuilds a municipality once per keeping and day instead of on every view
# (its 480 groups were half the table's work). Bounded: emptied when full.
_REBUILT: dict[tuple, dict] = {}
_REBUILT_MAX = 4096


def kept_group_values(
    municipality: Municipality,
    newest: datetime.datetime | None,
    year: str,
    today: datetime.date,
    groups: tuple[str, ...],
) -> dict | None:
    """`group_value` of each of `groups` from what was kept for the municipality (its sums
    and exact counts, as `stored_sums` and `stored_counts` read them), or None when either
    was not kept for the year and `today` — then they are counted as before."""
    kept = _kept_since(municipality, newest, today)
    counts = stored_counts(municipality, today)
    if kept is None or "sums" not in kept or counts is None:
        return None
    key = (municipality.pk, municipality.kept_counts_at, year, today, groups)
    rebuilt = _REBUILT.get(key)
    if rebuilt is None:
        sums = stored_sums(municipality, newest, today)
        rebuilt = group_values(groups, sums, counts, year, today)
        if len(_REBUILT) >= _REBUILT_MAX:
            _REBUILT.clear()
        _REBUILT[key] = rebuilt
    return rebuilt


def stored_compliance(
    municipality: Municipality, newest: datetime.datetime | None, today: datetime.date
) -> tuple[int, int] | None:
    """(organizations, late with a deadline of the order) kept for the municipality, or None
    as `stored_sums`."""
    kept = _kept_since(municipality, newest, today)
    if kept is None or "late_organizations" not in kept:
        return None
    return kept["organizations"], kept["late_organizations"]


def freshness_by_municipality(scope: ind.Scope) -> dict[int, Freshness]:
    """`freshness` for each municipality of the scope's organizations (one query)."""
    rows = (
        scope.organizations()
        .values("municipality_id")
        .annotate(**_freshness_aggregates())
        .order_by()
    )
    return {row.pop("municipality_id"): Freshness(**row) for row in rows}


def exact_of_counts(counts: dict, year: str) -> dict:
    """`exact_of` for counts as `stored_counts` returns them."""
    return {
        (indicator.code, year): counts[f"exact_{indicator.code}"]
        for indicator in registry.INDICATORS
        if f"exact_{indicator.code}" in counts
    }


def group_value(group: str, sums: dict, year: str, today: datetime.date, exact: dict):
    """A group's value rebuilt from summed facts and its exact counts, for the groups kept
    as facts (no fall-back to the records: a group that is not raises)."""
    kind = group_type(group)
    if kind is None or kind is ind.PairHealth:
        raise ValueError(f"{group} is not rebuilt from facts")
    return _group_value(group, sums, None, year, today, exact)


def _group_value(group: str, sums: dict, scope, year, today, exact: dict):
    kind = group_type(group)
    if kind is ind.PairHealth:  # a state of the day of the count, kept for the current year
        if not ind.health_counted(year, today):
            return ind.PairHealth(None, None, None, None)
        return ind.PairHealth(
            **{status: _int(sums.get(("health", status), 0)) for status in health.Health.order}
        )
    try:
        value = rebuild(group, sums, kind) if kind else None
    except TypeError:  # a part that cannot be summed and has no exact count
        value = None
    if value is None:  # not kept as facts: counted from the records, as the registry does
        return registry.GROUPS[group](scope, year, today)
    replaced = {
        indicator.attribute: exact[(indicator.code, year)]
        for indicator in registry.BY_GROUP.get(group, ())
        if (indicator.code, year) in exact
    }
    return dataclasses.replace(value, **replaced) if replaced else value


@dataclasses.dataclass(frozen=True)
class FactData:
    """What a dashboard shows, rebuilt from facts: the summary of the year and the one
    before, the tables' breakdowns, and how fresh it is."""

    summary: ind.Summary
    dynamics: list
    monthly: list[dict]
    yearly: list[dict]
    comments: list[str]


def scope_data(scope: ind.Scope, year: str, today: datetime.date) -> FactData:
    """The dashboard's numbers for a scope from its facts (two queries)."""
    first = int(year[:4])
    trend_years = [f"{start}/{start + 1}" for start in range(first - 4, first + 1)]
    before = previous_year(year)
    years = [year, before] + [y for y in trend_years if y not in (year, before)]
    sums = scope_sums(scope, years)
    exact = exact_values(scope, [year, before], today)

    def compared(group: str) -> ind.Compared:
        return ind.Compared(
            year,
            _group_value(group, sums.get(year, {}), scope, year, today, exact),
            before,
            _group_value(group, sums.get(before, {}), scope, before, today, exact),
        )

    groups = {
        item.name: compared(item.name)
        for item in dataclasses.fields(ind.Summary)
        if item.name in registry.GROUPS
    }
    summary = ind.Summary(scope=scope, year=year, previous_year=before, **groups)
    current = sums.get(year, {})
    periods = defaultdict(dict)
    for (code, dimension), number in current.items():
        if code.startswith("dynamics."):
            periods[dimension][(code.replace("dynamics.", "stage1.", 1), "")] = number
    labels = dict(Period.choices)
    dynamics = [
        (year, str(labels[period]), rebuild("stage1", periods[period], ind.Stage1))
        for period in sorted(periods, key=lambda period: PERIOD_ORDER[period])
        if periods[period].get(("stage1.entries", ""))
    ]
    monthly = [
        {
            "month": row["month"],
            "meetings": _int(
                current.get(("trend.month_meetings", row["month"].strftime("%Y-%m")), 0)
            ),
            "pairs_started": _int(
                current.get(("trend.month_pairs_started", row["month"].strftime("%Y-%m")), 0)
            ),
        }
        for row in ind.months_of(year)
    ]
    yearly = [
        {
            "year": y,
            **{
                name: _int(sums.get(y, {}).get((f"trend.{name}", ""), 0))
                for name in ("pairs_started", "meetings", "programs_completed")
            },
        }
        for y in trend_years
    ]
    return FactData(summary, dynamics, monthly, yearly, exact[("comments", year)])


# The organizations' own rows: the state of their facts and the health of their pairs -------


def organization_annotations(today: datetime.date) -> dict:
    """For `indicators.compliance_and_orders`: each organization's facts state and its working
    pairs by health, read with the organizations in the same query."""
    current = academic_year_of(today)

    def health_count(key: str):
        return Subquery(
            IndicatorFact.objects.filter(
                organization_id=OuterRef("pk"), academic_year=current, code="health", dimension=key
            ).values("value")[:1]
        )

    return {
        **state_annotations(),
        **{f"health_{key}": health_count(key) for key in health.Health.order},
    }


def state_annotations() -> dict:
    """Each organization's facts state, for `freshness_of` (read with the organizations)."""
    return {
        "facts_computed_at": F("fact_state__computed_at"),
        "facts_dirty_since": F("fact_state__dirty_since"),
        "facts_definitions": F("fact_state__definitions"),
    }


def freshness_of(organizations: list) -> Freshness:
    computed = [org.facts_computed_at for org in organizations if org.facts_computed_at]
    return Freshness(
        organizations=len(organizations),
        computed=len(computed),
        oldest=min(computed, default=None),
        newest=max(computed, default=None),
        dirty=sum(
            1
            for org in organizations
            if org.facts_computed_at
            and (
                org.facts_dirty_since
                or org.facts_definitions not in ("", registry.definitions_version())
            )
        ),
    )


def health_rows(organizations: list) -> list[dict]:
    """The rows of `matching.health.counts_by_organization`, from the facts."""
    rows = []
    for org in organizations:
        row = {key: _int(getattr(org, f"health_{key}") or 0) for key in health.Health.order}
        row["total"] = sum(row.values())
        if row["total"]:
            rows.append({"organization_id": org.pk, "name": org.short_name, **row})
    return sorted(
        rows, key=lambda e: (-e[health.Health.AT_RISK], -e[health.Health.CHECK], e["name"])
    )
