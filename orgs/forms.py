from __future__ import annotations

import datetime

from crispy_forms.bootstrap import FormActions
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orgs.models import (
    AttestationResult,
    Consent,
    Employment,
    OrganizationKind,
    Person,
    Position,
    QualificationCategory,
)
from orgs.services import TeacherData

# Rendered with the page's context: the view gives `cancel_url`.
CANCEL_LINK = HTML(
    '{% load i18n %}<a class="btn btn-link" href="{{ cancel_url }}">{% translate "Cancel" %}</a>'
)

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


DEFAULT_POSITION_BY_KIND = {
    OrganizationKind.GENERAL: "uchitel",
    OrganizationKind.PRESCHOOL: "vospitatel",
    OrganizationKind.ADDITIONAL: "pedagog_do",
}


def default_position(organization) -> int | None:
    """The position most teachers of this kind of organization hold: one click less."""
    code = DEFAULT_POSITION_BY_KIND.get(organization.kind)
    return Position.objects.filter(code=code).values_list("pk", flat=True).first()


class TeacherForm(forms.Form):
    """One short form for a teacher: the person and their job in this organization."""

    last_name = forms.CharField(label=_("Last name"), max_length=100)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    middle_name = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    position = forms.ModelChoiceField(label=_("Position"), queryset=Position.objects.all())
    hired_on = forms.DateField(label=_("Hire date"), widget=DATE_WIDGET)
    qualification_category = forms.ChoiceField(
        label=_("Qualification category"),
        choices=QualificationCategory.choices,
        initial=QualificationCategory.NONE,
    )
    subjects = forms.CharField(
        label=_("Subjects"),
        max_length=300,
        required=False,
        help_text=_("Comma-separated, as in the staff schedule: «математика, информатика»."),
    )
    last_attested_on = forms.DateField(
        label=_("Date of the last attestation"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Teachers attested in the last year are proposed for mentoring."),
    )
    attestation_result = forms.ChoiceField(
        label=_("Result of the last attestation"),
        choices=[("", "—"), *AttestationResult.choices],
        required=False,
    )
    is_student = forms.BooleanField(
        label=_("Student (practice)"),
        required=False,
        help_text=_("For the form of mentoring «работодатель – студент»."),
    )
    teaching_years = forms.IntegerField(
        label=_("Teaching experience, years"),
        min_value=0,
        max_value=70,
        required=False,
        help_text=_("Up to 3 years makes a young specialist."),
    )
    career_years = forms.IntegerField(
        label=_("Total experience, years"), min_value=0, max_value=70, required=False
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_(
            "Needed to link the teacher to an account and to find them in another organization."
        ),
    )
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)

    PERSON_FIELDS = (
        "last_name",
        "first_name",
        "middle_name",
        "email",
        "phone",
        "teaching_years",
        "career_years",
    )

    def __init__(
        self,
        *args,
        employment: Employment | None = None,
        organization=None,
        person_locked: bool = False,
        **kwargs,
    ):
        if employment is not None:
            kwargs.setdefault("initial", self.initial_from(employment))
        elif organization is not None:
            kwargs.setdefault("initial", {"position": default_position(organization)})
        super().__init__(*args, **kwargs)
        if person_locked:
            # She works in another organization too: her own fields are not this school's.
            for name in self.PERSON_FIELDS:
                self.fields[name].disabled = True
            self.fields["last_name"].help_text = _(
                "Also works in another organization: name, contacts and experience are "
                "changed by the coordinator or the curators of all her organizations."
            )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                _("Teacher"),
                Row(Column("last_name"), Column("first_name"), Column("middle_name")),
                Row(Column("teaching_years"), Column("career_years")),
                Row(Column("email"), Column("phone")),
                "is_student",
            ),
            Fieldset(
                _("Position in the organization"),
                Row(Column("position"), Column("hired_on")),
                Row(Column("qualification_category"), Column("subjects")),
                Row(Column("last_attested_on"), Column("attestation_result")),
            ),
            FormActions(
                Submit("save", _("Save")),
                *(
                    []
                    if employment
                    else [
                        Submit(
                            "save_and_add",
                            _("Save and add one more"),
                            css_class="btn-outline-primary",
                        )
                    ]
                ),
                CANCEL_LINK,
            ),
        )

    @staticmethod
    def initial_from(employment: Employment) -> dict:
        person: Person = employment.person
        return {
            "last_name": person.last_name,
            "first_name": person.first_name,
            "middle_name": person.middle_name,
            "email": person.email,
            "phone": person.phone,
            "teaching_years": person.teaching_years,
            "career_years": person.career_years,
            "position": employment.position_id,
            "hired_on": employment.hired_on,
            "qualification_category": employment.qualification_category,
            "subjects": employment.subjects,
            "last_attested_on": person.last_attested_on,
            "attestation_result": person.attestation_result,
            "is_student": person.is_student,
        }

    def clean_hired_on(self) -> datetime.date:
        hired_on = self.cleaned_data["hired_on"]
        if hired_on > timezone.localdate() + datetime.timedelta(days=366):
            raise forms.ValidationError(_("The hire date is too far in the future."))
        return hired_on

    def clean(self):
        cleaned = super().clean()
        teaching, career = cleaned.get("teaching_years"), cleaned.get("career_years")
        if teaching is not None and career is not None and teaching > career:
            self.add_error(
                "teaching_years", _("Teaching experience cannot exceed the total experience.")
            )
        attested_on = cleaned.get("last_attested_on")
        if attested_on and attested_on > timezone.localdate():
            self.add_error("last_attested_on", _("The attestation date cannot be in the future."))
        if bool(attested_on) != bool(cleaned.get("attestation_result")):
            self.add_error(
                "attestation_result", _("Give both the date and the result of the attestation.")
            )
        return cleaned

    def to_data(self) -> TeacherData:
        return TeacherData(**self.cleaned_data)


class DismissForm(forms.Form):
    dismissed_on = forms.DateField(label=_("Dismissal date"), widget=DATE_WIDGET)

    def __init__(self, *args, employment: Employment, **kwargs):
        super().__init__(*args, **kwargs)
        self.employment = employment
        self.fields["dismissed_on"].initial = timezone.localdate()

    def clean_dismissed_on(self) -> datetime.date:
        dismissed_on = self.cleaned_data["dismissed_on"]
        if dismissed_on < self.employment.hired_on:
            raise forms.ValidationError(_("The dismissal date cannot be before the hire date."))
        return dismissed_on


class ConsentForm(forms.ModelForm):
    """The signed consent to the processing of personal data (152-ФЗ) and its withdrawal."""

    class Meta:
        model = Consent
        fields = ["given_on", "document", "withdrawn_on"]
        widgets = {"given_on": DATE_WIDGET, "withdrawn_on": DATE_WIDGET}
        help_texts = {
            "withdrawn_on": _(
                "Once withdrawn, her contacts and experience are hidden from everyone but the "
                "administrator."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))
