"""The diagnostics questionnaire and its result: deficits, strengths, change per area."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext

from core.views import save_form
from orgs.models import user_scope
from programs import permissions, services
from programs.forms import DiagnosticForm
from programs.models import Answer, Diagnostic, DifficultyArea, Program, Respondent, Stage
from programs.permissions import mentee_of_pair_for, require

from .common import today


@login_required
def diagnostic_result(request, pair: int, mentee: int):
    pair_obj, mentee_obj = mentee_of_pair_for(request.user, pair, mentee)
    scope = user_scope(request.user)
    program = Program.objects.filter(pair=pair_obj, mentee=mentee_obj).first()
    return render(
        request,
        "programs/diagnostic_result.html",
        {
            "pair": pair_obj,
            "mentee": mentee_obj,
            "result": services.diagnostic_result(pair_obj, mentee_obj),
            "is_mentee": scope.person_id == mentee_obj.pk,
            "is_mentor": scope.person_id == pair_obj.mentor_id,
            "program": program,
            "can_plan": program is None
            and permissions.can_plan_for(request.user, pair_obj, mentee_obj),
            "stages": Stage,
            "respondents": Respondent,
        },
    )


@login_required
def diagnostic_fill(request, pair: int, mentee: int, stage: str, respondent: str):
    pair_obj, mentee_obj = mentee_of_pair_for(request.user, pair, mentee)
    if stage not in Stage.values or respondent not in Respondent.values:
        raise Http404
    scope = user_scope(request.user)
    require(
        scope.person_id == (mentee_obj.pk if respondent == Respondent.SELF else pair_obj.mentor_id)
    )
    existing = Diagnostic.objects.filter(
        pair=pair_obj, mentee=mentee_obj, stage=stage, respondent=respondent
    ).first()
    initial_scores = (
        dict(Answer.objects.filter(diagnostic=existing).values_list("item_id", "score"))
        if existing
        else {}
    )
    areas = DifficultyArea.objects.active().with_items()
    form = DiagnosticForm(
        request.POST or None,
        areas=areas,
        initial_scores=initial_scores,
        initial={"comment": existing.comment if existing else ""},
    )
    if response := save_form(
        request,
        form,
        lambda: services.diagnostic_fill(
            user=request.user,
            pair=pair_obj,
            mentee=mentee_obj,
            stage=stage,
            respondent=respondent,
            scores=form.scores(),
            today=today(),
            comment=form.cleaned_data.get("comment", ""),
        ),
        gettext("The diagnostics is saved."),
        redirect_to=reverse(
            "programs:diagnostic_result", kwargs={"pair": pair_obj.pk, "mentee": mentee_obj.pk}
        ),
    ):
        return response
    return render(
        request,
        "programs/diagnostic_form.html",
        {
            "form": form,
            "pair": pair_obj,
            "mentee": mentee_obj,
            "stage_label": Stage(stage).label,
            "respondent_label": Respondent(respondent).label,
        },
    )
