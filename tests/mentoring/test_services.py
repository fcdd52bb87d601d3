"""The rules of issue 3, each refused with a clear message and nothing written."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from mentoring import services
from mentoring.models import (
    Meeting,
    MeetingAttendance,
    MeetingFile,
    MentorProfile,
    NeedEntry,
    NeedReason,
    NeedsList,
    NeedStatus,
    Pair,
    PairEvent,
    PairEventAction,
    PairStatus,
    Topic,
    academic_year_of,
    organizations_with_stale_needs,
)
from orgs.models import Organization
from tests.factories import EmploymentFactory, PersonFactory, position
from tests.mentoring.conftest import TODAY, make_mentor


def snapshot() -> tuple:
    return (
        Pair.objects.count(),
        PairEvent.objects.count(),
        Meeting.objects.count(),
        MeetingAttendance.objects.count(),
        MeetingFile.objects.count(),
        list(Pair.objects.values_list("pk", "status", "topic", "end_reason").order_by("pk")),
    )


def refused(call, field: str | None = None, text: str | None = None):
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        call()
    assert snapshot() == before, "a refusal must leave the database unchanged"
    if field:
        assert field in error.value.message_dict, error.value
        if text:
            assert any(text in message for message in error.value.message_dict[field])
    return error.value


# Academic year and needs list -----------------------------------------------------------


def test_academic_year_starts_on_the_first_of_september():
    assert academic_year_of(datetime.date(2026, 8, 31)) == "2025/2026"
    assert academic_year_of(datetime.date(2026, 9, 1)) == "2026/2027"
    assert academic_year_of(datetime.date(2027, 1, 15)) == "2026/2027"


def test_candidates_are_young_specialists_newcomers_and_people_in_a_new_position(district):
    school = district.school_a
    young = EmploymentFactory(
        organization=school,
        person=PersonFactory(
            last_name="Молодцова", teaching_since=TODAY - datetime.timedelta(days=300)
        ),
        hired_on=TODAY - datetime.timedelta(days=900),
    )
    newcomer = EmploymentFactory(
        organization=school,
        person=PersonFactory(last_name="Новикова"),
        hired_on=TODAY - datetime.timedelta(days=30),
    )
    promoted_person = PersonFactory(last_name="Завучева")
    EmploymentFactory(
        organization=school,
        person=promoted_person,
        hired_on=TODAY - datetime.timedelta(days=3000),
        dismissed_on=TODAY - datetime.timedelta(days=61),
    )
    EmploymentFactory(
        organization=school,
        person=promoted_person,
        position=position("zam_rukovoditelya"),
        hired_on=TODAY - datetime.timedelta(days=60),
    )
    candidates = {c.person.last_name: c.reason for c in services.needs_candidates(school, TODAY)}
    assert candidates["Молодцова"] == NeedReason.YOUNG_SPECIALIST
    assert candidates["Новикова"] == NeedReason.NEWCOMER
    assert candidates["Завучева"] == NeedReason.NEW_POSITION
    assert district.teacher_a.person.last_name not in candidates  # ten years, long employed
    assert district.teacher_b.person.last_name not in candidates  # another school
    del young, newcomer


def test_proposing_twice_adds_each_candidate_once_and_skips_listed_people(district):
    EmploymentFactory(
        organization=district.school_a,
        person=PersonFactory(last_name="Новикова"),
        hired_on=TODAY - datetime.timedelta(days=30),
    )
    assert (
        services.needs_propose(user=district.curator_a, organization=district.school_a, today=TODAY)
        == 1
    )
    assert (
        services.needs_propose(user=district.curator_a, organization=district.school_a, today=TODAY)
        == 0
    )
    entry = NeedEntry.objects.get()
    assert entry.status == NeedStatus.PROPOSED
    assert entry.needs_list.academic_year == "2026/2027"


def test_confirming_a_candidate_records_who_and_dates_the_list(district):
    EmploymentFactory(
        organization=district.school_a,
        person=PersonFactory(last_name="Новикова"),
        hired_on=TODAY - datetime.timedelta(days=30),
    )
    services.needs_propose(user=district.curator_a, organization=district.school_a, today=TODAY)
    entry = NeedEntry.objects.get()
    services.need_decide(
        user=district.curator_a, entry=entry, status=NeedStatus.CONFIRMED, today=TODAY
    )
    entry.refresh_from_db()
    assert entry.status == NeedStatus.CONFIRMED
    assert entry.decided_by == district.curator_a
    assert entry.decided_at is not None
    assert entry.needs_list.updated_on == TODAY


def test_curator_of_another_school_cannot_decide(district):
    EmploymentFactory(organization=district.school_a, hired_on=TODAY - datetime.timedelta(days=30))
    services.needs_propose(user=district.curator_a, organization=district.school_a, today=TODAY)
    entry = NeedEntry.objects.get()
    with pytest.raises(PermissionDenied):
        services.need_decide(
            user=district.curator_b, entry=entry, status=NeedStatus.CONFIRMED, today=TODAY
        )
    entry.refresh_from_db()
    assert entry.status == NeedStatus.PROPOSED


def test_adding_a_teacher_of_another_school_by_hand_is_refused(district):
    with pytest.raises(ValidationError) as error:
        services.need_add(
            user=district.curator_a,
            organization=district.school_a,
            person=district.teacher_b.person,
            reason=NeedReason.OWN_REQUEST,
            today=TODAY,
        )
    assert "person" in error.value.message_dict
    assert not NeedEntry.objects.exists()


def test_list_older_than_twelve_months_is_stale(district):
    NeedsList.objects.create(
        organization=district.school_a,
        academic_year="2025/2026",
        updated_on=TODAY - datetime.timedelta(days=400),
    )
    NeedsList.objects.create(
        organization=district.school_b,
        academic_year="2026/2027",
        updated_on=TODAY - datetime.timedelta(days=10),
    )
    stale = set(
        organizations_with_stale_needs(
            Organization.objects.filter(municipality=district.municipality), TODAY
        ).values_list("short_name", flat=True)
    )
    assert "Барановская СОШ" in stale  # over a year ago
    assert "Таловская СОШ" not in stale
    assert "Детский сад «Сказка»" in stale  # never updated


# Mentor bank --------------------------------------------------------------------------


def test_mentor_needs_a_job_in_the_organization_and_a_topic(district):
    with pytest.raises(ValidationError) as error:
        services.mentor_add(
            user=district.curator_a,
            data=services.MentorData(
                person=district.teacher_b.person,
                organization=district.school_a,
                results="Высшая категория",
                topics=[],
            ),
        )
    assert set(error.value.message_dict) == {"person", "topics"}
    assert not MentorProfile.objects.exists()


def test_free_load_counts_mentees_of_current_pairs(district, mentor_profile, active_pair):
    profile = MentorProfile.objects.with_load().get(pk=mentor_profile.pk)
    assert profile.mentee_count == 1
    assert profile.free_load == 1


# Pairs -------------------------------------------------------------------------------


def test_curator_registers_a_draft_pair_and_the_history_says_so(
    district, mentor_profile, pair_data
):
    pair = services.pair_register(
        curator=district.curator_a, organization=district.school_a, data=pair_data()
    )
    assert pair.status == PairStatus.DRAFT
    assert list(pair.mentees.all()) == [district.mentee_a.person]
    event = pair.events.get()
    assert event.action == PairEventAction.REGISTERED
    assert event.user == district.curator_a
    assert str(district.mentee_a.person) in event.details


def test_mentor_cannot_be_their_own_mentee(district, mentor_profile, pair_data):
    call = lambda: services.pair_register(  # noqa: E731
        curator=district.curator_a,
        organization=district.school_a,
        data=pair_data(mentees=[district.mentor_a.person]),
    )
    refused(call, "mentees", "собственным")


def test_group_kind_needs_at_least_two_mentees(district, mentor_profile, pair_data, forms):
    refused(
        lambda: services.pair_register(
            curator=district.curator_a,
            organization=district.school_a,
            data=pair_data(kind=forms["v_gruppe"]),
        ),
        "mentees",
    )
    pair = services.pair_register(
        curator=district.curator_a,
        organization=district.school_a,
        data=pair_data(
            kind=forms["v_gruppe"], mentees=[district.mentee_a.person, district.teacher_a.person]
        ),
    )
    assert pair.is_group


def test_same_mentor_and_mentee_are_not_in_two_current_pairs(district, active_pair, pair_data):
    refused(
        lambda: services.pair_register(
            curator=district.curator_a,
            organization=district.school_a,
            data=pair_data(topic="Другая тема"),
        ),
        "mentees",
    )


def test_overloaded_mentor_needs_an_explicit_confirmation(
    district, mentor_profile, pair_data, forms
):
    mentor_profile.max_mentees = 1
    mentor_profile.save()
    data = pair_data(
        kind=forms["v_gruppe"], mentees=[district.mentee_a.person, district.teacher_a.person]
    )
    refused(
        lambda: services.pair_register(
            curator=district.curator_a, organization=district.school_a, data=data
        ),
        "confirm_overload",
    )
    data.confirm_overload = True
    pair = services.pair_register(
        curator=district.curator_a, organization=district.school_a, data=data
    )
    assert pair.pk


def test_planned_end_must_be_after_start(district, mentor_profile, pair_data):
    refused(
        lambda: services.pair_register(
            curator=district.curator_a,
            organization=district.school_a,
            data=pair_data(planned_end=datetime.date(2026, 9, 1)),
        ),
        "planned_end",
    )


def test_database_refuses_an_end_before_the_start_too(district, active_pair):
    with pytest.raises(IntegrityError), transaction.atomic():
        Pair.objects.filter(pk=active_pair.pk).update(planned_end=datetime.date(2020, 1, 1))


def test_someone_outside_the_bank_cannot_be_a_mentor(district, pair_data):
    refused(
        lambda: services.pair_register(
            curator=district.curator_a,
            organization=district.school_a,
            data=pair_data(mentor=district.teacher_a.person),
        ),
        "mentor",
    )


def test_pair_across_organizations_with_a_mentor_of_another_school(district, mentor_b, pair_data):
    pair = services.pair_register(
        curator=district.curator_a,
        organization=district.school_a,
        data=pair_data(mentor=mentor_b.person),
    )
    assert pair.organization == district.school_a
    assert pair.mentor.employments.get().organization == district.school_b


def test_reverse_mentoring_allows_a_younger_mentor(district, pair_data, forms):
    young = EmploymentFactory(
        organization=district.school_a,
        person=PersonFactory(
            last_name="Цифрова", teaching_since=TODAY - datetime.timedelta(days=400)
        ),
    ).person
    make_mentor(young, district.school_a, topics=(Topic.OTHER,))
    pair = services.pair_register(
        curator=district.curator_a,
        organization=district.school_a,
        data=pair_data(mentor=young, kind=forms["reversivnoe"]),
    )
    assert pair.mentor == young


def test_curator_of_another_school_cannot_register_for_this_one(
    district, mentor_profile, pair_data
):
    with pytest.raises(PermissionDenied):
        services.pair_register(
            curator=district.curator_b, organization=district.school_a, data=pair_data()
        )
    assert not Pair.objects.exists()


def test_a_pair_starts_only_with_the_heads_order(district, mentor_profile, pair_data):
    pair = services.pair_register(
        curator=district.curator_a,
        organization=district.school_a,
        data=pair_data(order_number="", order_date=None),
    )
    refused(lambda: services.pair_activate(user=district.curator_a, pair=pair, today=TODAY))
    assert Pair.objects.get().status == PairStatus.DRAFT


def test_lifecycle_draft_active_completed_is_kept_in_history(district, active_pair):
    services.pair_complete(user=district.curator_a, pair=active_pair, today=TODAY)
    active_pair.refresh_from_db()
    assert active_pair.status == PairStatus.COMPLETED
    assert active_pair.ended_on == TODAY
    assert list(active_pair.events.values_list("action", flat=True)) == [
        PairEventAction.REGISTERED,
        PairEventAction.ACTIVATED,
        PairEventAction.COMPLETED,
    ]
    refused(
        lambda: services.pair_end_early(
            user=district.curator_a, pair=active_pair, reason="x", today=TODAY
        )
    )


def test_ending_early_needs_a_reason(district, active_pair):
    refused(
        lambda: services.pair_end_early(
            user=district.curator_a, pair=active_pair, reason="  ", today=TODAY
        ),
        "reason",
    )
    services.pair_end_early(
        user=district.curator_a, pair=active_pair, reason="Переезд наставляемого", today=TODAY
    )
    active_pair.refresh_from_db()
    assert active_pair.status == PairStatus.ENDED_EARLY
    assert active_pair.events.last().details == "Переезд наставляемого"


def test_an_edit_records_what_changed(district, active_pair, pair_data):
    services.pair_update(
        user=district.curator_a, pair=active_pair, data=pair_data(topic="Новая тема")
    )
    event = active_pair.events.last()
    assert event.action == PairEventAction.EDITED
    assert "Методика урока математики → Новая тема" in event.details


def test_mentor_cannot_change_the_pair(district, active_pair):
    with pytest.raises(PermissionDenied):
        services.pair_complete(user=district.mentor_a, pair=active_pair, today=TODAY)


# Meetings -----------------------------------------------------------------------------


def meeting_data(district, **overrides) -> services.MeetingData:
    values = {
        "held_at": timezone.now() - datetime.timedelta(hours=3),
        "format": "online",
        "link": "https://sferum.ru/?call_link=abc",
        "topic": "Планирование урока",
        "attended": [district.mentee_a.person],
        "duration_minutes": 40,
    }
    values.update(overrides)
    return services.MeetingData(**values)


def test_mentor_logs_an_online_meeting_with_a_link(district, active_pair):
    meeting = services.meeting_log(
        user=district.mentor_a, pair=active_pair, data=meeting_data(district)
    )
    assert meeting.link.startswith("https://")
    assert list(meeting.attended.all()) == [district.mentee_a.person]


def test_online_meeting_without_a_link_is_refused(district, active_pair):
    refused(
        lambda: services.meeting_log(
            user=district.mentor_a, pair=active_pair, data=meeting_data(district, link="")
        ),
        "link",
    )


def test_a_link_must_be_http_or_https(district, active_pair):
    refused(
        lambda: services.meeting_log(
            user=district.mentor_a,
            pair=active_pair,
            data=meeting_data(district, link="javascript:alert(1)"),
        ),
        "link",
    )


def test_only_the_pairs_mentees_can_attend(district, active_pair):
    refused(
        lambda: services.meeting_log(
            user=district.mentor_a,
            pair=active_pair,
            data=meeting_data(district, attended=[district.teacher_b.person]),
        ),
        "attended",
    )


def test_a_meeting_in_the_future_is_refused(district, active_pair):
    refused(
        lambda: services.meeting_log(
            user=district.mentor_a,
            pair=active_pair,
            data=meeting_data(district, held_at=timezone.now() + datetime.timedelta(days=2)),
        ),
        "held_at",
    )


def test_draft_pair_has_no_meetings(district, mentor_profile, pair_data):
    pair = services.pair_register(
        curator=district.curator_a, organization=district.school_a, data=pair_data()
    )
    refused(
        lambda: services.meeting_log(user=district.mentor_a, pair=pair, data=meeting_data(district))
    )


def test_only_the_pairs_mentor_logs_meetings(district, active_pair):
    for user in (district.curator_a, district.mentee_a, district.coordinator):
        with pytest.raises(PermissionDenied):
            services.meeting_log(user=user, pair=active_pair, data=meeting_data(district))
    assert not Meeting.objects.exists()


def test_files_are_checked_for_size_and_type(district, active_pair):
    too_big = SimpleUploadedFile("plan.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024))
    exe = SimpleUploadedFile("virus.exe", b"MZ....")
    fake = SimpleUploadedFile("photo.png", b"MZ not a png")
    for upload in (too_big, exe, fake):
        refused(
            lambda upload=upload: services.meeting_log(
                user=district.mentor_a,
                pair=active_pair,
                data=meeting_data(district),
                files=[upload],
            ),
            "files",
        )


def test_a_file_is_stored_under_an_unguessable_name(district, active_pair):
    upload = SimpleUploadedFile("План встречи.pdf", b"%PDF-1.4 test")
    meeting = services.meeting_log(
        user=district.mentor_a, pair=active_pair, data=meeting_data(district), files=[upload]
    )
    stored = meeting.files.get()
    assert stored.name == "План встречи.pdf"
    assert "План" not in stored.file.name
    assert stored.file.name.endswith(".pdf")


def test_mentee_confirms_a_meeting_they_attended(district, meeting):
    services.meeting_confirm(user=district.mentee_a, meeting=meeting)
    assert meeting.attendances.get().confirmed_at is not None


def test_someone_who_did_not_attend_cannot_confirm(district, meeting):
    with pytest.raises(PermissionDenied):
        services.meeting_confirm(user=district.mentor_a, meeting=meeting)
    assert meeting.attendances.get().confirmed_at is None
