"""Pages whose cost does not grow with other organizations' data (issue 16).

The heavy lists choose their page over bare rows and compute their columns for the page only;
the scopes are organization id sets and UNIONs. What a user would check: the same number of
queries for 2 and 20 rows, the right counts in the columns, and exactly the rows they may see.
"""

from __future__ import annotations

import datetime
from html.parser import HTMLParser

import pytest
from django import forms as django_forms
from django.utils import timezone

from core import paging
from core.paging import CappedCountPaginator
from core.widgets import FastSelect
from matching.suggestions import suggest
from mentoring.models import (
    Meeting,
    MentoringForm,
    NeedEntry,
    NeedsList,
    Pair,
    PairMentee,
    Topic,
)
from mentoring.services import needs_candidates
from orgs.models import Organization, Person, Position
from orgs.visibility import official_organization_ids
from programs.models import Activity, DifficultyArea, Program, ProgramArea
from tests.factories import EmploymentFactory, OrganizationFactory, PersonFactory
from tests.matching.conftest import bank_mentor, diagnose, teacher
from tests.programs.conftest import make_pair

TODAY = datetime.date(2026, 11, 20)


@pytest.fixture
def forms(db) -> dict[str, MentoringForm]:
    return {form.code: form for form in MentoringForm.objects.all()}


def grow(organization, forms, count: int, *, meetings: int = 3, start_at: int = 0) -> list[Pair]:
    """`count` pairs of `organization`, each with a program, `meetings` meetings, two
    activities done and one overdue; a needs list entry for each mentee."""
    created = []
    needs_list, _ = NeedsList.objects.get_or_create(
        organization=organization, academic_year="2026/2027"
    )
    for n in range(start_at, start_at + count):
        mentor = EmploymentFactory(organization=organization).person
        mentee = EmploymentFactory(organization=organization).person
        pair = Pair.objects.create(
            organization=organization,
            mentor=mentor,
            form=forms["pedagog_pedagog"],
            kind=forms["tradicionnoe"],
            topic=f"Тема {n}",
            planned_start=datetime.date(2026, 9, 1) + datetime.timedelta(days=n),
            planned_end=datetime.date(2027, 5, 31),
            status="active",
        )
        PairMentee.objects.create(pair=pair, person=mentee)
        for k in range(meetings):
            Meeting.objects.create(
                pair=pair,
                held_at=timezone.make_aware(datetime.datetime(2026, 10, 1 + k, 15)),
                topic="Встреча",
            )
        program = Program.objects.create(
            pair=pair,
            mentee=mentee,
            form=pair.form,
            kind=pair.kind,
            starts_on=pair.planned_start,
            ends_on=pair.planned_end,
            goals="Освоить методику",
            status="in_progress",
        )
        Activity.objects.bulk_create(
            [
                Activity(program=program, title="Урок", planned_on=datetime.date(2026, 10, 1),
                         responsible="both", status="done"),
                Activity(program=program, title="Семинар", planned_on=datetime.date(2026, 10, 15),
                         responsible="both", status="done"),
                Activity(program=program, title="Проект", planned_on=datetime.date(2026, 11, 1),
                         responsible="both", status="planned"),
            ]
        )  # fmt: skip
        NeedEntry.objects.create(
            needs_list=needs_list, person=mentee, reason="young_specialist", status="confirmed"
        )
        created.append(pair)
    return created


def queries_for(client, url: str, django_assert_num_queries, expected: int):
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response


# (user, url, queries): pinned so that a change that adds a query per row fails here. The
# counts include the session and second-factor look-ups of every signed-in request.
HEAVY_PAGES = [
    ("coordinator", "/mentoring/pairs/?status=active", 14),  # forms and kinds: one query
    ("coordinator", "/mentoring/meetings/?format=in_person", 14),
    ("coordinator", "/mentoring/needs/?status=confirmed", 12),
    ("coordinator", "/programs/?status=in_progress", 12),
    ("coordinator", "/monitoring/drill/overdue/?year=2026/2027", 7),
    ("curator_a", "/mentoring/pairs/?status=active", 12),
    ("curator_a", "/programs/?status=in_progress", 11),
]


