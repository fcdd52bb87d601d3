"""Reads other apps take from here: the person's panel, the report section on incentives and
events (plain rows, so a report template can be re-wired), the dashboard counts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from community.models import (
    Event,
    EventParticipant,
    Nomination,
    NominationStage,
    ParticipantRole,
    Payment,
)
from core.dates import day_text
from orgs.models import Employment


def year_bounds(academic_year: str) -> tuple[datetime.date, datetime.date]:
    """1 September of the first year up to (not including) 1 September of the next."""
    start = int(academic_year.split("/")[0])
    return datetime.date(start, 9, 1), datetime.date(start + 1, 9, 1)


def events_of(organizations: QuerySet, academic_year: str) -> QuerySet:
    """Events of the organizations, and municipal events their people took part in."""
    start, end = year_bounds(academic_year)
    staff = Employment.objects.filter(organization__in=organizations).values("person_id")
    return (
        Event.objects.current()
        .of_year(start, end)
        .filter(
            Q(organization__in=organizations)
            | Q(organization__isnull=True, participants__person_id__in=staff)
        )
        .distinct()
    )


def nominations_of(organizations: QuerySet, academic_year: str) -> QuerySet:
    start, end = year_bounds(academic_year)
    return Nomination.objects.current().filter(
        organization__in=organizations, proposed_on__gte=start, proposed_on__lt=end
    )


def payments_of(organizations: QuerySet, academic_year: str) -> QuerySet:
    start, end = year_bounds(academic_year)
    return Payment.objects.current().filter(
        organization__in=organizations, starts_on__lt=end, ends_on__gte=start
    )


@dataclass(frozen=True)
class Counts:
    events: int
    winners: int
    nominations: int
    awarded: int
    payments: int


def counts(organizations: QuerySet, academic_year: str) -> Counts:
    """The dashboard's numbers on incentives and events (3.4), one definition for all."""
    events = events_of(organizations, academic_year)
    winners = EventParticipant.objects.filter(
        event__in=events.values("pk"),
        role__in=(ParticipantRole.WINNER, ParticipantRole.PRIZE_WINNER),
    ).count()
    nominations = nominations_of(organizations, academic_year).aggregate(
        total=Count("pk"), awarded=Count("pk", filter=Q(stage=NominationStage.AWARDED))
    )
    return Counts(
        events=events.count(),
        winners=winners,
        nominations=nominations["total"],
        awarded=nominations["awarded"],
        payments=payments_of(organizations, academic_year).count(),
    )


def incentive_rows(organizations: QuerySet, academic_year: str) -> dict:
    """The annual report's section «Стимулирование и мероприятия» as plain rows of strings."""
    events = []
    for event in events_of(organizations, academic_year).for_list():
        winners = [
            f"{row.person.short_name} ({row.get_role_display()})"
            for row in event.participant_list
            if row.role != ParticipantRole.PARTICIPANT
        ]
        events.append(
            [
                event.title,
                str(event.get_level_display()),
                day_text(event.starts_on),
                str(len(event.participant_list)),
                "; ".join(winners) or "—",
            ]
        )
    nominations = [
        [
            nomination.person.short_name,
            nomination.organization.short_name,
            str(nomination.get_kind_display()),
            str(nomination.get_stage_display()),
        ]
        for nomination in nominations_of(organizations, academic_year).for_list()
    ]
    payments = [
        [
            payment.person.short_name,
            payment.organization.short_name,
            str(payment.size),
            f"{payment.act}{', п. ' + payment.act_point if payment.act_point else ''}",
            f"{payment.starts_on:%d.%m.%Y} – {payment.ends_on:%d.%m.%Y}",
        ]
        for payment in payments_of(organizations, academic_year).for_list()
    ]
    return {
        "event_headers": [_("Event"), _("Level"), _("Date"), _("Participants"), _("Results")],
        "events": events,
        "nomination_headers": [_("Teacher"), _("Organization"), _("Incentive"), _("Stage")],
        "nominations": nominations,
        "payment_headers": [
            _("Mentor"),
            _("Organization"),
            _("Payment"),
            _("Local act"),
            _("Period"),
        ],
        "payments": payments,
    }


def person_panel(person, user) -> tuple[str, dict] | None:
    """Events and incentives on a person's card and mentor bank entry, as far as the user
    may see them."""
    events = list(
        EventParticipant.objects.filter(
            person=person, event__in=Event.objects.visible_to(user).current().values("pk")
        )
        .select_related("event")
        .order_by("-event__starts_on")
    )
    nominations = list(
        Nomination.objects.visible_to(user).current().filter(person=person).for_list()
    )
    payments = list(Payment.objects.visible_to(user).current().filter(person=person).for_list())
    if not (events or nominations or payments):
        return None
    return (
        "community/includes/person_panel.html",
        {"events": events, "nominations": nominations, "payments": payments},
    )
