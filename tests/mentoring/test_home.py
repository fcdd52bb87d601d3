"""The home page tells curators, mentors and mentees what waits for them."""

from __future__ import annotations

import datetime

import time_machine
from django.utils import timezone

from mentoring import services
from mentoring.models import Pair
from tests.factories import EmploymentFactory, PersonFactory


def test_curator_sees_candidates_to_decide_on(district, client_for):
    EmploymentFactory(
        organization=district.school_a,
        person=PersonFactory(last_name="Новикова"),
        hired_on=timezone.localdate() - datetime.timedelta(days=20),
    )
    page = client_for(district.curator_a).get("/").content.decode()
    assert 'data-testid="mentoring-actions"' in page
    assert f"/mentoring/needs/organization/{district.school_a.pk}/" in page


def test_coordinator_sees_organizations_with_stale_needs_lists(district, client_for):
    page = client_for(district.coordinator).get("/").content.decode()
    assert "Таловская СОШ" in page.split('data-testid="mentoring-actions"')[1]


def test_mentor_sees_a_pair_without_meetings_for_30_days(district, active_pair, client_for):
    Pair.objects.filter(pk=active_pair.pk).update(planned_start=datetime.date(2026, 1, 10))
    with time_machine.travel(datetime.datetime(2026, 11, 10, 10, tzinfo=datetime.UTC)):
        page = client_for(district.mentor_a).get("/").content.decode()
    # Told by the pair's health now (matching.health), one definition for every page.
    health = page.split('data-testid="pair-health"')[1]
    assert active_pair.get_absolute_url() in health
    assert "под угрозой" in health  # 300 days without a meeting


def test_mentee_sees_meetings_to_confirm_until_confirmed(district, meeting, client_for):
    client = client_for(district.mentee_a)
    assert (
        "/mentoring/my/mentor/"
        in client.get("/").content.decode().split('data-testid="mentoring-actions"')[1]
    )
    services.meeting_confirm(user=district.mentee_a, meeting=meeting)
    assert 'data-testid="mentoring-actions"' not in client.get("/").content.decode()


def test_pairs_ending_soon_are_listed_for_the_curator(district, active_pair, client_for):
    today = timezone.localdate()
    Pair.objects.filter(pk=active_pair.pk).update(
        planned_start=today - datetime.timedelta(days=200),
        planned_end=today + datetime.timedelta(days=10),
    )
    page = client_for(district.curator_a).get("/").content.decode()
    assert active_pair.get_absolute_url() in page
