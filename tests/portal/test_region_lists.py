"""Region-wide lists (issue 16): a superuser's and a regional coordinator's pairs, meetings,
programs and needs read only the rows of their page, through order indexes that only a
region-wide list may use; their organization filter goes through the municipality.

What a user would check: the rows of the region and none of another region, the municipality
filter, the organization choices of the chosen municipality only, the same number of queries
for 2 and 20 rows; and that a municipal or school list is read as before (its query never
states the region-wide condition, so its plan cannot take the region-wide indexes)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentoring.models import MentoringForm
from orgs.models import Organization
from tests.factories import MunicipalityFactory, OrganizationFactory, RegionFactory, UserFactory
from tests.portal.test_scale_pages import grow, queries_for

LISTS = ("/mentoring/pairs/", "/mentoring/meetings/", "/programs/", "/mentoring/needs/")
REGION_WIDE_SQL = '"id" > 0'  # orgs.visibility.REGION_WIDE as the lists' SQL states it


@pytest.fixture
def forms(db) -> dict[str, MentoringForm]:
    return {form.code: form for form in MentoringForm.objects.all()}


@pytest.fixture
def region(district, forms):
    """Pairs in both municipalities of the district's region and in another region."""
    own = grow(district.school_a, forms, 1)[0]
    neighbour_school = OrganizationFactory(municipality=district.other_municipality)
    neighbour = grow(neighbour_school, forms, 1, start_at=1)[0]
    far = MunicipalityFactory(name="Новосибирский район", region=RegionFactory(name="НСО"))
    foreign = grow(OrganizationFactory(municipality=far), forms, 1, start_at=2)[0]
    return {"own": own, "neighbour": neighbour, "foreign": foreign}


def _rows(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response, {row.pk for row in response.context["object_list"]}


def test_regional_coordinator_lists_the_region_and_not_another(district, region, client_for):
    client = client_for(district.regional_coordinator)
    _, pairs = _rows(client, "/mentoring/pairs/")
    assert {region["own"].pk, region["neighbour"].pk} <= pairs
    assert region["foreign"].pk not in pairs
    _, programs = _rows(client, "/programs/")
    assert region["foreign"].programs.get().pk not in programs
    assert region["neighbour"].programs.get().pk in programs
    _, meetings = _rows(client, "/mentoring/meetings/")
    assert not set(region["foreign"].meetings.values_list("pk", flat=True)) & meetings
    assert set(region["neighbour"].meetings.values_list("pk", flat=True)) <= meetings


def test_the_organization_is_chosen_through_the_municipality(district, region, client_for):
    client = client_for(district.regional_coordinator)
    response, _ = _rows(client, "/mentoring/pairs/")
    form = response.context["filter"].form
    assert list(form.fields)[:3] == ["q", "municipality", "organization"]
    assert {m.name for m in form.fields["municipality"].queryset} == {
        district.municipality.name,
        district.other_municipality.name,
    }  # not the other region's
    assert list(form.fields["organization"].queryset) == []  # none until a municipality
    assert "Выберите муниципалитет" in response.content.decode()

    url = f"/mentoring/pairs/?municipality={district.other_municipality.pk}"
    response, pairs = _rows(client, url)
    assert pairs == {region["neighbour"].pk}
    offered = set(response.context["filter"].form.fields["organization"].queryset)
    assert offered == set(Organization.objects.filter(municipality=district.other_municipality))

    # An organization named by a link without its municipality is still offered and applied.
    url = f"/mentoring/pairs/?organization={district.school_a.pk}"
    response, pairs = _rows(client, url)
    assert pairs == {region["own"].pk}
    assert set(response.context["filter"].form.fields["organization"].queryset) == {
        district.school_a
    }


def test_a_municipal_list_has_no_municipality_filter(district, region, client_for):
    response, _ = _rows(client_for(district.coordinator), "/mentoring/pairs/")
    assert "municipality" not in response.context["filter"].form.fields
    offered = set(response.context["filter"].form.fields["organization"].queryset)
    assert district.school_a in offered


def _sql(client, url) -> str:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return " ".join(query["sql"] for query in captured)


def test_only_a_region_wide_list_states_the_region_wide_condition(district, region, client_for):
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    for url in LISTS:
        assert REGION_WIDE_SQL in _sql(client_for(superuser), url), url
        regional = client_for(district.regional_coordinator)
        assert REGION_WIDE_SQL in _sql(regional, url), url
        # a municipality chosen: read as the municipality's list
        chosen = f"{url}?municipality={district.municipality.pk}"
        assert REGION_WIDE_SQL not in _sql(regional, chosen), url
        for who in ("coordinator", "curator_a"):
            assert REGION_WIDE_SQL not in _sql(client_for(getattr(district, who)), url), (who, url)


def test_region_wide_page_keeps_the_order(district, forms, client_for):
    grow(district.school_a, forms, 6)
    grow(OrganizationFactory(municipality=district.other_municipality), forms, 6, start_at=6)
    response = client_for(district.regional_coordinator).get("/mentoring/pairs/?per_page=10&page=1")
    starts = [pair.planned_start for pair in response.context["object_list"]]
    assert len(starts) == 10
    assert starts == sorted(starts, reverse=True)
    assert response.context["paginator"].count == 12


# (url, queries) of the regional coordinator, pinned for 2 and 20 rows (the counts include
# the session and second-factor look-ups of every signed-in request).
REGION_PAGES = [
    ("/mentoring/pairs/?status=active", 15),
    ("/mentoring/meetings/?format=in_person", 15),
    ("/mentoring/needs/?status=confirmed", 13),
    ("/programs/?status=in_progress", 13),
]


@pytest.mark.parametrize(("url", "expected"), REGION_PAGES)
def test_region_page_makes_the_same_queries_for_2_and_20_rows(
    district, forms, client_for, django_assert_num_queries, url, expected
):
    client = client_for(district.regional_coordinator)
    client.get(url)  # the first visit remembers the filters in the session
    grow(district.school_a, forms, 2)
    queries_for(client, url, django_assert_num_queries, expected)
    other = OrganizationFactory(municipality=district.other_municipality)
    grow(other, forms, 18, start_at=2)
    queries_for(client, url, django_assert_num_queries, expected)
