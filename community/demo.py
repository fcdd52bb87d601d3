"""Demo: events of the year with results, nominations at every stage, payments, the council of
mentors of the first school with two protocols and their decisions, an order fixing pairs."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TextIO

from django.utils import timezone

from community import services
from community.models import (
    Council,
    CouncilMeeting,
    DecisionKind,
    Event,
    EventKind,
    IncentiveKind,
    Level,
    Nomination,
    NominationStage,
    OrderKind,
    PairOrder,
    ParticipantRole,
    Payment,
    ProposedBy,
)
from mentoring.models import MentorProfile, Pair, PairStatus, academic_year_of
from orgs.demo import demo_municipality, demo_organizations, demo_user, first_school
from orgs.models import Employment
from programs.models import Product, ProductStatus, Program, ProgramStatus


def _year_start(today: datetime.date) -> datetime.date:
    return datetime.date(int(academic_year_of(today)[:4]), 9, 1)


def _mentors(organization=None, count: int = 6) -> list:
    profiles = MentorProfile.objects.select_related("person").order_by("person__search_key")
    if organization is not None:
        profiles = profiles.filter(organization=organization)
    return [profile.person for profile in profiles[:count]]


def _seed_events(admin, today: datetime.date) -> int:
    if Event.objects.exists():
        return 0
    municipality = demo_municipality()
    school = first_school()
    start = _year_start(today)
    everyone = _mentors(count=12)
    school_mentors = _mentors(school)
    events = [
        (
            None,
            "Региональный форум наставников «Наставничество – территория развития кадрового "
            "потенциала»",
            EventKind.FORUM,
            Level.REGIONAL,
            start + datetime.timedelta(days=45),
            "Выступление с опытом работы наставнических пар района, секция «Педагог – педагог».",
            [(p, ParticipantRole.PARTICIPANT) for p in everyone[:4]],
        ),
        (
            None,
            "Муниципальный конкурс «Педагог-наставник года»",
            EventKind.CONTEST,
            Level.MUNICIPAL,
            start + datetime.timedelta(days=70),
            "Итоги: победитель и два призёра, 9 участников.",
            [
                (everyone[0], ParticipantRole.WINNER),
                (everyone[1], ParticipantRole.PRIZE_WINNER),
                (everyone[2], ParticipantRole.PRIZE_WINNER),
                (everyone[5], ParticipantRole.JURY),
                *[(p, ParticipantRole.PARTICIPANT) for p in everyone[6:10]],
            ],
        ),
        (
            school,
            "Фестиваль открытых уроков молодых педагогов",
            EventKind.FESTIVAL,
            Level.ORGANIZATION,
            start + datetime.timedelta(days=30),
            "Молодые педагоги провели открытые уроки с наставниками.",
            [(p, ParticipantRole.PARTICIPANT) for p in school_mentors[:3]],
        ),
        (
            None,
            "Научно-практическая конференция «Наставничество в образовании: практики и эффекты»",
            EventKind.CONFERENCE,
            Level.MUNICIPAL,
            start + datetime.timedelta(days=20),
            "Сборник тезисов участников.",
            [(p, ParticipantRole.PARTICIPANT) for p in everyone[3:7]],
        ),
    ]
    for organization, title, kind, level, starts_on, description, people in events:
        if starts_on > today:
            starts_on = today - datetime.timedelta(days=5)
        event = services.event_save(
            user=admin,
            organization=organization,
            municipality=municipality,
            data=services.EventData(
                title=title,
                kind=kind,
                level=level,
                starts_on=starts_on,
                ends_on=starts_on + datetime.timedelta(days=1),
                description=description,
                is_published=True,
            ),
        )
        for person, role in people:
            services.event_participant_add(user=admin, event=event, person=person, role=role)
    return len(events)


def _organization_of(person):
    return (
        Employment.objects.active().filter(person=person).select_related("organization").first()
    ).organization


def _seed_incentives(admin, today: datetime.date) -> int:
    if Nomination.objects.exists():
        return 0
    start = _year_start(today)
    people = _mentors(count=10)
    plan = [
        (people[0], IncentiveKind.BADGE_HONORARY, NominationStage.AWARDED),
        (people[1], IncentiveKind.AWARD_STATE, NominationStage.SUBMITTED),
        (people[2], IncentiveKind.BADGE_YOUTH, NominationStage.SUPPORTED),
        (people[3], IncentiveKind.RESERVE_MUNICIPAL, NominationStage.PROPOSED),
        (people[4], IncentiveKind.JURY, NominationStage.AWARDED),
        (people[5], IncentiveKind.RESERVE_ORGANIZATION, NominationStage.NOT_AWARDED),
    ]
    steps = {
        NominationStage.PROPOSED: [],
        NominationStage.SUPPORTED: [NominationStage.SUPPORTED],
        NominationStage.SUBMITTED: [NominationStage.SUPPORTED, NominationStage.SUBMITTED],
        NominationStage.AWARDED: [
            NominationStage.SUPPORTED,
            NominationStage.SUBMITTED,
            NominationStage.AWARDED,
        ],
        NominationStage.NOT_AWARDED: [
            NominationStage.SUPPORTED,
            NominationStage.SUBMITTED,
            NominationStage.NOT_AWARDED,
        ],
    }
    day = min(start + datetime.timedelta(days=15), today - datetime.timedelta(days=60))
    for index, (person, kind, stage) in enumerate(plan):
        nomination = services.nomination_propose(
            user=admin,
            organization=_organization_of(person),
            person=person,
            kind=kind,
            proposed_by=ProposedBy.HEAD if index % 2 else ProposedBy.COUNCIL,
            proposed_on=day,
            grounds="Результаты работы с молодыми педагогами, победы наставляемых в конкурсах.",
        )
        on = day
        for step in steps[stage]:
            on = min(on + datetime.timedelta(days=12), today)
            services.nomination_advance(user=admin, nomination=nomination, stage=step, on=on)
    for index, person in enumerate(people[:8]):
        services.payment_set(
            user=admin,
            organization=_organization_of(person),
            data=services.PaymentData(
                person=person,
                act="Положение об оплате труда работников, приказ № 45 от 30.08.2025",
                act_point="4.7",
                starts_on=start,
                ends_on=datetime.date(start.year + 1, 5, 31),
                amount=Decimal("3000.00") if index % 2 == 0 else None,
                percent=None if index % 2 == 0 else Decimal("10"),
            ),
        )
    return len(plan)


def _seed_council(admin, today: datetime.date) -> int:
    school = first_school()
    if Council.objects.filter(organization=school, meetings__isnull=False).exists():
        return 0
    start = _year_start(today)
    members = _mentors(school, count=5)
    if len(members) < 2:
        return 0
    for person in members:
        services.council_member_add(user=admin, organization=school, person=person, joined_on=start)
    services.council_set_officers(
        user=admin, organization=school, head=members[0], secretary=members[1]
    )
    first = services.council_meeting_hold(
        user=admin,
        organization=school,
        data=services.CouncilMeetingData(
            held_on=min(start + datetime.timedelta(days=10), today),
            agenda="Подбор наставнических пар по темам на учебный год\n"
            "Участие в муниципальном конкурсе «Педагог-наставник года»",
            minutes="Куратор представила список педагогов, нуждающихся в наставничестве.",
            attended=members,
        ),
    )
    mentees = list(
        Employment.objects.active()
        .filter(organization=school)
        .exclude(person__in=members)
        .order_by("person__search_key")[:1]
    )
    if mentees:
        services.council_decide(
            user=admin,
            meeting=first,
            data=services.DecisionData(
                kind=DecisionKind.RECOMMEND_PAIR,
                text="Рекомендовать пару по теме «Методика подготовки к ОГЭ».",
                mentor=members[0],
                mentee=mentees[0].person,
            ),
        )
    services.council_decide(
        user=admin,
        meeting=first,
        data=services.DecisionData(
            kind=DecisionKind.PROPOSE_NOMINATION,
            text="Выдвинуть на муниципальный кадровый резерв.",
            mentee=members[2 % len(members)],
            incentive=IncentiveKind.RESERVE_MUNICIPAL,
        ),
    )
    second = services.council_meeting_hold(
        user=admin,
        organization=school,
        data=services.CouncilMeetingData(
            held_on=min(start + datetime.timedelta(days=75), today),
            agenda="Анализ результатов входной диагностики и корректировка программ\n"
            "Отбор продуктов в банк лучших практик",
            minutes="Наставники доложили о результатах входной диагностики наставляемых.",
            attended=members[:-1] if len(members) > 2 else members,
        ),
    )
    program = (
        Program.objects.filter(pair__organization=school)
        .exclude(status=ProgramStatus.COMPLETED)
        .order_by("pk")
        .first()
    )
    if program is not None:
        services.council_decide(
            user=admin,
            meeting=second,
            data=services.DecisionData(
                kind=DecisionKind.CORRECT_PROGRAM,
                text="Добавить в дорожную карту посещение уроков наставника по формированию "
                "функциональной грамотности (дефицит по методическим затруднениям).",
                program=program,
            ),
        )
    product = (
        Product.objects.filter(organization=school, status=ProductStatus.PROPOSED)
        .order_by("pk")
        .first()
    )
    if product is not None:
        services.council_decide(
            user=admin,
            meeting=second,
            data=services.DecisionData(
                kind=DecisionKind.ACCEPT_PRODUCT,
                text="Принять в банк лучших практик.",
                product=product,
            ),
        )
    return 2


def _seed_order(admin, today: datetime.date) -> int:
    """The order fixing the first school's pairs; the pairs carry its number and date."""
    school = first_school()
    if PairOrder.objects.filter(organization=school).exists():
        return 0
    pairs = list(
        Pair.objects.filter(organization=school, status=PairStatus.ACTIVE).order_by("planned_start")
    )
    if not pairs:
        return 0
    date = min(pair.planned_start for pair in pairs) - datetime.timedelta(days=3)
    order = PairOrder.objects.create(
        organization=school,
        kind=OrderKind.FIXING,
        number="112-о",
        date=date,
        responsible=demo_user("curator").person,
        payment_point="Установить наставникам доплату за наставническую деятельность в размере, "
        "предусмотренном п. 4.7 Положения об оплате труда работников.",
        created_by=admin,
    )
    order.pairs.set(pairs)
    # The demo pairs were registered with numbers of their own; this order fixes them all.
    Pair.objects.filter(pk__in=[pair.pk for pair in pairs]).update(
        order_number=order.number, order_date=order.date
    )
    services.pair_order_store_version(user=admin, order=order)  # kept as issued: version 1
    return 1


def seed(stdout: TextIO) -> None:
    """Create (or leave as they are) events, incentives, the council and the order."""
    today = timezone.localdate()
    admin = demo_user("admin")
    demo_organizations()
    events = _seed_events(admin, today)
    nominations = _seed_incentives(admin, today)
    meetings = _seed_council(admin, today)
    orders = _seed_order(admin, today)
    stdout.write(
        f"community: created now — {events} events, {nominations} nominations, {meetings} "
        f"council meetings, {orders} orders; in all {Event.objects.count()} events, "
        f"{Nomination.objects.count()} nominations, {Payment.objects.count()} payments, "
        f"{CouncilMeeting.objects.count()} council meetings, "
        f"{PairOrder.objects.count()} orders.\n"
    )
