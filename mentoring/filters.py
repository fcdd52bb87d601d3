"""Filters of the mentoring lists; the same filter serves the page and its Excel export."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.dates import on_days
from core.text import normalize
from core.widgets import FastSelect
from mentoring.models import (
    FormType,
    Meeting,
    MeetingFormat,
    MentoringForm,
    MentorProfile,
    NeedEntry,
    NeedReason,
    NeedStatus,
    Pair,
    PairMentee,
    PairStatus,
    Topic,
    academic_year_of,
)
from orgs.filters import RegionWideFilterSet, YesNoAllWidget
from orgs.models import Employment, Organization, OrganizationKind, Position


def visible_organizations(request):
    if request is None:
        return Organization.objects.none()
    return Organization.objects.visible_to(request.user)


def _name_search(queryset, field: str, text: str):
    for word in normalize(text).split():
        queryset = queryset.filter(**{f"{field}__contains": word})
    return queryset


class MentorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name"), method="filter_q")
    topic = django_filters.ChoiceFilter(
        label=_("Topic"), choices=Topic.choices, method="filter_topic", empty_label=_("Any topic")
    )
    subject = django_filters.CharFilter(label=_("Subject"), method="filter_subject")
    position = django_filters.ModelChoiceFilter(
        label=_("Position"),
        queryset=Position.objects.all(),
        method="filter_position",
        empty_label=_("All positions"),
    )
    organization_kind = django_filters.ChoiceFilter(
        label=_("Kind of organization"),
        field_name="organization__kind",
        choices=OrganizationKind.choices,
        empty_label=_("All kinds"),
    )
    organization = django_filters.ModelChoiceFilter(
        widget=FastSelect,
        label=_("Organization"),
        queryset=visible_organizations,
        empty_label=_("All organizations"),
    )
    free = django_filters.BooleanFilter(
        label=_("Has free places"),
        method="filter_free",
        widget=YesNoAllWidget(),
    )

    class Meta:
        model = MentorProfile
        fields = ["q", "topic", "subject", "position", "organization_kind", "organization", "free"]

    def filter_q(self, queryset, name, value):
        return _name_search(queryset, "person__search_key", value)

    def filter_topic(self, queryset, name, value):
        return queryset.filter(topics__contains=[value])

    def filter_subject(self, queryset, name, value):
        jobs = Employment.objects.active().filter(
            person_id=OuterRef("person_id"), subjects__icontains=value.strip()
        )
        return queryset.filter(Exists(jobs))

    def filter_position(self, queryset, name, value):
        jobs = Employment.objects.active().filter(person_id=OuterRef("person_id"), position=value)
        return queryset.filter(Exists(jobs))

    def filter_free(self, queryset, name, value):
        if value:
            return queryset.filter(free_load__gt=0, is_active=True)
        return queryset.filter(Q(free_load__lte=0) | Q(is_active=False))


def academic_year_choices() -> list[tuple[str, str]]:
    current = int(academic_year_of(timezone.localdate())[:4])
    years = [f"{year}/{year + 1}" for year in range(current + 1, current - 5, -1)]
    return [(year, year) for year in years]


class NeedFilter(RegionWideFilterSet):
    q = django_filters.CharFilter(label=_("Name"), method="filter_q")
    organization = django_filters.ModelChoiceFilter(
        widget=FastSelect,
        label=_("Organization"),
        field_name="needs_list__organization",
        queryset=visible_organizations,
        empty_label=_("All organizations"),
    )
    academic_year = django_filters.ChoiceFilter(
        label=_("Academic year"),
        field_name="needs_list__academic_year",
        choices=academic_year_choices,
        empty_label=_("All years"),
    )
    reason = django_filters.ChoiceFilter(
        label=_("Reason"), choices=NeedReason.choices, empty_label=_("Any reason")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=NeedStatus.choices, empty_label=_("Any status")
    )

    class Meta:
        model = NeedEntry
        fields = ["q", "organization", "academic_year", "reason", "status"]

    def filter_q(self, queryset, name, value):
        return _name_search(queryset, "person__search_key", value)


class PairFilter(RegionWideFilterSet):
    q = django_filters.CharFilter(label=_("Mentor, mentee or topic"), method="filter_q")
    organization = django_filters.ModelChoiceFilter(
        widget=FastSelect,
        label=_("Organization"),
        queryset=visible_organizations,
        empty_label=_("All organizations"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=PairStatus.choices, empty_label=_("Any status")
    )
    form = django_filters.ModelChoiceFilter(
        label=_("Form"),
        queryset=MentoringForm.objects.filter(type=FormType.FORM),
        empty_label=_("Any form"),
    )
    kind = django_filters.ModelChoiceFilter(
        label=pgettext_lazy("mentoring", "Kind"),
        queryset=MentoringForm.objects.filter(type=FormType.KIND),
        empty_label=_("Any kind"),
    )

    archived = django_filters.BooleanFilter(
        label=_("The archive"),
        method="filter_archived",
        widget=forms.CheckboxInput,
        help_text=_("Archived pairs instead of the pairs in work."),
    )

    class Meta:
        model = Pair
        fields = ["q", "organization", "status", "form", "kind", "archived"]

    def adjust_form(self, form) -> None:
        super().adjust_form(form)
        # The forms and the kinds of mentoring are one small table: its rows are read once
        # for both lists (a chosen value is still checked against its own list).
        rows = list(MentoringForm.objects.order_by("type", "sort_order", "pk"))
        for name, kind in (("form", FormType.FORM), ("kind", FormType.KIND)):
            field = form.fields[name]
            field.widget.choices = [("", field.empty_label)] + [
                (row.pk, field.label_from_instance(row)) for row in rows if row.type == kind
            ]

    def filter_archived(self, queryset, name, value):
        return queryset.filter(archived_at__isnull=not value)

    def filter_q(self, queryset, name, value):
        for word in normalize(value).split():
            mentee = PairMentee.objects.filter(
                pair_id=OuterRef("pk"), person__search_key__contains=word
            )
            queryset = queryset.filter(
                Q(mentor__search_key__contains=word) | Q(topic__icontains=word) | Q(Exists(mentee))
            )
        return queryset


class MeetingFilter(RegionWideFilterSet):
    q = django_filters.CharFilter(label=_("Topic"), field_name="topic", lookup_expr="icontains")
    organization = django_filters.ModelChoiceFilter(
        widget=FastSelect,
        label=_("Organization"),
        field_name="pair__organization",
        queryset=visible_organizations,
        empty_label=_("All organizations"),
    )
    format = django_filters.ChoiceFilter(
        label=_("Format"), choices=MeetingFormat.choices, empty_label=_("Any format")
    )
    held_from = django_filters.DateFilter(
        label=_("From"),
        method="filter_held_from",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    held_to = django_filters.DateFilter(
        label=_("To"),
        method="filter_held_to",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Meeting
        fields = ["q", "organization", "format", "held_from", "held_to"]

    def filter_held_from(self, queryset, name, value):
        return queryset.filter(on_days("held_at", value, None))

    def filter_held_to(self, queryset, name, value):
        return queryset.filter(on_days("held_at", None, value))
