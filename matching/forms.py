"""Forms of the matching screens."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from matching.models import MatchWeights
from matching.suggestions import Weights
from mentoring.forms import PersonChoiceField, staff_of
from mentoring.models import FormType, MentoringForm
from orgs.models import Organization


class SuggestForm(forms.Form):
    mentee = PersonChoiceField(
        label=_("Mentee"),
        queryset=None,
        help_text=_(
            "A teacher of your organization; confirmed candidates of the needs list first."
        ),
    )
    form = forms.ModelChoiceField(
        label=_("Form of mentoring"),
        queryset=MentoringForm.objects.filter(type=FormType.FORM),
        required=False,
        help_text=_("«Head – teacher» forms prefer heads of organizations."),
    )
    kind = forms.ModelChoiceField(
        label=_("Kind of mentoring"),
        queryset=MentoringForm.objects.filter(type=FormType.KIND),
        required=False,
        help_text=_(
            "Virtual mentoring ignores distance; reverse mentoring prefers younger mentors."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = user.scope
        managed = Organization.objects.all()
        if not scope.is_superuser:
            managed = managed.filter(pk__in=scope.managed_organizations)
        self.fields["mentee"].queryset = staff_of(managed)


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
