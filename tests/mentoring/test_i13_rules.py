"""Rules of issue 13 in mentoring: the form of a pair against its people, reasons for
dismissing a candidate and for ending a pair early, attestation on the needs list, and the
pair card's offer to draw up a program."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mentoring import services
from mentoring.models import EndReason, NeedEntry, NeedReason, NeedStatus, PairStatus
from orgs.models import AttestationResult
from tests.factories import EmploymentFactory, PersonFactory, position
from tests.mentoring.conftest import TODAY, make_mentor


def refused(action, field):
    with pytest.raises(ValidationError) as error:
        action()
    assert field in error.value.message_dict, error.value.message_dict
    return error.value.message_dict[field]


def test_the_head_to_teacher_form_needs_the_head_as_mentor(
    district, mentor_profile, pair_data, forms
):
    messages = refused(
        lambda: services.pair_register(
            curator=district.curator_a,
            organization=district.school_a,
            data=pair_data(form=forms["rukovoditel_pedagog"]),
        ),
        "mentor",
    )
    assert "руководитель" in messages[0] or "head" in messages[0]
    head = PersonFactory(last_name="Директорова")
    EmploymentFactory(person=head, organization=district.school_a, position=position("rukovoditel"))
    make_mentor(head, district.school_a)
    pair = services.pair_register(
        curator=district.curator_a,
        organization=district.school_a,
        data=pair_data(mentor=head, form=forms["rukovoditel_pedagog"]),
    )
    assert pair.form.code == "rukovoditel_pedagog"


def test_the_employer_to_student_form_needs_a_student_mentee(
    district, mentor_profile, pair_data, forms
):
    refused(
        lambda: services.pair_register(
            curator=district.curator_a,
            organization=district.school_a,
            data=pair_data(form=forms["rabotodatel_student"]),
        ),
        "mentees",
    )
    student = district.mentee_a.person
    student.is_student = True
    student.save()
    pair = services.pair_register(
        curator=district.curator_a,
        organization=district.school_a,
        data=pair_data(form=forms["rabotodatel_student"]),
    )
    assert pair.pk


def test_the_college_to_young_teacher_form_needs_a_young_specialist(
    district, mentor_profile, pair_data, forms
):
    # The factory's mentee has ten years of experience.
    refused(
        lambda: services.pair_register(
            curator=district.curator_a,
            organization=district.school_a,
            data=pair_data(form=forms["vuz_molodoy_pedagog"]),
        ),
        "mentees",
    )


def test_the_teacher_to_teacher_form_refuses_an_educator_of_a_kindergarten(
    district, mentor_profile, pair_data, forms
):
    educator = PersonFactory(last_name="Воспитателева")
    EmploymentFactory(
        person=educator, organization=district.school_a, position=position("vospitatel")
    )
    refused(
        lambda: services.pair_register(
            curator=district.curator_a,
            organization=district.school_a,
            data=pair_data(mentees=[educator], form=forms["uchitel_uchitel"]),
        ),
        "mentees",
    )


def test_ending_early_needs_a_reason_from_the_list_and_words_for_other(district, active_pair):
    refused(
        lambda: services.pair_end_early(
            user=district.curator_a, pair=active_pair, reason_code="bored", today=TODAY
        ),
        "reason_code",
    )
    refused(
        lambda: services.pair_end_early(
            user=district.curator_a, pair=active_pair, reason_code=EndReason.OTHER, today=TODAY
        ),
        "reason",
    )
    services.pair_end_early(
        user=district.curator_a,
        pair=active_pair,
        reason_code=EndReason.MENTEE_LEFT,
        reason="переезд",
        today=TODAY,
    )
    active_pair.refresh_from_db()
    assert active_pair.status == PairStatus.ENDED_EARLY
    assert active_pair.end_reason_code == EndReason.MENTEE_LEFT
    assert active_pair.end_reason.endswith("переезд")


def test_the_end_early_form_on_the_pair_card_refuses_no_reason(district, active_pair, client_for):
    client = client_for(district.curator_a)
    url = reverse("mentoring:pair_end_early", args=[active_pair.pk])
    assert client.post(url, {"reason_code": "", "reason": ""}).status_code == 400
    response = client.post(url, {"reason_code": "health", "reason": ""})
    assert response.status_code == 302
    active_pair.refresh_from_db()
    assert active_pair.status == PairStatus.ENDED_EARLY


def _proposed(district):
    services.needs_propose(user=district.curator_a, organization=district.school_a, today=TODAY)


def test_dismissing_a_candidate_needs_a_reason_from_the_list(district):
    EmploymentFactory(organization=district.school_a, hired_on=TODAY - datetime.timedelta(days=30))
    _proposed(district)
    entry = NeedEntry.objects.get()
    decide = lambda **kw: services.need_decide(  # noqa: E731
        user=district.curator_a, entry=entry, status=NeedStatus.DISMISSED, today=TODAY, **kw
    )
    refused(decide, "dismiss_reason")
    refused(lambda: decide(dismiss_reason="other"), "note")
    decide(dismiss_reason="other", note="Переводится в другую школу")
    entry.refresh_from_db()
    assert entry.status == NeedStatus.DISMISSED
    assert entry.dismiss_reason == "other"
    assert entry.note == "Переводится в другую школу"


def test_the_dismiss_button_without_a_reason_leaves_the_candidate_proposed(district, client_for):
    EmploymentFactory(organization=district.school_a, hired_on=TODAY - datetime.timedelta(days=30))
    _proposed(district)
    entry = NeedEntry.objects.get()
    client = client_for(district.curator_a)
    client.post(reverse("mentoring:need_decide", args=[entry.pk, "dismissed"]), {})
    entry.refresh_from_db()
    assert entry.status == NeedStatus.PROPOSED
    client.post(
        reverse("mentoring:need_decide", args=[entry.pk, "dismissed"]),
        {"dismiss_reason": "experienced"},
    )
    entry.refresh_from_db()
    assert entry.status == NeedStatus.DISMISSED


def test_teachers_attested_this_year_or_failed_are_proposed_after_attestation(district):
    attested = PersonFactory(
        last_name="Аттестованная",
        last_attested_on=TODAY - datetime.timedelta(days=100),
        attestation_result=AttestationResult.PASSED,
    )
    failed = PersonFactory(
        last_name="Неаттестованная",
        last_attested_on=TODAY - datetime.timedelta(days=500),
        attestation_result=AttestationResult.FAILED,
    )
    long_ago = PersonFactory(
        last_name="Давноаттестованная",
        last_attested_on=TODAY - datetime.timedelta(days=800),
        attestation_result=AttestationResult.PASSED,
    )
    for person in (attested, failed, long_ago):
        EmploymentFactory(person=person, organization=district.school_a)
    _proposed(district)
    reasons = dict(NeedEntry.objects.values_list("person__last_name", "reason"))
    assert reasons["Аттестованная"] == NeedReason.AFTER_ATTESTATION
    assert reasons["Неаттестованная"] == NeedReason.AFTER_ATTESTATION
    assert "Давноаттестованная" not in reasons


def test_the_pair_card_offers_to_draw_up_a_program_until_there_is_one(
    district, active_pair, client_for
):
    from programs import services as programs_services
    from programs.models import DifficultyArea
    from tests.programs.conftest import program_data

    client = client_for(district.mentor_a)
    url = reverse("mentoring:pair_detail", args=[active_pair.pk])
    create = reverse("programs:program_create", args=[active_pair.pk, district.mentee_a.person_id])
    assert create in client.get(url).content.decode()
    areas = {area.code: area for area in DifficultyArea.objects.all()}
    programs_services.program_create(
        user=district.mentor_a,
        pair=active_pair,
        mentee=district.mentee_a.person,
        data=program_data(areas),
    )
    assert create not in client.get(url).content.decode()
