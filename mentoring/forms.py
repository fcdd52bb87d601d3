"""Forms of the mentoring screens. They collect input; the rules live in services.py."""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import Case, Exists, OuterRef, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.idempotency import add_token
from core.widgets import FastSelect
from mentoring import services
from mentoring.models import (
    ONE_TO_ONE_KIND_CODE,
    DismissReason,
    EndReason,
    FormType,
    MeetingFormat,
    MentoringForm,
    MentorProfile,
    NeedReason,
    Pair,
    PairStatus,
    Topic,
)
from mentoring.periods import default_program_end
from orgs.models import Employment, Organization, Person


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person: Person) -> str:
        return person.full_name


class PersonMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, person: Person) -> str:
        return person.full_name


def staff_of(organizations) -> forms.QuerySet:
    working = Employment.objects.active().filter(
        person_id=OuterRef("pk"), organization__in=organizations
    )
    return Person.objects.filter(Exists(working)).order_by("search_key")


# Mentors --------------------------------------------------------------------------------


class MentorForm(forms.Form):
    person = PersonChoiceField(label=_("Teacher"), queryset=Person.objects.none())
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.none(),
        help_text=_("Where the mentor mainly works; its curator keeps the profile."),
    )
    results = forms.CharField(
        label=_("Confirmed results"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Measurable positive results of the teacher's work: contests, categories, "
            "students' results, methodical products."
        ),
    )
    evidence = forms.FileField(
        label=_("Evidence"),
        required=False,
        help_text=_("A diploma, a certificate or an order: PDF, DOCX, JPG or PNG up to 10 MB."),
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics the mentor can help with"),
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    max_mentees = forms.IntegerField(
        label=_("Maximum number of mentees"), min_value=1, max_value=20, initial=2
    )
    is_active = forms.BooleanField(label=_("Takes mentees"), required=False, initial=True)

    def __init__(self, *args, user, profile: MentorProfile | None = None, **kwargs):
        self.profile = profile
        if profile is not None:
            kwargs.setdefault(
                "initial",
                {
                    "organization": profile.organization_id,
                    "results": profile.results,
                    "topics": profile.topics,
                    "max_mentees": profile.max_mentees,
                    "is_active": profile.is_active,
                },
            )
        super().__init__(*args, **kwargs)
        scope = user.scope
        managed = Organization.objects.all()
        if not scope.is_superuser:
            managed = managed.filter(pk__in=scope.managed_organizations)
        self.fields["organization"].queryset = managed
        if managed.count() == 1:
            self.fields["organization"].initial = managed.first().pk
        if profile is None:
            self.fields["person"].queryset = staff_of(managed).exclude(
                Exists(MentorProfile.objects.filter(person_id=OuterRef("pk")))
            )
        else:
            del self.fields["person"]

    def to_data(self) -> services.MentorData:
        data = self.cleaned_data
        return services.MentorData(
            person=data.get("person") or self.profile.person,
            organization=data["organization"],
            results=data["results"],
            topics=list(data["topics"]),
            max_mentees=data["max_mentees"],
            is_active=data["is_active"],
            evidence=data.get("evidence") or None,
        )


# Needs -----------------------------------------------------------------------------------


class NeedAddForm(forms.Form):
    # Under the list on every view of it: the school's staff as options built in Python.
    person = PersonChoiceField(
        label=_("Teacher"), queryset=Person.objects.none(), widget=FastSelect
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=NeedReason.choices, widget=FastSelect)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = staff_of([organization])


# Pairs ----------------------------------------------------------------------------------


class MentorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, profile: MentorProfile) -> str:
        if profile.free_load <= 0:
            # A full (or overloaded) mentor says so in words, never «free places: -1».
            return _("%(name)s — %(organization)s, no free places (%(taken)s of %(max)s taken)") % {
                "name": profile.person.full_name,
                "organization": profile.organization.short_name,
                "taken": profile.mentee_count,
                "max": profile.max_mentees,
            }
        return _("%(name)s — %(organization)s, free places: %(free)s") % {
            "name": profile.person.full_name,
            "organization": profile.organization.short_name,
            "free": profile.free_load,
        }


