"""Screens: each user sees their own, foreign objects are not found, actions are POST."""

from __future__ import annotations

import datetime
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from mentoring import services
from mentoring.models import Meeting, MentorProfile, NeedEntry, NeedStatus, Pair, PairStatus
from tests.factories import EmploymentFactory, PersonFactory


def xlsx_rows(response) -> list[tuple]:
    sheet = load_workbook(BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))


LIST_URLS = [
    "/mentoring/mentors/",
    "/mentoring/needs/",
    "/mentoring/pairs/",
    "/mentoring/meetings/",
    "/mentoring/my/pairs/",
    "/mentoring/my/mentor/",
]


@pytest.mark.parametrize("url", LIST_URLS)
def test_anonymous_visitor_is_sent_to_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("url", LIST_URLS)
def test_every_list_opens_for_the_curator(district, meeting, client_for, url):
    assert client_for(district.curator_a).get(url).status_code == 200


# The pair card ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona",
    ["curator_a", "head_a", "coordinator", "school_specialist", "mentor_a", "mentee_a"],
)
def test_pair_card_opens_for_everyone_concerned(district, active_pair, client_for, persona):
    response = client_for(getattr(district, persona)).get(f"/mentoring/pairs/{active_pair.pk}/")
    assert response.status_code == 200
    assert "Методика урока математики" in response.content.decode()


@pytest.mark.parametrize("persona", ["curator_b", "kindergarten_specialist", "foreign_coordinator"])
def test_pair_card_is_not_found_for_strangers(district, active_pair, client_for, persona):
    response = client_for(getattr(district, persona)).get(f"/mentoring/pairs/{active_pair.pk}/")
    assert response.status_code == 404


def test_mentor_of_another_pair_gets_404(district, active_pair, mentor_b, pair_data, client_for):
    other_user = district.mentor_a.__class__.objects.create(
        username="mentor_b", person=mentor_b.person
    )
    response = client_for(other_user).get(f"/mentoring/pairs/{active_pair.pk}/")
    assert response.status_code == 404
    assert (
        client_for(other_user)
        .get("/mentoring/meetings/")
        .content.decode()
        .count("Разбор открытого урока")
        == 0
    )


def test_a_pair_across_organizations_belongs_to_the_school_that_registered_it(
    district, mentor_b, pair_data, client_for
):
    # Access follows the organization holding the pair (and its members), not the employer
    # of a person in it: the mentor's school B neither sees nor changes school A's pair.
    pair = services.pair_register(
        curator=district.curator_a,
        organization=district.school_a,
        data=pair_data(mentor=mentor_b.person),
    )
    client = client_for(district.curator_b)
    assert client.get(f"/mentoring/pairs/{pair.pk}/").status_code == 404
    assert client.post(f"/mentoring/pairs/{pair.pk}/activate/").status_code == 404
    assert Pair.objects.get().status == PairStatus.DRAFT
    assert client_for(district.curator_a).get(f"/mentoring/pairs/{pair.pk}/").status_code == 200


def test_mentor_and_mentee_cannot_change_the_pair(district, active_pair, client_for):
    for user in (district.mentor_a, district.mentee_a, district.coordinator):
        response = client_for(user).post(f"/mentoring/pairs/{active_pair.pk}/complete/")
        assert response.status_code == 403
    assert Pair.objects.get().status == PairStatus.ACTIVE


def test_state_changes_are_post_only(district, mentor_profile, pair_data, client_for):
    pair = services.pair_register(
        curator=district.curator_a, organization=district.school_a, data=pair_data()
    )
    client = client_for(district.curator_a)
    assert client.get(f"/mentoring/pairs/{pair.pk}/activate/").status_code == 405
    response = client.post(f"/mentoring/pairs/{pair.pk}/activate/", follow=True)
    assert "Пара начала работу." in response.content.decode()
    assert Pair.objects.get().status == PairStatus.ACTIVE


def test_ending_early_without_a_reason_shows_the_error_and_changes_nothing(
    district, active_pair, client_for
):
    response = client_for(district.curator_a).post(
        f"/mentoring/pairs/{active_pair.pk}/end-early/", {"reason": ""}
    )
    assert response.status_code == 400
    assert Pair.objects.get().status == PairStatus.ACTIVE