@pytest.mark.parametrize(("who", "url", "expected"), HEAVY_PAGES)
def test_heavy_page_makes_the_same_queries_for_2_and_20_rows(
    district, forms, client_for, django_assert_num_queries, who, url, expected
):
    client = client_for(getattr(district, who))
    client.get(url)  # the first visit remembers the filters in the session
    grow(district.school_a, forms, 2)
    queries_for(client, url, django_assert_num_queries, expected)
    grow(district.school_a, forms, 18, start_at=2)
    queries_for(client, url, django_assert_num_queries, expected)


def test_pair_columns_count_the_meetings_of_each_pair_on_the_page(district, forms, client_for):
    few, many = grow(district.school_a, forms, 1, meetings=1) + grow(
        district.school_a, forms, 1, meetings=4, start_at=1
    )
    Meeting.objects.create(
        pair=many, held_at=timezone.make_aware(datetime.datetime(2026, 11, 5, 10)), topic="Итог"
    )
    response = client_for(district.coordinator).get("/mentoring/pairs/")
    rows = {pair.pk: pair for pair in response.context["object_list"]}
    assert rows[few.pk].meeting_count == 1
    assert rows[many.pk].meeting_count == 5
    assert timezone.localtime(rows[many.pk].last_meeting_at).date() == datetime.date(2026, 11, 5)


def test_program_columns_count_done_and_overdue_activities(district, forms, client_for):
    (pair,) = grow(district.school_a, forms, 1)
    program = pair.programs.get()
    Activity.objects.create(
        program=program, title="Отчёт", planned_on=datetime.date(2027, 5, 1), responsible="both"
    )
    response = client_for(district.coordinator).get("/programs/")
    (row,) = [p for p in response.context["object_list"] if p.pk == program.pk]
    today = timezone.localdate()
    overdue = program.activities.filter(status="planned", planned_on__lt=today).count()
    assert (row.activity_count, row.done_count, row.overdue_count) == (4, 2, overdue)


def test_page_keeps_the_order_of_the_list(district, forms, client_for):
    grow(district.school_a, forms, 12)
    response = client_for(district.coordinator).get("/mentoring/pairs/?per_page=10&page=2")
    starts = [pair.planned_start for pair in response.context["object_list"]]
    assert len(starts) == 2
    assert starts == sorted(starts, reverse=True)
    assert response.context["paginator"].count == 12


def test_coordinator_sees_own_municipality_only(district, forms, client_for):
    (own,) = grow(district.school_a, forms, 1)
    foreign_school = OrganizationFactory(municipality=district.other_municipality)
    (foreign,) = grow(foreign_school, forms, 1)
    client = client_for(district.coordinator)
    for url in ("/mentoring/pairs/", "/programs/", "/mentoring/meetings/", "/mentoring/needs/"):
        response = client.get(url)
        shown = {row.pk for row in response.context["object_list"]}
        assert shown, url
        if url == "/mentoring/pairs/":
            assert own.pk in shown and foreign.pk not in shown
        if url == "/programs/":
            assert foreign.programs.get().pk not in shown
    assert official_organization_ids(district.coordinator) == frozenset(
        Organization.objects.filter(municipality=district.municipality).values_list("pk", flat=True)
    )


def test_curator_who_mentors_elsewhere_sees_that_pair_and_not_the_neighbours(
    district, forms, client_for
):
    """The UNION branches: the curator's organization, and their own pair as a mentor in
    another school — and nothing else of that school."""
    person = Person.objects.create(last_name="Кураторова", first_name="Анна", search_key="к")
    district.curator_a.person = person
    district.curator_a.save()
    grow(district.school_a, forms, 1)
    elsewhere, neighbour = grow(district.school_b, forms, 2)
    Pair.objects.filter(pk=elsewhere.pk).update(mentor=person)
    response = client_for(district.curator_a).get("/mentoring/pairs/")
    shown = {pair.pk for pair in response.context["object_list"]}
    assert elsewhere.pk in shown
    assert neighbour.pk not in shown
    programs = client_for(district.curator_a).get("/programs/").context["object_list"]
    assert elsewhere.programs.get().pk in {program.pk for program in programs}
    assert neighbour.programs.get().pk not in {program.pk for program in programs}


