"""«Held on a day from … to …» as a range of moments (`core.dates.on_days`) keeps exactly
the rows the day of each moment in Barnaul kept (`__date`), at both ends of the day, and the
meetings list's date filter and the meetings indicator keep those rows."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from core.dates import on_days
from mentoring.models import Meeting
from monitoring import indicators as ind
from tests.monitoring.conftest import d, make_pair

UTC = datetime.UTC
# Barnaul is UTC+7: 17:00 UTC is local midnight.
MOMENTS = {
    "last moment of 31.08": datetime.datetime(2026, 8, 31, 16, 59, 59, tzinfo=UTC),
    "midnight of 01.09": datetime.datetime(2026, 8, 31, 17, 0, tzinfo=UTC),
    "noon of 15.10": datetime.datetime(2026, 10, 15, 5, 0, tzinfo=UTC),
    "23:59 of 30.11": datetime.datetime(2026, 11, 30, 16, 59, tzinfo=UTC),
    "midnight of 01.12": datetime.datetime(2026, 11, 30, 17, 0, tzinfo=UTC),
}
RANGES = [
    (d("01.09.2026"), d("30.11.2026")),
    (d("01.09.2026"), None),
    (None, d("30.11.2026")),
    (d("15.10.2026"), d("15.10.2026")),
]


@pytest.fixture
def meetings(district):
    pair = make_pair(district.school_a, district.mentor_a.person, [district.mentee_a.person],
                     "01.09.2026", "31.05.2027")  # fmt: skip
    return {
        name: Meeting.objects.create(pair=pair, held_at=moment, topic=name)
        for name, moment in MOMENTS.items()
    }


def by_day_of_moment(first, last) -> set[str]:
    rows = Meeting.objects.all()
    if first:
        rows = rows.filter(held_at__date__gte=first)
    if last:
        rows = rows.filter(held_at__date__lte=last)
    return set(rows.values_list("topic", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize(("first", "last"), RANGES)
def test_range_of_moments_keeps_the_days_rows(meetings, first, last):
    kept = set(
        Meeting.objects.filter(on_days("held_at", first, last)).values_list("topic", flat=True)
    )
    assert kept == by_day_of_moment(first, last)
    assert kept  # each range keeps some meetings and leaves others
    assert kept != set(MOMENTS)


@pytest.mark.django_db
def test_both_ends_of_a_day_belong_to_it(meetings):
    kept = set(
        Meeting.objects.filter(on_days("held_at", d("01.09.2026"), d("30.11.2026"))).values_list(
            "topic", flat=True
        )
    )
    assert kept == {"midnight of 01.09", "noon of 15.10", "23:59 of 30.11"}


@pytest.mark.django_db
def test_meetings_list_filter_by_dates(meetings, district, client_for):
    page = client_for(district.coordinator).get(
        reverse("mentoring:meeting_list"), {"held_from": "2026-09-01", "held_to": "2026-11-30"}
    )
    assert page.status_code == 200
    shown = {meeting.topic for meeting in page.context["object_list"]}
    assert shown == {"midnight of 01.09", "noon of 15.10", "23:59 of 30.11"}


@pytest.mark.django_db
def test_meetings_indicator_counts_meetings_of_the_year_up_to_today(meetings, district):
    scope = ind.Scope(municipality_id=district.municipality.pk)
    held = ind.meetings_held(scope, "2026/2027", today=d("30.11.2026"))
    assert set(held.values_list("topic", flat=True)) == {
        "midnight of 01.09",
        "noon of 15.10",
        "23:59 of 30.11",
    }