# Registering through the form ------------------------------------------------------------


def pair_form_data(district, forms, mentor_profile, **overrides) -> dict:
    data = {
        "organization": district.school_a.pk,
        "mentor": mentor_profile.pk,
        "mentees": [district.mentee_a.person.pk],
        "form": forms["pedagog_pedagog"].pk,
        "kind": forms["tradicionnoe"].pk,
        "topic": "Классное руководство",
        "planned_start": "2026-09-01",
        "planned_end": "2027-05-31",
        "order_number": "12",
        "order_date": "2026-08-28",
        "agreed_on": "2026-08-27",
    }
    data.update(overrides)
    return data


def test_curator_registers_a_pair_through_the_form(district, forms, mentor_b, client_for):
    response = client_for(district.curator_a).post(
        "/mentoring/pairs/add/", pair_form_data(district, forms, mentor_b)
    )
    pair = Pair.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/mentoring/pairs/{pair.pk}/"
    assert pair.mentor == mentor_b.person


def test_overload_shows_a_checkbox_that_must_be_ticked(district, forms, mentor_profile, client_for):
    mentor_profile.max_mentees = 1
    mentor_profile.save()
    data = pair_form_data(
        district,
        forms,
        mentor_profile,
        kind=forms["v_gruppe"].pk,
        mentees=[district.mentee_a.person.pk, district.teacher_a.person.pk],
    )
    client = client_for(district.curator_a)
    response = client.post("/mentoring/pairs/add/", data)
    assert response.status_code == 200
    assert 'name="confirm_overload"' in response.content.decode()
    assert response.context["form"].errors["confirm_overload"]
    assert not Pair.objects.exists()
    response = client.post("/mentoring/pairs/add/", {**data, "confirm_overload": "on"})
    assert response.status_code == 302
    assert Pair.objects.count() == 1


def test_form_shows_the_end_before_start_error_beside_the_field(
    district, forms, mentor_profile, client_for
):
    response = client_for(district.curator_a).post(
        "/mentoring/pairs/add/",
        pair_form_data(district, forms, mentor_profile, planned_end="2026-08-01"),
    )
    assert response.context["form"].errors["planned_end"]
    assert not Pair.objects.exists()


def test_mentor_cannot_open_the_registration_form(district, client_for):
    assert client_for(district.mentor_a).get("/mentoring/pairs/add/").status_code == 403


# Meetings --------------------------------------------------------------------------------


def meeting_form_data(district, **overrides) -> dict:
    held = timezone.localtime() - datetime.timedelta(days=1)
    data = {
        "held_at": held.strftime("%Y-%m-%dT%H:%M"),
        "format": "online",
        "link": "https://sferum.ru/call/1",
        "duration_minutes": 40,
        "topic": "Подготовка к ВПР",
        "attended": [district.mentee_a.person.pk],
        "notes": "",
    }
    data.update(overrides)
    return data


