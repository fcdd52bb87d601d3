"""Deadlines follow the orders that set them: order No. 182 of 12.05.2022 asked for the
regulation by 01.08.2022, once — a kindergarten adopting it in 2026 is four years late against
that order, whatever the day in July or August; a later order for kindergartens (re-approve
by 01.08.2026) judges the same dates on its own."""

from __future__ import annotations

import datetime

import pytest

from monitoring import indicators as ind
from monitoring.models import ActType, DeadlineKind, LocalAct, Order, OrderPoint
from monitoring.reference import load_orders
from orgs.models import OrganizationKind
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 10)
ADOPTED = DeadlineKind.REGULATION_ADOPTED


@pytest.fixture
def kindergartens(district):
    august = district.kindergarten_b  # adopted 15.08.2026
    LocalAct.objects.create(organization=august, type=ActType.REGULATION, number="3",
                            adopted_on=datetime.date(2026, 8, 15))  # fmt: skip
    july = OrganizationFactory(
        municipality=district.municipality, kind=OrganizationKind.PRESCHOOL,
        short_name="Детский сад «Июльский»",
    )  # fmt: skip
    LocalAct.objects.create(organization=july, type=ActType.REGULATION, number="5",
                            adopted_on=datetime.date(2026, 7, 22))  # fmt: skip
    load_orders(Order, OrderPoint, district.municipality)
    return august, july


def _check(results, order_number, organization, kind=ADOPTED):
    result = next(r for r in results if r.order.number == order_number)
    row = next(r for r in result.rows if r.organization == organization)
    return row.checks[result.kinds.index(kind)]


def test_order_182_is_in_the_reference_data_with_its_three_deadlines(district):
    load_orders(Order, OrderPoint, district.municipality)
    order = Order.objects.get(number="182")
    assert order.signed_on == datetime.date(2022, 5, 12)
    assert sorted((p.kind, p.due_on) for p in order.points.all()) == sorted([
        (DeadlineKind.REGULATION_ADOPTED, datetime.date(2022, 8, 1)),
        (DeadlineKind.REGULATION_PUBLISHED, datetime.date(2022, 8, 6)),
        (DeadlineKind.SYSTEM_WORKING, datetime.date(2022, 9, 1)),
    ])  # fmt: skip


def test_both_kindergartens_are_four_years_late_against_order_182(district, kindergartens):
    august, july = kindergartens
    results = ind.order_compliance(ind.Scope(municipality_id=district.municipality.pk), TODAY)
    late_august = _check(results, "182", august)
    late_july = _check(results, "182", july)
    assert late_august.state == ind.State.LATE and late_august.days_late == 1475
    assert late_july.state == ind.State.LATE and late_july.days_late == 1451
    # The year's table judges them against the order too, not against 01.08.2026.
    rows = {row.organization: row for row in ind.compliance(
        ind.Scope(municipality_id=district.municipality.pk), "2026/2027", TODAY)}  # fmt: skip
    assert rows[july].checks[0].state == ind.State.LATE
    assert rows[august].checks[0].days_late == 1475


def test_a_later_order_for_kindergartens_judges_the_same_dates_on_its_own(district, kindergartens):
    august, july = kindergartens
    later = Order.objects.create(
        municipality=district.municipality, number="95", signed_on=datetime.date(2026, 6, 2),
        title="О переутверждении положений", organization_kind=OrganizationKind.PRESCHOOL,
    )  # fmt: skip
    OrderPoint.objects.create(order=later, kind=ADOPTED, due_on=datetime.date(2026, 8, 1))
    scope = ind.Scope(municipality_id=district.municipality.pk)
    results = ind.order_compliance(scope, TODAY)
    assert _check(results, "95", july).state == ind.State.MET
    late = _check(results, "95", august)
    assert late.state == ind.State.LATE and late.days_late == 14
    assert _check(results, "182", july).state == ind.State.LATE  # still late against 182
    # Schools are not bound by the kindergartens' order.
    kindergarten_order = next(r for r in results if r.order.number == "95")
    assert district.school_a not in {row.organization for row in kindergarten_order.rows}
    # The year's table follows the latest order binding each organization.
    rows = {row.organization: row for row in ind.compliance(scope, "2026/2027", TODAY)}
    assert rows[july].checks[0].state == ind.State.MET
    assert rows[august].checks[0].days_late == 14


def test_an_organization_that_joined_later_gets_the_dates_set_for_it(district):
    joined = OrganizationFactory(municipality=district.municipality, short_name="Новая школа")
    LocalAct.objects.create(organization=joined, type=ActType.REGULATION, number="1",
                            adopted_on=datetime.date(2026, 10, 1))  # fmt: skip
    own = Order.objects.create(
        municipality=district.municipality, number="140", signed_on=datetime.date(2026, 9, 1),
        title="О внедрении системы наставничества в МБОУ «Новая школа»",
    )  # fmt: skip
    own.organizations.add(joined)
    OrderPoint.objects.create(order=own, kind=ADOPTED, due_on=datetime.date(2026, 10, 15))
    results = ind.order_compliance(ind.Scope(municipality_id=district.municipality.pk), TODAY)
    assert _check(results, "140", joined).state == ind.State.MET
    assert [row.organization for row in results[0].rows] == [joined]
