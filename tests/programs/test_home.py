"""The home page tells each person what to do with programs."""

from __future__ import annotations

import datetime

import time_machine
from django.urls import reverse

from mentoring.models import Pair
from programs.models import ProgramStatus
from tests.factories import EmploymentFactory, UserFactory
from tests.programs.conftest import TODAY, make_pair


def home(client) -> str:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_mentee_without_program_is_offered_to_mentor_and_curator(district, pair, client_for):
    create_url = reverse("programs:program_create", args=[pair.pk, district.mentee_a.person_id])
    assert create_url in home(client_for(district.mentor_a))
    assert create_url in home(client_for(district.curator_a))
    assert create_url not in home(client_for(district.curator_b))


@time_machine.travel(TODAY, tick=False)
def test_mentee_sees_own_program_with_its_overdue_activities(district, program, client_for):
    page = home(client_for(district.mentee_a))
    assert program.get_absolute_url() in page
    assert "2 просроченных мероприятия" in page  # both activities were due in October


@time_machine.travel(TODAY, tick=False)
def test_curator_sees_drafts_waiting_for_approval_only_in_own_school(district, program, client_for):
    assert program.status == ProgramStatus.DRAFT
    assert "Ждёт вашего утверждения" in home(client_for(district.curator_a))
    assert "Ждёт вашего утверждения" not in home(client_for(district.curator_b))
    # The line names the mentee (a link to the program) and the mentor.
    page = home(client_for(district.curator_a))
    mentee, mentor = program.mentee, program.pair.mentor
    assert f'<a href="{program.get_absolute_url()}">{mentee}</a> ({mentor})' in page


@time_machine.travel(TODAY, tick=False)
def test_curator_sees_pairs_ending_soon_by_mentor_and_topic(district, pair, client_for):
    Pair.objects.filter(pk=pair.pk).update(planned_end=TODAY + datetime.timedelta(days=10))
    pair.refresh_from_db()
    page = home(client_for(district.curator_a))
    assert f'<a href="{pair.get_absolute_url()}">{pair.mentor.short_name}: {pair.topic}</a>' in page
    assert pair.get_absolute_url() not in home(client_for(district.curator_b))


@time_machine.travel(TODAY, tick=False)
def test_home_page_queries_do_not_grow_with_pairs(
    district, pair, client_for, django_assert_max_num_queries
):
    client = client_for(district.curator_a)
    home(client)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        home(client)
    for _ in range(10):
        mentee = EmploymentFactory(organization=district.school_a).person
        make_pair(district.school_a, district.mentor_a.person, [mentee])
    with CaptureQueriesContext(connection) as large:
        home(client)
    assert len(large) == len(small)


def test_mentees_without_a_program_are_listed_for_who_draws_programs_up(district, pair, client_for):
    """The curator of the school sees the mentee waiting for a program; the curator of another
    school does not; an administrator does not get an installation-wide list either (it would
    compare every pair of the region with every program on each view)."""
    waiting = "Наставляемые, у которых ещё нет программы"
    page = client_for(district.curator_a).get("/programs/").content.decode()
    assert waiting in page and district.mentee_a.person.full_name in page
    assert waiting not in client_for(district.curator_b).get("/programs/").content.decode()
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert waiting not in client_for(root).get("/programs/").content.decode()
    # The pair's mentor draws the program up too; the committee and the region only read.
    page = client_for(district.mentor_a).get("/programs/").content.decode()
    assert waiting in page and district.mentee_a.person.full_name in page
    for reader in (district.coordinator, district.regional_coordinator):
        assert waiting not in client_for(reader).get("/programs/").content.decode()
