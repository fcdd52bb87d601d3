"""The municipal bank of mentors: search, a mentor's card, adding and editing a profile."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from core.listing import FilteredListView
from core.uploads import protected_file_response
from core.views import save_form
from mentoring import services
from mentoring.filters import MentorFilter
from mentoring.forms import MentorForm
from mentoring.models import MentorProfile, Pair
from mentoring.permissions import can_manage_organization, mentor_for
from mentoring.views.common import yes_no
from orgs.panels import person_panels


class MentorListView(LoginRequiredMixin, FilteredListView):
    """The bank: every curator of the municipality searches it to pick a mentor."""

    template_name = "mentoring/mentor_list.html"
    filterset_class = MentorFilter
    paginate_by = 25
    export_filename = "mentors.xlsx"
    export_title = _("Mentors")
    export_headers = (
        _("Full name"),
        _("Organization"),
        _("Positions"),
        _("Subjects"),
        _("Topics"),
        _("Confirmed results"),
        _("Maximum number of mentees"),
        _("Current mentees"),
        _("Free places"),
        _("Takes mentees"),
    )

    def get_base_queryset(self):
        return MentorProfile.objects.visible_to(self.request.user).for_list()

    def export_row(self, profile):
        jobs = profile.person.active_employments
        return (
            profile.person.full_name,
            profile.organization.short_name,
            "; ".join(f"{job.position}, {job.organization}" for job in jobs),
            "; ".join(job.subjects for job in jobs if job.subjects),
            profile.get_topics_display(),
            profile.results,
            profile.max_mentees,
            profile.mentee_count,
            profile.free_load,
            yes_no(profile.is_active),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scope = self.request.user.scope
        context["can_add"] = scope.is_superuser or bool(scope.managed_organizations)
        context["can_register"] = context["can_add"]
        return context


class MentorDetailView(LoginRequiredMixin, DetailView):
    template_name = "mentoring/mentor_detail.html"
    context_object_name = "profile"

    def get_queryset(self):
        return MentorProfile.objects.visible_to(self.request.user).for_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_manage"] = can_manage_organization(user, self.object.organization_id)
        context["pairs"] = (
            Pair.objects.visible_to(user).filter(mentor_id=self.object.person_id).for_list()
        )
        scope = user.scope
        context["can_register"] = scope.is_superuser or bool(scope.managed_organizations)
        context["panels"] = person_panels(self.object.person, user)
        return context


@login_required
def mentor_add(request):
    scope = request.user.scope
    if not (scope.is_superuser or scope.managed_organizations):
        raise PermissionDenied
    form = MentorForm(request.POST or None, request.FILES or None, user=request.user)
    if response := save_form(
        request,
        form,
        lambda: services.mentor_add(user=request.user, data=form.to_data()),
        lambda profile: gettext("%(name)s is in the bank of mentors.") % {"name": profile},
    ):
        return response
    return render(request, "mentoring/mentor_form.html", {"form": form})


@login_required
def mentor_edit(request, pk: int):
    profile = mentor_for(request.user, pk, manage=True)
    form = MentorForm(
        request.POST or None, request.FILES or None, user=request.user, profile=profile
    )
    if response := save_form(
        request,
        form,
        lambda: services.mentor_update(user=request.user, profile=profile, data=form.to_data()),
        gettext("Changes are saved."),
        redirect_to=profile,
    ):
        return response
    return render(request, "mentoring/mentor_form.html", {"form": form, "profile": profile})


@login_required
def mentor_evidence(request, pk: int):
    profile = mentor_for(request.user, pk)
    return protected_file_response(profile.evidence, profile.evidence_name or "evidence")
