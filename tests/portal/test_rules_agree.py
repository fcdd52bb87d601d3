"""Each rule of the Положение has one home; every place that applies it agrees with the others.

The needs list's period: the coordinator sets it once (the deadlines page); the dashboard's
compliance, the curator's home, the needs page's badge and the weekly reminder all follow it.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from mentoring.models import NeedsList, Pair, academic_year_of
from mentoring.periods import check_program_period
from monitoring.indicators import Scope, State, compliance
from monitoring.models import DeadlineKind
from programs.services.routes import check_route_period
from reports import reminders

TODAY = datetime.date(2026, 11, 10)


def _deadlines_form(period: int) -> dict:
    return {
        "regulation_adopted": "01.08.2026",
        "regulation_published": "06.08.2026",
        "system_working": "01.09.2026",
        "needs_updated": period,
    }


def _four_places(district, client_for) -> dict[str, bool]:
    """Is school A's needs list late, according to each place that shows it?"""
    year = academic_year_of(TODAY)
    rows = compliance(Scope(municipality_id=district.municipality.pk), year, TODAY)
    check = next(
        check
        for row in rows
        if row.organization == district.school_a
        for check in row.checks
        if check.kind == DeadlineKind.NEEDS_UPDATED
    )
    client = client_for(district.curator_a)
    home = client.get("/")
    needs_page = client.get(
        f"/mentoring/needs/organization/{district.school_a.pk}/"
    ).content.decode()
    digests = {digest.user.username: digest for digest in reminders.reminders_select()}
    curator_digest = digests.get("curator_a")
    return {
        "dashboard": check.state == State.MISSING,
        "home": any(
            row["stale"]
            for row in home.context["mentoring_actions"]["needs"]
            if row["organization"] == district.school_a
        ),
        "badge": 'data-testid="stale"' in needs_page,
        "reminder": bool(curator_digest and curator_digest.sections.get("stale_needs")),
    }


@pytest.mark.django_db
def test_needs_list_period_set_by_the_coordinator_is_the_one_every_place_reads(
    district, client_for, settings
):
    settings.SITE_URL = "https://nastavnik.example.ru"
    district.curator_a.email = "curator@example.org"
    district.curator_a.save()
    with time_machine.travel(TODAY, tick=False):
        NeedsList.objects.create(
            organization=district.school_a,
            academic_year=academic_year_of(TODAY),
            updated_on=TODAY - datetime.timedelta(days=200),
        )
        assert _four_places(district, client_for) == dict.fromkeys(
            ("dashboard", "home", "badge", "reminder"), False
        )

        coordinator = client_for(district.coordinator)
        response = coordinator.post("/monitoring/deadlines/?year=2026/2027", _deadlines_form(180))
        assert response.status_code == 302
        district.municipality.refresh_from_db()
        assert district.municipality.needs_list_period_days == 180

        assert _four_places(district, client_for) == dict.fromkeys(
            ("dashboard", "home", "badge", "reminder"), True
        )


@pytest.mark.django_db
def test_deadlines_form_refuses_a_period_shorter_than_a_month(district, client_for):
    response = client_for(district.coordinator).post(
        "/monitoring/deadlines/?year=2026/2027", _deadlines_form(7)
    )
    assert response.status_code == 200
    assert "needs_updated" in response.context["form"].errors
    district.municipality.refresh_from_db()
    assert district.municipality.needs_list_period_days == 365


@pytest.mark.parametrize(
    ("ends_on", "allowed"),
    [
        (datetime.date(2026, 12, 9), False),  # 3 months less a day
        (datetime.date(2026, 12, 10), True),  # exactly 3 months
        (datetime.date(2027, 9, 10), True),  # exactly 1 year
        (datetime.date(2027, 9, 11), False),  # a year and a day
    ],
)
def test_program_period_is_three_months_to_a_year_inclusive(ends_on, allowed):
    start = datetime.date(2026, 9, 10)
    if allowed:
        check_program_period(start, ends_on)
    else:
        with pytest.raises(ValidationError):
            check_program_period(start, ends_on)


@pytest.mark.parametrize(
    ("ends_on", "allowed"),
    [
        (datetime.date(2030, 9, 9), False),
        (datetime.date(2030, 9, 10), True),  # 4 years
        (datetime.date(2031, 9, 10), True),  # 5 years
        (datetime.date(2031, 9, 11), False),
    ],
)
def test_route_period_is_four_to_five_years_inclusive(ends_on, allowed):
    start = datetime.date(2026, 9, 10)
    if allowed:
        check_route_period(start, ends_on)
    else:
        with pytest.raises(ValidationError):
            check_route_period(start, ends_on)


@pytest.mark.django_db
def test_pair_form_refuses_a_period_the_program_cannot_have(district, client_for):
    """The pair form promises «3 months to a year»: it checks it with the programs' rule."""
    client = client_for(district.curator_a)
    page = client.get("/mentoring/pairs/add/")
    assert page.status_code == 200
    before = Pair.objects.count()
    response = client.post(
        "/mentoring/pairs/add/",
        {
            "organization": district.school_a.pk,
            "mentor": district.mentor_a.person.pk,
            "mentees": [district.mentee_a.person.pk],
            **{
                key: value
                for key, value in page.context["form"].initial.items()
                if key in ("form", "kind")
            },
            "topic": "Классное руководство",
            "planned_start": "10.09.2026",
            "planned_end": "10.10.2026",
        },
    )
    assert response.status_code == 200
    assert Pair.objects.count() == before
    assert "3 месяцев" in response.content.decode()
