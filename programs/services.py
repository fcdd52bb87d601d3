"""Every write of the programs app: views, admin and the demo call these functions.

Each refusal raises ValidationError (a dict keyed by form field where one applies) or
PermissionDenied before anything is written, inside one transaction.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from statistics import mean

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentoring.models import ONGOING, MentoringForm, Pair, PairMentee
from orgs.models import Employment, Organization, Person, Role, RoleAssignment, user_scope
from orgs.uploads import validate_upload
from programs.models import (
    DEFICIT_BELOW,
    STRENGTH_FROM,
    Activity,
    ActivityStatus,
    Answer,
    AreaRole,
    Diagnostic,
    DifficultyArea,
    DifficultyItem,
    Product,
    ProductStatus,
    Program,
    ProgramArea,
    ProgramStatus,
    Respondent,
    Route,
    RouteArea,
    RouteItem,
    RouteItemKind,
    RouteStatus,
    RouteVersion,
    Stage,
)
from programs.models.access import curates_person_or_organization

PROGRAM_MIN_MONTHS = 3
PROGRAM_MAX_MONTHS = 12
ROUTE_MIN_YEARS = 4
ROUTE_MAX_YEARS = 5


def add_months(date: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day when it is shorter)."""
    index = date.month - 1 + months
    year, month = date.year + index // 12, index % 12 + 1
    return date.replace(
        year=year, month=month, day=min(date.day, calendar.monthrange(year, month)[1])
    )


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# Capabilities -------------------------------------------------------------------------------


def is_program_curator(user, program: Program) -> bool:
    """The curator of the pair's organization or of the mentee's organization."""
    return curates_person_or_organization(
        user, organization_id=program.pair.organization_id, person_id=program.mentee_id
    )


def can_edit_program(user, program: Program) -> bool:
    """Its mentor, its mentee and the curator; the committee and heads only read."""
    scope = user_scope(user)
    if scope.person_id and scope.person_id in (program.pair.mentor_id, program.mentee_id):
        return True
    return is_program_curator(user, program)


def can_plan_for(user, pair: Pair, mentee: Person) -> bool:
    scope = user_scope(user)
    if scope.person_id and scope.person_id in (pair.mentor_id, mentee.pk):
        return True
    return curates_person_or_organization(
        user, organization_id=pair.organization_id, person_id=mentee.pk
    )


def can_edit_route(user, route: Route) -> bool:
    """The teacher and the curator of the route's organization (or of the teacher's)."""
    scope = user_scope(user)
    if scope.person_id and scope.person_id == route.person_id:
        return True
    return curates_person_or_organization(
        user, organization_id=route.organization_id, person_id=route.person_id
    )


def can_decide_product(user, product: Product) -> bool:
    """The council of mentors, in the portal the curator of the product's organization."""
    scope = user_scope(user)
    return scope.is_superuser or product.organization_id in scope.curated_organizations


def can_edit_reference(user) -> bool:
    scope = user_scope(user)
    return scope.is_superuser or bool(scope.coordinated_municipalities)


def head_of(organization: Organization) -> str:
    """The name of the organization's head for the approval block, or "" for a blank line."""
    assignment = (
        RoleAssignment.objects.filter(role=Role.HEAD, organization=organization)
        .select_related("user__person")
        .order_by("pk")
        .first()
    )
    if assignment is None:
        return ""
    user = assignment.user
    return user.person.short_name if user.person else user.get_full_name()


def _employment_of(person: Person, preferred: Organization | None = None) -> Employment | None:
    employments = list(
        Employment.objects.active().filter(person=person).select_related("organization", "position")
    )
    for employment in employments:
        if preferred and employment.organization_id == preferred.pk:
            return employment
    return employments[0] if employments else None


# Diagnostics --------------------------------------------------------------------------------


def pair_membership(pair: Pair, mentee: Person) -> bool:
    return PairMentee.objects.filter(pair=pair, person=mentee).exists()


