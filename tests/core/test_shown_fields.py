"""Lists read what they show (`FilteredListView.row_fields`, `core.listing.read_only_shown`).

A page of pairs, programs, meetings or needs, and the dashboard's drill-downs, names teachers
and organizations: their rows are read with those names, not with every column of every
joined teacher (phone, e-mail, attestation, timestamps) — a tenth of a list's work at region
scale, and personal data the page never prints. What the page shows must not change, and a
field left out must not come back as one query a row."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.lookups import array_text
from mentoring.models import Pair
from tests.programs.conftest import make_pair
from tests.world import YEAR, build_world

CONTACTS = ('"orgs_person"."phone"', '"orgs_person"."email"', '"orgs_person"."teaching_since"')

PAGES = {
    "pairs": ("mentoring:pair_list", ()),
    "programs": ("programs:program_list", ()),
    "meetings": ("mentoring:meeting_list", ()),
    "needs": ("mentoring:need_list", ()),
    "drill: overdue": ("monitoring:drill", ("overdue",)),
    "drill: meetings": ("monitoring:drill", ("meetings",)),
    "drill: pairs": ("monitoring:drill", ("pairs",)),
    "drill: programs": ("monitoring:drill", ("programs_drafts",)),
    "drill: needs": ("monitoring:drill", ("needing",)),
}


def _url(name: str, args) -> str:
    url = reverse(name, args=args)
    return url + f"?year={YEAR}" if name == "monitoring:drill" else url


@pytest.mark.parametrize("listing", PAGES, ids=list(PAGES))
def test_a_list_shows_its_rows_without_reading_teachers_contacts(district, client_for, listing):
    world = build_world(district)
    name, args = PAGES[listing]
    client = client_for(district.coordinator)
    client.get(_url(name, args))  # the filters' first visit (and its redirect) out of the way
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url(name, args))
    assert response.status_code == 200
    html = response.content.decode()
    shown = {
        "pairs": [world.pair.mentor.full_name, district.mentee_a.person.full_name, world.pair.topic],
        "programs": [district.mentee_a.person.full_name, world.pair.mentor.short_name],
        "meetings": [world.meeting.topic, world.pair.mentor.full_name, district.mentee_a.person.short_name],
        "needs": [district.teacher_a.person.full_name, "2026/2027"],
        "drill: overdue": [world.activity.title, district.mentee_a.person.full_name],
        "drill: meetings": [world.meeting.topic, world.pair.mentor.full_name],
        "drill: pairs": [world.pair.mentor.full_name, world.pair.form.name],
        "drill: programs": [district.mentee_a.person.full_name, world.pair.mentor.full_name],
        "drill: needs": [district.teacher_a.person.full_name],
    }[listing]  # fmt: skip
    for text in [*shown, district.school_a.short_name]:
        assert text in html, (listing, text)
    read = "\n".join(query["sql"] for query in queries)
    for column in CONTACTS:
        assert column not in read, (listing, column)


@pytest.mark.parametrize("listing", ["pairs", "meetings", "drill: pairs"])
def test_more_rows_make_no_more_queries(district, client_for, listing):
    """A field a row's template reads but the list left out would cost a query a row."""
    world = build_world(district)
    name, args = PAGES[listing]
    client = client_for(district.coordinator)
    client.get(_url(name, args))
    with CaptureQueriesContext(connection) as one:
        rows_before = client.get(_url(name, args)).content.decode().count("<tr")
    before = Pair.objects.count()
    for number in range(3):
        mentee = district.teacher_b.person if number % 2 else district.teacher_a.person
        pair = make_pair(district.school_b, world.pair.mentor, [mentee], topic=f"Тема {number}")
        world.meeting.pk = None  # a copy of the meeting for each new pair
        world.meeting.pair = pair
        world.meeting.topic = f"Тема {number}"
        world.meeting.save()
    assert Pair.objects.count() == before + 3
    with CaptureQueriesContext(connection) as four:
        response = client.get(_url(name, args))
    assert response.content.decode().count("<tr") == rows_before + 3
    assert len(four) == len(one), listing


def test_a_pages_ids_are_one_parameter_and_stay_out_of_the_scopes_cache(district):
    world = build_world(district)
    before = array_text.cache_info().currsize
    ids = [world.pair.pk, world.pair.pk + 1000]
    with CaptureQueriesContext(connection) as queries:
        found = list(Pair.objects.filter(pk__any_of=ids))
    assert found == [world.pair]
    assert "= ANY(" in queries[0]["sql"] and " IN (" not in queries[0]["sql"]
    assert array_text.cache_info().currsize == before
