"""The coordinator's settings: the order's deadlines per year and the survey questions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from core.params import int_param
from mentoring.models import academic_year_of
from monitoring import permissions, services
from monitoring.forms import DeadlinesForm, QuestionFormSet
from monitoring.indicators import available_years, deadlines_for
from monitoring.models import DeadlineKind, SurveyQuestion
from monitoring.permissions import committee_municipality
from orgs.models import Municipality


def _committee(user):
    if not user.scope.is_committee:
        raise PermissionDenied


@login_required
def deadlines(request):
    user = request.user
    _committee(user)
    municipality_id = committee_municipality(user) or int_param(request, "municipality")
    municipality = get_object_or_404(Municipality, pk=municipality_id) if municipality_id else None
    if municipality is None:
        municipality = Municipality.objects.order_by("name").first()
        if municipality is None:
            raise PermissionDenied
    today = timezone.localdate()
    years = available_years(today) + [
        f"{int(available_years(today)[0][:4]) + 1}/{int(available_years(today)[0][:4]) + 2}"
    ]
    year = request.GET.get("year") or academic_year_of(today)
    if year not in years:
        year = academic_year_of(today)
    current = deadlines_for([municipality.pk], year)
    initial = {
        kind: current[(municipality.pk, kind)].due_on
        or current[(municipality.pk, kind)].within_days
        for kind in DeadlineKind.values
    }
    can_edit = permissions.can_edit_deadlines(user, municipality.pk)
    form = DeadlinesForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            services.deadlines_save(
                user=user, municipality=municipality, year=year, values=form.values()
            )
            messages.success(request, gettext("The deadlines are saved."))
            return redirect(f"{request.path}?year={year}")
    return render(
        request,
        "monitoring/deadlines.html",
        {
            "form": form,
            "year": year,
            "years": sorted(set(years), reverse=True),
            "municipality": municipality,
            "can_edit": can_edit,
        },
    )


@login_required
def questions(request):
    user = request.user
    _committee(user)
    can_edit = permissions.can_edit_questions(user)
    formset = QuestionFormSet(request.POST or None, queryset=SurveyQuestion.objects.all())
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if formset.is_valid():
            formset.save()
            messages.success(request, gettext("The questions are saved."))
            return redirect("monitoring:questions")
    return render(request, "monitoring/questions.html", {"formset": formset, "can_edit": can_edit})
