"""The coordinator keeps the committee's orders in the portal: list, add, edit the points
with their deadlines and to whom they apply, archive (never delete). Specialists, heads and
curators of the municipality read; nobody else edits; bad dates get a Russian message beside
the field and change nothing; a double click saves once."""

from __future__ import annotations

import datetime
import uuid

import pytest
import time_machine
from django.urls import reverse

from core.idempotency import TOKEN_FIELD
from monitoring import indicators as ind
from monitoring.models import DeadlineKind, Order, OrderPoint
from orgs.models import OrganizationKind

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 10)


@pytest.fixture(autouse=True)
def travel():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def order(district):
    order = Order.objects.create(
        municipality=district.municipality, number="182", signed_on=datetime.date(2022, 5, 12),
        title="Об утверждении Положения о наставничестве",
    )  # fmt: skip
    OrderPoint.objects.create(
        order=order, kind=DeadlineKind.REGULATION_ADOPTED, due_on=datetime.date(2022, 8, 1)
    )
    return order


def data(**overrides) -> dict:
    values = {
        "number": "95",
        "signed_on": "2026-06-02",
        "title": "О переутверждении положений",
        "due_regulation_adopted": "2026-08-01",
        "due_regulation_published": "2026-08-10",
        "due_system_working": "",
        "applies_to": "kind",
        "organization_kind": OrganizationKind.PRESCHOOL,
        TOKEN_FIELD: str(uuid.uuid4()),
    }
    values.update(overrides)
    return values


def test_the_coordinator_adds_an_order_with_its_points_and_a_double_click_saves_once(
    district, client_for
):
    client = client_for(district.coordinator)
    url = reverse("monitoring:order_add")
    assert client.get(url).status_code == 200
    payload = data()
    first = client.post(url, payload)
    second = client.post(url, payload)
    assert first.status_code == 302 and second.status_code == 302
    order = Order.objects.get(number="95")
    assert order.municipality == district.municipality
    assert order.organization_kind == OrganizationKind.PRESCHOOL
    assert sorted((p.kind, p.due_on) for p in order.points.all()) == [
        (DeadlineKind.REGULATION_ADOPTED, datetime.date(2026, 8, 1)),
        (DeadlineKind.REGULATION_PUBLISHED, datetime.date(2026, 8, 10)),
    ]
    assert Order.objects.filter(number="95").count() == 1
    listing = client.get(reverse("monitoring:order_list")).content.decode()
    assert "О переутверждении положений" in listing
    assert "Распространяется на организации типа" in listing


def test_the_coordinator_edits_the_points_and_names_the_organizations_that_joined_later(
    district, client_for, order
):
    client = client_for(district.coordinator)
    url = reverse("monitoring:order_edit", args=[order.pk])
    page = client.get(url).content.decode()
    assert "2022-08-01" in page  # the point's deadline is in the form
    response = client.post(
        url,
        data(
            number="182", signed_on="2022-05-12", title=order.title,
            due_regulation_adopted="2022-08-15", due_regulation_published="",
            due_system_working="2022-09-01", applies_to="named",
            organizations=[district.kindergarten_b.pk],
        ),
    )  # fmt: skip
    assert response.status_code == 302
    order.refresh_from_db()
    assert sorted((p.kind, p.due_on) for p in order.points.all()) == [
        (DeadlineKind.REGULATION_ADOPTED, datetime.date(2022, 8, 15)),
        (DeadlineKind.SYSTEM_WORKING, datetime.date(2022, 9, 1)),
    ]
    assert list(order.organizations.all()) == [district.kindergarten_b]
    assert order.organization_kind == ""
    # The dashboard's compliance now binds only the organization named.
    results = ind.order_compliance(ind.Scope(municipality_id=district.municipality.pk), TODAY)
    [result] = [r for r in results if r.order == order]
    assert [row.organization for row in result.rows] == [district.kindergarten_b]


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"due_regulation_adopted": "2026-05-01"}, "due_regulation_adopted",
         "Срок не может быть раньше даты приказа."),
        ({"signed_on": "2027-01-15"}, "signed_on", "Приказ не может быть датирован позже сегодняшнего дня."),
        ({"signed_on": "31.02.2026"}, "signed_on", "Введите правильную дату."),
        ({"due_regulation_published": "2026-13-01"}, "due_regulation_published",
         "Введите правильную дату."),
        ({"due_regulation_adopted": "", "due_regulation_published": ""},
         "due_regulation_adopted", "Укажите хотя бы один пункт со сроком."),
        ({"organization_kind": ""}, "organization_kind", "Выберите тип организаций."),
        ({"applies_to": "named", "organization_kind": ""}, "organizations", "Выберите организации."),
    ],
)  # fmt: skip
def test_bad_input_gets_a_russian_message_beside_the_field_and_saves_nothing(
    district, client_for, overrides, field, message
):
    client = client_for(district.coordinator)
    response = client.post(reverse("monitoring:order_add"), data(**overrides))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert not Order.objects.filter(number="95").exists()