@transaction.atomic
def diagnostic_fill(
    *,
    user,
    pair: Pair,
    mentee: Person,
    stage: str,
    respondent: str,
    scores: dict[int, int],
    today: datetime.date,
    comment: str = "",
) -> Diagnostic:
    """Save a questionnaire: the mentee assesses themselves, the mentor assesses the mentee.

    Filling it again replaces the answers of the same stage and respondent."""
    scope = user_scope(user)
    if respondent == Respondent.SELF:
        _require(scope.person_id == mentee.pk)
    elif respondent == Respondent.MENTOR:
        _require(scope.person_id == pair.mentor_id)
    else:
        raise ValidationError({"respondent": _("Choose who assesses.")})
    if stage not in Stage.values:
        raise ValidationError({"stage": _("Choose the stage.")})
    if not pair_membership(pair, mentee):
        raise ValidationError({"mentee": _("This teacher is not a mentee of the pair.")})
    items = list(DifficultyItem.objects.filter(is_active=True, area__is_active=True))
    errors = {}
    for item in items:
        score = scores.get(item.pk)
        if score is None:
            errors[f"item_{item.pk}"] = _("Give a score for every item.")
        elif score not in (1, 2, 3, 4):
            errors[f"item_{item.pk}"] = _("The score is from 1 to 4.")
    if errors:
        raise ValidationError(errors)
    if (
        stage == Stage.END
        and not Diagnostic.objects.filter(pair=pair, mentee=mentee, stage=Stage.START).exists()
    ):
        raise ValidationError({"stage": _("Fill the diagnostics at the start first.")})
    diagnostic, _created = Diagnostic.objects.update_or_create(
        pair=pair,
        mentee=mentee,
        stage=stage,
        respondent=respondent,
        defaults={"filled_on": today, "filled_by": user, "comment": comment},
    )
    diagnostic.answers.all().delete()
    Answer.objects.bulk_create(
        Answer(diagnostic=diagnostic, item=item, score=scores[item.pk]) for item in items
    )
    return diagnostic


@dataclass
class AreaResult:
    area: DifficultyArea
    start_self: float | None = None
    start_mentor: float | None = None
    end_self: float | None = None
    end_mentor: float | None = None

    @property
    def start(self) -> float | None:
        values = [v for v in (self.start_self, self.start_mentor) if v is not None]
        return round(mean(values), 2) if values else None

    @property
    def end(self) -> float | None:
        values = [v for v in (self.end_self, self.end_mentor) if v is not None]
        return round(mean(values), 2) if values else None

    @property
    def change(self) -> float | None:
        if self.start is None or self.end is None:
            return None
        return round(self.end - self.start, 2)

    @property
    def is_deficit(self) -> bool:
        return self.start is not None and self.start < DEFICIT_BELOW

    @property
    def is_strength(self) -> bool:
        return self.start is not None and self.start >= STRENGTH_FROM


@dataclass
class DiagnosticResult:
    areas: list[AreaResult] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def deficits(self) -> list[AreaResult]:
        """The lowest areas, weakest first."""
        return sorted((row for row in self.areas if row.is_deficit), key=lambda row: row.start)

    @property
    def strengths(self) -> list[AreaResult]:
        return sorted((row for row in self.areas if row.is_strength), key=lambda row: -row.start)

    @property
    def has_start(self) -> bool:
        return any(d.stage == Stage.START for d in self.diagnostics)

    @property
    def has_end(self) -> bool:
        return any(d.stage == Stage.END for d in self.diagnostics)