def test_mentee_sees_own_pair_only(district, forms, client_for):
    mine, other = grow(district.school_a, forms, 2)
    PairMentee.objects.filter(pair=mine).update(person=district.mentee_a.person)
    response = client_for(district.mentee_a).get("/mentoring/pairs/")
    assert [pair.pk for pair in response.context["object_list"]] == [mine.pk]


def test_admin_meeting_list_counts_at_most_the_cap(district, forms, client, settings):
    from tests.factories import UserFactory, pass_second_factor

    grow(district.school_a, forms, 2, meetings=3)
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    pass_second_factor(client, admin)
    response = client.get("/admin/mentoring/meeting/")
    assert response.status_code == 200
    assert response.context["cl"].result_count == 6
    assert response.context["cl"].show_full_result_count is False
    paginator = CappedCountPaginator(Meeting.objects.all(), 100)
    paginator.cap = 4
    assert paginator.count == 5  # stops at cap + 1: «more than 4»


def test_fast_select_renders_what_django_select_renders(district):
    field = django_forms.ModelChoiceField(
        queryset=Organization.objects.order_by("pk"), empty_label="Все организации"
    )
    attrs = {"id": "id_organization", "class": "form-select", "required": False}
    standard = django_forms.Select(choices=field.choices).render(
        "organization", district.school_b.pk, attrs
    )
    fast = FastSelect(choices=field.choices).render("organization", district.school_b.pk, attrs)

    def normal(html: str) -> list:
        """Tags with their attributes (in any order) and the text between them."""
        parsed = []

        class Reader(HTMLParser):
            def handle_starttag(self, tag, attrs):
                parsed.append((tag, sorted(attrs, key=lambda pair: pair[0])))

            def handle_endtag(self, tag):
                parsed.append(("/" + tag,))

            def handle_data(self, data):
                if data.strip():
                    parsed.append(data.strip())

        Reader().feed(html)
        return parsed

    assert normal(fast) == normal(standard)
    assert f'<option value="{district.school_b.pk}" selected>' in fast


def test_a_list_past_the_cap_says_more_than_and_keeps_its_pages(
    district, forms, client_for, monkeypatch
):
    grow(district.school_a, forms, 6)
    monkeypatch.setattr(paging, "COUNT_CAP", 4)
    response = client_for(district.coordinator).get("/mentoring/pairs/?per_page=10")
    text = response.content.decode()
    assert "Найдено больше 4 строк: сузьте список фильтрами" in text
    assert len(response.context["object_list"]) == 6


@pytest.mark.parametrize("url", ["/mentoring/pairs/", "/programs/", "/mentoring/meetings/"])
def test_a_list_over_the_whole_region_counts_to_its_own_lower_cap(
    district, forms, client_for, monkeypatch, url
):
    """The regional coordinator's list of the whole region stops counting at the region's cap
    («more than …»); narrowed to a municipality it counts as the municipal lists do."""
    grow(district.school_a, forms, 6, meetings=1)
    monkeypatch.setattr(paging, "REGION_COUNT_CAP", 4)
    monkeypatch.setattr(paging, "COUNT_CAP", 100)
    client = client_for(district.regional_coordinator)
    whole = client.get(url, {"per_page": 10})
    assert "Найдено больше 4 строк: сузьте список фильтрами" in whole.content.decode()
    assert len(whole.context["object_list"]) == 6
    narrowed = client.get(url, {"per_page": 10, "municipality": district.municipality.pk})
    assert narrowed.context["paginator"].count == 6
    assert "Найдено больше" not in narrowed.content.decode()
    municipal = client_for(district.coordinator).get(url, {"per_page": 10})
    assert municipal.context["paginator"].count == 6


