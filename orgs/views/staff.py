from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from core.idempotency import add_token
from core.listing import FilteredListView
from core.views import save_form
from orgs import services
from orgs.audit import HISTORY_LIMIT, describe, person_entries
from orgs.filters import DistrictStaffFilter, StaffFilter
from orgs.forms import ConsentForm, DismissForm, TeacherForm
from orgs.models import Employment, Organization, Person
from orgs.panels import person_panels
from orgs.permissions import employment_for_management, organization_for_staff


class StaffListView(LoginRequiredMixin, FilteredListView):
    """The staff list of one organization, with filters, search and Excel export."""

    template_name = "orgs/staff_list.html"
    filterset_class = StaffFilter
    export_title = _("Staff")
    export_headers = (
        _("Last name"),
        _("First name"),
        _("Patronymic"),
        _("Position"),
        _("Hire date"),
        _("Dismissal date"),
        _("Qualification category"),
        _("Subjects"),
        _("Teaching experience, years"),
        _("Total experience, years"),
        _("Young specialist"),
        _("Newcomer"),
        _("E-mail"),
        _("Phone"),
        _("Date of the last attestation"),
        _("Result of the last attestation"),
        _("Student (practice)"),
    )

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.check_scope(request.user)
        return super().dispatch(request, *args, **kwargs)

    def check_scope(self, user) -> None:
        self.organization = organization_for_staff(user, self.kwargs["pk"])

    @property
    def export_filename(self) -> str:
        return f"staff-{self.organization.pk}.xlsx"

    def get_base_queryset(self):
        return Employment.objects.filter(organization=self.organization).for_list()

    def export_row(self, employment: Employment):
        person = employment.person
        yes, no = gettext("yes"), gettext("no")
        if person.personal_fields_hidden_from(self.request.user):
            hidden = gettext("hidden: consent withdrawn")
            return (
                person.last_name,
                person.first_name,
                person.middle_name,
                employment.position.name,
                employment.hired_on,
                employment.dismissed_on,
                employment.get_qualification_category_display(),
                employment.subjects,
                hidden,
                hidden,
                "",
                yes if employment.is_newcomer else no,
                hidden,
                hidden,
                hidden,
                hidden,
                hidden,
            )
        return (
            person.last_name,
            person.first_name,
            person.middle_name,
            employment.position.name,
            employment.hired_on,
            employment.dismissed_on,
            employment.get_qualification_category_display(),
            employment.subjects,
            person.teaching_years,
            person.career_years,
            yes if person.is_young_specialist else no,
            yes if employment.is_newcomer else no,
            person.email,
            person.phone,
            person.last_attested_on,
            person.get_attestation_result_display(),
            yes if person.is_student else no,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["organization"] = self.organization
        context["can_manage_staff"] = self.request.user.can_manage_staff(self.organization)
        context["without_consent"] = (
            Employment.objects.filter(organization=self.organization)
            .active()
            .without_consent()
            .count()
        )
        return context


class DistrictStaffListView(StaffListView):
    """Teachers of all organizations whose staff the user reads, e.g. every young specialist
    of the district: where the numbers of the home page lead."""

    template_name = "orgs/district_staff_list.html"
    filterset_class = DistrictStaffFilter
    export_filename = "staff.xlsx"

    def check_scope(self, user) -> None:
        if not user.scope.sees_staff:
            raise PermissionDenied

    def get_base_queryset(self):
        visible = Organization.objects.with_staff_visible_to(self.request.user)
        return Employment.objects.filter(organization__in=visible).for_list()

    def export_row(self, employment: Employment):
        return (employment.organization.short_name, *super().export_row(employment))

    @property
    def export_headers(self):
        return (_("Organization"), *StaffListView.export_headers)

    def get_context_data(self, **kwargs):
        context = FilteredListView.get_context_data(self, **kwargs)
        visible = Organization.objects.with_staff_visible_to(self.request.user)
        # The coordinator's count of people whose data is kept without a consent in force.
        context["without_consent"] = (
            Employment.objects.filter(organization__in=visible)
            .active()
            .without_consent()
            .values("person_id")
            .distinct()
            .count()
        )
        return context


def _added_message(employment: Employment) -> str:
    if employment.link_requests.exists():
        return gettext(
            "%(name)s is added to the staff list. A teacher with this name and e-mail already "
            "works in another organization: the records are joined once that side confirms."
        ) % {"name": employment.person}
    return gettext("%(name)s is added to the staff list.") % {"name": employment.person}


@login_required
def teacher_add(request, pk: int):
    organization = organization_for_staff(request.user, pk, manage=True)
    form = TeacherForm(request.POST or None, organization=organization)
    add_token(form)
    # "Save and add another" comes back to an empty form.
    next_view = "orgs:teacher_add" if "save_and_add" in request.POST else "orgs:staff_list"
    if response := save_form(
        request,
        form,
        lambda: services.teacher_add(
            organization=organization, data=form.to_data(), actor=request.user
        ),
        _added_message,
        redirect_to=reverse(next_view, args=[organization.pk]),
    ):
        return response
    return render(
        request,
        "orgs/teacher_form.html",
        {
            "form": form,
            "organization": organization,
            "cancel_url": reverse("orgs:staff_list", args=[organization.pk]),
        },
    )


@login_required
def teacher_edit(request, pk: int):
    employment = employment_for_management(request.user, pk)
    form = TeacherForm(
        request.POST or None,
        employment=employment,
        person_locked=not services.can_change_person(request.user, employment.person),
    )
    if response := save_form(
        request,
        form,
        lambda: services.teacher_update(
            employment=employment, data=form.to_data(), actor=request.user
        ),
        gettext("Changes are saved."),
        redirect_to=reverse("orgs:staff_list", args=[employment.organization_id]),
    ):
        return response
    return render(
        request,
        "orgs/teacher_form.html",
        {
            "form": form,
            "organization": employment.organization,
            "employment": employment,
            "cancel_url": employment.person.get_absolute_url(),
        },
    )


@login_required
def teacher_dismiss(request, pk: int):
    employment = employment_for_management(request.user, pk)
    form = DismissForm(request.POST or None, employment=employment)
    if request.method == "POST" and form.is_valid():
        services.teacher_dismiss(
            employment=employment, dismissed_on=form.cleaned_data["dismissed_on"]
        )
        messages.success(request, gettext("%(name)s is dismissed.") % {"name": employment.person})
        return redirect("orgs:staff_list", pk=employment.organization_id)
    return render(request, "orgs/teacher_dismiss.html", {"form": form, "employment": employment})


@login_required
def consent_edit(request, pk: int):
    """Record the teacher's consent to the processing of personal data, or its withdrawal."""
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=pk)
    if not services.can_record_consent(request.user, person):
        raise PermissionDenied
    form = ConsentForm(request.POST or None, instance=person.consent_record)
    if response := save_form(
        request,
        form,
        lambda: services.consent_record(
            person=person,
            given_on=form.cleaned_data["given_on"],
            document=form.cleaned_data["document"],
            withdrawn_on=form.cleaned_data.get("withdrawn_on"),
            actor=request.user,
        ),
        gettext("The consent is recorded."),
        redirect_to=person.get_absolute_url(),
    ):
        return response
    return render(request, "orgs/consent_form.html", {"form": form, "person": person})


class PersonDetailView(LoginRequiredMixin, DetailView):
    """A teacher's card: their jobs in the organizations the user may see."""

    template_name = "orgs/person_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        return Person.objects.visible_to(self.request.user).select_related("consent__recorded_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["employments"] = [
            (employment, user.can_manage_staff(employment.organization))
            for employment in Employment.objects.visible_to(user)
            .filter(person=self.object)
            .select_related("organization", "position")
            .order_by("dismissed_on", "-hired_on")
        ]
        # Who changed this record and when (152-ФЗ), for those who read the staff list.
        entries = person_entries(self.object, user)[: HISTORY_LIMIT + 1]
        history = describe(entries, user)
        context["history"] = history[:HISTORY_LIMIT]
        context["history_truncated"] = len(history) > HISTORY_LIMIT
        context["panels"] = person_panels(self.object, user)
        context["hide_personal"] = self.object.personal_fields_hidden_from(user)
        if context["hide_personal"]:
            # The history carries the old and new contacts: withdrawn with the rest.
            context["history"], context["history_truncated"] = [], False
        context["can_record_consent"] = services.can_record_consent(user, self.object)
        return context
