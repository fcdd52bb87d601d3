"""Lists' tables kept by their rows. `rows_key`: a list's table is kept under the fingerprint of its rows as read, so it must
change with anything a row shows — its fields, the rows joined to it, its prefetched rows —
and with the day and the language, and stay the same when nothing did."""

from __future__ import annotations

import dataclasses
import datetime
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from core.cache import rows_key
from mentoring.models import Meeting, MeetingAttendance, Pair
from monitoring import drill


def read_pairs():
    """As the pairs list reads them: mentor and organization joined, mentees prefetched."""
    return list(Pair.objects.for_list().order_by("pk"))


@pytest.mark.django_db
def test_the_same_rows_read_twice_give_one_key(active_pair):
    assert rows_key(read_pairs()) == rows_key(read_pairs())
    assert rows_key(read_pairs()) != rows_key([])


@pytest.mark.django_db
def test_a_field_a_joined_row_or_a_prefetched_row_changed_changes_the_key(active_pair):
    before = rows_key(read_pairs())
    Pair.objects.filter(pk=active_pair.pk).update(topic="Другая тема")
    after_field = rows_key(read_pairs())
    active_pair.mentor.__class__.objects.filter(pk=active_pair.mentor_id).update(
        last_name="Новикова"
    )
    after_joined = rows_key(read_pairs())
    mentee = active_pair.mentees.get()
    mentee.__class__.objects.filter(pk=mentee.pk).update(first_name="Ольга")
    after_prefetched = rows_key(read_pairs())
    assert len({before, after_field, after_joined, after_prefetched}) == 4


@pytest.mark.django_db
def test_a_row_met_again_below_itself_is_named_not_walked(active_pair):
    (pair,) = read_pairs()
    # the prefetched mentee rows point back to their pair: walking into it would never end
    assert pair.mentee_rows[0]._state.fields_cache["pair"] is pair
    assert rows_key([pair]) == rows_key(read_pairs())


@pytest.mark.django_db
def test_the_day_and_the_language_change_the_key(active_pair):
    rows = read_pairs()
    today = rows_key(rows)
    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2031, 1, 1)):
        assert rows_key(rows) != today
    with translation.override("en"):
        assert rows_key(rows) != today
    assert rows_key(rows) == today


# The lists' tables, kept under that key --------------------------------------------------------


def _table(response) -> str:
    html = response.content.decode()
    return html[html.index('<div class="table-responsive') : html.index("</table>")]


@pytest.mark.django_db
def test_a_kept_pairs_table_is_not_rendered_again_and_shows_a_change_at_once(
    district, client_for, active_pair
):
    client = client_for(district.coordinator)
    url = reverse("mentoring:pair_list")
    first = _table(client.get(url))
    assert "Методика урока математики" in first
    with mock.patch.object(Pair, "get_absolute_url", autospec=True, return_value="/") as links:
        assert _table(client.get(url)) == first
    assert links.call_count == 0  # the rows were not rendered: the kept table was shown
    Pair.objects.filter(pk=active_pair.pk).update(topic="Классное руководство")
    changed = _table(client.get(url))
    assert "Классное руководство" in changed and "Методика урока математики" not in changed


@pytest.mark.django_db
def test_a_meeting_confirmed_shows_in_the_kept_meetings_table(district, client_for, meeting):
    client = client_for(district.coordinator)
    url = reverse("mentoring:meeting_list")
    assert "bi-check2-circle" not in _table(client.get(url))
    MeetingAttendance.objects.filter(meeting=meeting).update(confirmed_at=timezone.now())
    assert "bi-check2-circle" in _table(client.get(url))


@pytest.mark.django_db
def test_each_reader_of_the_same_staff_sees_the_table_rendered_for_them(district, client_for):
    """The same rows, read by a curator who manages the staff and by the coordinator who
    reads it: whoever's table is kept first, each sees what a fresh render shows them."""
    url = reverse("orgs:staff_list", args=[district.school_a.pk])
    readers = [district.curator_a, district.coordinator]
    fresh = {}
    for user in readers:
        cache.clear()
        fresh[user.pk] = _table(client_for(user).get(url))
    assert len(set(fresh.values())) == 2  # the edit buttons are the curator's only
    for first in (readers, readers[::-1]):
        cache.clear()
        for user in first:
            assert _table(client_for(user).get(url)) == fresh[user.pk]


@pytest.mark.django_db
def test_a_kept_drill_down_table_builds_no_cells_and_shows_a_change_at_once(
    district, client_for, meeting
):
    built = []
    metric = drill.METRICS["meetings"]

    def row(obj, today):
        built.append(obj.pk)
        return metric.row(obj, today)

    counting = {"meetings": dataclasses.replace(metric, row=row)}
    client = client_for(district.coordinator)
    url = reverse("monitoring:drill", args=["meetings"])
    with mock.patch.dict(drill.METRICS, counting):
        first = _table(client.get(url))
        assert built == [meeting.pk]
        assert _table(client.get(url)) == first
        assert built == [meeting.pk]  # the kept table was shown: no cell was built again
        Meeting.objects.filter(pk=meeting.pk).update(duration_minutes=95)
        assert _table(client.get(url)) != first
        assert built == [meeting.pk, meeting.pk]
