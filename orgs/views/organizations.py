from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from core.listing import FilteredListView
from orgs.filters import OrganizationFilter
from orgs.models import Organization, Role, RoleAssignment


class OrganizationListView(LoginRequiredMixin, FilteredListView):
    template_name = "orgs/organization_list.html"
    filterset_class = OrganizationFilter
    export_filename = "organizations.xlsx"
    export_title = _("Organizations")
    export_headers = (
        _("Short name"),
        _("Full name"),
        _("Kind"),
        _("Settlement"),
        _("Address"),
        _("Website"),
        _("Working staff"),
        _("Young specialists"),
        _("Newcomers"),
    )

    def get_base_queryset(self):
        return Organization.objects.visible_to(self.request.user).with_staff_counts()

    def export_row(self, organization):
        return (
            organization.short_name,
            organization.full_name,
            organization.get_kind_display(),
            organization.settlement,
            organization.address,
            organization.website,
            organization.staff_count,
            organization.young_count,
            organization.newcomer_count,
        )


class OrganizationDetailView(LoginRequiredMixin, DetailView):
    template_name = "orgs/organization_detail.html"
    context_object_name = "organization"

    def get_queryset(self):
        return Organization.objects.visible_to(self.request.user).with_staff_counts()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organization = self.object
        user = self.request.user
        context["can_view_staff"] = user.can_view_staff(organization)
        context["can_manage_staff"] = user.can_manage_staff(organization)
        context["officials"] = (
            RoleAssignment.objects.filter(
                organization=organization, role__in=[Role.HEAD, Role.CURATOR]
            )
            .select_related("user")
            .order_by("role", "user__last_name")
        )
        return context
