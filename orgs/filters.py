from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.fields import read_choices_in_one_query
from core.widgets import FastSelect
from orgs.models import Employment, Organization, OrganizationKind, Position, QualificationCategory
from orgs.visibility import reads_region_wide, region_wide, visible_municipalities


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


class RegionWideFilterSet(django_filters.FilterSet):
    """A list filter with an `organization` filter, for lists a region-wide user reads too.

    For a superuser or a regional coordinator a `municipality` filter comes before the
    organization, and the organization list offers the organizations of the chosen
    municipality only (a region's 1,200 organizations in one list can be neither read nor
    rendered cheaply): the usual «муниципалитет → организация» of regional portals. With
    neither chosen the list is read over the whole region (`orgs.visibility.region_wide`).
    Other users see the filter as before."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.is_region_wide = request is not None and reads_region_wide(request.user)
        if not self.is_region_wide or "organization" not in self.filters:
            return
        organization = self.filters["organization"]
        municipality = django_filters.ModelChoiceFilter(
            widget=FastSelect,
            label=_("Municipality"),
            field_name=f"{organization.field_name}__municipality",
            queryset=visible_municipalities(request.user).only("name"),  # options: names
            empty_label=_("All municipalities"),
        )
        municipality.model = organization.model
        municipality.parent = self
        filters = {}
        for name, each in self.filters.items():
            if name == "organization":
                filters["municipality"] = municipality
            filters[name] = each
        self.filters = filters

    def _chosen(self, name: str) -> int | None:
        try:
            return int(self.data.get(name) or 0) or None
        except (TypeError, ValueError):
            return None

    @property
    def form(self):
        form = super().form
        if not hasattr(self, "_adjusted"):
            self._adjusted = True
            self.adjust_form(form)
            read_choices_in_one_query(form)
        return form

    def adjust_form(self, form) -> None:
        """Change the built form's fields once (subclasses add theirs)."""
        if not (self.is_region_wide and "municipality" in form.fields):
            return
        # The chosen municipality's organizations, and the organization chosen (a link may
        # name one without its municipality).
        field = form.fields["organization"]
        municipality, organization = self._chosen("municipality"), self._chosen("organization")
        if municipality or organization:
            field.queryset = field.queryset.filter(
                Q(municipality_id=municipality or 0) | Q(pk=organization or 0)
            )
        else:
            field.queryset = field.queryset.none()  # nothing to offer: no query
        if not municipality:
            field.help_text = _("Choose a municipality to list its organizations.")

    @property
    def reads_whole_region(self) -> bool:
        """Region-wide, with neither a municipality nor an organization chosen."""
        return self.is_region_wide and not (
            self._chosen("municipality") or self._chosen("organization")
        )

    @property
    def qs(self):
        if not hasattr(self, "_region_qs"):
            queryset = super().qs
            if self.reads_whole_region:
                queryset = region_wide(queryset)
            self._region_qs = queryset
        return self._region_qs