def new_pair_initial(today: datetime.date, mentoring_forms: list | None = None) -> dict:
    """What most pairs start with: one-to-one «педагог – педагог» until the end of May.
    `mentoring_forms`: every MentoringForm, when the caller has them loaded already."""
    codes = ["pedagog_pedagog", ONE_TO_ONE_KIND_CODE]
    if mentoring_forms is None:
        forms_by_code = dict(MentoringForm.objects.filter(code__in=codes).values_list("code", "pk"))
    else:
        forms_by_code = {form.code: form.pk for form in mentoring_forms if form.code in codes}
    return {
        "form": forms_by_code.get("pedagog_pedagog"),
        "kind": forms_by_code.get(ONE_TO_ONE_KIND_CODE),
        "planned_start": today,
        "planned_end": default_program_end(today),
    }


class PairForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Registering organization"), queryset=Organization.objects.none()
    )
    mentor = MentorChoiceField(
        label=_("Mentor"),
        queryset=MentorProfile.objects.none(),
        help_text=_("From the municipal bank of mentors; they may work in another organization."),
    )
    mentees = PersonMultipleChoiceField(
        label=_("Mentees"),
        queryset=Person.objects.none(),
        # Check boxes, not a multiple select: no «hold Ctrl», and they work by touch.
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One mentee makes a pair, two and more a group."),
    )
    form = forms.ModelChoiceField(
        label=_("Form of mentoring"),
        queryset=MentoringForm.objects.filter(type=FormType.FORM),
    )
    kind = forms.ModelChoiceField(
        label=_("Kind of mentoring"),
        queryset=MentoringForm.objects.filter(type=FormType.KIND),
        help_text=_("«Mentoring in a group» needs at least two mentees."),
    )
    topic = forms.CharField(label=_("Direction and topic"), max_length=300)
    planned_start = forms.DateField(label=_("Planned start"), widget=DateInput())
    planned_end = forms.DateField(
        label=_("Planned end"),
        widget=DateInput(),
        help_text=_("A personalized program lasts from 3 months to 1 year."),
    )
    order_number = forms.CharField(
        label=_("Order number"),
        max_length=50,
        required=False,
        help_text=_("The head's order that fixes the pair; needed to start it."),
    )
    order_date = forms.DateField(label=_("Order date"), required=False, widget=DateInput())
    second_pair_reason = forms.CharField(
        label=_("Reason for a second current pair"),
        max_length=300,
        required=False,
        help_text=_(
            "Only when a mentee already has a current pair: why they need a second one "
            "(for example a group besides an individual pair)."
        ),
    )
    suggested_mentor = forms.IntegerField(required=False, widget=forms.HiddenInput)
    suggestion_rank = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    agreed_on = forms.DateField(
        label=_("Date of the voluntary agreement"),
        widget=DateInput(),
        help_text=_(
            "Mentoring is voluntary: the date of the mentor's and the mentees' written "
            "agreement to take part."
        ),
    )
    confirm_overload = forms.BooleanField(
        label=_("I confirm the mentor's overload"),
        required=False,
        help_text=_("Needed only when the mentor would have more mentees than they take."),
    )

    def __init__(self, *args, user, pair: Pair | None = None, **kwargs):
        self.pair = pair
        if pair is not None:
            kwargs.setdefault(
                "initial",
                {
                    "organization": pair.organization_id,
                    "mentor": MentorProfile.objects.filter(person_id=pair.mentor_id).first(),
                    "mentees": list(pair.mentees.all()),
                    "form": pair.form_id,
                    "kind": pair.kind_id,
                    "topic": pair.topic,
                    "planned_start": pair.planned_start,
                    "planned_end": pair.planned_end,
                    "order_number": pair.order_number,
                    "order_date": pair.order_date,
                    "second_pair_reason": pair.second_pair_reason,
                    "agreed_on": pair.mentor_agreed_on,
                },
            )
        super().__init__(*args, **kwargs)
        if pair is None:
            self.fields["agreed_on"].initial = timezone.localdate()
        scope = user.scope
        managed = Organization.objects.all()
        if not scope.is_superuser:
            managed = managed.filter(pk__in=scope.managed_organizations)
        self.fields["organization"].queryset = managed
        if managed.count() == 1:
            self.fields["organization"].initial = managed.first().pk
        mentors = (
            MentorProfile.objects.visible_to(user)
            .active()
            .with_load()
            .select_related("person", "organization")
            # A full mentor is never offered first: those with free places lead the list.
            .order_by(
                Case(When(free_load__lte=0, then=Value(1)), default=Value(0)),
                "person__search_key",
            )
        )
        self.fields["mentor"].queryset = mentors
        mentee_scope = managed
        if pair is not None:
            self.fields["organization"].disabled = True
            mentee_scope = Organization.objects.filter(pk=pair.organization_id)
            if pair.status == PairStatus.ACTIVE:
                self.fields["mentees"].disabled = True
        mentees = staff_of(mentee_scope)
        if pair is not None:
            # A pair's current mentees stay choosable even if they have left the staff since.
            mentees |= Person.objects.filter(pk__in=pair.mentees.values("pk"))
        self.fields["mentees"].queryset = mentees

    def to_data(self) -> services.PairData:
        data = self.cleaned_data
        return services.PairData(
            mentor=data["mentor"].person,
            mentees=list(data["mentees"]),
            form=data["form"],
            kind=data["kind"],
            topic=data["topic"],
            planned_start=data["planned_start"],
            planned_end=data["planned_end"],
            order_number=data.get("order_number", ""),
            order_date=data.get("order_date"),
            confirm_overload=data.get("confirm_overload", False),
            second_pair_reason=data.get("second_pair_reason", ""),
            suggestion_rank=self._suggestion_rank(),
            agreed_on=data.get("agreed_on"),
        )

    def _suggestion_rank(self) -> int | None:
        """The place among the suggestions, kept only if that suggested mentor was taken."""
        data = self.cleaned_data
        mentor = data.get("mentor")
        if mentor is not None and data.get("suggested_mentor") == mentor.pk:
            return data.get("suggestion_rank")
        return None


