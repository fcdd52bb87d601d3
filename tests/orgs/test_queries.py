"""Lists cost the same number of queries for 10 rows and for 500."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orgs.models import Employment, Organization, Person
from tests.factories import position


def add_staff(organization, count: int) -> None:
    people = Person.objects.bulk_create(
        Person(
            last_name=f"Учитель{i}",
            first_name="Ирина",
            search_key=f"учитель{i} ирина",
            teaching_since=datetime.date(2020 - i % 10, 1, 1),
        )
        for i in range(count)
    )
    teacher = position("uchitel")
    Employment.objects.bulk_create(
        Employment(
            person=p,
            organization=organization,
            position=teacher,
            hired_on=datetime.date(2021, 9, 1),
        )
        for p in people
    )


def add_organizations(municipality, count: int) -> None:
    start = Organization.objects.count()
    Organization.objects.bulk_create(
        Organization(
            municipality=municipality,
            kind="general",
            short_name=f"Школа {i}",
            full_name=f"МБОУ «Школа {i}»",
            sort_key=f"школа {i}",
        )
        for i in range(start, start + count)
    )


def count_queries(client, url: str, params: dict) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def test_staff_list_query_count_does_not_grow_with_rows(district, client_for):
    client = client_for(district.curator_a)
    url = reverse("orgs:staff_list", args=[district.school_a.pk])
    params = {"status": "active", "per_page": "200"}
    add_staff(district.school_a, 10)
    small = count_queries(client, url, params)
    add_staff(district.school_a, 490)
    large = count_queries(client, url, params)
    assert small == large


def test_staff_export_query_count_does_not_grow_with_rows(district, client_for):
    client = client_for(district.curator_a)
    url = reverse("orgs:staff_list", args=[district.school_a.pk])
    add_staff(district.school_a, 10)
    small = count_queries(client, url, {"status": "active", "export": "xlsx"})
    add_staff(district.school_a, 490)
    large = count_queries(client, url, {"status": "active", "export": "xlsx"})
    assert small == large


def test_organization_list_query_count_does_not_grow_with_rows(district, client_for):
    client = client_for(district.coordinator)
    url = reverse("orgs:organization_list")
    params = {"per_page": "200"}
    add_organizations(district.municipality, 10)
    small = count_queries(client, url, params)
    add_organizations(district.municipality, 490)
    large = count_queries(client, url, params)
    assert small == large


def test_home_page_query_count_does_not_grow_with_organizations(district, client_for):
    client = client_for(district.coordinator)
    add_organizations(district.municipality, 10)
    small = count_queries(client, reverse("home"), {})
    add_organizations(district.municipality, 490)
    large = count_queries(client, reverse("home"), {})
    assert small == large
