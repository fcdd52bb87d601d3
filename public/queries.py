"""What the public pages show: only names of people whose consent to publication is active."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch

from community.models import (
    Council,
    Event,
    EventParticipant,
    Nomination,
    NominationStage,
    OrderKind,
    PairOrder,
)
from community.queries import year_bounds
from mentoring.models import MentorProfile, Pair, academic_year_of
from monitoring.models import LocalAct
from orgs.models import Employment, Organization, Person
from programs.models import Product
from public.models import PublicationConsent, PublicPage


def consented_ids(person_ids) -> set[int]:
    return set(
        PublicationConsent.objects.active()
        .filter(person_id__in=list(person_ids))
        .values_list("person_id", flat=True)
    )


def public_name(person: Person, allowed: set[int]) -> str | None:
    return person.full_name if person.pk in allowed else None


def _events(events, today) -> list[dict]:
    events = list(
        events.prefetch_related(
            Prefetch(
                "participants",
                queryset=EventParticipant.objects.select_related("person").order_by(
                    "person__search_key"
                ),
                to_attr="participant_rows",
            )
        ).order_by("-starts_on")[:30]
    )
    allowed = consented_ids(row.person_id for event in events for row in event.participant_rows)
    return [
        {
            "event": event,
            "named": [
                (row.person.full_name, row.get_role_display())
                for row in event.participant_rows
                if row.person_id in allowed
            ],
            "others": sum(1 for row in event.participant_rows if row.person_id not in allowed),
        }
        for event in events
    ]


def _practices(products) -> list[dict]:
    products = list(products.select_related("author", "organization").order_by("-decided_at")[:50])
    allowed = consented_ids(product.author_id for product in products)
    return [
        {
            "product": product,
            "title": _title_without(product, allowed),
            "author": product.author.full_name if product.author_id in allowed else None,
        }
        for product in products
    ]


def _title_without(product, allowed: set[int]) -> str:
    """The title with the author's name taken out when they have not consented (titles are
    often «Тема: Фамилия И.О.»)."""
    title = product.title
    if product.author_id in allowed:
        return title
    for name in (product.author.full_name, product.author.short_name, product.author.last_name):
        title = title.replace(name, "")
    return title.strip().rstrip(":;,—–-").strip() or str(product.get_kind_display())


def committee_context(page: PublicPage, today: datetime.date) -> dict:
    municipality = page.municipality
    year = academic_year_of(today)
    start, end = year_bounds(year)
    pages = {
        row.organization_id: row
        for row in PublicPage.objects.filter(municipality=municipality, organization__isnull=False)
    }
    organizations = [
        (organization, pages.get(organization.pk))
        for organization in Organization.objects.filter(municipality=municipality).order_by(
            "kind", "sort_key"
        )
    ]
    awards = list(
        Nomination.objects.current()
        .filter(
            organization__municipality=municipality,
            stage=NominationStage.AWARDED,
            decided_on__gte=start,
            decided_on__lt=end,
        )
        .select_related("person", "organization")
    )
    allowed = consented_ids(nomination.person_id for nomination in awards)
    return {
        "page": page,
        "municipality": municipality,
        "year": year,
        "documents": page.document_links(),
        "organizations": organizations,
        "practices": _practices(
            Product.objects.accepted().filter(organization__municipality=municipality)
        ),
        "events": _events(
            Event.objects.current().filter(
                municipality=municipality,
                is_published=True,
                starts_on__gte=start,
                starts_on__lt=end,
            ),
            today,
        ),
        "awards": [
            {"nomination": nomination, "name": nomination.person.full_name}
            for nomination in awards
            if nomination.person_id in allowed
        ],
        "news": list(page.news.filter(archived_on__isnull=True)[:10]),
    }


def organization_context(page: PublicPage, today: datetime.date) -> dict:
    organization = page.organization
    council = Council.objects.filter(organization=organization).first()
    members = (
        list(council.members.select_related("person").order_by("person__search_key"))
        if council
        else []
    )
    mentors = list(
        MentorProfile.objects.active()
        .filter(organization=organization)
        .select_related("person")
        .prefetch_related(
            Prefetch(
                "person__employments",
                queryset=Employment.objects.active().filter(organization=organization),
                to_attr="here",
            )
        )
        .order_by("person__search_key")
    )
    orders = list(
        PairOrder.objects.filter(organization=organization, kind=OrderKind.FIXING)
        .prefetch_related(
            Prefetch(
                "pairs",
                queryset=Pair.objects.select_related("mentor", "form").prefetch_related(
                    "memberships__person"
                ),
            )
        )
        .order_by("-date")[:5]
    )
    people = [member.person_id for member in members] + [m.person_id for m in mentors]
    for order in orders:
        for pair in order.pairs.all():
            people.append(pair.mentor_id)
            people.extend(row.person_id for row in pair.memberships.all())
    allowed = consented_ids(people)
    order_rows = [
        {
            "order": order,
            "pairs": [
                {
                    "mentor": public_name(pair.mentor, allowed),
                    "mentees": [public_name(row.person, allowed) for row in pair.memberships.all()],
                    "form": pair.form,
                }
                for pair in order.pairs.all()
            ],
        }
        for order in orders
    ]
    return {
        "page": page,
        "organization": organization,
        "committee": PublicPage.objects.filter(
            municipality=organization.municipality, organization=None
        ).first(),
        "documents": page.document_links(),
        "acts": list(LocalAct.objects.filter(organization=organization).order_by("-adopted_on")),
        "orders": order_rows,
        "council_members": [m.person.full_name for m in members if m.person_id in allowed],
        "council_hidden": sum(1 for m in members if m.person_id not in allowed),
        "council_meetings": council.meetings.count() if council else 0,
        "mentors": [
            {
                "name": profile.person.full_name,
                "subjects": ", ".join(job.subjects for job in profile.person.here if job.subjects),
                "topics": profile.get_topics_display(),
            }
            for profile in mentors
            if profile.person_id in allowed
        ],
        "mentors_hidden": sum(1 for profile in mentors if profile.person_id not in allowed),
        "events": _events(
            Event.objects.current().filter(organization=organization, is_published=True), today
        ),
        "practices": _practices(Product.objects.accepted().filter(organization=organization)),
        "news": list(page.news.filter(archived_on__isnull=True)[:10]),
    }
