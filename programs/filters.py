"""List filters of programs, routes and the bank (django-filter)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.text import normalize
from core.widgets import FastSelect
from orgs.filters import RegionWideFilterSet
from orgs.models import Organization, OrganizationKind, Position
from programs.models import (
    DifficultyArea,
    Product,
    ProductKind,
    ProductStatus,
    Program,
    ProgramStatus,
    Route,
    RouteStatus,
)


class ProgramFilter(RegionWideFilterSet):
    q = django_filters.CharFilter(label=_("Mentee or mentor"), method="filter_q")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ProgramStatus.choices, empty_label=_("All statuses")
    )
    organization = django_filters.ModelChoiceFilter(
        widget=FastSelect,
        label=_("Organization"),
        field_name="pair__organization",
        queryset=Organization.objects.none(),
        empty_label=_("All organizations"),
    )

    class Meta:
        model = Program
        fields = ["q", "status", "organization"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["organization"].queryset = Organization.objects.visible_to(request.user)

    def filter_q(self, queryset, name, value):
        for word in normalize(value).split():
            queryset = queryset.filter(
                Q(mentee__search_key__contains=word) | Q(pair__mentor__search_key__contains=word)
            )
        return queryset


class RouteFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Teacher"), method="filter_q")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=RouteStatus.choices, empty_label=_("All statuses")
    )

    class Meta:
        model = Route
        fields = ["q", "status"]

    def filter_q(self, queryset, name, value):
        for word in normalize(value).split():
            queryset = queryset.filter(person__search_key__contains=word)
        return queryset


class ProductFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=pgettext_lazy("filter", "Search"), method="filter_q")
    area = django_filters.ModelChoiceFilter(
        label=_("Area"), queryset=DifficultyArea.objects.all(), empty_label=_("All areas")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind of product"),
        choices=ProductKind.choices,
        empty_label=pgettext_lazy("mentoring", "All kinds"),
    )
    position = django_filters.ModelChoiceFilter(
        label=_("Author's position"),
        queryset=Position.objects.all(),
        empty_label=_("All positions"),
    )
    organization_kind = django_filters.ChoiceFilter(
        label=_("Kind of organization"),
        field_name="organization__kind",
        choices=OrganizationKind.choices,
        empty_label=pgettext_lazy("mentoring", "All kinds"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ProductStatus.choices, empty_label=_("All statuses")
    )

    class Meta:
        model = Product
        fields = ["q", "area", "kind", "position", "organization_kind", "status"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["position"].queryset = Position.objects.filter(
            pk__in=Product.objects.values("position_id")
        )

    def filter_q(self, queryset, name, value):
        for word in normalize(value).split():
            queryset = queryset.filter(
                Q(search_key__contains=word) | Q(author__search_key__contains=word)
            )
        return queryset