def diagnostic_result(pair: Pair, mentee: Person) -> DiagnosticResult:
    """Mean score per area at the start and the end, by the mentee and by the mentor."""
    diagnostics = list(Diagnostic.objects.filter(pair=pair, mentee=mentee).order_by("stage"))
    result = DiagnosticResult(diagnostics=diagnostics)
    scores: dict[tuple[int, str, str], list[int]] = {}
    for answer in Answer.objects.filter(diagnostic__in=diagnostics).select_related(
        "diagnostic", "item"
    ):
        key = (answer.item.area_id, answer.diagnostic.stage, answer.diagnostic.respondent)
        scores.setdefault(key, []).append(answer.score)
    for area in DifficultyArea.objects.all():
        row = AreaResult(area=area)
        for stage in Stage.values:
            for respondent in Respondent.values:
                values = scores.get((area.pk, stage, respondent))
                if values:
                    setattr(row, f"{stage}_{respondent}", round(mean(values), 2))
        if row.start is not None or row.end is not None:
            result.areas.append(row)
    return result


# Programs -----------------------------------------------------------------------------------


@dataclass
class ProgramData:
    form: MentoringForm
    kind: MentoringForm
    starts_on: datetime.date
    ends_on: datetime.date
    goals: str
    directions: str = ""
    deficits: Sequence[DifficultyArea] = ()
    strengths: Sequence[DifficultyArea] = ()


def _check_period(
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    *,
    min_months: int,
    max_months: int,
    message,
    code: str,
) -> None:
    if starts_on is None or ends_on is None:
        raise ValidationError({"ends_on": _("Give the start and the end.")})
    if not add_months(starts_on, min_months) <= ends_on <= add_months(starts_on, max_months):
        raise ValidationError({"ends_on": message}, code=code)


def check_program_period(starts_on: datetime.date, ends_on: datetime.date) -> None:
    """From 3 months to 1 year, both inclusive."""
    _check_period(
        starts_on,
        ends_on,
        min_months=PROGRAM_MIN_MONTHS,
        max_months=PROGRAM_MAX_MONTHS,
        message=_("A personalized program lasts from 3 months to 1 year."),
        code="program_period",
    )


def _check_program(data: ProgramData) -> None:
    errors: dict[str, list] = {}
    try:
        check_program_period(data.starts_on, data.ends_on)
    except ValidationError as error:
        errors.update(error.message_dict)
    if data.form.type != "form":
        errors.setdefault("form", []).append(_("Choose a form of mentoring."))
    if data.kind.type != "kind":
        errors.setdefault("kind", []).append(_("Choose a kind of mentoring."))
    if not (data.goals or "").strip():
        errors.setdefault("goals", []).append(_("State the goals of the program."))
    if not data.deficits:
        errors.setdefault("deficits", []).append(
            _("Choose at least one deficit the program addresses.")
        )
    if {a.pk for a in data.deficits} & {a.pk for a in data.strengths}:
        errors.setdefault("strengths", []).append(
            _("An area cannot be both a deficit and a strength.")
        )
    if errors:
        raise ValidationError(errors)


def _save_areas(program: Program, data: ProgramData) -> None:
    results = dict(program.area_rows.values_list("area_id", "result"))
    program.area_rows.all().delete()
    ProgramArea.objects.bulk_create(
        [
            ProgramArea(
                program=program, area=area, role=AreaRole.DEFICIT, result=results.get(area.pk, "")
            )
            for area in data.deficits
        ]
        + [
            ProgramArea(program=program, area=area, role=AreaRole.STRENGTH)
            for area in data.strengths
        ]
    )


@transaction.atomic
def program_create(*, user, pair: Pair, mentee: Person, data: ProgramData) -> Program:
    """A draft program for one mentee of an ongoing pair or group."""
    _require(can_plan_for(user, pair, mentee))
    if not pair_membership(pair, mentee):
        raise ValidationError({"mentee": _("This teacher is not a mentee of the pair.")})
    if pair.status not in ONGOING:
        raise ValidationError(_("The pair has ended: a new program cannot be written for it."))
    if Program.objects.filter(pair=pair, mentee=mentee).exists():
        raise ValidationError({"mentee": _("This mentee already has a program in this pair.")})
    _check_program(data)
    program = Program.objects.create(
        pair=pair,
        mentee=mentee,
        form=data.form,
        kind=data.kind,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        goals=data.goals.strip(),
        directions=data.directions.strip(),
        created_by=user,
    )
    _save_areas(program, data)
    return program


