"""A curator's daily work with the staff list: add, edit, dismiss, find."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from orgs.models import Employment, Person
from tests.factories import EmploymentFactory, PersonFactory, position

TODAY = datetime.date(2026, 11, 25)


def teacher_form(**overrides) -> dict:
    data = {
        "last_name": "Кузнецова",
        "first_name": "Дарья",
        "middle_name": "Игоревна",
        "position": position("uchitel").pk,
        "hired_on": "2026-09-01",
        "qualification_category": "none",
        "subjects": "русский язык, литература",
        "teaching_years": "1",
        "career_years": "2",
        "email": "kuznetsova@example.ru",
        "phone": "",
    }
    data.update(overrides)
    return data


@time_machine.travel(TODAY, tick=False)
def test_curator_adds_a_young_newcomer_who_shows_in_both_filters(district, client_for):
    client = client_for(district.curator_a)
    response = client.post(reverse("orgs:teacher_add", args=[district.school_a.pk]), teacher_form())
    assert response.status_code == 302
    staff_url = reverse("orgs:staff_list", args=[district.school_a.pk])
    page = client.get(staff_url, {"young_specialist": "true", "newcomer": "true"}).content.decode()
    assert "Кузнецова Дарья Игоревна" in page
    assert "Ёлкина" not in page  # ten years of experience, hired long ago
    person = Person.objects.get(last_name="Кузнецова")
    assert person.teaching_years == 1 and person.career_years == 2
    assert person.is_young_specialist


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("last_name", "", "Обязательное поле."),
        ("hired_on", "31.02.2026", "Введите правильную дату."),
        ("teaching_years", "5", "Педагогический стаж не может быть больше общего."),
        ("email", "not-an-email", "Введите правильный адрес электронной почты."),
        ("position", "999999", "Выберите корректный вариант."),
    ],
)
def test_bad_input_is_refused_with_a_russian_message_next_to_the_field(
    district, client_for, field, value, message
):
    before = Employment.objects.count(), Person.objects.count()
    response = client_for(district.curator_a).post(
        reverse("orgs:teacher_add", args=[district.school_a.pk]), teacher_form(**{field: value})
    )
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert message in response.content.decode()
    assert (Employment.objects.count(), Person.objects.count()) == before


def test_same_position_twice_in_one_school_is_refused(district, client_for):
    person = district.teacher_a.person
    person.email = "elkina@example.ru"
    person.save()
    before = Employment.objects.count()
    response = client_for(district.curator_a).post(
        reverse("orgs:teacher_add", args=[district.school_a.pk]),
        teacher_form(
            last_name="Ёлкина",
            first_name="Алёна",
            middle_name="Петровна",
            email="elkina@example.ru",
        ),
    )
    assert response.status_code == 200
    assert "уже занимает эту должность" in response.content.decode()
    assert Employment.objects.count() == before


def test_search_by_name_ignores_case_and_yo(district, client_for):
    client = client_for(district.curator_a)
    url = reverse("orgs:staff_list", args=[district.school_a.pk])
    for query in ("елкина", "ЁЛКИНА", "Елкина але"):
        page = client.get(url, {"q": query}).content.decode()
        assert "Ёлкина Алёна" in page, query
    assert "Ёлкина" not in client.get(url, {"q": "Берёзова"}).content.decode()


def test_curator_edits_a_teacher(district, client_for):
    url = reverse("orgs:teacher_edit", args=[district.teacher_a.pk])
    client = client_for(district.curator_a)
    form = client.get(url).context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data.update(qualification_category="first", phone="+7 913 000-00-00")
    assert client.post(url, data).status_code == 302
    district.teacher_a.refresh_from_db()
    assert district.teacher_a.qualification_category == "first"
    assert district.teacher_a.person.phone == "+7 913 000-00-00"


def test_saving_unchanged_form_keeps_experience_start(district, client_for):
    person = district.teacher_a.person
    person.teaching_since = datetime.date(2016, 3, 14)
    person.save()
    url = reverse("orgs:teacher_edit", args=[district.teacher_a.pk])
    client = client_for(district.curator_a)
    initial = client.get(url).context["form"].initial
    client.post(url, {k: ("" if v is None else v) for k, v in initial.items()})
    person.refresh_from_db()
    assert person.teaching_since == datetime.date(2016, 3, 14)


def test_dismissed_teacher_leaves_the_working_list_but_stays_in_all(district, client_for):
    client = client_for(district.curator_a)
    response = client.post(
        reverse("orgs:teacher_dismiss", args=[district.teacher_a.pk]),
        {"dismissed_on": "2026-10-01"},
    )
    assert response.status_code == 302
    url = reverse("orgs:staff_list", args=[district.school_a.pk])
    working = client.get(url, {"status": "active"}).context["object_list"]
    dismissed = client.get(url, {"status": "dismissed"}).context["object_list"]
    assert district.teacher_a not in working
    assert list(dismissed) == [district.teacher_a]


def test_dismissal_before_hiring_is_refused(district, client_for):
    district.teacher_a.hired_on = datetime.date(2020, 9, 1)
    district.teacher_a.save()
    response = client_for(district.curator_a).post(
        reverse("orgs:teacher_dismiss", args=[district.teacher_a.pk]),
        {"dismissed_on": "2019-01-01"},
    )
    assert response.status_code == 200
    assert "Дата увольнения не может быть раньше даты приёма." in response.content.decode()
    district.teacher_a.refresh_from_db()
    assert district.teacher_a.dismissed_on is None


def test_filters_are_remembered_and_can_be_reset(district, client_for):
    client = client_for(district.curator_a)
    url = reverse("orgs:staff_list", args=[district.school_a.pk])
    client.get(url, {"q": "Ёлкина"})
    response = client.get(url)
    assert response.status_code == 302 and "q=" in response["Location"]
    assert client.get(url, {"reset": "1"}).status_code == 302
    assert client.get(url).status_code == 200


@time_machine.travel(TODAY, tick=False)
def test_young_specialist_means_at_most_three_years_of_teaching(district):
    three = PersonFactory(teaching_since=datetime.date(2023, 11, 25))
    four = PersonFactory(teaching_since=datetime.date(2022, 11, 24))
    for person in (three, four):
        EmploymentFactory(person=person, organization=district.school_a)
    young = Employment.objects.young_specialists().values_list("person", flat=True)
    assert three.pk in young and four.pk not in young
    assert three.is_young_specialist and not four.is_young_specialist


@time_machine.travel(TODAY, tick=False)
def test_newcomer_means_hired_within_the_last_year(district):
    recent = EmploymentFactory(organization=district.school_a, hired_on=datetime.date(2025, 11, 26))
    old = EmploymentFactory(organization=district.school_a, hired_on=datetime.date(2025, 11, 25))
    newcomers = Employment.objects.newcomers()
    assert recent in newcomers and old not in newcomers


def test_teacher_forms_have_a_way_back(district, client_for):
    client = client_for(district.curator_a)
    add = client.get(reverse("orgs:teacher_add", args=[district.school_a.pk])).content.decode()
    staff_url = reverse("orgs:staff_list", args=[district.school_a.pk])
    assert f'href="{staff_url}">Отмена</a>' in add
    edit = client.get(reverse("orgs:teacher_edit", args=[district.teacher_a.pk])).content.decode()
    assert f'href="{district.teacher_a.person.get_absolute_url()}">Отмена</a>' in edit
