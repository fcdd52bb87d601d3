"""The regional dashboard: one row per municipality, equal to what the registry computes for
that municipality alone, in a number of queries that does not grow with the municipalities."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from community import queries as community
from community.models import Payment
from mentoring.models import NeedEntry, NeedsList, PairStatus
from monitoring import facts, registry
from monitoring import indicators as ind
from monitoring import region as regional
from monitoring import tasks as monitoring_tasks
from monitoring.models import (
    ActType,
    DeadlineKind,
    LocalAct,
    MunicipalityFacts,
    Order,
    OrderPoint,
)
from orgs.models import Municipality, Organization
from tests.factories import (
    EmploymentFactory,
    MunicipalityFactory,
    OrganizationFactory,
    RegionFactory,
)
from tests.monitoring.conftest import TODAY, YEAR, make_pair, make_program


def add_municipality(name: str, region) -> object:
    """A municipality of the region with a school, a working pair, a program completed and a
    needs list: every row set of the dashboard has rows in it."""
    municipality = MunicipalityFactory(name=name, region=region)
    school = OrganizationFactory(municipality=municipality, short_name=f"СОШ ({name})")
    mentor = EmploymentFactory(organization=school).person
    mentee = EmploymentFactory(organization=school).person
    pair = make_pair(school, mentor, [mentee], "01.09.2026", "31.05.2027", status=PairStatus.ACTIVE)
    make_program(pair, mentee, "01.09.2026", "31.10.2026", "completed")
    needs = NeedsList.objects.create(organization=school, academic_year=YEAR)
    NeedEntry.objects.create(needs_list=needs, person=mentee, reason="young_specialist")
    return municipality


def test_each_row_equals_the_registry_for_that_municipality_alone(dataset):
    region = dataset.district.municipality.region
    add_municipality("Локтевский район", region)
    facts.refresh_all(today=TODAY)  # the rows read the facts, as the municipal dashboard does
    rows = regional.municipality_rows(regional.RegionScope(region_id=region.pk), YEAR, TODAY)
    assert [row.municipality.name for row in rows] == [
        "Змеиногорский район",
        "Локтевский район",
        "Рубцовский район",
    ]
    for row in rows:
        scope = ind.Scope(municipality_id=row.municipality.pk)
        for code in (*regional.ROW_INDICATORS, "nominations", "nominations_awarded"):
            expected = registry.get(code).compute(scope, YEAR, TODAY)
            assert row.value(code) == expected, (row.municipality.name, code)
        # Every indicator of the row's groups, the exact ones (not sums) too.
        for indicator in registry.INDICATORS:
            if indicator.group in row.groups:
                expected = indicator.compute(scope, YEAR, TODAY)
                assert row.value(indicator.code) == expected, (row.municipality.name, indicator)
    # The hand-counted district (tests/monitoring/conftest.py): 3 on the needs list, 2 covered.
    district = rows[0]
    assert (district.value("needing"), district.value("covered")) == (3, 2)
    assert (district.value("pairs"), district.value("groups")) == (1, 1)


def test_a_municipality_of_another_region_is_not_a_row(dataset):
    region = dataset.district.municipality.region
    add_municipality("Новосибирский район", RegionFactory(name="Новосибирская область"))
    rows = regional.municipality_rows(regional.RegionScope(region_id=region.pk), YEAR, TODAY)
    assert "Новосибирский район" not in [row.municipality.name for row in rows]


def _queries(scope) -> int:
    with CaptureQueriesContext(connection) as captured:
        regional.municipality_rows(scope, YEAR, TODAY)
    return len(captured)


def test_the_rows_take_the_same_queries_for_2_and_6_municipalities(district):
    region = district.municipality.region
    add_municipality("Район 1", region)
    add_municipality("Район 2", region)
    two = regional.RegionScope(region_id=region.pk)
    counted = _queries(two)  # nothing kept yet: sums and exact counts read from the records
    facts.refresh_all(today=TODAY)
    first = _queries(two)
    assert first == counted - 5  # kept: read with the municipalities, nothing recounted
    for n in range(3, 7):
        add_municipality(f"Район {n}", region)
    facts.refresh_all(today=TODAY)
    assert _queries(two) == first  # 8 municipalities now (with the two of the fixture)
    assert first <= 2  # the municipalities with what is kept, and the facts' freshness


@pytest.fixture
def regional_client(district, client_for):
    return client_for(district.regional_coordinator)


def _page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _order_182(district, adopt_by: datetime.date) -> None:
    """The committee's order No. 182: the regulation adopted by `adopt_by`."""
    order = Order.objects.create(
        municipality=district.municipality, number="182", signed_on=datetime.date(2022, 5, 12),
        title="Об утверждении Положения о наставничестве",
    )  # fmt: skip
    OrderPoint.objects.create(order=order, kind=DeadlineKind.REGULATION_ADOPTED, due_on=adopt_by)


