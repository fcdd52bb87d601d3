from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from community.models import (
    DecisionKind,
    EventKind,
    IncentiveKind,
    Level,
    NominationStage,
    OrderKind,
    ParticipantRole,
    ProposedBy,
)
from community.services import (
    CouncilMeetingData,
    DecisionData,
    EventData,
    OrderData,
    PaymentData,
)
from core.uploads import ACCEPT, validate_upload
from mentoring.forms import DateInput, PersonChoiceField, PersonMultipleChoiceField, staff_of
from mentoring.models import EndReason, Pair, PairStatus
from orgs.models import Organization, Person
from programs.models import Product, ProductStatus, Program


class OrganizationChoiceMixin:
    """A form whose first field picks one of the organizations the user manages."""

    def setup_organization(self, organizations, organization: Organization | None):
        self.fields["organization"].queryset = organizations
        if organization is not None:
            self.fields["organization"].initial = organization.pk
        if organizations.count() == 1:
            self.fields["organization"].initial = organizations.first().pk


DOCUMENT_HELP = _("PDF, DOCX, JPG or PNG, at most 10 MB.")


def document_field(label, help_text=DOCUMENT_HELP):
    return forms.FileField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )


class DocumentMixin:
    """Checks the uploaded file of the form's `document` field (size, type, content)."""

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if upload:
            validate_upload(upload)
        return upload


class MemberForm(forms.Form):
    person = PersonChoiceField(label=_("Mentor"), queryset=Person.objects.none())
    joined_on = forms.DateField(label=_("Joined on"), widget=DateInput())

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = staff_of([organization])


class OfficersForm(forms.Form):
    head = PersonChoiceField(
        label=_("Head of the council"), queryset=Person.objects.none(), required=False
    )
    secretary = PersonChoiceField(
        label=_("Secretary"), queryset=Person.objects.none(), required=False
    )

    def __init__(self, *args, council, **kwargs):
        super().__init__(*args, **kwargs)
        members = (
            Person.objects.filter(council_rows__council=council).order_by("search_key")
            if council.pk
            else Person.objects.none()
        )
        self.fields["head"].queryset = members
        self.fields["secretary"].queryset = members


class CouncilMeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    number = forms.IntegerField(
        label=_("Protocol number"),
        min_value=1,
        required=False,
        help_text=_("Empty: the next number."),
    )
    agenda = forms.CharField(
        label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 4}), help_text=_("One item a line.")
    )
    minutes = forms.CharField(
        label=_("Heard and discussed"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    attended = PersonMultipleChoiceField(
        label=_("Attended"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, council, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].queryset = (
            Person.objects.filter(council_rows__council=council).order_by("search_key")
            if council.pk
            else Person.objects.none()
        )

    @staticmethod
    def initial_of(meeting) -> dict:
        return {
            "held_on": meeting.held_on,
            "number": meeting.number,
            "agenda": meeting.agenda,
            "minutes": meeting.minutes,
            "attended": list(meeting.attended.values_list("pk", flat=True)),
        }

    def to_data(self) -> CouncilMeetingData:
        data = self.cleaned_data
        return CouncilMeetingData(
            held_on=data["held_on"],
            agenda=data["agenda"],
            minutes=data["minutes"],
            attended=list(data["attended"]),
            number=data.get("number"),
        )


class ProgramChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, program: Program) -> str:
        return _("%(mentee)s (mentor %(mentor)s), %(start)s – %(end)s") % {
            "mentee": program.mentee.full_name,
            "mentor": program.pair.mentor.short_name,
            "start": f"{program.starts_on:%d.%m.%Y}",
            "end": f"{program.ends_on:%d.%m.%Y}",
        }


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of decision"), choices=DecisionKind.choices)
    text = forms.CharField(
        label=_("Decided"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a program: what is corrected in it."),
    )
    program = ProgramChoiceField(
        label=_("Program"), queryset=Program.objects.none(), required=False
    )
    product = forms.ModelChoiceField(
        label=_("Product"), queryset=Product.objects.none(), required=False
    )
    mentor = PersonChoiceField(label=_("Mentor"), queryset=Person.objects.none(), required=False)
    mentee = PersonChoiceField(
        label=_("Teacher"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("The mentee of a recommended pair, or the teacher proposed for an incentive."),
    )
    incentive = forms.ChoiceField(
        label=_("Incentive"), choices=[("", "—"), *IncentiveKind.choices], required=False
    )

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = (
            Program.objects.filter(pair__organization=organization)
            .exclude(status="completed")
            .select_related("mentee", "pair__mentor")
            .order_by("mentee__search_key")
        )
        self.fields["product"].queryset = Product.objects.filter(
            organization=organization, status=ProductStatus.PROPOSED
        ).order_by("title")
        staff = staff_of([organization])
        self.fields["mentor"].queryset = staff
        self.fields["mentee"].queryset = staff

    def to_data(self) -> DecisionData:
        data = self.cleaned_data
        return DecisionData(
            kind=data["kind"],
            text=data["text"],
            program=data.get("program"),
            product=data.get("product"),
            mentor=data.get("mentor"),
            mentee=data.get("mentee"),
            incentive=data.get("incentive") or "",
        )


class EventForm(DocumentMixin, forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("Empty for a municipal event (the committee's)."),
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind of event"), choices=EventKind.choices)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    starts_on = forms.DateField(label=_("Start"), widget=DateInput())
    ends_on = forms.DateField(label=_("End"), widget=DateInput(), required=False)
    description = forms.CharField(
        label=_("Description and results"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    is_published = forms.BooleanField(label=_("Show on the public page"), required=False)
    document = document_field(_("Result document"))

    def __init__(self, *args, organizations=None, allow_municipal: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is None:  # editing: the event stays where it is
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = organizations
            self.fields["organization"].required = not allow_municipal

    @staticmethod
    def initial_of(event) -> dict:
        fields = ("title", "kind", "level", "starts_on", "ends_on", "description", "is_published")
        return {field: getattr(event, field) for field in fields}

    def to_data(self) -> EventData:
        data = self.cleaned_data
        return EventData(
            title=data["title"],
            kind=data["kind"],
            level=data["level"],
            starts_on=data["starts_on"],
            ends_on=data.get("ends_on"),
            description=data["description"],
            is_published=data["is_published"],
        )


class ParticipantForm(forms.Form):
    person = PersonChoiceField(label=_("Teacher"), queryset=Person.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=ParticipantRole.choices)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class NominationForm(OrganizationChoiceMixin, forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none()
    )
    person = PersonChoiceField(label=_("Teacher"), queryset=Person.objects.none())
    kind = forms.ChoiceField(label=_("Incentive"), choices=IncentiveKind.choices)
    proposed_by = forms.ChoiceField(label=_("Proposed by"), choices=ProposedBy.choices)
    proposed_on = forms.DateField(label=_("Proposed on"), widget=DateInput())
    grounds = forms.CharField(
        label=_("Grounds"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_organization(organizations, None)
        self.fields["person"].queryset = staff_of(organizations)


class NominationEditForm(DocumentMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Incentive"), choices=IncentiveKind.choices)
    proposed_by = forms.ChoiceField(label=_("Proposed by"), choices=ProposedBy.choices)
    proposed_on = forms.DateField(label=_("Proposed on"), widget=DateInput())
    grounds = forms.CharField(
        label=_("Grounds"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    document = document_field(_("Document"))

    @staticmethod
    def initial_of(nomination) -> dict:
        return {
            field: getattr(nomination, field)
            for field in ("kind", "proposed_by", "proposed_on", "grounds")
        }


class NominationStageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=NominationStage.choices)
    on = forms.DateField(label=pgettext_lazy("stage date", "Date"), widget=DateInput())


class PaymentForm(OrganizationChoiceMixin, forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none()
    )
    person = PersonChoiceField(label=_("Mentor"), queryset=Person.objects.none())
    act = forms.CharField(
        label=_("Local act"),
        max_length=300,
        help_text=_("E.g. «Положение об оплате труда работников, приказ № 45 от 30.08.2026»."),
    )
    act_point = forms.CharField(label=_("Point of the act"), max_length=50, required=False)
    amount = forms.DecimalField(
        label=_("Amount, roubles a month"), max_digits=9, decimal_places=2, required=False
    )
    percent = forms.DecimalField(
        label=_("Percentage of the salary"), max_digits=5, decimal_places=2, required=False
    )
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(label=_("Until"), widget=DateInput())

    def __init__(self, *args, organizations, edit: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_organization(organizations, None)
        self.fields["person"].queryset = staff_of(organizations)
        if edit:  # a payment stays with its organization
            del self.fields["organization"]

    @staticmethod
    def initial_of(payment) -> dict:
        fields = ("person", "act", "act_point", "amount", "percent", "starts_on", "ends_on")
        return {field: getattr(payment, field) for field in fields}

    def to_data(self) -> PaymentData:
        data = self.cleaned_data
        return PaymentData(
            person=data["person"],
            act=data["act"],
            act_point=data["act_point"],
            amount=data.get("amount"),
            percent=data.get("percent"),
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
        )


class OrderScanForm(forms.Form):
    signed_scan = document_field(
        _("Signed scan"), help_text=_("The order signed by the head, scanned (PDF, JPG or PNG).")
    )

    def clean_signed_scan(self):
        upload = self.cleaned_data.get("signed_scan")
        if not upload:
            raise forms.ValidationError(_("Choose the file."))
        validate_upload(upload)
        return upload


class PairChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, pair: Pair) -> str:
        mentees = ", ".join(person.short_name for person in pair.mentee_list)
        return _("%(mentor)s → %(mentees)s: %(topic)s (%(form)s, %(start)s – %(end)s)") % {
            "mentor": pair.mentor.short_name,
            "mentees": mentees,
            "topic": pair.topic,
            "form": pair.form,
            "start": f"{pair.planned_start:%d.%m.%Y}",
            "end": f"{pair.planned_end:%d.%m.%Y}",
        }


class OrderForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of order"), choices=OrderKind.choices, widget=forms.RadioSelect
    )
    number = forms.CharField(label=_("Order number"), max_length=50)
    date = forms.DateField(label=_("Order date"), widget=DateInput())
    pairs = PairChoiceField(label=_("Pairs and groups"), queryset=Pair.objects.none())
    responsible = PersonChoiceField(
        label=_("Responsible person"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Usually the curator of mentoring."),
    )
    payment_point = forms.CharField(
        label=_("Payment to mentors"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Where a local act sets a payment for mentoring: the point of the order."),
    )
    end_reason_code = forms.ChoiceField(
        label=_("Reason for ending early"),
        choices=[("", "—"), *EndReason.choices],
        required=False,
    )
    end_reason = forms.CharField(label=_("Details"), required=False, max_length=500)

    def __init__(self, *args, organization: Organization, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        statuses = (
            [PairStatus.DRAFT]
            if kind == OrderKind.FIXING
            else [PairStatus.DRAFT, PairStatus.ACTIVE]
        )
        self.fields["pairs"].queryset = Pair.objects.filter(
            organization=organization, status__in=statuses
        ).for_list()
        self.fields["responsible"].queryset = staff_of([organization])
        self.fields["kind"].initial = kind

    def to_data(self) -> OrderData:
        data = self.cleaned_data
        return OrderData(
            kind=data["kind"],
            number=data["number"],
            date=data["date"],
            pairs=list(data["pairs"]),
            responsible=data.get("responsible"),
            payment_point=data["payment_point"],
            end_reason_code=data.get("end_reason_code") or "",
            end_reason=data["end_reason"],
        )
