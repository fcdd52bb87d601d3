"""Dashboards from facts: the numbers rebuilt from per-organization facts are the registry's
numbers counted from the records, for every indicator, on generated data; the facts follow a
changed record after the refresh; stale facts say so; the dashboard's queries do not grow.

The generator (seeded, so a failure repeats) makes organizations with pairs that work, ended
early or completed, groups, inter-organization mentees, programs completed early, late or
never, overdue activities, meetings across two years, diagnostics, stage 1 entries with and
without marks, surveys where one mentor answers in two organizations (distinct people), and
it leaves a year with no data at all.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from matching import health
from mentoring.models import Meeting, NeedEntry, NeedsList, NeedStatus, PairStatus
from monitoring import facts, registry
from monitoring import indicators as ind
from monitoring.models import (
    ActType,
    FactState,
    IndicatorFact,
    LocalAct,
    Measure,
    Order,
    OrderPoint,
    ProgressEntry,
)
from monitoring.reference import load_orders
from orgs.models import Organization, OrganizationKind, Role, RoleAssignment
from programs.models import Activity, Stage
from tests.factories import (
    EmploymentFactory,
    MunicipalityFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)
from tests.monitoring.conftest import (
    PREVIOUS,
    TODAY,
    YEAR,
    at,
    diagnose,
    make_pair,
    make_program,
    survey,
)

EMPTY_YEAR = "2023/2024"  # nothing happened then


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)
    cache.clear()


def _day(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


def _ru(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


def generate(district, seed: int, extra_organizations: int = 2) -> list[Organization]:
    """Random records over the district's organizations and a few more (see the module)."""
    rng = random.Random(seed)
    organizations = [
        district.school_a,
        district.school_b,
        district.kindergarten,
        district.kindergarten_b,
    ] + [
        OrganizationFactory(municipality=district.municipality, short_name=f"Школа {seed}-{n}")
        for n in range(extra_organizations)
    ]
    staff = {
        org.pk: [EmploymentFactory(organization=org).person for _n in range(6)]
        for org in organizations
    }
    shared_mentor = staff[organizations[0].pk][0]  # mentors in two organizations
    first_day = datetime.date(2025, 9, 1)
    for org in organizations:
        people = staff[org.pk]
        for year in (PREVIOUS, YEAR):
            needs = NeedsList.objects.create(
                organization=org,
                academic_year=year,
                updated_on=datetime.date(int(year[:4]), 9, rng.randint(1, 28)),
            )
            for person in rng.sample(people, 3):
                NeedEntry.objects.create(
                    needs_list=needs,
                    person=person,
                    reason="newcomer",
                    status=rng.choice(
                        [NeedStatus.CONFIRMED, NeedStatus.CONFIRMED, NeedStatus.DISMISSED]
                    ),
                )
        if rng.random() < 0.2:
            continue  # an organization with needs but no pairs
        for _n in range(rng.randint(1, 3)):
            start = _day(rng, first_day, datetime.date(2026, 12, 1))
            end = start + datetime.timedelta(days=rng.choice([60, 200, 270]))
            status = rng.choice(
                [PairStatus.ACTIVE, PairStatus.COMPLETED, PairStatus.ENDED_EARLY, PairStatus.DRAFT]
            )
            mentor = shared_mentor if rng.random() < 0.3 else rng.choice(people)
            mentees = rng.sample([p for p in people if p != mentor], rng.choice([1, 1, 2]))
            if rng.random() < 0.3:  # a mentee from another organization
                other = rng.choice([o for o in organizations if o != org])
                mentees.append(rng.choice(staff[other.pk][1:]))
            pair = make_pair(org, mentor, mentees, _ru(start), _ru(end))
            pair.suggestion_rank = rng.choice([None, 1, 2])
            pair.status = status
            if status == PairStatus.ENDED_EARLY:
                pair.ended_on = start + datetime.timedelta(days=rng.randint(10, 50))
                pair.end_reason = "Переезд"
            pair.save()
            for mentee in mentees:
                outcome = rng.choice(["early", "late", "never", "draft"])
                program = make_program(
                    pair,
                    mentee,
                    _ru(start),
                    _ru(end),
                    "completed" if outcome in ("early", "late") else "in_progress",
                )
                if outcome == "early":
                    program.completed_on = end - datetime.timedelta(days=rng.randint(1, 40))
                elif outcome == "late":
                    program.completed_on = min(
                        end + datetime.timedelta(days=rng.randint(1, 40)), TODAY
                    )
                elif outcome == "draft":
                    program.status = "draft"
                program.save()
                for _a in range(rng.randint(0, 3)):
                    Activity.objects.create(
                        program=program,
                        title="Дело",
                        planned_on=_day(rng, start, end),
                        status=rng.choice(["planned", "done"]),
                    )
                if rng.random() < 0.6:
                    diagnose(pair, mentee, Stage.START, _ru(start), _scores(rng))
                    diagnose(pair, mentee, Stage.END, _ru(min(end, TODAY)), _scores(rng))
                for period in rng.sample(["q1", "q2", "h1"], rng.randint(0, 2)):
                    ProgressEntry.objects.create(
                        program=program,
                        academic_year=ind.academic_year_of(start),
                        period=period,
                        vpr_passed=rng.randint(0, 8),
                        vpr_total=rng.randint(8, 12),
                        average_mark=rng.choice([None, Decimal("3.7"), Decimal("4.25")]),
                        success_rate=rng.choice([None, 67, 80, 91]),
                        olympiad_participants=rng.randint(0, 4),
                        risks=rng.choice(["", "Нагрузка"]),
                        entered_as="mentor",
                    )
                if rng.random() < 0.6:
                    filled = _ru(min(end, TODAY))
                    survey(program, "mentee", "start", _ru(start),
                           {Measure.MOTIVATION: [rng.randint(1, 5), rng.randint(1, 5)]})  # fmt: skip
                    survey(program, "mentee", "end", filled,
                           {Measure.MOTIVATION: [rng.randint(1, 5), rng.randint(1, 5)],
                            Measure.PLANS_MENTOR: [rng.choice([0, 1])]})  # fmt: skip
                    survey(program, "mentor", "end", filled,
                           {Measure.PLANS_MENTEE: [1], Measure.PLANS_MENTOR: [1]})  # fmt: skip
            for _m in range(rng.randint(0, 6) if start <= TODAY else 0):
                held = _day(rng, start, min(end, TODAY))
                Meeting.objects.create(pair=pair, held_at=at(_ru(held)), topic="Встреча")
    return organizations


