"""A program's monitoring page: stage-1 entries with their dynamics, stage-2 surveys."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from core.views import save_form
from mentoring.models import academic_year_of
from monitoring import charts, services, tables
from monitoring import indicators as ind
from monitoring.forms import ProgressEntryForm, SurveyForm
from monitoring.models import (
    ProgressEntry,
    Survey,
    SurveyQuestion,
    SurveyRespondent,
    SurveyStage,
)
from monitoring.views.common import table_xlsx
from programs.models import Program


def _program(user, pk) -> Program:
    return get_object_or_404(
        Program.objects.visible_to(user).select_related(
            "mentee", "pair__mentor", "pair__organization"
        ),
        pk=pk,
    )


@login_required
def program_monitoring(request, pk: int):
    program = _program(request.user, pk)
    today = timezone.localdate()
    scope = ind.Scope(program_id=program.pk)
    dynamics = ind.stage1_dynamics(scope)
    table = tables.dynamics_table(dynamics, gettext("Stage 1: dynamics over the program"))
    labels = [f"{year} {period}" for year, period, _s in dynamics]
    table.chart = charts.line_chart(
        gettext("Dynamics over the program"),
        labels,
        [
            (gettext("Passed ВПР, %"), [s.vpr_percent for _y, _p, s in dynamics]),
            (gettext("Success rate, %"), [s.success_rate for _y, _p, s in dynamics]),
        ],
        rotate=20,
    )
    if request.GET.get("export") == "xlsx":
        return table_xlsx(table, f"program-{program.pk}.xlsx")
    surveys = {(s.respondent, s.stage): s for s in Survey.objects.filter(program=program)}
    survey_grid = [
        {
            "respondent": respondent,
            "label": label,
            "stages": [
                {"stage": stage, "label": stage_label, "survey": surveys.get((respondent, stage))}
                for stage, stage_label in SurveyStage.choices
            ],
        }
        for respondent, label in SurveyRespondent.choices
    ]
    year = academic_year_of(today)
    entries = ProgressEntry.objects.filter(program=program).order_by("academic_year", "period")
    return render(
        request,
        "monitoring/program.html",
        {
            "program": program,
            "table": table,
            "entries": entries,
            "survey_grid": survey_grid,
            "can_enter": services.entry_role(request.user, program) is not None,
            "survey_roles": services.survey_roles(request.user, program),
            "stage2": ind.stage2(scope, year, today),
            "deficits": ind.deficits(scope, year, today),
        },
    )


@login_required
def entry_edit(request, pk: int, entry_pk: int | None = None):
    program = _program(request.user, pk)
    if services.entry_role(request.user, program) is None:
        raise PermissionDenied
    entry = (
        get_object_or_404(ProgressEntry, pk=entry_pk, program=program)
        if entry_pk
        else ProgressEntry(program=program)
    )
    today = timezone.localdate()
    form = ProgressEntryForm(
        request.POST or None,
        instance=entry,
        today=today,
        initial=None if entry_pk else {"academic_year": academic_year_of(today)},
    )
    if response := save_form(
        request,
        form,
        lambda: services.progress_entry_save(user=request.user, entry=form.instance),
        gettext("The entry is saved."),
        redirect_to=reverse("monitoring:program", args=[program.pk]),
    ):
        return response
    return render(
        request, "monitoring/entry_form.html", {"form": form, "program": program, "entry": entry}
    )


@login_required
def survey_fill(request, pk: int, respondent: str, stage: str):
    if respondent not in SurveyRespondent.values or stage not in SurveyStage.values:
        raise Http404
    program = _program(request.user, pk)
    if respondent not in services.survey_roles(request.user, program):
        raise PermissionDenied
    questions = SurveyQuestion.objects.for_respondent(respondent)
    existing = Survey.objects.filter(program=program, respondent=respondent, stage=stage).first()
    initial_answers = (
        {answer.question_id: answer.value for answer in existing.answers.all()} if existing else {}
    )
    form = SurveyForm(
        request.POST or None,
        questions=questions,
        initial_answers=initial_answers,
        initial={"filled_on": existing.filled_on if existing else timezone.localdate()},
    )
    if response := save_form(
        request,
        form,
        lambda: services.survey_fill(
            user=request.user,
            program=program,
            respondent=respondent,
            stage=stage,
            filled_on=form.cleaned_data["filled_on"],
            answers=form.answers(),
            comment=form.cleaned_data["comment"],
        ),
        gettext("The survey is saved."),
        redirect_to=reverse("monitoring:program", args=[program.pk]),
    ):
        return response
    return render(
        request,
        "monitoring/survey_form.html",
        {
            "form": form,
            "program": program,
            "respondent_label": SurveyRespondent(respondent).label,
            "stage_label": SurveyStage(stage).label,
        },
    )
