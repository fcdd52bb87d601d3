from __future__ import annotations

import datetime

from django import forms
from django.forms import modelformset_factory
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.uploads import ACCEPT, validate_upload
from monitoring.indicators import available_years
from monitoring.models import (
    DeadlineKind,
    LocalAct,
    Measure,
    Order,
    ProgressEntry,
    SurveyQuestion,
    SurveyStage,
)
from monitoring.services import order_point_error
from orgs.models import Organization


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class LocalActForm(forms.ModelForm):
    url = forms.URLField(
        label=_("address on the site"),
        required=False,
        assume_scheme="https",
        max_length=500,
        help_text=_("The page of the «Наставничество» section where the document is published."),
    )
    upload = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, DOCX, XLSX, PPTX, JPG or PNG, up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    class Meta:
        model = LocalAct
        fields = ["organization", "type", "title", "number", "adopted_on", "published_on", "url"]
        widgets = {"adopted_on": DateInput(), "published_on": DateInput()}

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        if organizations.count() == 1 and not self.instance.pk:
            self.fields["organization"].initial = organizations.first()

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            validate_upload(upload)
        return upload

    def clean(self):
        # The model's constraints, told next to the field they concern (a constraint's own
        # message would stand above the form).
        data = super().clean()
        adopted, published = data.get("adopted_on"), data.get("published_on")
        if adopted and published and published < adopted:
            self.add_error(
                "published_on", _("A document cannot be published before it is adopted.")
            )
        if published and "url" in data and not data["url"]:
            self.add_error("url", _("Give the address where the document is published."))
        return data


class DeadlinesForm(forms.Form):
    """The year's four deadlines of the order, as the coordinator sets them."""

    regulation_adopted = forms.DateField(
        label=DeadlineKind.REGULATION_ADOPTED.label, widget=DateInput()
    )
    regulation_published = forms.DateField(
        label=DeadlineKind.REGULATION_PUBLISHED.label, widget=DateInput()
    )
    system_working = forms.DateField(label=DeadlineKind.SYSTEM_WORKING.label, widget=DateInput())
    needs_updated = forms.IntegerField(
        label=_("needs list updated at least every, days"), min_value=30, max_value=730
    )

    def clean(self):
        data = super().clean()
        adopted, published = data.get("regulation_adopted"), data.get("regulation_published")
        if adopted and published and published < adopted:
            self.add_error(
                "regulation_published", _("Publication cannot be due before the adoption.")
            )
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            DeadlineKind.REGULATION_ADOPTED: (data["regulation_adopted"], None),
            DeadlineKind.REGULATION_PUBLISHED: (data["regulation_published"], None),
            DeadlineKind.SYSTEM_WORKING: (data["system_working"], None),
            DeadlineKind.NEEDS_UPDATED: (None, data["needs_updated"]),
        }


