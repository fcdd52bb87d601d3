"""Suggested mentors for a mentee, the health of working pairs, the weights of the score."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.listing import FilteredListView
from core.permissions import require
from matching import health
from matching.filters import PairHealthFilter
from matching.forms import SuggestForm, WeightsForm
from matching.models import MatchWeights
from matching.permissions import weights_municipality
from matching.recommendations import recommendations_for
from matching.suggestions import SHOWN, Weights, suggest
from mentoring.forms import new_pair_initial
from mentoring.models import MentoringForm, Pair, PairMentee
from mentoring.permissions import can_register_pairs
from orgs.models import Municipality
from programs.models import Program


@login_required
def suggest_mentors(request):
    """Ranked mentors of the municipal bank for one mentee, each with its reasons."""
    today = timezone.localdate()
    data = request.GET.copy()
    program_pk = data.get("program", "")
    if program_pk.isdigit():
        program = get_object_or_404(Program.objects.visible_to(request.user), pk=program_pk)
        data.setdefault("mentee", str(program.mentee_id))
        data.setdefault("form", str(program.form_id))
        data.setdefault("kind", str(program.kind_id))
    require(can_register_pairs(request.user))
    # The forms and kinds of mentoring, read once for the defaults, the choices and cleaning.
    mentoring_forms = list(MentoringForm.objects.all())
    defaults = new_pair_initial(today, mentoring_forms)
    if "mentee" in data:
        # From a link that names only the mentee: the usual form and kind of a new pair.
        for field in ("form", "kind"):
            if field not in data and defaults[field]:
                data[field] = str(defaults[field])
        form = SuggestForm(data, user=request.user, mentoring_forms=mentoring_forms)
    else:
        form = SuggestForm(
            user=request.user,
            mentoring_forms=mentoring_forms,
            initial={"form": defaults["form"], "kind": defaults["kind"]},
        )
    result = None
    recommendations: list[dict] = []
    if form.is_bound and form.is_valid():
        mentee = form.cleaned_data["mentee"]
        result = suggest(
            mentee,
            form=form.cleaned_data["form"],
            kind=form.cleaned_data["kind"],
            today=today,
        )
        for suggestion in result.suggestions:
            query = {"mentor": suggestion.mentor.pk, "mentee": mentee.pk, "rank": suggestion.rank}
            if result.form:
                query["form"] = result.form.pk
            if result.kind:
                query["kind"] = result.kind.pk
            suggestion.take_url = reverse("mentoring:pair_add") + "?" + urlencode(query)
        # The council's recommendation beside the ranking: the suggestion of that mentor is
        # marked, wherever it ranks, and can be taken from the recommendation itself.
        by_person = {suggestion.mentor.person_id: suggestion for suggestion in result.suggestions}
        for item in recommendations_for(request.user, mentee):
            suggestion = by_person.get(item.mentor_id)
            if suggestion is not None:
                suggestion.recommendation = item
            recommendations.append({"recommendation": item, "suggestion": suggestion})
    show_all = "all" in request.GET
    return render(
        request,
        "matching/suggest.html",
        {
            "form": form,
            "result": result,
            "suggestions": (result.suggestions if show_all else result.shown) if result else [],
            "show_all": show_all,
            "recommendations": recommendations,
            "shown": SHOWN,
            "weights_editable": weights_municipality(request.user) is not None,
        },
    )


class PairHealthListView(LoginRequiredMixin, FilteredListView):
    """Working pairs with their health, the status's reasons and filters."""

    template_name = "matching/pair_health.html"
    filterset_class = PairHealthFilter
    export_filename = "pair-health.xlsx"
    export_title = _("Health of pairs")
    export_headers = (
        _("Organization"),
        _("Mentor"),
        _("Mentees"),
        _("Direction and topic"),
        _("Health"),
        _("Why"),
        _("Last meeting"),
        _("Planned end"),
    )

    def get_base_queryset(self):
        self.today = timezone.localdate()
        pairs = (
            Pair.objects.visible_to(self.request.user)
            .select_related("mentor", "organization", "form", "kind")
            .prefetch_related(
                Prefetch(
                    "memberships",
                    queryset=PairMentee.objects.select_related("person").order_by(
                        "person__search_key"
                    ),
                    to_attr="mentee_rows",
                )
            )
        )
        return health.working(pairs, self.today).order_by("quiet_since", "pk")

    def export_row(self, pair):
        return (
            pair.organization.short_name,
            pair.mentor.full_name,
            ", ".join(person.full_name for person in pair.mentee_list),
            pair.topic,
            str(health.Health.labels[pair.health]),
            "; ".join(health.reasons(pair, self.today)),
            pair.last_meeting_on,
            pair.planned_end,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object_list"] = health.decorate(context["object_list"], self.today)
        context["definitions"] = [
            (health.Health.labels[key], health.Health.badges[key], health.Health.definitions[key])
            for key in health.Health.order
        ]
        return context


@login_required
def weights_edit(request):
    """The coordinator's weights of the suggestion score for the municipality."""
    municipality_id = weights_municipality(request.user)
    require(municipality_id is not None)
    municipality = get_object_or_404(Municipality, pk=municipality_id)
    row = MatchWeights.objects.filter(municipality=municipality).first() or MatchWeights(
        municipality=municipality, **Weights().__dict__
    )
    form = WeightsForm(request.POST or None, instance=row)
    if request.method == "POST":
        if "restore" in request.POST:
            MatchWeights.objects.filter(municipality=municipality).delete()
            messages.success(request, gettext("The default weights are restored."))
            return redirect("matching:weights")
        if form.is_valid():
            weights = form.save(commit=False)
            weights.updated_by = request.user
            weights.save()
            messages.success(request, gettext("The weights are saved."))
            return redirect("matching:weights")
    return render(
        request,
        "matching/weights.html",
        {"form": form, "municipality": municipality, "defaults": Weights()},
    )