def _locked(program: Program) -> Program:
    return Program.objects.select_for_update().select_related("pair").get(pk=program.pk)


@transaction.atomic
def program_update(*, user, program: Program, data: ProgramData) -> Program:
    _require(can_edit_program(user, program))
    program = _locked(program)
    if program.status != ProgramStatus.DRAFT:
        raise ValidationError(
            _("Only a draft is changed; the road map of an approved program is kept up to date.")
        )
    _check_program(data)
    for name in ("form", "kind", "starts_on", "ends_on"):
        setattr(program, name, getattr(data, name))
    program.goals, program.directions = data.goals.strip(), data.directions.strip()
    program.save()
    _save_areas(program, data)
    Activity.objects.filter(program=program).exclude(area__isnull=True).exclude(
        area__in=[a.pk for a in data.deficits]
    ).update(area=None)
    return program


@transaction.atomic
def program_approve(*, user, program: Program, today: datetime.date) -> Program:
    """The curator approves a draft with at least one activity."""
    _require(is_program_curator(user, program))
    program = _locked(program)
    if program.status != ProgramStatus.DRAFT:
        raise ValidationError({"status": _("Only a draft program is approved.")})
    if not program.activities.exclude(status=ActivityStatus.CANCELLED).exists():
        raise ValidationError({"status": _("Add at least one activity to the road map first.")})
    program.status = ProgramStatus.APPROVED
    program.approved_by, program.approved_on = user, today
    program.save(update_fields=["status", "approved_by", "approved_on", "updated_at"])
    return program


@transaction.atomic
def program_start(*, user, program: Program) -> Program:
    _require(can_edit_program(user, program))
    program = _locked(program)
    if program.status != ProgramStatus.APPROVED:
        raise ValidationError({"status": _("Only an approved program is started.")})
    program.status = ProgramStatus.IN_PROGRESS
    program.save(update_fields=["status", "updated_at"])
    return program


@dataclass
class ClosingData:
    results: dict[int, str]  # area id of a deficit → the result reached
    mentor_conclusion: str
    mentee_conclusion: str


@transaction.atomic
def program_complete(*, user, program: Program, data: ClosingData, today: datetime.date) -> Program:
    """Close a program in progress with the results per deficit and both conclusions."""
    _require(can_edit_program(user, program))
    program = _locked(program)
    if program.status != ProgramStatus.IN_PROGRESS:
        raise ValidationError({"status": _("Only a program in progress is completed.")})
    deficits = list(program.area_rows.filter(role=AreaRole.DEFICIT))
    errors: dict[str, list] = {}
    for row in deficits:
        if not (data.results.get(row.area_id) or "").strip():
            errors[f"result_{row.area_id}"] = [_("Describe the result for this deficit.")]
    if not data.mentor_conclusion.strip():
        errors["mentor_conclusion"] = [_("The mentor's conclusion is required.")]
    if not data.mentee_conclusion.strip():
        errors["mentee_conclusion"] = [_("The mentee's conclusion is required.")]
    if errors:
        raise ValidationError(errors)
    for row in deficits:
        row.result = data.results[row.area_id].strip()
        row.save(update_fields=["result"])
    program.mentor_conclusion = data.mentor_conclusion.strip()
    program.mentee_conclusion = data.mentee_conclusion.strip()
    program.status = ProgramStatus.COMPLETED
    program.completed_on = today
    program.save()
    return program


@dataclass
class ActivityData:
    title: str
    planned_on: datetime.date
    responsible: str
    area: DifficultyArea | None = None
    status: str = ActivityStatus.PLANNED
    result: str = ""
    product_kind: str = ""
    file: object | None = None  # a new upload, if any