def test_the_same_order_twice_is_refused_with_a_message(district, client_for, order):
    client = client_for(district.coordinator)
    response = client.post(
        reverse("monitoring:order_add"),
        data(number="182", signed_on="2022-05-12", due_regulation_adopted="2022-08-01"),
    )
    assert response.status_code == 200
    assert "Этот приказ уже внесён." in response.context["form"].errors["number"]
    assert Order.objects.filter(number="182").count() == 1


def test_archiving_keeps_the_order_and_frees_the_organizations_from_it(district, client_for, order):
    client = client_for(district.coordinator)
    response = client.post(reverse("monitoring:order_archive", args=[order.pk]), {"archived": "1"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.archived_at is not None
    scope = ind.Scope(municipality_id=district.municipality.pk)
    assert all(result.order != order for result in ind.order_compliance(scope, TODAY))
    listing = client.get(reverse("monitoring:order_list")).content.decode()
    assert "Архив приказов" in listing and order.title in listing
    # An archived order is not edited; it may come back.
    assert client.get(reverse("monitoring:order_edit", args=[order.pk])).status_code == 302
    client.post(reverse("monitoring:order_archive", args=[order.pk]), {"archived": "0"})
    order.refresh_from_db()
    assert order.archived_at is None


@pytest.mark.parametrize("persona", ["school_specialist", "kindergarten_specialist", "curator_a",
                                     "head_a"])  # fmt: skip
def test_specialists_heads_and_curators_read_the_orders_but_do_not_edit(
    district, client_for, order, persona
):
    client = client_for(getattr(district, persona))
    listing = client.get(reverse("monitoring:order_list"))
    assert listing.status_code == 200
    assert order.title in listing.content.decode()
    assert reverse("monitoring:order_edit", args=[order.pk]) not in listing.content.decode()
    assert client.get(reverse("monitoring:order_add")).status_code == 403
    assert client.post(reverse("monitoring:order_add"), data()).status_code == 403
    edit = reverse("monitoring:order_edit", args=[order.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, data(number="182")).status_code == 403
    archive = reverse("monitoring:order_archive", args=[order.pk])
    assert client.post(archive, {"archived": "1"}).status_code == 403
    order.refresh_from_db()
    assert order.number == "182" and order.archived_at is None
    assert not Order.objects.filter(number="95").exists()


def test_the_coordinator_of_another_municipality_finds_no_order_of_this_one(
    district, client_for, order
):
    client = client_for(district.foreign_coordinator)
    assert order.title not in client.get(reverse("monitoring:order_list")).content.decode()
    assert client.get(reverse("monitoring:order_edit", args=[order.pk])).status_code == 404
    archive = reverse("monitoring:order_archive", args=[order.pk])
    assert client.post(archive, {"archived": "1"}).status_code == 404
    order.refresh_from_db()
    assert order.archived_at is None


def test_a_mentor_has_no_orders_page(district, client_for):
    assert client_for(district.mentor_a).get(reverse("monitoring:order_list")).status_code == 403
