"""Personalized programs: list, card, writing, the road map, statuses, the PDF."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.dates import add_months
from core.idempotency import add_token
from core.listing import FilteredListView
from core.uploads import protected_file_response
from core.views import run_action, save_form
from mentoring.models import ONGOING, PairMentee
from orgs import signatories
from orgs.models import Person, user_scope
from programs import permissions, services
from programs.filters import ProgramFilter
from programs.forms import ActivityForm, ClosingForm, MenteeConclusionForm, ProgramForm
from programs.models import Activity, ActivityStatus, AreaRole, Program, ProgramStatus
from programs.permissions import activity_for, mentee_of_pair_for, program_for, require

from .common import document_response, today


def mentees_without_program(user, limit: int = 50) -> list[PairMentee]:
    """Mentees of the user's ongoing pairs (as mentor, mentee or curator) still without one.
    The people who draw up programs see it; an administrator (superuser) is not one of them
    unless they curate or mentor: an installation-wide list would compare every pair of the
    region with every program on each view of the list, for nobody's work."""
    scope = user_scope(user)
    if not (scope.curated_organizations or scope.person_id):
        return []  # neither curator nor teacher (the committee, the region): nobody to wait
    mine = Q(pair__organization_id__in=scope.curated_organizations)
    if scope.person_id:
        mine |= Q(pair__mentor_id=scope.person_id) | Q(person_id=scope.person_id)
    rows = PairMentee.objects.filter(mine, pair__status__in=ONGOING)
    has_program = Program.objects.filter(
        pair_id=OuterRef("pair_id"), mentee_id=OuterRef("person_id")
    )
    return list(
        rows.exclude(Exists(has_program))
        .select_related("pair__mentor", "pair__organization", "person")
        .order_by("person__search_key", "pk")[:limit]
    )