class ProgressEntryForm(forms.ModelForm):
    academic_year = forms.ChoiceField(label=_("Academic year"))

    class Meta:
        model = ProgressEntry
        fields = [
            "academic_year",
            "period",
            "vpr_passed",
            "vpr_total",
            "oge_passed",
            "oge_total",
            "ege_passed",
            "ege_total",
            "average_mark",
            "success_rate",
            "olympiad_participants",
            "olympiad_winners",
            "projects",
            "projects_note",
            "open_lessons",
            "contests",
            "publications",
            "talks",
            "methodical_work",
            "risks",
        ]
        widgets = {
            "projects_note": forms.Textarea(attrs={"rows": 2}),
            "risks": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["academic_year"].choices = [(year, year) for year in available_years(today)]

    # (field, its limit, message): the model's constraints, told next to the field they concern.
    LIMITS = (
        ("vpr_passed", "vpr_total", _("More students passed than took the exam.")),
        ("oge_passed", "oge_total", _("More students passed than took the exam.")),
        ("ege_passed", "ege_total", _("More students passed than took the exam.")),
        ("olympiad_winners", "olympiad_participants", _("More winners than participants.")),
    )

    def clean(self):
        data = super().clean()
        for field, limit, message in self.LIMITS:
            value, most = data.get(field), data.get(limit)
            if value is not None and most is not None and value > most:
                self.add_error(field, message)
        mark = data.get("average_mark")
        if mark is not None and not 1 <= mark <= 5:
            self.add_error("average_mark", _("The average mark is from 1 to 5."))
        rate = data.get("success_rate")
        if rate is not None and rate > 100:
            # The model's message, whose "%%" is for the constraint's %-formatting.
            self.add_error("success_rate", gettext("The success rate is from 0 to 100 %%.") % {})
        return data

    def validate_unique(self):
        # The program is set by the view, so the form's own check (which skips constraints on
        # fields it does not show) would miss a period entered twice: say it next to the period.
        entry = self.instance
        if entry.program_id is None or "period" in self.errors:
            return
        taken = ProgressEntry.objects.filter(
            program_id=entry.program_id, academic_year=entry.academic_year, period=entry.period
        ).exclude(pk=entry.pk)
        if taken.exists():
            self.add_error("period", _("This period is already entered for the program."))


class SurveyForm(forms.Form):
    """One field per active question: a 1–5 scale, or yes / no for the plans questions."""

    filled_on = forms.DateField(label=_("Filled on"), widget=DateInput())

    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Anonymous: kept without your name or your pair, shown only among at least "
            "three comments of the organization for the year."
        ),
    )

    def __init__(self, *args, questions, initial_answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        initial_answers = initial_answers or {}
        for question in self.questions:
            if question.is_yes_no:
                choices = [("1", _("yes")), ("0", _("no"))]
            else:
                choices = [(str(value), str(value)) for value in range(1, 6)]
            anonymous = question.measure == Measure.SATISFACTION
            self.fields[f"q{question.pk}"] = forms.TypedChoiceField(
                label=question.text,
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect,
                # An anonymous answer is never shown again, not even to whoever corrects the
                # questionnaire: it is given anew.
                initial=None if anonymous else initial_answers.get(question.pk),
                help_text=_("Anonymous: only means of at least three answers are shown.")
                if anonymous
                else "",
            )
        # The comment goes last, after the questions.
        self.order_fields([name for name in self.fields if name != "comment"] + ["comment"])

    def answers(self) -> dict[int, int]:
        return {question.pk: self.cleaned_data[f"q{question.pk}"] for question in self.questions}


STAGES = dict(SurveyStage.choices)


QuestionFormSet = modelformset_factory(
    SurveyQuestion,
    fields=["respondent", "measure", "text", "sort_order", "is_active"],
    # A question is a sentence: it wraps in a text area instead of being cut off in a line.
    widgets={"text": forms.Textarea(attrs={"rows": 2})},
    # The page says it once above the table, not beside every check box.
    help_texts={"is_active": ""},
    extra=1,
    can_delete=False,
)


ORDER_POINT_KINDS = (
    DeadlineKind.REGULATION_ADOPTED,
    DeadlineKind.REGULATION_PUBLISHED,
    DeadlineKind.SYSTEM_WORKING,
)


class AppliesTo:
    ALL = "all"
    KIND = "kind"
    NAMED = "named"
    choices = [
        (ALL, _("every organization of the municipality")),
        (KIND, _("the organizations of one kind")),
        (NAMED, _("the organizations chosen (for instance, those that joined later)")),
    ]


class OrderForm(forms.ModelForm):
    """An order of the committee: number, date, title and to whom it applies."""

    applies_to = forms.ChoiceField(
        label=_("To whom it applies"),
        choices=AppliesTo.choices,
        initial=AppliesTo.ALL,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Order
        fields = [
            "number",
            "signed_on",
            "title",
            "applies_to",
            "organization_kind",
            "organizations",
        ]
        widgets = {
            "signed_on": DateInput(),
            "organizations": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, municipality, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        # One deadline per point the order may set; an empty one: the order does not set it.
        due = (
            {point.kind: point.due_on for point in self.instance.points.all()}
            if (self.instance.pk)
            else {}
        )
        for kind in ORDER_POINT_KINDS:
            self.fields[f"due_{kind}"] = forms.DateField(
                label=format_lazy(_("Deadline: {point}"), point=DeadlineKind(kind).label),
                required=False,
                widget=DateInput(),
                initial=due.get(kind),
            )
        self.order_fields(
            ["number", "signed_on", "title"]
            + [f"due_{kind}" for kind in ORDER_POINT_KINDS]
            + ["applies_to", "organization_kind", "organizations"]
        )
        self.fields["organizations"].queryset = Organization.objects.filter(
            municipality=municipality
        ).order_by("sort_key")
        self.fields["organization_kind"].help_text = _("When the order applies to one kind.")
        self.fields["organizations"].help_text = _(
            "When the order applies to the organizations chosen: for instance, those that "
            "joined the system later and get their own deadlines."
        )
        if self.instance.pk:
            if self.instance.organizations.exists():
                self.fields["applies_to"].initial = AppliesTo.NAMED
            elif self.instance.organization_kind:
                self.fields["applies_to"].initial = AppliesTo.KIND

    def clean_signed_on(self):
        signed_on = self.cleaned_data["signed_on"]
        if signed_on > self.today:
            raise forms.ValidationError(_("The order cannot be dated later than today."))
        if signed_on.year < 2000:
            raise forms.ValidationError(_("Check the year of the order."))
        return signed_on

    def clean(self):
        data = super().clean()
        signed_on = data.get("signed_on")
        given = False
        for kind in ORDER_POINT_KINDS:
            due_on = data.get(f"due_{kind}")
            if due_on:
                given = True
                if signed_on and (error := order_point_error(signed_on, due_on)):
                    self.add_error(f"due_{kind}", error)
        if not given and not any(f"due_{kind}" in self.errors for kind in ORDER_POINT_KINDS):
            self.add_error(
                f"due_{ORDER_POINT_KINDS[0]}", _("Give at least one point with its deadline.")
            )
        applies = data.get("applies_to")
        if applies == AppliesTo.KIND and not data.get("organization_kind"):
            self.add_error("organization_kind", _("Choose the kind of organizations."))
        if applies == AppliesTo.NAMED and not data.get("organizations"):
            self.add_error("organizations", _("Choose the organizations."))
        if applies != AppliesTo.KIND:
            data["organization_kind"] = ""
            self.instance.organization_kind = ""
        if applies != AppliesTo.NAMED:
            data["organizations"] = Organization.objects.none()
        return data

    def points(self) -> dict[str, datetime.date]:
        return {
            kind: self.cleaned_data[f"due_{kind}"]
            for kind in ORDER_POINT_KINDS
            if self.cleaned_data.get(f"due_{kind}")
        }