def test_the_dashboard_page_costs_the_same_for_2_and_6_municipalities(district, regional_client):
    region = district.municipality.region
    # An order of the district: its deadlines are checked against the organizations' events.
    _order_182(district, adopt_by=datetime.date(2022, 8, 1))
    url = reverse("monitoring:region") + f"?year={YEAR}"
    facts.refresh_all()  # as of the page's date
    two = _page_queries(regional_client, url)
    for n in range(1, 5):
        add_municipality(f"Район {n}", region)
    facts.refresh_all()  # as of the page's date
    assert _page_queries(regional_client, url) == two
    assert two <= 11


def test_the_page_says_how_fresh_the_facts_are(district, regional_client):
    region = district.municipality.region
    url = reverse("monitoring:region") + f"?year={YEAR}"
    add_municipality("Район 1", region)
    page = regional_client.get(url).content.decode()
    assert "ещё не посчитаны" in page  # nothing counted yet: the rows are empty and say so
    facts.refresh_all(today=TODAY)
    page = regional_client.get(url).content.decode()
    assert "ещё не посчитаны" not in page
    assert "Данные на" in page


def _tables(html: str) -> str:
    """The attention list and the table of municipalities (the page without its form)."""
    return html.split('aria-labelledby="attention-title"', 1)[1]


def test_the_table_is_rendered_once_for_the_numbers_it_shows(
    district, regional_client, monkeypatch
):
    """A second view with the same numbers prints the kept table (no row is written again);
    a number changed at the next recount is printed at once."""
    region = district.municipality.region
    url = reverse("monitoring:region") + f"?year={YEAR}"
    add_municipality("Район 1", region)
    facts.refresh_all(today=TODAY)
    written = []
    shown_values = regional.MunicipalityRow.shown_values.fget
    monkeypatch.setattr(
        regional.MunicipalityRow,
        "shown_values",
        property(lambda row: written.append(row.municipality.name) or shown_values(row)),
    )
    names = sorted(Municipality.objects.filter(region=region).values_list("name", flat=True))
    first = regional_client.get(url).content.decode()
    assert sorted(written) == names
    written.clear()
    assert _tables(regional_client.get(url).content.decode()) == _tables(first)
    assert written == []
    district_row = _rows_by_name(region)["Змеиногорский район"]
    mentee = EmploymentFactory(organization=district.school_a).person
    make_pair(district.school_a, district.mentor_a.person, [mentee],
              "01.09.2026", "31.05.2027", status=PairStatus.ACTIVE)  # fmt: skip
    facts.refresh_all(today=TODAY)
    changed = regional_client.get(url).content.decode()
    assert _tables(changed) != _tables(first)
    assert sorted(written) == names
    assert _rows_by_name(region)["Змеиногорский район"].value("pairs") == (
        district_row.value("pairs") + 1
    )


def test_the_regional_coordinator_sees_every_municipality_and_opens_one_read_only(
    district, regional_client
):
    page = regional_client.get(reverse("monitoring:region")).content.decode()
    assert "Змеиногорский район" in page and "Рубцовский район" in page
    url = reverse("monitoring:region_municipality", args=[district.other_municipality.pk])
    municipal = regional_client.get(url).content.decode()
    assert "Рубцовский район" in municipal
    assert reverse("monitoring:drill", args=["pairs"]) not in municipal  # nothing to drill
    assert "Импорт" not in municipal


def test_outsiders_get_no_regional_dashboard(district, client_for):
    url = reverse("monitoring:region_municipality", args=[district.municipality.pk])
    assert client_for(district.foreign_regional).get(url).status_code == 404
    assert client_for(district.coordinator).get(url).status_code == 404
    assert client_for(district.coordinator).get(reverse("monitoring:region")).status_code == 403


def _rows_by_name(region) -> dict:
    rows = regional.municipality_rows(regional.RegionScope(region_id=region.pk), YEAR, TODAY)
    return {row.municipality.name: row for row in rows}


