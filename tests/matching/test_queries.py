"""The suggestions page, the health list and the health counts make the same number of
queries whether the municipal bank holds 2 mentors or 20 (region scale: see bench_pages)."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from matching import health
from mentoring.models import Meeting, Pair, Topic
from tests.matching.conftest import bank_mentor, diagnose, teacher
from tests.matching.test_council_recommendation import recommend
from tests.programs.conftest import make_pair


def grow(district, count: int, start: int = 0) -> None:
    """`count` more mentors of the bank, each with a working pair, a meeting and diagnostics,
    in both schools."""
    today = timezone.localdate()
    for n in range(start, start + count):
        school = district.school_a if n % 2 else district.school_b
        mentor = bank_mentor(school, last_name=f"Наставникова{n}", topics=(Topic.METHODS,))
        diagnose(mentor.person, school, high=("metod",))
        mentee = teacher(district.school_a, last_name=f"Молодая{n}", years=1)
        pair = make_pair(district.school_a, mentor.person, [mentee])
        pair.planned_start = today - datetime.timedelta(days=20 + n)
        pair.planned_end = today + datetime.timedelta(days=20 * n)
        pair.save()
        if n % 3:
            Meeting.objects.create(
                pair=pair,
                held_at=timezone.now() - datetime.timedelta(days=n * 3),
                topic="Разбор урока",
            )


def queries(fn) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured)


def test_suggestions_page_queries_do_not_grow_with_the_bank(district, client_for):
    mentee = teacher(district.school_a, last_name="Новикова", years=1)
    diagnose(mentee, district.school_a, low=("metod", "ikt"))
    grow(district, 2)
    recommend(district.school_a, Pair.objects.first().mentor, mentee)
    client = client_for(district.curator_a)
    url = reverse("matching:suggest")

    def page():
        response = client.get(url, {"mentee": mentee.pk, "all": "1"})
        assert response.status_code == 200

    page()  # warm the session and the reference caches
    small = queries(page)
    grow(district, 18, start=2)
    large = queries(page)
    assert len(client.get(url, {"mentee": mentee.pk, "all": "1"}).context["suggestions"]) >= 20
    assert small == large


def test_health_list_and_counts_queries_do_not_grow_with_the_pairs(
    district, client_for, django_assert_num_queries
):
    grow(district, 2)
    client = client_for(district.curator_a)
    url = reverse("matching:pair_health")

    def page():
        response = client.get(url, {"reset": ""}, follow=True)
        assert response.status_code == 200

    def counts():
        today = timezone.localdate()
        pairs = Pair.objects.filter(organization=district.school_a)
        health.counts(pairs, today)
        health.counts_by_organization(pairs, today)

    def home():
        assert client.get(reverse("home")).status_code == 200

    page()
    home()
    small = (queries(page), queries(counts), queries(home))
    grow(district, 18, start=2)
    assert Pair.objects.filter(organization=district.school_a).count() >= 20
    large = (queries(page), queries(counts), queries(home))
    assert small == large
    with django_assert_num_queries(2):
        counts()