def _scores(rng: random.Random) -> dict[str, int]:
    return {area: rng.randint(1, 4) for area in ("metod", "ikt", "predmet")}


def _scopes(district, organizations) -> list[ind.Scope]:
    municipality = district.municipality.pk
    return [
        ind.Scope(municipality_id=municipality),
        ind.Scope(municipality_id=municipality, kind=OrganizationKind.PRESCHOOL),
        ind.Scope(municipality_id=municipality, kind=OrganizationKind.GENERAL),
        *[ind.Scope(municipality_id=municipality, organization_id=org.pk) for org in organizations],
    ]


def assert_facts_equal_records(scope: ind.Scope, year: str) -> None:
    data = facts.scope_data(scope, year, TODAY)
    raw = ind.summary(scope, year, TODAY)
    for indicator in registry.INDICATORS:
        for previous in (False, True):
            assert indicator.of(data.summary, previous) == indicator.of(raw, previous), (
                scope,
                year,
                indicator.code,
                previous,
            )
    assert [(r.form, r.kind, r.pairs, r.groups) for r in data.summary.pairs.current.by_form] == [
        (r.form, r.kind, r.pairs, r.groups) for r in raw.pairs.current.by_form
    ]
    assert [
        (r.respondent, r.measure, r.start, r.end, r.answers)
        for r in data.summary.stage2.current.rows
    ] == [(r.respondent, r.measure, r.start, r.end, r.answers) for r in raw.stage2.current.rows]
    assert data.monthly == ind.monthly_trend(scope, year, TODAY)
    assert data.yearly == ind.yearly_trend(scope, year, TODAY)
    assert [(y, p, s.entries, s.average_mark, s.vpr_percent) for y, p, s in data.dynamics] == [
        (y, p, s.entries, s.average_mark, s.vpr_percent)
        for y, p, s in ind.stage1_dynamics(scope, year)
    ]
    assert data.comments == ind.survey_comments(scope, year)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_facts_give_the_registry_numbers_for_every_indicator_and_scope(district, seed):
    organizations = generate(district, seed)
    facts.refresh_all()
    assert IndicatorFact.objects.exists()
    for scope in _scopes(district, organizations):
        for year in (YEAR, PREVIOUS, EMPTY_YEAR):
            assert_facts_equal_records(scope, year)


