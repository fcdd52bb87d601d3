"""Consent to the processing of personal data (152-ФЗ) and the voluntary agreement to mentor."""

from __future__ import annotations

import datetime

from django.urls import reverse

from mentoring.models import MentoringForm, Pair
from orgs.models import Consent
from tests.factories import UserFactory
from tests.mentoring.conftest import make_mentor
from tests.mentoring.test_views import pair_form_data


def test_the_staff_list_flags_teachers_without_consent_and_the_coordinator_sees_the_count(
    district, client_for
):
    page = client_for(district.curator_a).get(
        reverse("orgs:staff_list", args=[district.school_a.pk])
    )
    text = page.content.decode()
    assert "нет согласия" in text
    assert page.context["without_consent"] == 3  # Ёлкина, the mentor and the mentee
    client = client_for(district.coordinator)
    # The five working teachers of the district (two schools and a kindergarten).
    assert client.get(reverse("orgs:district_staff")).context["without_consent"] == 5


def test_the_curator_records_a_consent_and_the_flag_goes(district, client_for):
    person = district.teacher_a.person
    client = client_for(district.curator_a)
    response = client.post(
        reverse("orgs:consent_edit", args=[person.pk]),
        {"given_on": "2026-09-01", "document": "заявление № 12, личное дело"},
    )
    assert response.status_code == 302
    consent = Consent.objects.get(person=person)
    assert (consent.given_on, consent.recorded_by) == (
        datetime.date(2026, 9, 1),
        district.curator_a,
    )
    card = client.get(person.get_absolute_url()).content.decode()
    assert "заявление № 12, личное дело" in card and "нет согласия" not in card


def test_another_school_cannot_record_her_consent(district, client_for):
    url = reverse("orgs:consent_edit", args=[district.teacher_a.person.pk])
    response = client_for(district.curator_b).post(
        url, {"given_on": "2026-09-01", "document": "подделка"}
    )
    assert response.status_code == 404
    assert not Consent.objects.exists()


def test_a_withdrawn_consent_hides_her_personal_fields_from_all_but_the_administrator(
    district, client_for
):
    person = district.teacher_a.person
    person.email, person.phone = "elkina@example.ru", "+7 900 123-45-67"
    person.save()
    Consent.objects.create(
        person=person,
        given_on=datetime.date(2025, 9, 1),
        document="личное дело",
        withdrawn_on=datetime.date(2026, 10, 1),
    )
    for user in (district.curator_a, district.coordinator, district.head_a):
        card = client_for(user).get(person.get_absolute_url()).content.decode()
        assert "elkina@example.ru" not in card and "+7 900 123-45-67" not in card, user
        assert "согласие отозвано" in card
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    card = client_for(admin).get(person.get_absolute_url()).content.decode()
    assert "elkina@example.ru" in card and "+7 900 123-45-67" in card


def test_registering_a_pair_records_the_voluntary_agreement(district, client_for):
    profile = make_mentor(district.mentor_a.person, district.school_a)
    forms = {form.code: form for form in MentoringForm.objects.all()}
    client = client_for(district.curator_a)
    data = pair_form_data(district, forms, profile, agreed_on="2026-08-25")
    assert client.post(reverse("mentoring:pair_add"), data).status_code == 302
    pair = Pair.objects.get()
    assert (pair.mentor_agreed_on, pair.mentor_agreement_recorded_by) == (
        datetime.date(2026, 8, 25),
        district.curator_a,
    )
    membership = pair.memberships.get()
    assert (membership.agreed_on, membership.agreement_recorded_by) == (
        datetime.date(2026, 8, 25),
        district.curator_a,
    )
    # Without the date the form refuses: joining is voluntary and that is on record.
    data = pair_form_data(district, forms, profile, agreed_on="", topic="Другая тема")
    assert client.post(reverse("mentoring:pair_add"), data).status_code == 200
    assert Pair.objects.count() == 1
