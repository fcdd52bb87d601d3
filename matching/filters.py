"""The filter of the pair health list."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from matching.health import Health
from mentoring.filters import PairFilter


class PairHealthFilter(PairFilter):
    health = django_filters.ChoiceFilter(
        label=_("Health"),
        choices=Health.choices,
        empty_label=_("Any health"),
        method="filter_health",
    )

    class Meta(PairFilter.Meta):
        fields = ["q", "organization", "health", "form", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only working pairs have a health: the pair status filter has nothing to choose.
        self.filters.pop("status", None)
        self.form.fields.pop("status", None)

    def filter_health(self, queryset, name, value):
        return queryset.filter(health=value)
