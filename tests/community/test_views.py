"""Where incentives and events show: the person's card, the mentor bank entry, the dashboard
with its drill-down, the annual report's section and the Excel exports."""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from community import queries as selectors
from community import services
from mentoring.models import academic_year_of
from monitoring import indicators as ind
from reports.services import gather, render_html
from tests.mentoring.conftest import make_mentor


@pytest.fixture
def records(district):
    today = timezone.localdate()
    person = district.mentor_a.person
    event = services.event_save(
        user=district.curator_a,
        organization=district.school_a,
        data=services.EventData(
            title="Фестиваль открытых уроков",
            kind="festival",
            level="organization",
            starts_on=today,
        ),
    )
    services.event_participant_add(
        user=district.curator_a, event=event, person=person, role="winner"
    )
    nomination = services.nomination_propose(
        user=district.curator_a,
        organization=district.school_a,
        person=person,
        kind="badge_honor",
        proposed_by="council",
        proposed_on=today,
    )
    services.payment_set(
        user=district.curator_a,
        organization=district.school_a,
        data=services.PaymentData(
            person=person,
            act="Положение об оплате труда",
            act_point="4.7",
            starts_on=today,
            ends_on=today + datetime.timedelta(days=200),
            amount=Decimal("3000"),
        ),
    )
    return event, nomination


def test_the_person_card_and_the_mentor_entry_show_events_and_incentives(
    district, records, client_for
):
    profile = make_mentor(district.mentor_a.person, district.school_a)
    client = client_for(district.curator_a)
    for url in (district.mentor_a.person.get_absolute_url(), profile.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "Фестиваль открытых уроков" in html
        assert "Почетный наставник" in html
        assert "3 000.00 ₽ в месяц" in html


def test_a_curator_of_another_school_sees_no_incentives_of_a_mentor_in_the_bank(
    district, records, client_for
):
    profile = make_mentor(district.mentor_a.person, district.school_a)
    html = client_for(district.curator_b).get(profile.get_absolute_url()).content.decode()
    assert "Почетный наставник" not in html
    assert "Фестиваль открытых уроков" not in html


def test_the_dashboard_counts_incentives_and_drills_down_to_the_rows(district, records, client_for):
    client = client_for(district.coordinator)
    year = academic_year_of(timezone.localdate())
    html = client.get(reverse("monitoring:dashboard") + f"?year={year}").content.decode()
    assert "Стимулирование и мероприятия" in html
    drill = client.get(reverse("monitoring:drill", args=["winners"]) + f"?year={year}")
    assert drill.status_code == 200
    assert district.mentor_a.person.full_name in drill.content.decode()
    counts = selectors.counts(
        ind.Scope(municipality_id=district.municipality.pk).organizations(), year
    )
    assert (counts.events, counts.winners, counts.nominations, counts.awarded, counts.payments) == (
        1,
        1,
        1,
        0,
        1,
    )


def test_the_annual_report_has_the_section_on_incentives_and_events(district, records):
    today = timezone.localdate()
    year = academic_year_of(today)
    context = gather(
        ind.Scope(municipality_id=district.municipality.pk),
        year,
        today,
        municipality=district.municipality,
    )
    assert context["incentives"]["events"][0][0] == "Фестиваль открытых уроков"
    html = render_html(context, language="ru")
    assert "Стимулирование и мероприятия" in html
    assert "Почетный наставник" in html


def test_the_events_list_exports_to_excel(district, records, client_for):
    response = client_for(district.curator_a).get(reverse("community:event_list") + "?export=xlsx")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[1][0] == "Фестиваль открытых уроков"
    assert district.mentor_a.person.full_name in rows[1][-1]


def test_the_curator_generates_an_order_from_the_page_and_starts_its_pairs(
    district, drafts, client_for
):
    client = client_for(district.curator_a)
    url = reverse("community:order_new", args=[district.school_a.pk])
    response = client.post(
        url,
        {
            "kind": "fixing",
            "number": "15-о",
            "date": "2026-11-10",
            "pairs": [pair.pk for pair in drafts],
            "responsible": district.mentor_a.person.pk,
        },
    )
    assert response.status_code == 302
    order_url = response["Location"]
    assert "15-о" in client.get(order_url).content.decode()
    client.post(order_url + "start/")
    for pair in drafts:
        pair.refresh_from_db()
        assert pair.status == "active" and pair.order_number == "15-о"
