"""Writes of the monitoring app: local acts, deadlines, stage-1 entries and stage-2 surveys."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from mentoring.models import academic_year_of
from monitoring.models import (
    Deadline,
    DeadlineKind,
    EnteredAs,
    LocalAct,
    Order,
    OrderPoint,
    ProgressEntry,
    Survey,
    SurveyAnswer,
    SurveyComment,
    SurveyQuestion,
    SurveyRespondent,
)
from monitoring.permissions import can_edit_acts, can_edit_deadlines, can_edit_orders
from monitoring.surveys import satisfaction_refresh
from orgs.models import Municipality
from programs.models import Program


def entry_role(user, program: Program) -> str | None:
    """As whom the user records stage-1 entries of the program: its mentor or a curator of
    the registering organization; None when they may not."""
    scope = user.scope
    if scope.person_id and scope.person_id == program.pair.mentor_id:
        return EnteredAs.MENTOR
    if scope.is_superuser or program.pair.organization_id in scope.curated_organizations:
        return EnteredAs.CURATOR
    return None


def survey_roles(user, program: Program) -> list[str]:
    """Which of the program's surveys the user fills: their own, or both for the curator (who
    enters paper questionnaires)."""
    scope = user.scope
    if scope.is_superuser or program.pair.organization_id in scope.curated_organizations:
        return [SurveyRespondent.MENTEE, SurveyRespondent.MENTOR]
    roles = []
    if scope.person_id and scope.person_id == program.mentee_id:
        roles.append(SurveyRespondent.MENTEE)
    if scope.person_id and scope.person_id == program.pair.mentor_id:
        roles.append(SurveyRespondent.MENTOR)
    return roles


# Local acts and deadlines -------------------------------------------------------------------


@transaction.atomic
def local_act_save(*, user, act: LocalAct, upload=None) -> LocalAct:
    """Save a local act of an organization the user heads or curates."""
    if not can_edit_acts(user, act.organization):
        raise PermissionDenied
    if upload is not None:
        act.file = upload
        act.file_name = upload.name[:255]
    if act.pk is None:
        act.created_by = user
    act.full_clean()
    act.save()
    return act


@transaction.atomic
def local_act_delete(*, user, act: LocalAct) -> None:
    if not can_edit_acts(user, act.organization):
        raise PermissionDenied
    if act.file:
        act.file.delete(save=False)
    act.delete()


@transaction.atomic
def deadlines_save(
    *,
    user,
    municipality: Municipality,
    year: str,
    values: dict[str, tuple[datetime.date | None, int | None]],
) -> list[Deadline]:
    """Store the year's deadlines of the municipality (kind → (due date, days))."""
    if not can_edit_deadlines(user, municipality.pk):
        raise PermissionDenied
    saved = []
    for kind, (due_on, within_days) in values.items():
        if kind == DeadlineKind.NEEDS_UPDATED:
            municipality.needs_list_period_days = within_days
            municipality.full_clean(validate_unique=False, validate_constraints=False)
            municipality.save(update_fields=["needs_list_period_days"])
            continue
        deadline, _created = Deadline.objects.update_or_create(
            municipality=municipality,
            academic_year=year,
            kind=kind,
            defaults={"due_on": due_on, "within_days": within_days},
        )
        saved.append(deadline)
    return saved


# Stage 1 and stage 2 ----------------------------------------------------------------------------


@transaction.atomic
def progress_entry_save(*, user, entry: ProgressEntry) -> ProgressEntry:
    """Record (or correct) a stage-1 entry as the program's mentor or curator."""
    role = entry_role(user, entry.program)
    if role is None:
        raise PermissionDenied
    if entry.pk is None:
        entry.entered_as = role
        entry.entered_by = user
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def survey_fill(
    *,
    user,
    program: Program,
    respondent: str,
    stage: str,
    filled_on: datetime.date,
    answers: dict[int, int],
    comment: str = "",
) -> Survey:
    """Save a stage-2 questionnaire with one answer per active question (question id → value);
    filling it again replaces the answers. The free comment is stored apart, without the
    pair or the person (`SurveyComment`)."""
    if respondent not in survey_roles(user, program):
        raise PermissionDenied
    questions = {q.pk: q for q in SurveyQuestion.objects.for_respondent(respondent)}
    missing = [q for pk, q in questions.items() if pk not in answers]
    if missing:
        raise ValidationError(gettext("Answer every question."))
    for pk, value in answers.items():
        question = questions.get(pk)
        if question is None:
            raise ValidationError(gettext("Unknown question."))
        allowed = (0, 1) if question.is_yes_no else range(1, 6)
        if value not in allowed:
            raise ValidationError(gettext("An answer is out of range."))
    survey, _created = Survey.objects.update_or_create(
        program=program,
        respondent=respondent,
        stage=stage,
        defaults={"filled_on": filled_on, "filled_by": user},
    )
    survey.answers.all().delete()
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(survey=survey, question_id=pk, value=value) for pk, value in answers.items()
    )
    satisfaction_refresh([program.pk])
    if comment.strip():
        SurveyComment.objects.create(
            organization_id=program.pair.organization_id,
            academic_year=academic_year_of(filled_on),
            text=comment.strip(),
        )
    return survey


# Orders of the committee ----------------------------------------------------------------------


def order_point_error(signed_on: datetime.date, due_on: datetime.date) -> str:
    """Why a point's deadline is refused ('' when it is fine): not before the order."""
    if due_on < signed_on:
        return gettext("A deadline cannot be before the date of the order.")
    return ""


@transaction.atomic
def order_save(
    *,
    user,
    order: Order,
    municipality: Municipality,
    organizations,
    points: dict[str, datetime.date],
) -> Order:
    """Create or change an order of the committee with its points (one deadline per kind of
    point); only the coordinator of the municipality may."""
    if not can_edit_orders(user, municipality.pk):
        raise PermissionDenied
    if order.pk and order.archived_at:
        raise ValidationError(gettext("An archived order is not changed."))
    if not points:
        raise ValidationError(gettext("Give at least one point with its deadline."))
    for due_on in points.values():
        if error := order_point_error(order.signed_on, due_on):
            raise ValidationError(error)
    taken = (
        Order.objects.select_for_update()
        .filter(municipality=municipality, number=order.number, signed_on=order.signed_on)
        .exclude(pk=order.pk)
    )
    if taken.exists():
        raise ValidationError({"number": gettext("This order is already recorded.")})
    order.municipality = municipality
    order.save()
    order.organizations.set(organizations)
    existing = {point.kind: point for point in order.points.all()}
    for kind, point in existing.items():
        if kind not in points:
            point.delete()  # a point is part of the order's text, not a personal record
    for kind, due_on in points.items():
        point = existing.get(kind)
        if point is None:
            OrderPoint.objects.create(order=order, kind=kind, due_on=due_on)
        elif point.due_on != due_on:
            point.due_on = due_on
            point.save(update_fields=["due_on"])
    return order


@transaction.atomic
def order_archive(*, user, order: Order, archived: bool = True) -> Order:
    """Archive an order (it binds nobody any more) or bring it back; never a delete."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if not can_edit_orders(user, order.municipality_id):
        raise PermissionDenied
    order.archived_at = timezone.now() if archived else None
    order.save(update_fields=["archived_at"])
    return order