def _check_activity(program: Program, data: ActivityData) -> None:
    errors: dict[str, list] = {}
    if not program.road_map_open:
        raise ValidationError(_("The program is completed: its road map is closed."))
    if not (data.title or "").strip():
        errors["title"] = [_("Say what is to be done.")]
    if data.planned_on and not (program.starts_on <= data.planned_on <= program.ends_on):
        errors["planned_on"] = [_("The date must fall within the program's period.")]
    if (
        data.area is not None
        and not program.area_rows.filter(area=data.area, role=AreaRole.DEFICIT).exists()
    ):
        errors["area"] = [_("Choose one of the program's deficits.")]
    if data.status == ActivityStatus.DONE and not (data.result or "").strip():
        errors["result"] = [_("Describe the result of a done activity.")]
    if data.file is not None:
        try:
            validate_upload(data.file)
        except ValidationError as error:
            errors["file"] = error.messages
    if errors:
        raise ValidationError(errors)


def _apply_activity(activity: Activity, data: ActivityData) -> None:
    activity.title = data.title.strip()
    activity.planned_on = data.planned_on
    activity.responsible = data.responsible
    activity.area = data.area
    activity.status = data.status
    activity.result = (data.result or "").strip()
    activity.product_kind = data.product_kind or ""
    if data.file is not None:
        activity.file_name = PurePath(data.file.name).name
        activity.file.save(data.file.name, data.file, save=False)


@transaction.atomic
def activity_add(*, user, program: Program, data: ActivityData) -> Activity:
    _require(can_edit_program(user, program))
    program = _locked(program)
    _check_activity(program, data)
    activity = Activity(program=program)
    _apply_activity(activity, data)
    activity.save()
    return activity


@transaction.atomic
def activity_update(*, user, activity: Activity, data: ActivityData) -> Activity:
    program = _locked(activity.program)
    _require(can_edit_program(user, program))
    _check_activity(program, data)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _apply_activity(activity, data)
    activity.save()
    return activity


# Routes ---------------------------------------------------------------------------------------


@dataclass
class RouteData:
    starts_on: datetime.date
    ends_on: datetime.date
    self_image: str


def check_route_period(starts_on: datetime.date, ends_on: datetime.date) -> None:
    """From 4 to 5 years, both inclusive."""
    _check_period(
        starts_on,
        ends_on,
        min_months=12 * ROUTE_MIN_YEARS,
        max_months=12 * ROUTE_MAX_YEARS,
        message=_("An individual educational route lasts from 4 to 5 years."),
        code="route_period",
    )


def route_default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """What a new route's form proposes: the shortest route (4 years) from next month's first."""
    starts_on = add_months(today.replace(day=1), 1)
    return starts_on, add_months(starts_on, 12 * ROUTE_MIN_YEARS)


def _check_route(data: RouteData) -> None:
    errors: dict[str, list] = {}
    try:
        check_route_period(data.starts_on, data.ends_on)
    except ValidationError as error:
        errors.update(error.message_dict)
    if not (data.self_image or "").strip():
        errors["self_image"] = [_("Describe the desired professional self-image.")]
    if errors:
        raise ValidationError(errors)


def can_start_route(user, person: Person, organization: Organization) -> bool:
    scope = user_scope(user)
    if scope.person_id == person.pk:
        return Employment.objects.active().filter(person=person, organization=organization).exists()
    return curates_person_or_organization(
        user, organization_id=organization.pk, person_id=person.pk
    )


@transaction.atomic
def route_create(*, user, person: Person, organization: Organization, data: RouteData) -> Route:
    _require(can_start_route(user, person, organization))
    if not Employment.objects.active().filter(person=person, organization=organization).exists():
        raise ValidationError(
            {"organization": _("The teacher does not work in this organization.")}
        )
    _check_route(data)
    route = Route.objects.create(
        person=person,
        organization=organization,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        self_image=data.self_image.strip(),
        created_by=user,
    )
    RouteArea.objects.bulk_create(
        RouteArea(route=route, area=area) for area in DifficultyArea.objects.active()
    )
    return route