def test_a_year_with_no_data_shows_zeros_and_dashes(district):
    generate(district, 4)
    facts.refresh_all()
    data = facts.scope_data(ind.Scope(municipality_id=district.municipality.pk), EMPTY_YEAR, TODAY)
    assert registry.get("pairs").of(data.summary) == 0
    assert registry.get("coverage_percent").of(data.summary) is None
    assert registry.get("meeting_rate").of(data.summary) is None


def test_facts_follow_a_changed_record_after_the_refresh(
    district, django_capture_on_commit_callbacks
):
    organizations = generate(district, 5)
    facts.refresh_all()
    scope = ind.Scope(municipality_id=district.municipality.pk, organization_id=organizations[0].pk)
    before = registry.get("meetings").of(facts.scope_data(scope, YEAR, TODAY).summary)
    with django_capture_on_commit_callbacks(execute=True):
        pair = make_pair(
            organizations[0], PersonFactory(), [PersonFactory()], "01.09.2026", "31.05.2027"
        )
        Meeting.objects.create(pair=pair, held_at=at("02.11.2026"), topic="Новая встреча")
    state = FactState.objects.get(organization=organizations[0])
    assert state.dirty_since is not None  # the change marked the organization
    assert not FactState.objects.filter(
        organization=organizations[1], dirty_since__isnull=False
    ).exists()  # and no other
    assert registry.get("meetings").of(facts.scope_data(scope, YEAR, TODAY).summary) == before

    assert facts.refresh_dirty() == 1
    after = facts.scope_data(scope, YEAR, TODAY).summary
    assert registry.get("meetings").of(after) == before + 1
    assert FactState.objects.get(organization=organizations[0]).dirty_since is None
    assert_facts_equal_records(scope, YEAR)


def _dashboard(client, url) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_stale_facts_say_how_old_they_are(district, client_for, django_capture_on_commit_callbacks):
    generate(district, 6)
    facts.refresh_all()
    computed = timezone.make_aware(datetime.datetime(2026, 11, 9, 2, 0))
    FactState.objects.update(computed_at=computed)
    client = client_for(district.coordinator)
    url = reverse("monitoring:dashboard") + f"?year={YEAR}"
    html, _count = _dashboard(client, url)
    assert "Данные на 09.11.2026 02:00" in html
    assert "изменились после этого" not in html

    with django_capture_on_commit_callbacks(execute=True):
        NeedsList.objects.filter(organization=district.school_b).first().save()
    html, _count = _dashboard(client, url)
    assert "Данные на 09.11.2026 02:00" in html
    assert "Записи 1 организации изменились после этого" in html

    new_school = OrganizationFactory(municipality=district.municipality, short_name="Новая")
    html, _count = _dashboard(client, url)
    assert "Показатели 1 организации ещё не посчитаны" in html
    assert new_school.short_name in html  # the deadlines table lists it all the same


