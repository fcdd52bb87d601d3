"""Filters of the community lists; the same filter serves the page and its Excel export."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from community.models import (
    Event,
    EventKind,
    IncentiveKind,
    Level,
    Nomination,
    NominationStage,
    OrderKind,
    PairOrder,
    Payment,
)
from mentoring.filters import visible_organizations


class OrganizationFilterSet(django_filters.FilterSet):
    """A list of records of the organizations the user sees, filtered by one of them."""

    organization = django_filters.ModelChoiceFilter(
        label=_("Organization"), queryset=visible_organizations, empty_label=_("All")
    )


class EventFilter(OrganizationFilterSet):
    level = django_filters.ChoiceFilter(
        label=_("Level"), choices=Level.choices, empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind of event"), choices=EventKind.choices, empty_label=_("All")
    )

    class Meta:
        model = Event
        fields = ["organization", "level", "kind"]


class NominationFilter(OrganizationFilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Incentive"), choices=IncentiveKind.choices, empty_label=_("All")
    )
    stage = django_filters.ChoiceFilter(
        label=_("Stage"), choices=NominationStage.choices, empty_label=_("All")
    )

    class Meta:
        model = Nomination
        fields = ["organization", "kind", "stage"]


class PaymentFilter(OrganizationFilterSet):
    class Meta:
        model = Payment
        fields = ["organization"]


class OrderFilter(OrganizationFilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind of order"), choices=OrderKind.choices, empty_label=_("All")
    )

    class Meta:
        model = PairOrder
        fields = ["organization", "kind"]
