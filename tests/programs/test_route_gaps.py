"""Routes (ИОМ): the mentor of the teacher's active pair reads them; a curator starts one for a
teacher of their school; the bank's search ignores «ё»."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mentoring.models import Pair, PairStatus
from orgs.models import Role
from programs import services
from programs.models import Product, ProductStatus, Route, RouteItemKind, RouteStatus
from tests.factories import EmploymentFactory, RoleFactory, UserFactory
from tests.programs.conftest import TODAY, make_pair

PDF = b"%PDF-1.4 plan"


@pytest.fixture
def route(district):
    """The route of mentee_a (school A), with one item carrying a file."""
    route = services.route_create(
        user=district.mentee_a,
        person=district.mentee_a.person,
        organization=district.school_a,
        data=services.RouteData(
            datetime.date(2026, 9, 1), datetime.date(2030, 9, 1), "Учитель-исследователь"
        ),
    )
    services.route_item_save(
        user=district.mentee_a,
        route=route,
        today=TODAY,
        data=services.RouteItemData(
            kind=RouteItemKind.TRIAL,
            title="Урок-исследование",
            planned_start=datetime.date(2027, 1, 10),
            planned_end=datetime.date(2027, 2, 10),
            file=SimpleUploadedFile("урок.pdf", PDF),
        ),
    )
    return route


def read_urls(route):
    item = route.items.get()
    return [
        reverse("programs:route_detail", args=[route.pk]),
        reverse("programs:route_pdf", args=[route.pk]),
        reverse("programs:route_item_file", args=[item.pk]),
    ]


def edit_urls(route):
    item = route.items.get()
    return [
        reverse("programs:route_edit", args=[route.pk]),
        reverse("programs:route_areas", args=[route.pk]),
        reverse("programs:route_item_add", args=[route.pk]),
        reverse("programs:route_item_edit", args=[item.pk]),
        reverse("programs:route_complete", args=[route.pk]),
        reverse("programs:propose_route_item", args=[item.pk]),
    ]


def other_mentor(district):
    """A mentor of school A with a pair of their own (teacher_a is the mentee)."""
    person = EmploymentFactory(organization=district.school_a).person
    user = UserFactory(username="mentor_other", person=person)
    RoleFactory(
        user=user,
        role=Role.MENTOR,
        municipality=district.municipality,
        organization=district.school_a,
    )
    make_pair(district.school_a, person, [district.teacher_a.person])
    return user


# The mentor reads the route of the mentee --------------------------------------------------


def test_the_mentor_of_the_teachers_active_pair_reads_the_card_the_pdf_and_the_files(
    district, client_for, route, pair
):
    client = client_for(district.mentor_a)
    for url in read_urls(route):
        assert client.get(url).status_code == 200, url
    card = client.get(route.get_absolute_url()).content.decode()
    assert "Урок-исследование" in card
    assert reverse("programs:route_edit", args=[route.pk]) not in card
    listing = client.get(reverse("programs:route_list")).content.decode()
    assert route.person.full_name in listing


def test_the_mentor_gets_403_on_every_edit_screen_and_changes_nothing(
    district, client_for, route, pair
):
    client = client_for(district.mentor_a)
    for url in edit_urls(route):
        assert client.get(url).status_code == 403, url
    response = client.post(
        reverse("programs:route_edit", args=[route.pk]),
        {"starts_on": "2026-09-01", "ends_on": "2030-09-01", "self_image": "Чужие слова"},
    )
    assert response.status_code == 403
    activate = client.post(reverse("programs:route_activate", args=[route.pk]))
    assert activate.status_code == 403
    route.refresh_from_db()
    assert route.self_image == "Учитель-исследователь"
    assert route.status == RouteStatus.DRAFT


def test_a_mentor_of_another_pair_does_not_find_the_route(district, client_for, route, pair):
    client = client_for(other_mentor(district))
    for url in read_urls(route) + edit_urls(route):
        assert client.get(url).status_code == 404, url
    listing = client.get(reverse("programs:route_list")).content.decode()
    assert route.person.full_name not in listing


@pytest.mark.parametrize("status", [PairStatus.DRAFT, PairStatus.COMPLETED, PairStatus.ENDED_EARLY])
def test_the_mentor_of_a_pair_that_is_not_active_does_not_find_the_route(
    district, client_for, route, status
):
    pair = make_pair(district.school_a, district.mentor_a.person, [district.mentee_a.person])
    Pair.objects.filter(pk=pair.pk).update(status=status, end_reason="Переезд в другой район")
    client = client_for(district.mentor_a)
    for url in read_urls(route):
        assert client.get(url).status_code == 404, url


def test_a_mentee_does_not_read_the_route_of_their_mentor(district, client_for, pair):
    mentor_route = services.route_create(
        user=district.mentor_a,
        person=district.mentor_a.person,
        organization=district.school_a,
        data=services.RouteData(
            datetime.date(2026, 9, 1), datetime.date(2030, 9, 1), "Наставник-методист"
        ),
    )
    response = client_for(district.mentee_a).get(mentor_route.get_absolute_url())
    assert response.status_code == 404


def test_the_mentor_sees_every_route_of_their_group_without_a_query_per_row(
    district, client_for, django_assert_max_num_queries
):
    mentees = [EmploymentFactory(organization=district.school_a) for _ in range(3)]
    make_pair(district.school_a, district.mentor_a.person, [row.person for row in mentees])
    for employment in mentees:
        services.route_create(
            user=district.curator_a,
            person=employment.person,
            organization=district.school_a,
            data=services.RouteData(
                datetime.date(2026, 9, 1), datetime.date(2030, 9, 1), "Учитель-наставник"
            ),
        )
    assert Route.objects.visible_to(district.mentor_a).count() == 3
    with django_assert_max_num_queries(1):
        assert len(list(Route.objects.visible_to(district.mentor_a).for_list())) == 3


# A curator starts a route for a teacher ----------------------------------------------------


def route_post(**overrides) -> dict:
    values = {
        "starts_on": "2026-12-01",
        "ends_on": "2030-12-01",
        "self_image": "Учитель, который ведёт исследовательские проекты",
    }
    values.update(overrides)
    return values


def test_the_default_period_is_four_years_from_the_first_of_next_month():
    assert services.route_default_period(datetime.date(2026, 11, 10)) == (
        datetime.date(2026, 12, 1),
        datetime.date(2030, 12, 1),
    )
    assert services.route_default_period(datetime.date(2026, 12, 31)) == (
        datetime.date(2027, 1, 1),
        datetime.date(2031, 1, 1),
    )


@time_machine.travel(TODAY, tick=False)
def test_the_curator_is_offered_the_working_staff_of_their_school_only(district, client_for):
    dismissed = EmploymentFactory(
        organization=district.school_a, dismissed_on=datetime.date(2026, 6, 30)
    )
    response = client_for(district.curator_a).get(reverse("programs:route_create"))
    assert response.status_code == 200
    field = response.context["form"].fields["teacher"]
    offered = set(field.queryset.values_list("person_id", flat=True))
    assert district.teacher_a.person_id in offered
    assert district.mentee_a.person_id in offered
    assert district.teacher_b.person_id not in offered
    assert dismissed.person_id not in offered
    page = response.content.decode()
    assert district.teacher_a.person.full_name in page
    assert district.teacher_b.person.full_name not in page
    assert 'value="2026-12-01"' in page and 'value="2030-12-01"' in page


def test_the_curator_creates_a_route_for_a_teacher_of_their_school(district, client_for):
    response = client_for(district.curator_a).post(
        reverse("programs:route_create"), route_post(teacher=district.teacher_a.pk)
    )
    route = Route.objects.get()
    assert response.status_code == 302 and response["Location"] == route.get_absolute_url()
    assert route.person == district.teacher_a.person
    assert route.organization == district.school_a
    assert route.status == RouteStatus.DRAFT
    assert route.created_by == district.curator_a
    assert route.ends_on == datetime.date(2030, 12, 1)
    assert route.area_rows.exists()


def test_a_forged_teacher_of_another_school_is_refused_beside_the_field(district, client_for):
    response = client_for(district.curator_a).post(
        reverse("programs:route_create"), route_post(teacher=district.teacher_b.pk)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["teacher"]
    assert 'id="error_1_id_teacher"' in response.content.decode()
    assert not Route.objects.exists()


def test_a_route_shorter_than_four_years_is_refused_beside_the_end(district, client_for):
    response = client_for(district.curator_a).post(
        reverse("programs:route_create"),
        route_post(teacher=district.teacher_a.pk, ends_on="2029-12-01"),
    )
    assert response.status_code == 200
    assert "ends_on" in response.context["form"].errors
    assert not Route.objects.exists()


def test_the_teacher_creates_their_own_route_without_a_teacher_field(district, client_for):
    client = client_for(district.mentee_a)
    page = client.get(reverse("programs:route_create"))
    assert "teacher" not in page.context["form"].fields
    response = client.post(
        reverse("programs:route_create"), route_post(teacher=district.teacher_a.pk)
    )
    route = Route.objects.get()
    assert response.status_code == 302
    assert route.person == district.mentee_a.person
    assert route.organization == district.school_a


def test_the_route_list_offers_the_curator_to_start_a_teachers_route(district, client_for):
    page = client_for(district.curator_a).get(reverse("programs:route_list"))
    assert reverse("programs:route_create") in page.content.decode()
    head_page = client_for(district.head_a).get(reverse("programs:route_list"))
    assert reverse("programs:route_create") not in head_page.content.decode()


# The bank's search ---------------------------------------------------------------------------


def test_searching_the_bank_for_elka_finds_a_product_titled_with_yo(district, client_for):
    product = Product.objects.create(
        title="Ёлка в начальной школе: сценарий урока",
        kind="lesson",
        description="Праздничный урок для второклассников",
        file="programs/bank/x.pdf",
        file_name="x.pdf",
        author=district.teacher_a.person,
        organization=district.school_a,
        status=ProductStatus.ACCEPTED,
    )
    client = client_for(district.curator_b)
    for query in ("елка", "ЁЛКА", "второКЛАССНИКОВ", "ёлкина"):
        page = client.get(reverse("programs:bank"), {"q": query}).content.decode()
        assert product.title in page, query
    assert (
        product.title not in client.get(reverse("programs:bank"), {"q": "сосна"}).content.decode()
    )