def _municipality_with(count: int):
    """A municipality of `count` organizations, each with a working pair, a program and a
    meeting, and its coordinator."""
    municipality = MunicipalityFactory(name=f"Район на {count}")
    organizations = []
    for n in range(count):
        org = OrganizationFactory(municipality=municipality, short_name=f"Школа № {n + 1}")
        mentor, mentee = PersonFactory(), PersonFactory()
        for person in (mentor, mentee):
            EmploymentFactory(person=person, organization=org)
        pair = make_pair(org, mentor, [mentee], "01.09.2026", "31.05.2027")
        make_program(pair, mentee, "01.09.2026", "31.05.2027", "in_progress")
        Meeting.objects.create(pair=pair, held_at=at("01.10.2026"), topic="Встреча")
        organizations.append(org)
    load_orders(Order, OrderPoint, municipality)  # the district's orders, with their points
    named = Order.objects.filter(municipality=municipality).first()
    named.organizations.add(organizations[0])
    LocalAct.objects.create(organization=organizations[0], type=ActType.REGULATION,
                            number="1", adopted_on=datetime.date(2026, 7, 20))  # fmt: skip
    coordinator = UserFactory(username=f"coordinator{count}")
    RoleAssignment.objects.create(
        user=coordinator, role=Role.COORDINATOR, municipality=municipality
    )
    facts.refresh_all()
    return coordinator, organizations


@pytest.mark.parametrize("count", [2, 10])
def test_every_dashboard_makes_at_most_12_queries(
    db, client_for, django_assert_max_num_queries, count
):
    """The municipality, a kind of organization and one organization; two organizations or
    ten; the tables computed from the facts (cold) or taken from the cache (warm); orders
    with their deadlines tables."""
    coordinator, organizations = _municipality_with(count)
    client = client_for(coordinator)
    for url in (
        reverse("monitoring:dashboard") + f"?year={YEAR}",
        reverse("monitoring:dashboard") + f"?year={YEAR}&kind=general",
        reverse("monitoring:organization_dashboard", args=[organizations[-1].pk]) + f"?year={YEAR}",
    ):
        client.get(url)  # the filters are remembered in the session once
        cache.clear()
        with django_assert_max_num_queries(12):  # cold: tables computed from the facts
            response = client.get(url)
        html = response.content.decode()
        assert organizations[-1].short_name in html
        assert "Сроки приказа №" in html  # the orders' tables are there
        with django_assert_max_num_queries(12):  # warm: the facts' tables from the cache
            client.get(url)


def test_charts_are_cached_per_scope_and_data_version(district, client_for):
    generate(district, 7)
    facts.refresh_all()
    client = client_for(district.coordinator)
    url = reverse("monitoring:dashboard") + f"?year={YEAR}"
    client.get(url)
    cache.clear()
    _html, cold = _dashboard(client, url)
    _html, warm = _dashboard(client, url)
    assert warm < cold  # the facts' tables and charts came from the cache
    facts.refresh_organization(district.school_a.pk)  # a new data version
    _html, after = _dashboard(client, url)
    assert after == cold
    kind_url = reverse("monitoring:dashboard") + f"?year={YEAR}&kind=preschool"
    client.get(kind_url)
    _html, other_scope = _dashboard(client, kind_url)
    assert other_scope == warm  # cached under its own key after its first view


def test_health_table_from_facts_matches_the_pairs(district):
    organizations = generate(district, 8)
    facts.refresh_all()
    scope = ind.Scope(municipality_id=district.municipality.pk)
    _rows, _orders, annotated = ind.compliance_and_orders(
        scope, YEAR, TODAY, **facts.organization_annotations(TODAY)
    )
    assert facts.health_rows(annotated) == health.counts_by_organization(scope.pairs(), TODAY)
    assert len(annotated) == len(organizations)


def test_facts_under_other_definitions_are_recomputed(district):
    """An indicator added or redefined in the registry: facts computed before are out of
    date (the dashboard says so) until the refresh recomputes them."""
    generate(district, 9)
    facts.refresh_all()
    assert facts.refresh_dirty() == 0
    FactState.objects.filter(organization=district.school_b).update(definitions="0000000000")
    scope = ind.Scope(municipality_id=district.municipality.pk)
    assert facts.freshness(scope).dirty == 1
    assert facts.refresh_dirty() == 1
    state = FactState.objects.get(organization=district.school_b)
    assert state.definitions == registry.definitions_version()
    assert facts.freshness(scope).dirty == 0
