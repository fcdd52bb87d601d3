"""A list filter's organizations are read with one plain query and offer what Django's own
choice iterator offers: the same options, the «all» option first, a chosen one still valid."""

from __future__ import annotations

from django.db import connection
from django.forms.models import ModelChoiceIterator
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from core.fields import OneQueryFilterChoices
from mentoring.filters import PairFilter
from monitoring.filters import DashboardFilter
from tests.factories import OrganizationFactory


def request_of(user, **query):
    request = RequestFactory().get("/mentoring/pairs/", query)
    request.user = user
    return request


def options(choices) -> list[tuple[str, str]]:
    return [(str(value), str(label)) for value, label in choices]


def options_read_once(field) -> list[tuple[str, str]]:
    """The field's options, checked to be read with one plain query and to equal Django's own
    (read through a cursor), «all organizations» first."""
    with CaptureQueriesContext(connection) as queries:
        shown = options(field.widget.choices)
    assert len(queries) == 1 and queries[0]["sql"].startswith("SELECT")
    assert shown == options(ModelChoiceIterator(field))
    assert shown[0] == ("", "Все организации")
    return shown


def test_organizations_of_a_filter_in_one_plain_query(district):
    foreign = OrganizationFactory(municipality=district.other_municipality, short_name="Чужая СОШ")
    form = PairFilter({}, request=request_of(district.coordinator), queryset=None).form
    field = form.fields["organization"]
    assert isinstance(field.widget.choices, OneQueryFilterChoices)
    shown = options_read_once(field)
    names = {label for _value, label in shown[1:]}
    assert {district.school_a.short_name, district.school_b.short_name} <= names
    assert foreign.short_name not in names


def test_a_chosen_organization_is_still_checked_against_the_scope(district):
    other = OrganizationFactory(municipality=district.other_municipality)
    mine = PairFilter(
        {"organization": district.school_a.pk},
        request=request_of(district.coordinator),
        queryset=None,
    )
    assert mine.form.is_valid()
    foreign = PairFilter(
        {"organization": other.pk},
        request=request_of(district.coordinator),
        queryset=None,
    )
    assert not foreign.form.is_valid()
    assert "organization" in foreign.form.errors


def test_the_dashboards_organizations_in_one_plain_query(district):
    foreign = OrganizationFactory(municipality=district.other_municipality, short_name="Чужая СОШ")
    form = DashboardFilter({}, user=district.coordinator)
    shown = options_read_once(form.fields["organization"])
    names = {label for _value, label in shown[1:]}
    assert district.school_a.short_name in names and foreign.short_name not in names
    assert DashboardFilter(
        {"organization": district.school_a.pk}, user=district.coordinator
    ).is_valid()
    assert not DashboardFilter({"organization": foreign.pk}, user=district.coordinator).is_valid()