def _assert_equal_to_the_registry(row) -> None:
    scope = ind.Scope(municipality_id=row.municipality.pk)
    for indicator in registry.INDICATORS:
        if indicator.group in row.groups:
            expected = indicator.compute(scope, YEAR, TODAY)
            assert row.value(indicator.code) == expected, (row.municipality.name, indicator)
    # The incentive payments column: mentors paid (a mentor with two payments is one).
    paid = community.payments_of(scope.organizations(), YEAR).values("person").distinct()
    assert row.payments == paid.count()
    checked = ind.compliance(scope, YEAR, TODAY)
    assert row.organizations == len(checked)
    assert row.late_organizations == sum(
        any(check.is_late for check in each.checks) for each in checked
    )


def test_the_rows_read_kept_counts_without_recounting_the_records(dataset):
    """The exact (non-additive) counts are kept by the facts job: the page reads them with the
    municipalities and touches none of the records they are counted from."""
    region = dataset.district.municipality.region
    facts.refresh_all(today=TODAY)
    with CaptureQueriesContext(connection) as captured:
        rows = _rows_by_name(region)
    sql = " ".join(query["sql"] for query in captured)
    for table in ("mentoring_needentry", "monitoring_surveyanswer", "community_event"):
        assert table not in sql
    for row in rows.values():
        _assert_equal_to_the_registry(row)
    assert (rows["Змеиногорский район"].value("covered"), rows["Змеиногорский район"].payments) == (
        2,
        0,
    )
    # Kept as of TODAY; asked as of another date (a report of a past year is counted as of
    # its end), the counts «up to the date» and the deadlines are counted from the records.
    later = TODAY + datetime.timedelta(days=1)
    with CaptureQueriesContext(connection) as captured:
        regional.municipality_rows(regional.RegionScope(region_id=region.pk), YEAR, later)
    assert "mentoring_needentry" in " ".join(query["sql"] for query in captured)


def test_kept_counts_follow_a_changed_record_at_the_next_recount(
    dataset, django_capture_on_commit_callbacks
):
    district = dataset.district
    region = district.municipality.region
    facts.refresh_all(today=TODAY)
    school = Organization.objects.filter(municipality=district.municipality).order_by("pk").first()
    mentor = EmploymentFactory(organization=school).person
    with django_capture_on_commit_callbacks(execute=True):
        Payment.objects.create(
            organization=school, person=mentor, act="Положение об оплате труда",
            amount=Decimal("3000"), starts_on=datetime.date(2026, 9, 1),
            ends_on=datetime.date(2027, 5, 31),
        )  # fmt: skip
    kept = MunicipalityFacts.objects.get(municipality=district.municipality)
    assert kept.dirty_since is not None  # the payment marked its municipality
    assert _rows_by_name(region)["Змеиногорский район"].payments == 0  # as of the last count
    facts.refresh_dirty()
    row = _rows_by_name(region)["Змеиногорский район"]
    assert row.payments == 1
    assert row.value("paid_mentors") == 1
    _assert_equal_to_the_registry(row)
    kept.refresh_from_db()
    assert kept.dirty_since is None


def test_a_municipality_is_rebuilt_once_for_each_keeping_of_its_facts(dataset, monkeypatch):
    """What was kept changes only when the facts job keeps it again: a second view of the
    table rebuilds no municipality, and the next keeping (a pair registered meanwhile) is
    rebuilt and shown."""
    district = dataset.district
    region = district.municipality.region
    facts.refresh_all(today=TODAY)
    first = _rows_by_name(region)
    rebuilt = []
    real = facts.group_value
    monkeypatch.setattr(facts, "group_value", lambda *args: rebuilt.append(args[0]) or real(*args))
    again = _rows_by_name(region)
    assert rebuilt == []
    assert {name: row.groups for name, row in again.items()} == {
        name: row.groups for name, row in first.items()
    }
    pairs = again["Змеиногорский район"].value("pairs")
    school = Organization.objects.filter(municipality=district.municipality).order_by("pk").first()
    mentor, mentee = (EmploymentFactory(organization=school).person for _ in range(2))
    make_pair(school, mentor, [mentee], "01.09.2026", "31.05.2027", status=PairStatus.ACTIVE)
    assert _rows_by_name(region)["Змеиногорский район"].value("pairs") == pairs  # as kept
    facts.refresh_all(today=TODAY)
    row = _rows_by_name(region)["Змеиногорский район"]
    assert rebuilt  # rebuilt from the new keeping
    assert row.value("pairs") == pairs + 1
    _assert_equal_to_the_registry(row)


