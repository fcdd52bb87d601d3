"""Every indicator agrees across the dashboard, the drill-down lists, Excel, both PDF reports
and their Word copies — on the edge data set and on the demo district."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from mentoring.models import academic_year_of
from orgs.models import Municipality, Organization, Role, RoleAssignment
from tests.reconciliation.channels import problems
from tests.reconciliation.conftest import EMPTY_YEAR, TODAY, YEAR

pytestmark = pytest.mark.django_db


def test_every_indicator_agrees_in_every_channel_on_the_edge_data(edge, client):
    district = edge.base.district
    found = problems(
        client, district.coordinator, district.municipality, district.school_a, YEAR, TODAY
    )
    assert not found, "\n".join(found)


def test_a_year_without_data_reads_as_such_in_every_channel(edge, client):
    district = edge.base.district
    found = problems(
        client, district.coordinator, district.municipality, district.school_a, EMPTY_YEAR, TODAY
    )
    assert not found, "\n".join(found)


def test_every_indicator_agrees_in_every_channel_on_the_demo_district(client, settings):
    settings.DEBUG = True  # seed_demo runs on a debug checkout only
    call_command("seed_demo", stdout=io.StringIO())
    municipality = Municipality.objects.get(name__startswith="Змеиногорский")
    coordinator = (
        RoleAssignment.objects.filter(role=Role.COORDINATOR, municipality=municipality)
        .select_related("user")
        .first()
        .user
    )
    school = Organization.objects.get(short_name="СОШ с УИОП г. Змеиногорска")
    today = timezone.localdate()
    year = academic_year_of(today)
    found = problems(client, coordinator, municipality, school, year, today)
    assert not found, "\n".join(found)
