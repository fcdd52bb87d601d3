"""The public «Наставничество» pages: open to anyone, names only with consent to
publication, edited by the curator (school) and the coordinator (committee)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from community import services as community_services
from mentoring.models import MentorProfile
from public import services
from tests.mentoring.conftest import make_mentor

TODAY = datetime.date(2026, 11, 10)


@pytest.fixture
def pages(district):
    make_mentor(district.mentor_a.person, district.school_a)
    community_services.council_member_add(
        user=district.curator_a,
        organization=district.school_a,
        person=district.mentor_a.person,
        joined_on=TODAY,
    )
    committee = services.committee_page(district.municipality)
    school = services.organization_page(district.school_a)
    return committee, school


def school_url(pages) -> str:
    committee, school = pages
    return reverse("public:organization", args=[committee.slug, school.slug])


def test_an_anonymous_visitor_opens_the_committee_page_and_follows_a_school(client, pages):
    committee, school = pages
    page = client.get(reverse("public:committee", args=[committee.slug]))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="ru">' in html
    assert "noindex" not in html
    assert school_url(pages) in html
    assert client.get(school_url(pages)).status_code == 200


def test_the_school_page_shows_no_name_without_consent(client, district, pages):
    html = client.get(school_url(pages)).content.decode()
    person = district.mentor_a.person
    assert person.last_name not in html
    assert "имя не публикуется" in html or "(name not published)" in html


def test_consent_to_publication_shows_the_name_and_withdrawal_hides_it_again(
    client, district, pages, django_capture_on_commit_callbacks
):
    person = district.mentor_a.person
    assert person.last_name not in client.get(school_url(pages)).content.decode()  # cached now
    with django_capture_on_commit_callbacks(execute=True):  # the cache renews after commit
        services.consent_set(user=district.curator_a, person=person, given=True, on=TODAY)
    assert person.full_name in client.get(school_url(pages)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.consent_set(user=district.curator_a, person=person, given=False, on=TODAY)
    assert person.last_name not in client.get(school_url(pages)).content.decode()


def test_an_award_shows_on_the_committee_page_only_with_consent(
    client, district, pages, django_capture_on_commit_callbacks
):
    committee, _school = pages
    nomination = community_services.nomination_propose(
        user=district.curator_a,
        organization=district.school_a,
        person=district.mentor_a.person,
        kind="badge_honor",
        proposed_by="council",
        proposed_on=datetime.date.today(),
    )
    for stage in ("supported", "submitted", "awarded"):
        community_services.nomination_advance(
            user=district.coordinator, nomination=nomination, stage=stage, on=datetime.date.today()
        )
    url = reverse("public:committee", args=[committee.slug])
    services.bump_version()
    assert district.mentor_a.person.last_name not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.consent_set(
            user=district.curator_a, person=district.mentor_a.person, given=True, on=TODAY
        )
    assert district.mentor_a.person.full_name in client.get(url).content.decode()


def test_a_curator_of_another_school_cannot_record_a_consent(district):
    with pytest.raises(PermissionDenied):
        services.consent_set(
            user=district.curator_b, person=district.mentor_a.person, given=True, on=TODAY
        )


def test_the_curator_edits_the_school_page_and_the_coordinator_the_committee_page(
    client_for, district, pages
):
    committee, school = pages
    data = {
        "save_page": "1",
        "intro": "О наставничестве в школе",
        "documents": "",
        "contacts": "тел. 2-11-11",
    }
    curator = client_for(district.curator_a)
    response = curator.post(reverse("public:organization_edit", args=[district.school_a.pk]), data)
    assert response.status_code == 302
    assert (
        curator.get(reverse("public:committee_edit", args=[district.municipality.pk])).status_code
        == 403
    )
    assert "тел. 2-11-11" in curator.get(school_url(pages)).content.decode()
    coordinator = client_for(district.coordinator)
    assert (
        coordinator.get(
            reverse("public:organization_edit", args=[district.school_a.pk])
        ).status_code
        == 403
    )
    response = coordinator.post(
        reverse("public:committee_edit", args=[district.municipality.pk]),
        {
            "save_page": "1",
            "intro": "",
            "documents": "Приказ № 182 — https://example.org/182.pdf",
            "contacts": "",
        },
    )
    assert response.status_code == 302
    html = coordinator.get(reverse("public:committee", args=[committee.slug])).content.decode()
    assert '<a href="https://example.org/182.pdf">Приказ № 182</a>' in html


def test_addresses_are_latin_and_stable(district, pages):
    committee, school = pages
    assert committee.slug == "zmeinogorskiy-rayon"
    assert services.organization_page(district.school_a).slug == school.slug
    assert MentorProfile.objects.count() == 1


def test_a_best_practice_hides_its_authors_name_from_the_title_without_consent(
    client, district, pages
):
    from programs.models import Product

    committee, _school = pages
    Product.objects.create(
        title=f"Урок-исследование: {district.mentee_a.person.short_name}",
        kind="lesson",
        status="accepted",
        organization=district.school_a,
        author=district.mentee_a.person,
        decided_at=timezone.now(),
    )
    services.bump_version()
    html = client.get(reverse("public:committee", args=[committee.slug])).content.decode()
    assert "Урок-исследование" in html
    assert district.mentee_a.person.last_name not in html