def test_what_the_job_has_not_kept_yet_is_counted_from_facts_and_records(dataset):
    district = dataset.district
    region = district.municipality.region
    facts.refresh_all(today=TODAY)
    municipality = add_municipality("Локтевский район", region)
    school = Organization.objects.get(municipality=municipality)
    facts.refresh_organization(school.pk, TODAY)  # its facts, not yet its municipality's
    assert not MunicipalityFacts.objects.filter(municipality=municipality).exists()
    rows = _rows_by_name(region)
    for row in rows.values():
        _assert_equal_to_the_registry(row)
    assert (
        rows["Локтевский район"].value("needing"),
        rows["Локтевский район"].value("covered"),
    ) == (1, 1)

    # A record changed and its organization recomputed, its municipality not yet: the kept
    # sums are older than the facts and are not used.
    before = rows["Змеиногорский район"].value("needing")
    needs = NeedsList.objects.create(organization=district.kindergarten_b, academic_year=YEAR)
    NeedEntry.objects.create(
        needs_list=needs, person=EmploymentFactory(organization=district.kindergarten_b).person,
        reason="young_specialist",
    )  # fmt: skip
    facts.refresh_organization(district.kindergarten_b.pk, TODAY)
    row = _rows_by_name(region)["Змеиногорский район"]
    assert row.value("needing") == before + 1
    _assert_equal_to_the_registry(row)


def test_kept_compliance_follows_a_local_act_at_the_next_recount(
    dataset, django_capture_on_commit_callbacks
):
    """Deadlines compliance is kept with the municipality: a local act adopted marks it, and
    the next recount brings the row to what `indicators.compliance` says."""
    district = dataset.district
    region = district.municipality.region
    _order_182(district, adopt_by=datetime.date(2026, 9, 1))
    facts.refresh_all(today=TODAY)
    before = _rows_by_name(region)["Змеиногорский район"]
    _assert_equal_to_the_registry(before)
    assert before.late_organizations > 0
    school = district.school_a
    with django_capture_on_commit_callbacks(execute=True):
        LocalAct.objects.create(
            organization=school, type=ActType.REGULATION, title="Положение о наставничестве",
            number="12", adopted_on=datetime.date(2026, 8, 20),
        )  # fmt: skip
    assert MunicipalityFacts.objects.get(municipality=district.municipality).dirty_since
    facts.refresh_dirty()
    after = _rows_by_name(region)["Змеиногорский район"]
    _assert_equal_to_the_registry(after)


@time_machine.travel(TODAY, tick=False)
def test_the_nightly_recount_runs_a_task_per_municipality_and_keeps_every_row(dataset):
    """The night job queues one task per municipality (the workers share the region, a killed
    worker loses one municipality); afterwards every organization and every municipality —
    one without organizations too — is counted as of today and the rows equal the registry."""
    region = dataset.district.municipality.region
    empty = MunicipalityFactory(name="Пустой район", region=region)
    queued = monitoring_tasks.refresh_all_facts.apply().get()
    assert queued == Municipality.objects.count()
    assert not Organization.objects.exclude(fact_state__as_of=TODAY).exists()
    assert MunicipalityFacts.objects.filter(municipality=empty).exists()
    assert not Municipality.objects.exclude(fact_counts__as_of=TODAY).exists()
    for row in _rows_by_name(region).values():
        _assert_equal_to_the_registry(row)


def test_the_nightly_recount_starts_minutes_after_midnight_in_barnaul():
    """Counts «up to today» move with the date and, until they are recounted, the dashboards
    count from the records (slowly at region scale): the recount starts within a quarter of
    an hour of the new day, local time."""
    schedule = settings.CELERY_BEAT_SCHEDULE["refresh-all-facts"]["schedule"]
    zone = timezone.get_default_timezone()
    just_before = datetime.datetime(2026, 11, 30, 23, 59, tzinfo=zone)
    start, delta, _now = schedule.remaining_delta(just_before)
    next_run = start + delta
    assert next_run.date() == datetime.date(2026, 12, 1)
    assert datetime.timedelta(0) < next_run - just_before <= datetime.timedelta(minutes=16)
