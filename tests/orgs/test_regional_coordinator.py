"""The regional coordinator reads every municipality of the region and changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from orgs.models import Employment, Organization, Person
from orgs.two_factor import requires_two_factor
from tests.test_permission_sweep import CASES, PUBLIC
from tests.world import build_world


def test_the_region_s_municipalities_are_read_through_the_usual_scopes(district):
    regional = district.regional_coordinator
    seen = set(Organization.objects.visible_to(regional))
    assert {district.school_a, district.school_b, district.kindergarten} <= seen
    assert set(Organization.objects.all()) == seen  # both municipalities are of the region
    assert district.teacher_b.person in Person.objects.visible_to(regional)
    assert not Organization.objects.visible_to(district.foreign_regional).exists()
    assert regional.scope.is_read_only and not regional.scope.is_committee


def test_the_regional_coordinator_signs_in_with_the_second_factor(district, client):
    assert requires_two_factor(district.regional_coordinator)
    client.force_login(district.regional_coordinator)
    response = client.get(reverse("monitoring:region"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor"))


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {"orgs", "mentoring", "programs", "monitoring", "community", "public", "matching"}
    }


def test_every_change_of_the_portal_is_refused_and_nothing_changes(district, client_for):
    world = build_world(district)
    client = client_for(district.regional_coordinator)
    before = _counts()
    allowed = []
    for case in CASES:
        if case.kind == PUBLIC:
            continue
        url = case.url(world)
        if url.startswith(("/accounts/", "/reports/region/")):
            continue  # signing, the second factor, ordering the regional report
        status = client.post(url, {"name": "x", "title": "x", "reason": "x"}).status_code
        if status not in (403, 404):
            allowed.append(f"{case.title} {url}: {status}")
    assert not allowed, allowed
    assert _counts() == before


@pytest.mark.parametrize("who, status", [("regional_coordinator", 403), ("curator_a", 302)])
def test_a_dismissal_with_valid_data_is_refused_to_the_region(district, client_for, who, status):
    employment = district.teacher_a
    day = (employment.hired_on + datetime.timedelta(days=30)).isoformat()
    url = reverse("orgs:teacher_dismiss", args=[employment.pk])
    response = client_for(getattr(district, who)).post(url, {"dismissed_on": day})
    assert response.status_code == status
    dismissed = Employment.objects.get(pk=employment.pk).dismissed_on
    assert (dismissed is not None) == (who == "curator_a")


def test_a_foreign_regional_coordinator_sees_nothing_of_the_district(district):
    client = Client()
    user = district.foreign_regional
    from tests.factories import pass_second_factor

    client.force_login(user)
    pass_second_factor(client, user)
    url = reverse("orgs:organization_detail", args=[district.school_a.pk])
    assert client.get(url).status_code == 404
