"""The dashboard's and drill-down's filters: academic year, kind and organization."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import OneQueryModelChoiceField
from mentoring.models import academic_year_of
from monitoring.indicators import available_years
from monitoring.permissions import committee_municipality, fixed_kind
from orgs.models import Organization, OrganizationKind


class DashboardFilter(forms.Form):
    year = forms.ChoiceField(label=_("Academic year"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    organization = OneQueryModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("All organizations"),
    )

    def __init__(self, data=None, *, user, organization_filter: bool = True, **kwargs):
        super().__init__(data, **kwargs)
        today = timezone.localdate()
        self.fields["year"].choices = [(year, year) for year in available_years(today)]
        self.fields["year"].initial = academic_year_of(today)
        kind = fixed_kind(user)
        if kind or not user.scope.is_committee:
            del self.fields["kind"]
        else:
            self.fields["kind"].choices = [("", _("All kinds")), *OrganizationKind.choices]
        if not organization_filter:
            del self.fields["organization"]
            return
        organizations = Organization.objects.visible_to(user).filter(
            pk__in=Organization.objects.with_staff_visible_to(user).values("pk")
        )
        municipality = committee_municipality(user)
        if municipality:
            organizations = organizations.filter(municipality_id=municipality)
        if kind:
            organizations = organizations.filter(kind=kind)
        # Options name the organizations (`Organization.__str__`): only their short names.
        self.fields["organization"].queryset = organizations.order_by("sort_key").only("short_name")

    def values(self) -> dict:
        """Chosen filters, the current academic year by default."""
        data = self.cleaned_data if self.is_valid() else {}
        organization = data.get("organization")
        return {
            "year": data.get("year") or self.fields["year"].initial,
            "kind": data.get("kind") or "",
            "organization": organization.pk if organization else "",
        }