class ProgramListView(LoginRequiredMixin, FilteredListView):
    template_name = "programs/program_list.html"
    filterset_class = ProgramFilter
    page_then_join = True
    row_fields = (
        *Person.name_fields("mentee"),
        *Person.name_fields("pair__mentor"),
        "pair__organization__short_name",
        "starts_on",
        "ends_on",
        "status",
    )
    export_title = _("Programs")
    export_filename = "programs.xlsx"
    export_headers = (
        _("Mentee"),
        _("Mentor"),
        _("Organization"),
        _("Start"),
        _("End"),
        _("Status"),
        _("Activities"),
        _("Done"),
        _("Overdue"),
    )

    def get_base_queryset(self):
        return Program.objects.visible_to(self.request.user).for_list(today())

    def export_row(self, program):
        return (
            str(program.mentee),
            str(program.pair.mentor),
            program.pair.organization.short_name,
            program.starts_on,
            program.ends_on,
            program.get_status_display(),
            program.activity_count,
            program.done_count,
            program.overdue_count,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["waiting"] = mentees_without_program(self.request.user)
        return context


@login_required
def program_detail(request, pk: int):
    program = program_for(request.user, pk)
    day = today()
    activities = list(
        Activity.objects.filter(program=program)
        .with_overdue(day)
        .select_related("area", "product")
        .annotate(meeting_count=Count("meetings"))
        .order_by("planned_on", "pk")
    )
    area_rows = list(program.area_rows.select_related("area"))
    can_edit = permissions.can_edit_program(request.user, program)
    # Progress of the road map: done of the activities still meant to happen, and how many
    # of them meetings of the pair worked on (a meeting names the activities it served).
    counted = [a for a in activities if a.status != ActivityStatus.CANCELLED]
    progress = {
        "done": sum(a.status == ActivityStatus.DONE for a in counted),
        "total": len(counted),
        "with_meetings": sum(a.meeting_count > 0 for a in counted),
        "meetings": sum(a.meeting_count for a in counted),
    }
    return render(
        request,
        "programs/program_detail.html",
        {
            "program": program,
            "activities": activities,
            "progress": progress,
            "deficits": [r for r in area_rows if r.role == AreaRole.DEFICIT],
            "strengths": [r for r in area_rows if r.role == AreaRole.STRENGTH],
            "can_edit": can_edit,
            "can_run": permissions.can_run_program(request.user, program),
            "is_mentee": permissions.is_program_mentee(request.user, program),
            "can_approve": program.status == ProgramStatus.DRAFT
            and permissions.is_program_curator(request.user, program),
            "statuses": ProgramStatus,
            "corrections": list(program.corrections.all()),
        },
    )


@login_required
def program_create(request, pair: int, mentee: int):
    pair_obj, mentee_obj = mentee_of_pair_for(request.user, pair, mentee)
    require(permissions.can_plan_for(request.user, pair_obj, mentee_obj))
    existing = Program.objects.filter(pair=pair_obj, mentee=mentee_obj).first()
    if existing:
        return redirect(existing)
    result = services.diagnostic_result(pair_obj, mentee_obj)
    initial = {
        "form": pair_obj.form_id,
        "kind": pair_obj.kind_id,
        "starts_on": pair_obj.planned_start,
        "ends_on": min(pair_obj.planned_end, add_months(pair_obj.planned_start, 12)),
        "goals": pair_obj.topic,
        "deficits": [row.area.pk for row in result.deficits],
        "strengths": [row.area.pk for row in result.strengths],
    }
    form = ProgramForm(request.POST or None, initial=initial)
    add_token(form)
    if response := save_form(
        request,
        form,
        lambda: services.program_create(
            user=request.user, pair=pair_obj, mentee=mentee_obj, data=form.to_data()
        ),
        gettext("The program is saved as a draft. Now add the road map."),
    ):
        return response
    return render(
        request,
        "programs/program_form.html",
        {"form": form, "pair": pair_obj, "mentee": mentee_obj, "result": result},
    )


@login_required
def program_edit(request, pk: int):
    program = program_for(request.user, pk)
    require(permissions.can_run_program(request.user, program))
    form = ProgramForm(request.POST or None, initial=ProgramForm.initial_for_program(program))
    if response := save_form(
        request,
        form,
        lambda: services.program_update(user=request.user, program=program, data=form.to_data()),
        gettext("Changes are saved."),
        redirect_to=program,
    ):
        return response
    return render(
        request,
        "programs/program_form.html",
        {
            "form": form,
            "program": program,
            "pair": program.pair,
            "mentee": program.mentee,
            "result": services.diagnostic_result(program.pair, program.mentee),
        },
    )


def _transition(request, pk: int, action):
    program = program_for(request.user, pk)
    run_action(
        request,
        lambda: action(program),
        # The service saves a locked copy: read the new status from the database.
        lambda: (
            gettext("The status of the program is now «%(status)s».")
            % {"status": Program.objects.get(pk=program.pk).get_status_display()}
        ),
    )
    return redirect(program)


@login_required
@require_POST
def program_approve(request, pk: int):
    return _transition(
        request,
        pk,
        lambda program: services.program_approve(user=request.user, program=program, today=today()),
    )


@login_required
@require_POST
def program_start(request, pk: int):
    return _transition(
        request, pk, lambda program: services.program_start(user=request.user, program=program)
    )


@login_required
def program_complete(request, pk: int):
    program = program_for(request.user, pk)
    require(permissions.can_run_program(request.user, program))
    form = ClosingForm(request.POST or None, program=program)
    if response := save_form(
        request,
        form,
        lambda: services.program_complete(
            user=request.user, program=program, data=form.to_data(), today=today()
        ),
        gettext("The program is completed."),
        redirect_to=program,
    ):
        return response
    return render(request, "programs/program_complete.html", {"form": form, "program": program})


@login_required
def activity_add(request, pk: int):
    program = program_for(request.user, pk, edit=True)
    form = ActivityForm(request.POST or None, request.FILES or None, program=program)
    # "Save and add another" comes back to an empty form.
    if response := save_form(
        request,
        form,
        lambda: services.activity_add(user=request.user, program=program, data=form.to_data()),
        gettext("The activity is added to the road map."),
        redirect_to=(
            reverse("programs:activity_add", args=[program.pk])
            if "save_and_add" in request.POST
            else program
        ),
    ):
        return response
    return render(request, "programs/activity_form.html", {"form": form, "program": program})


@login_required
def activity_edit(request, pk: int):
    activity = activity_for(request.user, pk, edit=True)
    program = program_for(request.user, activity.program_id)
    form = ActivityForm(
        request.POST or None,
        request.FILES or None,
        program=program,
        initial=ActivityForm.initial_for(activity),
    )
    if response := save_form(
        request,
        form,
        lambda: services.activity_update(user=request.user, activity=activity, data=form.to_data()),
        gettext("Changes are saved."),
        redirect_to=program,
    ):
        return response
    return render(
        request,
        "programs/activity_form.html",
        {"form": form, "program": program, "activity": activity},
    )


@login_required
def activity_file(request, pk: int):
    activity = activity_for(request.user, pk)
    if not activity.file:
        raise Http404
    return protected_file_response(activity.file, activity.file_name)


def program_document_context(program) -> dict:
    """What the printed program shows, with its signatories read from the data."""
    area_rows = list(program.area_rows.select_related("area"))
    organization = program.pair.organization
    mentor = signatories.person_signatory(gettext("Mentor"), program.pair.mentor)
    mentee = signatories.person_signatory(gettext("Mentee"), program.mentee)
    return {
        "program": program,
        "organization": organization,
        "head": signatories.head_of(organization),
        "signers": [mentor, signatories.curator_of(organization)],
        "acquainted": [mentee],
        "activities": list(
            program.activities.with_overdue(today())
            .select_related("area")
            .order_by("planned_on", "pk")
        ),
        "deficits": [r for r in area_rows if r.role == AreaRole.DEFICIT],
        "strengths": [r for r in area_rows if r.role == AreaRole.STRENGTH],
        "result": services.diagnostic_result(program.pair, program.mentee),
    }


@login_required
def program_pdf(request, pk: int):
    program = program_for(request.user, pk)
    return document_response(
        "programs/pdf/program.html",
        program_document_context(program),
        f"program-{program.pk}",
        as_docx=False,
    )


@login_required
def program_docx(request, pk: int):
    """The same program as an editable Word file."""
    program = program_for(request.user, pk)
    return document_response(
        "programs/pdf/program.html",
        program_document_context(program),
        f"program-{program.pk}",
        as_docx=True,
    )


@login_required
def mentee_conclusion(request, pk: int):
    """The mentee's own conclusion on her program (the only part of closing that is hers)."""
    program = program_for(request.user, pk)
    require(permissions.is_program_mentee(request.user, program))
    form = MenteeConclusionForm(
        request.POST or None, initial={"mentee_conclusion": program.mentee_conclusion}
    )
    if response := save_form(
        request,
        form,
        lambda: services.program_mentee_conclusion(
            user=request.user, program=program, text=form.cleaned_data["mentee_conclusion"]
        ),
        gettext("Your conclusion is saved."),
        redirect_to=program,
    ):
        return response
    return render(request, "programs/mentee_conclusion.html", {"form": form, "program": program})
