"""Forms of the matching screens."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.fields import LoadedModelChoiceField
from matching.models import MatchWeights
from matching.suggestions import Weights
from mentoring.forms import staff_of
from mentoring.models import FormType, MentoringForm
from orgs.models import Organization, Person


class PersonLoadedChoiceField(LoadedModelChoiceField):
    def label_from_instance(self, person: Person) -> str:
        return person.full_name


class SuggestForm(forms.Form):
    """The mentee and the form and kind of the pair to suggest mentors for. Its choices are
    loaded once (`load_choices`): the staff of the user's organizations and the forms and
    kinds of mentoring, two queries for the rendering and the cleaning of all three."""

    mentee = PersonLoadedChoiceField(
        label=_("Mentee"),
        help_text=_(
            "A teacher of your organization; confirmed candidates of the needs list first."
        ),
    )
    form = LoadedModelChoiceField(
        label=_("Form of mentoring"),
        required=False,
        help_text=_("«Head – teacher» forms prefer heads of organizations."),
    )
    kind = LoadedModelChoiceField(
        label=_("Kind of mentoring"),
        required=False,
        help_text=_(
            "Virtual mentoring ignores distance; reverse mentoring prefers younger mentors."
        ),
    )

    def __init__(self, *args, user, mentoring_forms: list[MentoringForm], **kwargs):
        super().__init__(*args, **kwargs)
        scope = user.scope
        managed = Organization.objects.all()
        if not scope.is_superuser:
            managed = managed.filter(pk__in=scope.managed_organizations)
        self.fields["mentee"].objects = staff_of(managed)
        self.fields["form"].objects = [f for f in mentoring_forms if f.type == FormType.FORM]
        self.fields["kind"].objects = [f for f in mentoring_forms if f.type == FormType.KIND]


class WeightsForm(forms.ModelForm):
    class Meta:
        model = MatchWeights
        fields = Weights.names()
        help_texts = {
            "deficit": _("Points for each of the mentee's deficits the mentor is strong in."),
            "form_fit": _(
                "Points for a head in «head – teacher» forms and for a younger mentor "
                "in reverse mentoring."
            ),
            "same_organization": _(
                "Points for the mentee's own organization (half for the same settlement); "
                "not counted for virtual mentoring."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["max"] = 100
            field.max_value = 100