class EndEarlyForm(forms.Form):
    reason_code = forms.ChoiceField(
        label=_("Reason for ending early"), choices=[("", "—"), *EndReason.choices]
    )
    reason = forms.CharField(
        label=_("Details"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for «other»."),
    )


class NeedDismissForm(forms.Form):
    dismiss_reason = forms.ChoiceField(
        label=_("Reason for dismissing"), choices=[("", "—"), *DismissReason.choices]
    )
    note = forms.CharField(
        label=_("Details"), required=False, max_length=500, help_text=_("Required for «other».")
    )


# Meetings ----------------------------------------------------------------------------------


class MeetingForm(forms.Form):
    held_at = forms.DateTimeField(label=_("Date and time"), widget=DateTimeInput())
    format = forms.ChoiceField(
        label=_("Format"),
        choices=MeetingFormat.choices,
        widget=forms.RadioSelect,
        initial=MeetingFormat.IN_PERSON,
    )
    link = forms.CharField(
        label=_("Link"),
        required=False,
        max_length=500,
        help_text=_("For an online meeting: the address of the video call (https://...)."),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration, minutes"), min_value=1, max_value=600, initial=45
    )
    topic = forms.CharField(label=_("Topic"), max_length=300)
    attended = PersonMultipleChoiceField(
        label=_("Attended"), queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    files = MultipleFileField(
        label=_("Files"),
        required=False,
        help_text=_("PDF, DOCX, XLSX, PPTX, JPG or PNG, each up to 10 MB."),
    )

    def __init__(self, *args, pair: Pair, meeting=None, **kwargs):
        mentees = pair.mentees.order_by("search_key")
        if meeting is not None:
            kwargs.setdefault(
                "initial",
                {
                    "held_at": timezone.localtime(meeting.held_at),
                    "format": meeting.format,
                    "link": meeting.link,
                    "duration_minutes": meeting.duration_minutes,
                    "topic": meeting.topic,
                    "attended": list(meeting.attended.all()),
                    "notes": meeting.notes,
                },
            )
        else:
            now = timezone.localtime().replace(second=0, microsecond=0)
            kwargs.setdefault("initial", {"held_at": now, "attended": list(mentees)})
        super().__init__(*args, **kwargs)
        if meeting is None:
            add_token(self)  # logging a meeting is a creating form
        self.fields["attended"].queryset = mentees

    def to_data(self) -> services.MeetingData:
        data = self.cleaned_data
        return services.MeetingData(
            held_at=data["held_at"],
            format=data["format"],
            link=data.get("link", ""),
            duration_minutes=data["duration_minutes"],
            topic=data["topic"],
            attended=list(data["attended"]),
            notes=data.get("notes", ""),
        )
