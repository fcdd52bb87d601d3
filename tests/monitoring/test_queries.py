"""The coordinator's dashboard costs the same number of queries for 5 and 100 organizations."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentoring.models import MentoringForm, NeedEntry, NeedsList, Pair, PairMentee
from monitoring.models import ActType, LocalAct
from orgs.models import Employment, Organization, Person, Position
from programs.models import Activity, Program
from tests.monitoring.conftest import TODAY, YEAR


def add_organizations(municipality, count: int, start: int) -> None:
    forms = {form.code: form for form in MentoringForm.objects.all()}
    position = Position.objects.get(code="uchitel")
    for n in range(start, start + count):
        org = Organization.objects.create(
            municipality=municipality,
            kind="general",
            short_name=f"Школа {n}",
            full_name=f"Школа {n}",
        )
        mentor = Person.objects.create(last_name=f"Наставник{n}", first_name="Анна")
        mentee = Person.objects.create(last_name=f"Наставляемый{n}", first_name="Олег")
        for person in (mentor, mentee):
            Employment.objects.create(
                person=person,
                organization=org,
                position=position,
                hired_on=datetime.date(2020, 1, 1),
            )
        pair = Pair.objects.create(
            organization=org, mentor=mentor, form=forms["pedagog_pedagog"],
            kind=forms["tradicionnoe"], topic="Тема", status="active",
            planned_start=datetime.date(2026, 9, 1), planned_end=datetime.date(2027, 5, 31),
        )  # fmt: skip
        PairMentee.objects.create(pair=pair, person=mentee)
        program = Program.objects.create(
            pair=pair, mentee=mentee, form=pair.form, kind=pair.kind, goals="Цели",
            starts_on=pair.planned_start, ends_on=pair.planned_end, status="in_progress",
        )  # fmt: skip
        Activity.objects.create(
            program=program, title="Дело", planned_on=datetime.date(2026, 10, 1)
        )
        needs = NeedsList.objects.create(organization=org, academic_year=YEAR, updated_on=TODAY)
        NeedEntry.objects.create(needs_list=needs, person=mentee, reason="newcomer")
        LocalAct.objects.create(organization=org, type=ActType.REGULATION,
                                adopted_on=datetime.date(2026, 7, 1))  # fmt: skip


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)


def test_dashboard_queries_do_not_grow_with_organizations(district, client_for):
    client = client_for(district.coordinator)
    url = reverse("monitoring:dashboard") + f"?year={YEAR}"
    add_organizations(district.municipality, 1, 0)  # 5 organizations with the district's 4
    client.get(url)  # the filters are remembered in the session
    cache.clear()  # the tables are computed, not taken from the cache
    small = count_queries(client, url)
    add_organizations(district.municipality, 95, 1)  # 100
    cache.clear()
    large = count_queries(client, url)
    assert Organization.objects.filter(municipality=district.municipality).count() == 100
    assert small == large


def test_drill_down_queries_do_not_grow_with_rows(district, client_for):
    client = client_for(district.coordinator)
    url = reverse("monitoring:drill", args=["overdue"]) + f"?year={YEAR}"
    add_organizations(district.municipality, 2, 0)
    small = count_queries(client, url)
    add_organizations(district.municipality, 30, 2)
    assert count_queries(client, url) == small
