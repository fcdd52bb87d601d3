"""Personalized mentoring programs and their road maps (activities).

Each refusal raises ValidationError (a dict keyed by form field where one applies) or
PermissionDenied before anything is written, inside one transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.idempotency import changed_meanwhile
from core.permissions import require
from core.uploads import validate_upload
from mentoring.models import ONGOING, MentoringForm, Pair
from mentoring.periods import check_program_period
from orgs.models import Person
from programs.models import (
    CLOSED_ACTIVITY_STATUSES,
    Activity,
    ActivityStatus,
    AreaRole,
    DifficultyArea,
    Program,
    ProgramArea,
    ProgramCorrection,
    ProgramStatus,
)
from programs.permissions import (
    can_edit_program,
    can_plan_for,
    can_run_program,
    is_program_curator,
    is_program_mentee,
)
from programs.services.diagnostics import pair_membership

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
    require(can_plan_for(user, pair, mentee))
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
    require(can_run_program(user, program))
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
    require(is_program_curator(user, program))
    program = _locked(program)
    if program.status != ProgramStatus.DRAFT:
        raise ValidationError({"status": changed_meanwhile(_("Only a draft program is approved."))})
    if not program.activities.exclude(status=ActivityStatus.CANCELLED).exists():
        raise ValidationError({"status": _("Add at least one activity to the road map first.")})
    program.status = ProgramStatus.APPROVED
    program.approved_by, program.approved_on = user, today
    program.save(update_fields=["status", "approved_by", "approved_on", "updated_at"])
    return program


@transaction.atomic
def program_start(*, user, program: Program) -> Program:
    """The mentor or the curator starts an approved program (never the mentee herself)."""
    require(can_run_program(user, program))
    program = _locked(program)
    if program.status != ProgramStatus.APPROVED:
        raise ValidationError(
            {"status": changed_meanwhile(_("Only an approved program is started."))}
        )
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
    """Close a program in progress with the results per deficit and both conclusions: the
    mentor or the curator; the mentee's conclusion is hers (`program_mentee_conclusion`)."""
    require(can_run_program(user, program))
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
    if today > timezone.localdate():
        errors["status"] = [_("A program cannot be completed on a date in the future.")]
    open_activities = program.activities.exclude(status__in=CLOSED_ACTIVITY_STATUSES).count()
    if open_activities:
        errors["status"] = [
            ngettext(
                "%(count)d road-map activity is still planned: mark it done, cancelled or "
                "carried over first.",
                "%(count)d road-map activities are still planned: mark them done, cancelled or "
                "carried over first.",
                open_activities,
            )
            % {"count": open_activities}
        ]
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


@transaction.atomic
def program_mentee_conclusion(*, user, program: Program, text: str) -> Program:
    """The mentee writes her own conclusion on a program in progress; nothing else changes."""
    require(is_program_mentee(user, program))
    program = _locked(program)
    if program.status != ProgramStatus.IN_PROGRESS:
        raise ValidationError(_("The conclusion is written while the program is in progress."))
    if not text.strip():
        raise ValidationError({"mentee_conclusion": [_("The mentee's conclusion is required.")]})
    program.mentee_conclusion = text.strip()
    program.save(update_fields=["mentee_conclusion", "updated_at"])
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
    meetings: list | None = None  # meetings of the pair that served it; None leaves them


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
    if (
        data.status == ActivityStatus.DONE
        and data.planned_on
        and data.planned_on > timezone.localdate()
    ):
        errors["planned_on"] = [
            _(
                "An activity cannot be done on a date in the future: put the date it was "
                "actually done."
            )
        ]
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


def _link_meetings(activity: Activity, program: Program, data: ActivityData) -> None:
    """Link the meetings that served the activity; only the program's own pair's meetings."""
    if data.meetings is None:
        return
    if any(meeting.pair_id != program.pair_id for meeting in data.meetings):
        raise ValidationError({"meetings": _("Only meetings of this pair can be linked.")})
    activity.meetings.set(data.meetings)


@transaction.atomic
def activity_add(*, user, program: Program, data: ActivityData) -> Activity:
    require(can_edit_program(user, program))
    program = _locked(program)
    _check_activity(program, data)
    activity = Activity(program=program)
    _apply_activity(activity, data)
    activity.save()
    _link_meetings(activity, program, data)
    return activity


@transaction.atomic
def activity_update(*, user, activity: Activity, data: ActivityData) -> Activity:
    program = _locked(activity.program)
    require(can_edit_program(user, program))
    _check_activity(program, data)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _apply_activity(activity, data)
    activity.save()
    _link_meetings(activity, program, data)
    return activity


@transaction.atomic
def program_correct(
    *, user, program: Program, text: str, basis: str, made_on: datetime.date
) -> ProgramCorrection:
    """Record a correction of a program (after diagnostics, e.g. by the council of mentors'
    decision): the program's curator or mentor only, and not after it is completed."""
    require(can_edit_program(user, program))
    if program.status == ProgramStatus.COMPLETED:
        raise ValidationError(_("A completed program cannot be corrected."))
    if not text.strip():
        raise ValidationError({"text": _("Describe the correction.")})
    return ProgramCorrection.objects.create(
        program=program, made_on=made_on, text=text.strip(), basis=basis.strip(), made_by=user
    )
