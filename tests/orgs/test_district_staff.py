"""Teachers of all organizations a committee member oversees: where the home numbers lead."""

from __future__ import annotations

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import EmploymentFactory, PersonFactory
from tests.orgs.test_queries import add_staff, count_queries

URL = reverse("orgs:district_staff")


def names(response) -> set[str]:
    return {employment.person.last_name for employment in response.context["object_list"]}


def test_coordinator_sees_teachers_of_every_organization(district, client_for):
    shown = names(client_for(district.coordinator).get(URL, {"status": "active"}))
    assert {"Ёлкина", "Берёзова", "Садовая"} <= shown


def test_kindergarten_specialist_sees_kindergarten_teachers_only(district, client_for):
    shown = names(client_for(district.kindergarten_specialist).get(URL, {"status": "active"}))
    assert "Садовая" in shown
    assert not shown & {"Ёлкина", "Берёзова"}


def test_coordinator_of_another_district_sees_none_of_ours(district, client_for):
    assert names(client_for(district.foreign_coordinator).get(URL, {"status": "active"})) == set()


@pytest.mark.parametrize("role", ["mentor_a", "mentee_a"])
def test_mentors_and_mentees_do_not_browse_staff(district, client_for, role):
    assert client_for(getattr(district, role)).get(URL).status_code == 403


def test_curator_sees_only_own_school_here_too(district, client_for):
    shown = names(client_for(district.curator_a).get(URL, {"status": "active"}))
    assert "Ёлкина" in shown and "Берёзова" not in shown


def test_home_number_of_young_specialists_leads_to_exactly_those_teachers(district, client_for):
    young = PersonFactory(
        last_name="Молодцова", teaching_since=timezone.localdate() - datetime.timedelta(days=200)
    )
    EmploymentFactory(person=young, organization=district.school_b)
    client = client_for(district.coordinator)
    home = client.get(reverse("home")).content.decode()
    link = f"{URL}?status=active&amp;young_specialist=true"
    assert link in home
    response = client.get(URL, {"status": "active", "young_specialist": "true"})
    assert names(response) == {"Молодцова"}
    # The home page counted the same rows.
    home_totals = client.get(reverse("home")).context["committee_totals"]
    assert home_totals["young"] == response.context["paginator"].count == 1


def test_filter_by_kind_and_export_with_the_organization(district, client_for):
    client = client_for(district.coordinator)
    response = client.get(URL, {"status": "active", "kind": "preschool", "export": "xlsx"})
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Организация"
    assert {row[0] for row in rows[1:]} == {"Детский сад «Сказка»"}


def test_query_count_does_not_grow_with_rows(district, client_for):
    client = client_for(district.coordinator)
    add_staff(district.school_a, 10)
    small = count_queries(client, URL, {"status": "active", "per_page": "200"})
    add_staff(district.school_b, 490)
    large = count_queries(client, URL, {"status": "active", "per_page": "200"})
    assert small == large
