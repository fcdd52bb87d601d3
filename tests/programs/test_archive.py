"""No silent cascades: a pair is archived, not deleted, and its meetings and program stay
readable; the admin cannot delete personal records, only erase them through the separate,
audited action for a data-subject request."""

from __future__ import annotations

import datetime

import pytest
from auditlog.models import LogEntry
from django.contrib.admin.models import DELETION
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from mentoring import services as mentoring
from mentoring.models import Meeting, MeetingAttendance, Pair, PairEvent, PairStatus
from programs.models import Activity, Program
from tests.factories import UserFactory, pass_second_factor


@pytest.fixture
def finished_pair(district, pair, program):
    Meeting.objects.create(
        pair=pair,
        held_at=timezone.now() - datetime.timedelta(days=3),
        format="in_person",
        topic="Разбор урока",
        logged_by=district.mentor_a,
    )
    mentoring.pair_complete(user=district.curator_a, pair=pair, today=timezone.localdate())
    return Pair.objects.get(pk=pair.pk)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def test_archived_pair_keeps_its_meetings_and_program_readable(
    district, finished_pair, program, client_for
):
    client = client_for(district.curator_a)
    response = client.post(reverse("mentoring:pair_archive", args=[finished_pair.pk]), follow=True)
    assert "в архиве" in response.content.decode()

    pair = Pair.objects.get(pk=finished_pair.pk)
    assert pair.archived_at is not None
    assert pair.meetings.count() == 1 and pair.programs.count() == 1
    event = PairEvent.objects.filter(pair=pair).order_by("-pk").first()
    assert "встречи: 1" in event.details.lower() and "программы: 1" in event.details.lower()
    assert LogEntry.objects.get_for_object(pair).filter(changes__has_key="archived_at").exists()

    for user in (district.curator_a, district.mentor_a, district.mentee_a, district.coordinator):
        reader = client_for(user)
        assert reader.get(pair.get_absolute_url()).status_code == 200, user
        assert reader.get(program.get_absolute_url()).status_code == 200, user
    mentor_page = client_for(district.mentor_a).get(pair.get_absolute_url()).content.decode()
    assert "Разбор урока" in mentor_page
    # Out of the work list, in the archive.
    work = client_for(district.curator_a).get(reverse("mentoring:pair_list"))
    archive = client_for(district.curator_a).get(reverse("mentoring:pair_list") + "?archived=on")
    assert pair.topic not in work.content.decode()
    assert pair.topic in archive.content.decode()


def test_an_active_pair_is_not_archived(district, pair, client_for):
    client = client_for(district.curator_a)
    response = client.post(reverse("mentoring:pair_archive", args=[pair.pk]), follow=True)
    assert Pair.objects.get(pk=pair.pk).archived_at is None
    assert "Завершите работу пары" in response.content.decode()


def test_a_pair_with_records_cannot_be_deleted_by_a_cascade(finished_pair):
    with pytest.raises(ProtectedError):
        finished_pair.delete()
    assert Meeting.objects.filter(pair=finished_pair).exists()


def test_admin_offers_no_delete_for_personal_records(admin_user, finished_pair, client):
    client.force_login(admin_user)
    pass_second_factor(client, admin_user)
    for model, obj in (("mentoring/pair", finished_pair), ("orgs/person", finished_pair.mentor)):
        delete_url = f"/admin/{model}/{obj.pk}/delete/"
        assert client.get(delete_url).status_code == 403
        assert client.post(delete_url, {"post": "yes"}).status_code == 403
        changelist = client.get(f"/admin/{model}/").content.decode()
        assert 'value="delete_selected"' not in changelist
        assert 'value="erase_permanently"' in changelist
    response = client.post(
        "/admin/mentoring/pair/",
        {"action": "delete_selected", "_selected_action": [finished_pair.pk], "post": "yes"},
    )
    assert Pair.objects.filter(pk=finished_pair.pk).exists()
    assert response.status_code in (200, 302)


def test_erasing_a_pair_lists_what_goes_then_removes_it_with_an_audit_trail(
    admin_user, finished_pair, client
):
    client.force_login(admin_user)
    pass_second_factor(client, admin_user)
    data = {"action": "erase_permanently", "_selected_action": [finished_pair.pk]}
    meetings = Meeting.objects.filter(pair=finished_pair).count()

    confirm = client.post("/admin/mentoring/pair/", data)
    page = confirm.content.decode()
    assert "152-ФЗ" in page
    assert f"встречи: {meetings}" in page.lower()
    assert "персонализированные программы: 1" in page.lower()
    assert Pair.objects.filter(pk=finished_pair.pk).exists()  # nothing gone yet

    client.post("/admin/mentoring/pair/", data | {"confirm": "yes"})

    assert not Pair.objects.filter(pk=finished_pair.pk).exists()
    assert not Program.objects.filter(pair_id=finished_pair.pk).exists()
    assert not Activity.objects.filter(program__pair_id=finished_pair.pk).exists()
    assert not MeetingAttendance.objects.filter(meeting__pair_id=finished_pair.pk).exists()
    assert AdminLogEntry.objects.filter(
        action_flag=DELETION, object_id=str(finished_pair.pk), user=admin_user
    ).exists()
    summary = LogEntry.objects.get(
        object_id=finished_pair.pk,
        actor=admin_user,
        action=LogEntry.Action.DELETE,
        changes__has_key="erased (152-ФЗ)",
    )
    assert f"встречи: {meetings}" in summary.changes["erased (152-ФЗ)"][0].lower()
    assert finished_pair.status == PairStatus.COMPLETED