def staff_who_may_need_a_mentor(organization, count: int) -> None:
    """`count` teachers who moved to another position of the school this year, and `count`
    whose attestation failed: both are needs-list candidates with their own reason."""
    today = timezone.localdate()
    teacher, other = Position.objects.order_by("pk")[:2]
    for _n in range(count):
        moved = EmploymentFactory(
            organization=organization, position=teacher, hired_on=today - datetime.timedelta(800)
        ).person
        EmploymentFactory(
            person=moved,
            organization=organization,
            position=other,
            hired_on=today - datetime.timedelta(20),
        )
        EmploymentFactory(
            organization=organization, person=PersonFactory(attestation_result="failed")
        )


def test_curators_home_makes_the_same_queries_for_2_and_20_rows(
    district, forms, client_for, django_assert_num_queries
):
    """The needs candidates, the managed organization with its counts, pairs ending, programs
    to approve and the pairs' health: a fixed number of queries, at most 12."""
    client = client_for(district.curator_a)
    grow(district.school_a, forms, 2)
    staff_who_may_need_a_mentor(district.school_a, 2)
    queries_for(client, "/", django_assert_num_queries, 10)
    grow(district.school_a, forms, 18, start_at=2)
    staff_who_may_need_a_mentor(district.school_a, 18)
    response = queries_for(client, "/", django_assert_num_queries, 10)
    (row,) = response.context["mentoring_actions"]["needs"]
    candidates = needs_candidates(district.school_a, timezone.localdate())
    assert row["new_candidates"] == len(candidates)
    reasons = {candidate.reason for candidate in candidates}
    assert {"new_position", "after_attestation"} <= reasons
    (organization,) = response.context["managed_organizations"]
    assert organization.staff_count == district.school_a.employments.active().count()


@pytest.mark.parametrize("diagnosed", [True, False], ids=["diagnosed", "from-program"])
@pytest.mark.parametrize("query", ["", "&all=1"], ids=["shown", "all"])
def test_suggested_mentors_make_the_same_queries_for_2_and_20_mentors(
    district, client_for, django_assert_num_queries, diagnosed, query
):
    """The form's choices, the mentee, the diagnostics of the mentee and of every mentor, the
    bank with its load: a fixed number of queries, at most 12."""
    mentee = teacher(district.school_a, last_name="Новикова", years=1)
    if diagnosed:
        diagnose(mentee, district.school_a, low=("metod",))
    url = f"/matching/suggest/?mentee={mentee.pk}{query}"
    client = client_for(district.curator_a)
    for n in range(2):
        bank_mentor(district.school_b, last_name=f"Малый{n}", topics=(Topic.METHODS,))
    queries_for(client, url, django_assert_num_queries, 12)
    for n in range(18):
        mentor = bank_mentor(district.school_a, last_name=f"Большой{n}", topics=(Topic.LESSONS,))
        if n % 5 == 0:
            diagnose(mentor.person, district.school_a, high=("ikt",))
    response = queries_for(client, url, django_assert_num_queries, 12)
    assert len(response.context["result"].suggestions) == 20


def test_without_diagnostics_the_deficits_are_those_of_the_latest_program(district, forms):
    """The fallback of the suggestion score, read with the difficulty areas in one query."""
    mentee = teacher(district.school_a, last_name="Новикова", years=1)
    areas = {area.code: area for area in DifficultyArea.objects.all()}
    for starts_on, deficits, strengths in (
        (datetime.date(2025, 9, 1), ("predmet",), ()),
        (datetime.date(2026, 9, 1), ("metod", "ikt"), ("psih_ped",)),
    ):
        mentor = EmploymentFactory(organization=district.school_a).person
        pair = make_pair(district.school_a, mentor, [mentee], status="completed")
        program = Program.objects.create(
            pair=pair, mentee=mentee, form=pair.form, kind=pair.kind, starts_on=starts_on,
            ends_on=starts_on + datetime.timedelta(days=200), goals="Цели", status="in_progress",
        )  # fmt: skip
        ProgramArea.objects.bulk_create(
            [ProgramArea(program=program, area=areas[code], role="deficit") for code in deficits]
            + [
                ProgramArea(program=program, area=areas[code], role="strength")
                for code in strengths
            ]
        )
    result = suggest(mentee)
    assert set(result.mentee.areas) == {areas["metod"].pk, areas["ikt"].pk}
    assert result.mentee.areas[areas["metod"].pk] == areas["metod"].name
