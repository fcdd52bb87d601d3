from __future__ import annotations

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from orgs.models import Employment, Organization, OrganizationKind, Position, QualificationCategory


class OrganizationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=pgettext_lazy("filter", "Search"), method="filter_q")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=OrganizationKind.choices, empty_label=_("All kinds")
    )

    class Meta:
        model = Organization
        fields = ["q", "kind"]

    def filter_q(self, queryset, name, value):
        return queryset.search(value)


class YesNoAllWidget(django_filters.widgets.BooleanWidget):
    """«все / да / нет» instead of django-filter's «неизвестно»."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", _("all")), ("true", _("yes")), ("false", _("no")))


class StaffStatus:
    ACTIVE = "active"
    DISMISSED = "dismissed"
    ALL = "all"
    CHOICES = [(ACTIVE, _("working")), (DISMISSED, _("dismissed")), (ALL, _("all"))]


class StaffFilter(django_filters.FilterSet):
    """Filters of a staff list; the same filter serves the page and the Excel export."""

    q = django_filters.CharFilter(label=_("Name"), method="filter_q")
    position = django_filters.ModelChoiceFilter(
        label=_("Position"), queryset=Position.objects.all(), empty_label=_("All positions")
    )
    qualification_category = django_filters.ChoiceFilter(
        label=_("Category"), choices=QualificationCategory.choices, empty_label=_("Any category")
    )
    young_specialist = django_filters.BooleanFilter(
        label=_("Young specialists"),
        method="filter_young_specialist",
        widget=YesNoAllWidget(),
    )
    newcomer = django_filters.BooleanFilter(
        label=_("Newcomers"),
        method="filter_newcomer",
        widget=YesNoAllWidget(),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=StaffStatus.CHOICES,
        method="filter_status",
        empty_label=None,
        null_label=None,
    )

    class Meta:
        model = Employment
        fields = [
            "q",
            "position",
            "qualification_category",
            "young_specialist",
            "newcomer",
            "status",
        ]

    def __init__(self, data=None, *args, **kwargs):
        # Working staff unless the user asks otherwise.
        data = data.copy() if data is not None else {}
        data.setdefault("status", StaffStatus.ACTIVE)
        super().__init__(data, *args, **kwargs)

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_young_specialist(self, queryset, name, value):
        young = queryset.young_specialists(timezone.localdate())
        return young if value else queryset.exclude(pk__in=young.values("pk"))

    def filter_newcomer(self, queryset, name, value):
        newcomers = queryset.newcomers(timezone.localdate())
        return newcomers if value else queryset.exclude(pk__in=newcomers.values("pk"))

    def filter_status(self, queryset, name, value):
        if value == StaffStatus.ACTIVE:
            return queryset.active()
        if value == StaffStatus.DISMISSED:
            return queryset.filter(dismissed_on__isnull=False)
        return queryset


def _staff_organizations(request):
    if request is None:
        return Organization.objects.none()
    return Organization.objects.with_staff_visible_to(request.user)


class DistrictStaffFilter(StaffFilter):
    """The staff of every organization the user oversees: the committee's drill-down."""

    organization = django_filters.ModelChoiceFilter(
        label=_("Organization"),
        queryset=_staff_organizations,
        empty_label=_("All organizations"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        field_name="organization__kind",
        choices=OrganizationKind.choices,
        empty_label=_("All kinds"),
    )

    class Meta(StaffFilter.Meta):
        fields = ["q", "organization", "kind", *StaffFilter.Meta.fields[1:]]