def test_mentor_logs_a_meeting_with_a_file(district, active_pair, client_for):
    data = meeting_form_data(district)
    data["files"] = SimpleUploadedFile("план.pdf", b"%PDF-1.4 plan")
    response = client_for(district.mentor_a).post(
        f"/mentoring/pairs/{active_pair.pk}/meetings/add/", data
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    stored = meeting.files.get()
    download = client_for(district.mentee_a).get(f"/mentoring/meetings/files/{stored.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 plan"
    assert (
        client_for(district.curator_b).get(f"/mentoring/meetings/files/{stored.pk}/").status_code
        == 404
    )


def test_quick_meeting_form_answers_htmx_with_a_partial(district, active_pair, client_for):
    response = client_for(district.mentor_a).post(
        f"/mentoring/pairs/{active_pair.pk}/meetings/add/",
        meeting_form_data(district, link=""),
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert response.context["form"].errors["link"]
    assert not Meeting.objects.exists()
    response = client_for(district.mentor_a).post(
        f"/mentoring/pairs/{active_pair.pk}/meetings/add/",
        meeting_form_data(district),
        HTTP_HX_REQUEST="true",
    )
    assert response.context["logged"] == Meeting.objects.get()


def test_curator_cannot_log_a_meeting_for_the_mentor(district, active_pair, client_for):
    response = client_for(district.curator_a).post(
        f"/mentoring/pairs/{active_pair.pk}/meetings/add/", meeting_form_data(district)
    )
    assert response.status_code == 403
    assert not Meeting.objects.exists()


def test_mentee_sees_and_confirms_a_meeting(district, meeting, client_for):
    client = client_for(district.mentee_a)
    page = client.get("/mentoring/my/mentor/").content.decode()
    assert "Разбор открытого урока" in page
    response = client.post(f"/mentoring/meetings/{meeting.pk}/confirm/", {"next": "my_mentor"})
    assert response.status_code == 302
    assert meeting.attendances.get().confirmed_at is not None


def test_mentor_cannot_confirm_for_the_mentee(district, meeting, client_for):
    response = client_for(district.mentor_a).post(f"/mentoring/meetings/{meeting.pk}/confirm/")
    assert response.status_code == 403


def test_meeting_of_another_school_is_not_found(district, meeting, client_for):
    response = client_for(district.curator_b).post(f"/mentoring/meetings/{meeting.pk}/confirm/")
    assert response.status_code == 404
    assert (
        client_for(district.curator_b).get(f"/mentoring/meetings/{meeting.pk}/edit/").status_code
        == 404
    )


def test_mentee_cannot_edit_a_meeting(district, meeting, client_for):
    assert (
        client_for(district.mentee_a).get(f"/mentoring/meetings/{meeting.pk}/edit/").status_code
        == 403
    )


# Needs -------------------------------------------------------------------------------------


def test_curator_finds_and_confirms_candidates(district, client_for):
    EmploymentFactory(
        organization=district.school_a,
        person=PersonFactory(last_name="Новикова"),
        hired_on=timezone.localdate() - datetime.timedelta(days=20),
    )
    client = client_for(district.curator_a)
    url = f"/mentoring/needs/organization/{district.school_a.pk}/"
    assert 'data-testid="need-Новикова"' not in client.get(url).content.decode()
    client.post(url + "propose/")
    assert 'data-testid="need-Новикова"' in client.get(url).content.decode()
    entry = NeedEntry.objects.get()
    client.post(f"/mentoring/needs/{entry.pk}/confirmed/")
    entry.refresh_from_db()
    assert entry.status == NeedStatus.CONFIRMED


@pytest.mark.parametrize("persona", ["curator_b", "kindergarten_specialist", "mentor_a"])
def test_needs_list_of_another_school_is_not_found(district, client_for, persona):
    url = f"/mentoring/needs/organization/{district.school_a.pk}/"
    assert client_for(getattr(district, persona)).get(url).status_code == 404


def test_coordinator_reads_the_needs_list_but_does_not_decide(district, client_for):
    EmploymentFactory(
        organization=district.school_a, hired_on=timezone.localdate() - datetime.timedelta(days=20)
    )
    services.needs_propose(
        user=district.curator_a, organization=district.school_a, today=timezone.localdate()
    )
    entry = NeedEntry.objects.get()
    client = client_for(district.coordinator)
    assert client.get(f"/mentoring/needs/organization/{district.school_a.pk}/").status_code == 200
    assert client.post(f"/mentoring/needs/{entry.pk}/confirmed/").status_code == 403


# Exports ------------------------------------------------------------------------------------


def test_pair_export_holds_only_visible_pairs(
    district, active_pair, mentor_b, pair_data, client_for
):
    own_b = services.pair_register(
        curator=district.curator_b,
        organization=district.school_b,
        data=pair_data(mentor=mentor_b.person, mentees=[district.teacher_b.person], topic="Физика"),
    )
    rows_a = xlsx_rows(client_for(district.curator_a).get("/mentoring/pairs/?export=xlsx"))
    topics_a = {row[5] for row in rows_a[1:]}
    assert topics_a == {"Методика урока математики"}
    rows_b = xlsx_rows(client_for(district.curator_b).get("/mentoring/pairs/?export=xlsx"))
    assert {row[5] for row in rows_b[1:]} == {own_b.topic}


def test_meeting_export_is_scoped(district, meeting, client_for):
    rows = xlsx_rows(client_for(district.mentor_a).get("/mentoring/meetings/?export=xlsx"))
    assert [row[4] for row in rows[1:]] == ["Разбор открытого урока"]
    rows = xlsx_rows(client_for(district.curator_b).get("/mentoring/meetings/?export=xlsx"))
    assert rows[1:] == []


def test_mentor_bank_is_searchable_across_the_municipality(
    district, mentor_profile, mentor_b, client_for
):
    client = client_for(district.curator_a)
    rows = xlsx_rows(client.get("/mentoring/mentors/?export=xlsx"))
    assert {row[1] for row in rows[1:]} == {"Барановская СОШ", "Таловская СОШ"}
    rows = xlsx_rows(client.get("/mentoring/mentors/?subject=физ&export=xlsx"))
    assert [row[0] for row in rows[1:]] == [mentor_b.person.full_name]
    rows = xlsx_rows(client.get("/mentoring/mentors/?topic=parents&free=true&export=xlsx"))
    assert [row[0] for row in rows[1:]] == [mentor_b.person.full_name]
    rows = xlsx_rows(
        client_for(district.foreign_coordinator).get("/mentoring/mentors/?export=xlsx")
    )
    assert rows[1:] == []


def test_mentor_profile_of_another_municipality_is_not_found(district, mentor_profile, client_for):
    response = client_for(district.foreign_coordinator).get(
        f"/mentoring/mentors/{mentor_profile.pk}/"
    )
    assert response.status_code == 404
    assert (
        client_for(district.curator_b)
        .get(f"/mentoring/mentors/{mentor_profile.pk}/edit/")
        .status_code
        == 403
    )


# Editing ------------------------------------------------------------------------------------


def test_curator_edits_a_pair_and_the_card_shows_the_change_in_history(
    district, forms, mentor_profile, active_pair, client_for
):
    client = client_for(district.curator_a)
    assert client.get(f"/mentoring/pairs/{active_pair.pk}/edit/").status_code == 200
    data = pair_form_data(district, forms, mentor_profile, topic="Новая тема", order_number="45-о")
    data["order_date"] = "2026-08-30"
    response = client.post(f"/mentoring/pairs/{active_pair.pk}/edit/", data)
    assert response.status_code == 302
    card = client.get(f"/mentoring/pairs/{active_pair.pk}/").content.decode()
    assert "Методика урока математики → Новая тема" in card
    assert (
        client_for(district.mentor_a).get(f"/mentoring/pairs/{active_pair.pk}/edit/").status_code
        == 403
    )


def test_mentor_edits_their_meeting(district, meeting, client_for):
    data = meeting_form_data(district, topic="Исправленная тема")
    response = client_for(district.mentor_a).post(f"/mentoring/meetings/{meeting.pk}/edit/", data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.topic == "Исправленная тема"


def test_curator_adds_a_mentor_with_evidence_that_only_the_district_downloads(district, client_for):
    response = client_for(district.curator_a).post(
        "/mentoring/mentors/add/",
        {
            "person": district.teacher_a.person.pk,
            "organization": district.school_a.pk,
            "results": "Победитель конкурса «Педагогический дебют»",
            "topics": ["methods", "parents"],
            "max_mentees": 2,
            "is_active": "on",
            "evidence": SimpleUploadedFile("диплом.pdf", b"%PDF-1.4 diploma"),
        },
    )
    assert response.status_code == 302
    profile = MentorProfile.objects.get()
    assert profile.topics == ["methods", "parents"]
    download = client_for(district.curator_b).get(f"/mentoring/mentors/{profile.pk}/evidence/")
    assert download.status_code == 200
    assert (
        "диплом.pdf" in download["Content-Disposition"]
        or "filename*" in download["Content-Disposition"]
    )
    assert (
        client_for(district.foreign_coordinator)
        .get(f"/mentoring/mentors/{profile.pk}/evidence/")
        .status_code
        == 404
    )


def test_a_mentor_profile_with_a_bad_evidence_file_is_refused(district, client_for):
    response = client_for(district.curator_a).post(
        "/mentoring/mentors/add/",
        {
            "person": district.teacher_a.person.pk,
            "organization": district.school_a.pk,
            "results": "Высшая категория",
            "topics": ["methods"],
            "max_mentees": 2,
            "evidence": SimpleUploadedFile("run.exe", b"MZ"),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["evidence"]
    assert not MentorProfile.objects.exists()
