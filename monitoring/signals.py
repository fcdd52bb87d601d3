"""Facts follow the records: a saved or deleted record that feeds an indicator marks its
organization's facts dirty; `facts.refresh_dirty` recomputes them.

Signals, not service calls, because the records are written by the apps below monitoring
(mentoring, programs, orgs), which may not import it; and nothing here changes domain data —
it only says a cached summary is out of date. Bulk writes (`bulk_create`, `update`) send no
signal: the nightly `facts.refresh_all` recomputes every organization for them (and for the
counts «up to today» that move with the date).
"""

from __future__ import annotations

import functools

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from community.models import Event, EventParticipant, Payment
from mentoring.models import Meeting, NeedEntry, NeedsList, Pair, PairMentee
from monitoring.models import (
    Deadline,
    FactState,
    LocalAct,
    Order,
    OrderPoint,
    ProgressEntry,
    Survey,
    SurveyAnswer,
)
from orgs.models import Employment, Municipality
from programs.models import Activity, Answer, Diagnostic, Program

# What a changed record points at: (which rows, the attribute with their id).
SOURCES = {
    NeedsList: ("organization", "organization_id"),
    NeedEntry: ("needs_list", "needs_list_id"),
    Pair: ("organization", "organization_id"),
    PairMentee: ("pair", "pair_id"),
    Meeting: ("pair", "pair_id"),
    Program: ("pair", "pair_id"),
    Diagnostic: ("pair", "pair_id"),
    Answer: ("diagnostic", "diagnostic_id"),
    Activity: ("program", "program_id"),
    ProgressEntry: ("program", "program_id"),
    Survey: ("program", "program_id"),
    SurveyAnswer: ("survey", "survey_id"),
    Employment: ("person", "person_id"),  # inter-organization pairs read current jobs
}

# The organizations behind each kind of id.
CONDITIONS = {
    "organization": lambda ids: Q(organization_id__in=ids),
    "needs_list": lambda ids: Q(
        organization_id__in=NeedsList.objects.filter(pk__in=ids).values("organization_id")
    ),
    "pair": lambda ids: Q(
        organization_id__in=Pair.objects.filter(pk__in=ids).values("organization_id")
    ),
    "program": lambda ids: Q(
        organization_id__in=Program.objects.filter(pk__in=ids).values("pair__organization_id")
    ),
    "diagnostic": lambda ids: Q(
        organization_id__in=Diagnostic.objects.filter(pk__in=ids).values("pair__organization_id")
    ),
    "survey": lambda ids: Q(
        organization_id__in=Survey.objects.filter(pk__in=ids).values(
            "program__pair__organization_id"
        )
    ),
    "person": lambda ids: (
        Q(organization_id__in=Pair.objects.filter(mentor_id__in=ids).values("organization_id"))
        | Q(
            organization_id__in=PairMentee.objects.filter(person_id__in=ids).values(
                "pair__organization_id"
            )
        )
        | Q(
            organization_id__in=Employment.objects.filter(person_id__in=ids).values(
                "organization_id"
            )
        )
    ),
}


def mark(kind: str, value: int) -> None:
    """Mark the organizations behind one changed record (one UPDATE)."""
    FactState.objects.filter(CONDITIONS[kind]([value]), dirty_since__isnull=True).update(
        dirty_since=timezone.now()
    )


def record_changed(sender, instance, **kwargs) -> None:
    kind, attribute = SOURCES[sender]
    value = getattr(instance, attribute, None)
    if value is None:
        return
    # After the commit (nothing with a rollback); an organization already dirty costs a no-op.
    transaction.on_commit(functools.partial(mark, kind, value))


# The municipalities' kept counts that are not organizations' facts (`facts.refresh_municipalities`):
# a municipal event is counted for every municipality whose staff took part (any of its
# region), a payment for the municipality of the organization paying it; the deadlines
# compliance follows the local acts, the orders and the deadlines.
MUNICIPALITY_SOURCES = {
    Event: lambda event: _same_region(event.municipality_id),
    EventParticipant: lambda row: _same_region(
        Event.objects.filter(pk=row.event_id).values("municipality_id")[:1]
    ),
    Payment: lambda payment: Q(organizations__pk=payment.organization_id),
    # the deadlines compliance of the order
    LocalAct: lambda act: Q(organizations__pk=act.organization_id),
    Order: lambda order: Q(pk=order.municipality_id),
    OrderPoint: lambda point: Q(
        pk=Order.objects.filter(pk=point.order_id).values("municipality_id")[:1]
    ),
    Deadline: lambda deadline: Q(pk=deadline.municipality_id),
    Municipality: lambda municipality: Q(pk=municipality.pk),  # its needs list period
}


def _same_region(municipality) -> Q:
    return Q(pk=municipality) | Q(region__municipalities__pk=municipality)


def municipal_record_changed(sender, instance, **kwargs) -> None:
    from monitoring import facts  # facts reads the registry, which needs every app loaded

    condition = MUNICIPALITY_SOURCES[sender](instance)
    transaction.on_commit(functools.partial(facts.mark_municipalities_dirty, condition))


def connect() -> None:
    for model in SOURCES:
        post_save.connect(record_changed, sender=model, dispatch_uid=f"facts-{model.__name__}")
        post_delete.connect(record_changed, sender=model, dispatch_uid=f"facts-d-{model.__name__}")
    for model in MUNICIPALITY_SOURCES:
        name = model.__name__
        post_save.connect(municipal_record_changed, sender=model, dispatch_uid=f"counts-{name}")
        post_delete.connect(municipal_record_changed, sender=model, dispatch_uid=f"counts-d-{name}")
