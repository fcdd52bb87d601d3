"""Every creating form of community and public saves once when sent twice with the same
one-time token (a double click, a resubmitted page); the lists and cards read in a number of
queries that does not grow with the records."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community import services
from community.models import (
    CouncilDecision,
    CouncilMeeting,
    CouncilMember,
    Event,
    EventParticipant,
    Nomination,
    PairOrder,
    Payment,
)
from mentoring.models import PairStatus
from public import services as public_services
from public.models import NewsItem
from tests.community.conftest import TODAY
from tests.programs.conftest import make_pair

ALREADY = "Эта форма уже отправлена и сохранена"
TOKEN = re.compile(r'name="form_token" value="([0-9a-f-]{36})"')


def token_of(client, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200
    tokens = TOKEN.findall(page.content.decode())
    assert tokens, f"no one-time token on {url}"
    return tokens[0]


@dataclass
class Form:
    url: Callable
    data: Callable
    model: type
    page: Callable | None = None  # where the form is shown, when not at `url`


def _draft(district):
    return make_pair(
        district.school_a,
        district.mentor_a.person,
        [district.teacher_a.person],
        status=PairStatus.DRAFT,
    )


FORMS = {
    "council member": Form(
        lambda d, w: reverse("community:council", args=[d.school_a.pk]),
        lambda d, w: {
            "add_member": "1",
            "person": d.teacher_a.person.pk,
            "joined_on": "2026-11-10",
        },
        CouncilMember,
    ),
    "council meeting": Form(
        lambda d, w: reverse("community:council_meeting_add", args=[d.school_a.pk]),
        lambda d, w: {"held_on": "2026-11-12", "agenda": "Итоги диагностики", "minutes": ""},
        CouncilMeeting,
    ),
    "council decision": Form(
        lambda d, w: reverse("community:council_meeting", args=[w["meeting"].pk]),
        lambda d, w: {"kind": "other", "text": "Провести открытые уроки"},
        CouncilDecision,
    ),
    "event": Form(
        lambda d, w: reverse("community:event_add"),
        lambda d, w: {
            "organization": d.school_a.pk,
            "title": "Конкурс «Педагогический дебют»",
            "kind": "contest",
            "level": "municipal",
            "starts_on": "2026-11-20",
        },
        Event,
    ),
    "event participant": Form(
        lambda d, w: reverse("community:event_detail", args=[w["event"].pk]),
        lambda d, w: {"person": d.teacher_a.person.pk, "role": "participant"},
        EventParticipant,
    ),
    "nomination": Form(
        lambda d, w: reverse("community:nomination_add"),
        lambda d, w: {
            "organization": d.school_a.pk,
            "person": d.mentor_a.person.pk,
            "kind": "badge_youth",
            "proposed_by": "head",
            "proposed_on": "2026-11-10",
        },
        Nomination,
    ),
    "payment": Form(
        lambda d, w: reverse("community:payment_add"),
        lambda d, w: {
            "organization": d.school_a.pk,
            "person": d.mentor_a.person.pk,
            "act": "Положение об оплате труда",
            "amount": "2500",
            "starts_on": "2026-09-01",
            "ends_on": "2027-05-31",
        },
        Payment,
    ),
    "order on pairs": Form(
        lambda d, w: reverse("community:order_new", args=[d.school_a.pk]),
        lambda d, w: {
            "kind": "fixing",
            "number": "21-о",
            "date": "2026-11-10",
            "pairs": [w["draft"].pk],
        },
        PairOrder,
    ),
    "news item": Form(
        lambda d, w: reverse("public:organization_edit", args=[d.school_a.pk]),
        lambda d, w: {
            "add_news": "1",
            "title": "Школа наставника",
            "body": "Открылась школа наставника.",
            "published_on": "2026-11-10",
        },
        NewsItem,
    ),
}


@pytest.mark.parametrize("name", FORMS)
def test_a_creating_form_sent_twice_with_its_token_saves_one_record(
    district, council_meeting, client_for, name
):
    world = {
        "meeting": council_meeting,
        "event": services.event_save(
            user=district.curator_a,
            organization=district.school_a,
            data=services.EventData(
                title="Фестиваль", kind="festival", level="organization", starts_on=TODAY
            ),
        ),
        "draft": _draft(district),
    }
    form = FORMS[name]
    client = client_for(district.curator_a)
    url = form.url(district, world)
    data = {**form.data(district, world), "form_token": token_of(client, url)}
    before = form.model.objects.count()
    first = client.post(url, data)
    assert first.status_code == 302, first.content.decode()[:2000]
    second = client.post(url, data, follow=True)
    assert form.model.objects.count() == before + 1
    assert ALREADY in second.content.decode()


# Query counts ---------------------------------------------------------------------------


def add_records(district, start: int, stop: int) -> dict:
    """Records number start…stop-1 of each kind in school A: events with a participant,
    nominations, payments, council meetings with a decision, news, and one fixing order of
    (stop - start) new pairs. The council has the mentor as its member."""
    curator, school = district.curator_a, district.school_a
    people = [district.mentor_a.person, district.teacher_a.person, district.mentee_a.person]
    if not CouncilMember.objects.exists():
        services.council_member_add(
            user=curator, organization=school, person=people[0], joined_on=TODAY
        )
    page = public_services.organization_page(school)
    meeting = None
    for i in range(start, stop):
        event = services.event_save(
            user=curator,
            organization=school,
            data=services.EventData(
                title=f"Конкурс {i}",
                kind="contest",
                level="municipal",
                starts_on=TODAY,
                is_published=True,
            ),
        )
        services.event_participant_add(user=curator, event=event, person=people[0], role="winner")
        services.nomination_propose(
            user=curator,
            organization=school,
            person=people[i % 3],
            kind="badge_honor",
            proposed_by="head",
            proposed_on=TODAY,
        )
        services.payment_set(
            user=curator,
            organization=school,
            data=services.PaymentData(
                person=people[i % 3],
                act="Положение об оплате труда",
                act_point=str(i),
                starts_on=TODAY,
                ends_on=TODAY + datetime.timedelta(days=100),
                amount=Decimal("1000"),
            ),
        )
        meeting = services.council_meeting_hold(
            user=curator,
            organization=school,
            data=services.CouncilMeetingData(
                held_on=TODAY, agenda=f"Вопрос {i}", minutes="", attended=[people[0]]
            ),
        )
        public_services.news_add(
            user=curator, page=page, title=f"Новость {i}", body="Текст", published_on=TODAY
        )
    for i in range(start, stop):  # the last meeting's protocol has (stop - start) decisions
        services.council_decide(
            user=curator,
            meeting=meeting,
            data=services.DecisionData(kind="other", text=f"Решение {i}"),
        )
    pairs = [
        make_pair(school, people[0], [people[1 + i % 2]], status=PairStatus.DRAFT)
        for i in range(start, stop)
    ]
    order = services.pair_order_issue(
        user=curator,
        organization=school,
        data=services.OrderData(kind="fixing", number=f"{stop}-о", date=TODAY, pairs=pairs),
    )
    committee = public_services.committee_page(district.municipality)
    return {
        "meeting": meeting,
        "order": order,
        "committee": reverse("public:committee", args=[committee.slug]),
        "school": reverse("public:organization", args=[committee.slug, page.slug]),
    }


PAGES = {
    "events": (True, lambda d, w: reverse("community:event_list")),
    "nominations": (True, lambda d, w: reverse("community:nomination_list")),
    "payments": (True, lambda d, w: reverse("community:payment_list")),
    "orders": (True, lambda d, w: reverse("community:order_list")),
    "council": (True, lambda d, w: reverse("community:council", args=[d.school_a.pk])),
    "protocol": (True, lambda d, w: reverse("community:council_meeting", args=[w["meeting"].pk])),
    "order": (True, lambda d, w: reverse("community:order_detail", args=[w["order"].pk])),
    "committee page": (False, lambda d, w: w["committee"]),
    "school page": (False, lambda d, w: w["school"]),
}


def queries_of(client, url: str) -> int:
    cache.clear()  # the public pages are cached: count the build, not the cache hit
    client.get(url)  # the first visit fills the per-user scope and the session
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("name", PAGES)
def test_the_page_reads_as_many_queries_for_20_records_as_for_2(district, client_for, client, name):
    signed_in, url_of = PAGES[name]
    browser = client_for(district.curator_a) if signed_in else client
    few = queries_of(browser, url_of(district, add_records(district, 0, 2)))
    # 18 more of each kind (20 in the lists); the protocol and the order opened now have 18
    # decisions and pairs instead of 2
    many = queries_of(browser, url_of(district, add_records(district, 2, 20)))
    assert many == few, f"{name}: {few} queries with 2 records, {many} with 20"
