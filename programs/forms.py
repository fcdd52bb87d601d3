"""Forms of the programs app: they collect input; the rules live in services."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.uploads import ACCEPT
from mentoring.models import FormType, Meeting, MentoringForm
from programs import services
from programs.models import (
    ActivityStatus,
    AreaRole,
    DifficultyArea,
    ProductKind,
    Responsible,
    RouteItemKind,
    Score,
)

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
FILE_WIDGET = forms.ClearableFileInput(attrs={"accept": ACCEPT})
FILE_HELP = _("PDF, DOCX, XLSX, PPTX, JPG or PNG, up to 10 MB.")


def area_choices():
    return DifficultyArea.objects.active()


class ProgramForm(forms.Form):
    form = forms.ModelChoiceField(
        label=_("Form of mentoring"), queryset=MentoringForm.objects.filter(type=FormType.FORM)
    )
    kind = forms.ModelChoiceField(
        label=_("Kind of mentoring"), queryset=MentoringForm.objects.filter(type=FormType.KIND)
    )
    starts_on = forms.DateField(label=_("Start"), widget=DATE_WIDGET)
    ends_on = forms.DateField(
        label=_("End"), widget=DATE_WIDGET, help_text=_("From 3 months to 1 year after the start.")
    )
    goals = forms.CharField(label=_("Goals and tasks"), widget=forms.Textarea(attrs={"rows": 3}))
    directions = forms.CharField(
        label=_("Directions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    deficits = forms.ModelMultipleChoiceField(
        label=_("Deficits the program addresses"),
        queryset=DifficultyArea.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Marked from the diagnostics; change if the mentor and mentee agree."),
    )
    strengths = forms.ModelMultipleChoiceField(
        label=_("Strengths the program supports"),
        queryset=DifficultyArea.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deficits"].queryset = area_choices()
        self.fields["strengths"].queryset = area_choices()

    @classmethod
    def initial_for_program(cls, program) -> dict:
        rows = list(program.area_rows.all())
        return {
            "form": program.form_id,
            "kind": program.kind_id,
            "starts_on": program.starts_on,
            "ends_on": program.ends_on,
            "goals": program.goals,
            "directions": program.directions,
            "deficits": [r.area_id for r in rows if r.role == AreaRole.DEFICIT],
            "strengths": [r.area_id for r in rows if r.role == AreaRole.STRENGTH],
        }

    def to_data(self) -> services.ProgramData:
        data = self.cleaned_data
        return services.ProgramData(
            form=data["form"],
            kind=data["kind"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            goals=data["goals"],
            directions=data.get("directions", ""),
            deficits=list(data["deficits"]),
            strengths=list(data["strengths"]),
        )


class MeetingChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, meeting) -> str:
        return f"{timezone.localtime(meeting.held_at):%d.%m.%Y} — {meeting.topic}"


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Activity"), max_length=500)
    planned_on = forms.DateField(label=_("Planned date"), widget=DATE_WIDGET)
    responsible = forms.ChoiceField(
        label=_("Responsible"), choices=Responsible.choices, initial=Responsible.BOTH
    )
    area = forms.ModelChoiceField(
        label=_("Deficit addressed"), queryset=DifficultyArea.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=ActivityStatus.choices, initial=ActivityStatus.PLANNED
    )
    result = forms.CharField(
        label=_("Result"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    product_kind = forms.ChoiceField(
        label=_("Kind of product"),
        choices=[("", "—"), *ProductKind.choices],
        required=False,
    )
    file = forms.FileField(
        label=_("Product file"), required=False, widget=FILE_WIDGET, help_text=FILE_HELP
    )
    meetings = MeetingChoiceField(
        label=_("Meetings it was worked on"),
        queryset=Meeting.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Meetings of the pair that served this activity: progress shows on the program."
        ),
    )

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = DifficultyArea.objects.filter(
            pk__in=program.area_rows.filter(role=AreaRole.DEFICIT).values("area_id")
        )
        self.fields["meetings"].queryset = Meeting.objects.filter(pair_id=program.pair_id).order_by(
            "-held_at"
        )

    @staticmethod
    def initial_for(activity) -> dict:
        return {
            "title": activity.title,
            "planned_on": activity.planned_on,
            "responsible": activity.responsible,
            "area": activity.area_id,
            "status": activity.status,
            "result": activity.result,
            "product_kind": activity.product_kind,
            "meetings": list(activity.meetings.values_list("pk", flat=True)),
        }

    def to_data(self) -> services.ActivityData:
        data = self.cleaned_data
        return services.ActivityData(
            title=data["title"],
            planned_on=data["planned_on"],
            responsible=data["responsible"],
            area=data.get("area"),
            status=data["status"],
            result=data.get("result", ""),
            product_kind=data.get("product_kind", ""),
            file=data.get("file") or None,
            meetings=list(data.get("meetings") or []),
        )


class MenteeConclusionForm(forms.Form):
    mentee_conclusion = forms.CharField(
        label=_("Mentee's conclusion"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What changed for you, what helped, what is still difficult."),
    )


class ClosingForm(forms.Form):
    """Results per deficit and both conclusions."""

    mentor_conclusion = forms.CharField(
        label=_("Mentor's conclusion"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    mentee_conclusion = forms.CharField(
        label=_("Mentee's conclusion"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        fields = {}
        for row in program.area_rows.filter(role=AreaRole.DEFICIT).select_related("area"):
            fields[f"result_{row.area_id}"] = forms.CharField(
                label=_("Result for the deficit «%(area)s»") % {"area": row.area},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                initial=row.result,
            )
        self.fields = {**fields, **self.fields}

    def to_data(self) -> services.ClosingData:
        data = self.cleaned_data
        return services.ClosingData(
            results={
                int(name.removeprefix("result_")): value
                for name, value in data.items()
                if name.startswith("result_")
            },
            mentor_conclusion=data.get("mentor_conclusion", ""),
            mentee_conclusion=data.get("mentee_conclusion", ""),
        )


class DiagnosticForm(forms.Form):
    """One radio row per item, grouped by area in the template."""

    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, areas, initial_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = []
        initial_scores = initial_scores or {}
        for area in areas:
            names = []
            for item in area.active_items:
                name = f"item_{item.pk}"
                self.fields[name] = forms.TypedChoiceField(
                    label=item.text,
                    choices=Score.choices,
                    coerce=int,
                    widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                    initial=initial_scores.get(item.pk),
                    error_messages={"required": _("Give a score for every item.")},
                )
                names.append(name)
            self.groups.append((area, [self[name] for name in names]))

    def scores(self) -> dict[int, int]:
        return {
            int(name.removeprefix("item_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("item_")
        }


class RouteForm(forms.Form):
    starts_on = forms.DateField(label=_("Start"), widget=DATE_WIDGET)
    ends_on = forms.DateField(
        label=_("End"), widget=DATE_WIDGET, help_text=_("From 4 to 5 years after the start.")
    )
    self_image = forms.CharField(
        label=_("Desired professional self-image"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The professional you want to become, in your own words."),
    )
    reason = forms.CharField(
        label=_("Reason for the correction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required once the route is being implemented."),
    )

    def to_data(self) -> services.RouteData:
        data = self.cleaned_data
        return services.RouteData(
            starts_on=data["starts_on"], ends_on=data["ends_on"], self_image=data["self_image"]
        )


class StaffChoiceField(forms.ModelChoiceField):
    """Working staff (active employments); the organization is named when there are several."""

    def __init__(self, *args, name_organization: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.name_organization = name_organization

    def label_from_instance(self, employment) -> str:
        if self.name_organization:
            return f"{employment.person.full_name} ({employment.organization.short_name})"
        return employment.person.full_name


class RouteCreateForm(RouteForm):
    """A new route. `staff` (a curator's working staff) adds the choice of the teacher; without
    it the route is the user's own."""

    def __init__(self, *args, staff=None, several_organizations: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("reason")
        if staff is not None:
            self.fields["teacher"] = StaffChoiceField(
                label=_("Teacher"),
                queryset=staff,
                help_text=_("Working staff of the organizations you curate."),
                name_organization=several_organizations,
            )
            self.order_fields(["teacher"])


class RouteItemForm(forms.Form):
    kind = forms.ChoiceField(
        label=pgettext_lazy("route item", "Kind"), choices=RouteItemKind.choices
    )
    title = forms.CharField(label=_("What"), max_length=500)
    planned_start = forms.DateField(label=_("From"), widget=DATE_WIDGET)
    planned_end = forms.DateField(label=_("To"), widget=DATE_WIDGET)
    hours = forms.IntegerField(
        label=_("Hours"),
        required=False,
        min_value=1,
        max_value=2000,
        help_text=_("For a further-training course."),
    )
    area = forms.ModelChoiceField(
        label=_("Deficit addressed"), queryset=DifficultyArea.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=ActivityStatus.choices, initial=ActivityStatus.PLANNED
    )
    product_kind = forms.ChoiceField(
        label=_("Kind of product"), choices=[("", "—"), *ProductKind.choices], required=False
    )
    file = forms.FileField(
        label=_("Product file"), required=False, widget=FILE_WIDGET, help_text=FILE_HELP
    )
    own_view = forms.CharField(
        label=_("Own view of the result"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(
        label=_("Reason for the correction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required once the route is being implemented."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = area_choices()

    @staticmethod
    def initial_for(item) -> dict:
        return {
            name: getattr(item, name)
            for name in (
                "kind",
                "title",
                "planned_start",
                "planned_end",
                "hours",
                "status",
                "product_kind",
                "own_view",
            )
        } | {"area": item.area_id}

    def to_data(self) -> services.RouteItemData:
        data = self.cleaned_data
        return services.RouteItemData(
            kind=data["kind"],
            title=data["title"],
            planned_start=data["planned_start"],
            planned_end=data["planned_end"],
            hours=data.get("hours"),
            area=data.get("area"),
            status=data["status"],
            product_kind=data.get("product_kind", ""),
            own_view=data.get("own_view", ""),
            file=data.get("file") or None,
        )


class RouteAreasForm(forms.Form):
    """Achievements and deficits per area (4.2)."""

    reason = forms.CharField(
        label=_("Reason for the correction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required once the route is being implemented."),
    )

    def __init__(self, *args, route, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(route.area_rows.select_related("area"))
        fields = {}
        for row in self.rows:
            fields[f"achievements_{row.area_id}"] = forms.CharField(
                label=_("Achievements and resources"),
                required=False,
                initial=row.achievements,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            fields[f"deficits_{row.area_id}"] = forms.CharField(
                label=_("Difficulties and deficits"),
                required=False,
                initial=row.deficits,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.fields = {**fields, **self.fields}
        self.groups = [
            (row, self[f"achievements_{row.area_id}"], self[f"deficits_{row.area_id}"])
            for row in self.rows
        ]

    def to_rows(self) -> list[services.RouteAreaData]:
        data = self.cleaned_data
        return [
            services.RouteAreaData(
                area_id=row.area_id,
                achievements=data.get(f"achievements_{row.area_id}", ""),
                deficits=data.get(f"deficits_{row.area_id}", ""),
            )
            for row in self.rows
        ]


class RouteCompleteForm(forms.Form):
    closing_reflection = forms.CharField(
        label=_("Reflection on the approach to the desired self-image"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, route, **kwargs):
        super().__init__(*args, **kwargs)
        fields = {}
        for row in route.area_rows.select_related("area"):
            if row.deficits.strip():
                fields[f"reflection_{row.area_id}"] = forms.CharField(
                    label=_("Results for the deficit «%(area)s»") % {"area": row.area},
                    help_text=row.deficits,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
        self.fields = {**fields, **self.fields}

    def reflections(self) -> dict[int, str]:
        return {
            int(name.removeprefix("reflection_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("reflection_")
        }


class ProductProposeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind of product"), choices=ProductKind.choices)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the product is for and how colleagues can use it."),
    )

    def to_data(self) -> services.ProductData:
        data = self.cleaned_data
        return services.ProductData(
            title=data["title"], kind=data["kind"], description=data.get("description", "")
        )


class ProductDecideForm(forms.Form):
    decision_note = forms.CharField(
        label=_("Council's note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the product is not accepted."),
    )


class AreaForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"),
        max_length=64,
        required=False,
        help_text=_("Latin letters, for a new area only."),
    )
    name = forms.CharField(label=pgettext_lazy("title", "Name"), max_length=200)
    sort_order = forms.IntegerField(label=_("Order"), min_value=0, initial=0)
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)


class ItemForm(forms.Form):
    text = forms.CharField(label=_("Item"), max_length=300)
    sort_order = forms.IntegerField(label=_("Order"), min_value=0, initial=0)
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)