def _route_locked(route: Route) -> Route:
    return Route.objects.select_for_update().get(pk=route.pk)


def _record_version(
    route: Route, *, user, reason: str, changes: dict, today: datetime.date
) -> RouteVersion:
    number = (route.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    return RouteVersion.objects.create(
        route=route, number=number, made_on=today, made_by=user, reason=reason, changes=changes
    )


def _require_reason(route: Route, reason: str) -> None:
    if route.status == RouteStatus.ACTIVE and not (reason or "").strip():
        raise ValidationError(
            {"reason": _("A route being implemented is corrected with a stated reason.")}
        )
    if route.status == RouteStatus.COMPLETED:
        raise ValidationError(_("The route is completed and is no longer changed."))


def _route_snapshot(route: Route) -> dict:
    return {
        "starts_on": route.starts_on.isoformat(),
        "ends_on": route.ends_on.isoformat(),
        "self_image": route.self_image,
    }


@transaction.atomic
def route_update(
    *, user, route: Route, data: RouteData, reason: str = "", today: datetime.date
) -> Route:
    """Change the route; once it is being implemented, a correction is kept as a version."""
    _require(can_edit_route(user, route))
    route = _route_locked(route)
    _require_reason(route, reason)
    _check_route(data)
    before = _route_snapshot(route)
    route.starts_on, route.ends_on, route.self_image = (
        data.starts_on,
        data.ends_on,
        data.self_image.strip(),
    )
    after = _route_snapshot(route)
    route.save()
    if route.status == RouteStatus.ACTIVE and before != after:
        _record_version(
            route,
            user=user,
            reason=reason.strip(),
            today=today,
            changes={"route": {"before": before, "after": after}},
        )
    return route


@dataclass
class RouteAreaData:
    area_id: int
    achievements: str = ""
    deficits: str = ""


@transaction.atomic
def route_diagnose(
    *, user, route: Route, rows: Sequence[RouteAreaData], reason: str = "", today: datetime.date
) -> Route:
    """Record achievements and deficits per area."""
    _require(can_edit_route(user, route))
    route = _route_locked(route)
    _require_reason(route, reason)
    existing = {row.area_id: row for row in route.area_rows.all()}
    changes = {}
    for data in rows:
        row = existing.get(data.area_id) or RouteArea(route=route, area_id=data.area_id)
        before = {"achievements": row.achievements, "deficits": row.deficits}
        row.achievements, row.deficits = data.achievements.strip(), data.deficits.strip()
        after = {"achievements": row.achievements, "deficits": row.deficits}
        if before != after:
            row.save()
            changes[str(data.area_id)] = {"before": before, "after": after}
    if route.status == RouteStatus.ACTIVE and changes:
        _record_version(
            route, user=user, reason=reason.strip(), today=today, changes={"areas": changes}
        )
    return route


@dataclass
class RouteItemData:
    kind: str
    title: str
    planned_start: datetime.date
    planned_end: datetime.date
    hours: int | None = None
    area: DifficultyArea | None = None
    status: str = ActivityStatus.PLANNED
    product_kind: str = ""
    own_view: str = ""
    file: object | None = None


def _check_item(route: Route, data: RouteItemData) -> None:
    errors: dict[str, list] = {}
    if data.kind not in RouteItemKind.values:
        errors["kind"] = [_("Choose the kind of item.")]
    if not (data.title or "").strip():
        errors["title"] = [_("Say what is to be done.")]
    if data.planned_start and data.planned_end:
        if data.planned_end < data.planned_start:
            errors["planned_end"] = [_("The end of an item cannot be before its start.")]
        elif data.planned_start < route.starts_on or data.planned_end > route.ends_on:
            errors["planned_end"] = [_("The dates must fall within the route's period.")]
    if data.kind == RouteItemKind.COURSE and not data.hours:
        errors["hours"] = [_("Give the number of hours of the course.")]
    if data.file is not None:
        try:
            validate_upload(data.file)
        except ValidationError as error:
            errors["file"] = error.messages
    if errors:
        raise ValidationError(errors)


def _item_snapshot(item: RouteItem) -> dict:
    return {
        "kind": item.kind,
        "title": item.title,
        "planned_start": item.planned_start.isoformat() if item.planned_start else None,
        "planned_end": item.planned_end.isoformat() if item.planned_end else None,
        "hours": item.hours,
        "area": item.area_id,
        "status": item.status,
        "product_kind": item.product_kind,
        "own_view": item.own_view,
        "file_name": item.file_name,
    }


def _apply_item(item: RouteItem, data: RouteItemData) -> None:
    item.kind, item.title = data.kind, data.title.strip()
    item.planned_start, item.planned_end = data.planned_start, data.planned_end
    item.hours = data.hours if data.kind == RouteItemKind.COURSE else data.hours or None
    item.area, item.status = data.area, data.status
    item.product_kind, item.own_view = data.product_kind or "", (data.own_view or "").strip()
    if data.file is not None:
        item.file_name = PurePath(data.file.name).name
        item.file.save(data.file.name, data.file, save=False)


@transaction.atomic
def route_item_save(
    *,
    user,
    route: Route,
    data: RouteItemData,
    item: RouteItem | None = None,
    reason: str = "",
    today: datetime.date,
) -> RouteItem:
    """Add or change a road-map item; in a route being implemented it is a dated correction."""
    _require(can_edit_route(user, route))
    route = _route_locked(route)
    _require_reason(route, reason)
    _check_item(route, data)
    if item is None:
        item, before = RouteItem(route=route), None
    else:
        item = RouteItem.objects.select_for_update().get(pk=item.pk, route=route)
        before = _item_snapshot(item)
    _apply_item(item, data)
    item.save()
    after = _item_snapshot(item)
    if route.status == RouteStatus.ACTIVE and before != after:
        _record_version(
            route,
            user=user,
            reason=reason.strip(),
            today=today,
            changes={"item": {"id": item.pk, "before": before, "after": after}},
        )
    return item


@transaction.atomic
def route_activate(*, user, route: Route, today: datetime.date) -> Route:
    """Start the implementation; the road map as it stands is kept as version 1."""
    _require(can_edit_route(user, route))
    route = _route_locked(route)
    if route.status != RouteStatus.DRAFT:
        raise ValidationError({"status": _("Only a draft route is started.")})
    if not route.items.exists():
        raise ValidationError({"status": _("Add at least one item to the road map first.")})
    route.status = RouteStatus.ACTIVE
    route.save(update_fields=["status", "updated_at"])
    _record_version(
        route,
        user=user,
        reason=str(_("The road map as approved for implementation.")),
        today=today,
        changes={
            "route": {"before": None, "after": _route_snapshot(route)},
            "items": [_item_snapshot(item) for item in route.items.all()],
        },
    )
    return route


@transaction.atomic
def route_complete(
    *,
    user,
    route: Route,
    reflections: dict[int, str],
    closing_reflection: str,
    today: datetime.date,
) -> Route:
    """Close with a reflexive analysis per deficit and on the approach to the self-image."""
    _require(can_edit_route(user, route))
    route = _route_locked(route)
    if route.status != RouteStatus.ACTIVE:
        raise ValidationError({"status": _("Only a route being implemented is completed.")})
    rows = [row for row in route.area_rows.all() if row.deficits.strip()]
    errors: dict[str, list] = {}
    for row in rows:
        if not (reflections.get(row.area_id) or "").strip():
            errors[f"reflection_{row.area_id}"] = [_("Reflect on the results for this deficit.")]
    if not closing_reflection.strip():
        errors["closing_reflection"] = [_("Reflect on the approach to the desired self-image.")]
    if errors:
        raise ValidationError(errors)
    for row in rows:
        row.reflection = reflections[row.area_id].strip()
        row.save(update_fields=["reflection"])
    route.closing_reflection = closing_reflection.strip()
    route.status, route.completed_on = RouteStatus.COMPLETED, today
    route.save()
    return route


# The bank of best practices -----------------------------------------------------------------


@dataclass
class ProductData:
    title: str
    kind: str
    description: str = ""


@transaction.atomic
def product_propose(
    *,
    user,
    data: ProductData,
    activity: Activity | None = None,
    route_item: RouteItem | None = None,
) -> Product:
    """Offer the product (file) of an activity or a route item to the council of mentors."""
    if (activity is None) == (route_item is None):
        raise ValueError("propose exactly one activity or route item")
    source = activity or route_item
    if activity is not None:
        _require(can_edit_program(user, activity.program))
        author = activity.program.mentee
        preferred = activity.program.pair.organization
        area = activity.area
    else:
        _require(can_edit_route(user, route_item.route))
        author = route_item.route.person
        preferred = route_item.route.organization
        area = route_item.area
    errors: dict[str, list] = {}
    if not source.file:
        errors["file"] = [_("Attach the product's file first.")]
    if Product.objects.filter(activity=activity, route_item=route_item).exists():
        errors["title"] = [_("This product is already offered to the bank.")]
    if not (data.title or "").strip():
        errors["title"] = [_("Give the product a title.")]
    from programs.models import ProductKind

    if data.kind not in ProductKind.values:
        errors["kind"] = [_("Choose the kind of product.")]
    if errors:
        raise ValidationError(errors)
    employment = _employment_of(author, preferred)
    product = Product(
        title=data.title.strip(),
        kind=data.kind,
        description=(data.description or "").strip(),
        area=area,
        author=author,
        organization=employment.organization if employment else preferred,
        position=employment.position if employment else None,
        activity=activity,
        route_item=route_item,
        proposed_by=user,
        file_name=source.file_name or PurePath(source.file.name).name,
    )
    with source.file.open("rb") as handle:
        content = handle.read()
    product.file.save(product.file_name, ContentFile(content), save=False)
    product.save()
    return product


@transaction.atomic
def product_decide(*, user, product: Product, accept: bool, note: str = "") -> Product:
    _require(can_decide_product(user, product))
    product = Product.objects.select_for_update().get(pk=product.pk)
    if product.status != ProductStatus.PROPOSED:
        raise ValidationError({"status": _("This product has already been decided on.")})
    if not accept and not note.strip():
        raise ValidationError({"decision_note": _("Say why the product is not accepted.")})
    product.status = ProductStatus.ACCEPTED if accept else ProductStatus.REJECTED
    product.decided_by, product.decided_at = user, timezone.now()
    product.decision_note = note.strip()
    product.save()
    return product


# Reference data -------------------------------------------------------------------------------


@transaction.atomic
def area_save(
    *,
    user,
    area: DifficultyArea | None,
    name: str,
    sort_order: int,
    is_active: bool,
    code: str = "",
) -> DifficultyArea:
    _require(can_edit_reference(user))
    if not (name or "").strip():
        raise ValidationError({"name": _("Give the area a name.")})
    if area is None:
        if not code or DifficultyArea.objects.filter(code=code).exists():
            raise ValidationError({"code": _("Give a new unique code in Latin letters.")})
        area = DifficultyArea(code=code)
    area.name, area.sort_order, area.is_active = name.strip(), sort_order, is_active
    area.save()
    return area


@transaction.atomic
def item_save(
    *,
    user,
    area: DifficultyArea,
    item: DifficultyItem | None,
    text: str,
    sort_order: int,
    is_active: bool,
) -> DifficultyItem:
    _require(can_edit_reference(user))
    if not (text or "").strip():
        raise ValidationError({"text": _("Give the item's wording.")})
    item = item or DifficultyItem(area=area)
    item.text, item.sort_order, item.is_active = text.strip(), sort_order, is_active
    item.save()
    return item
