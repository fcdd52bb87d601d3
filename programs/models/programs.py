"""Personalized mentoring programs (3 months to 1 year) and their road maps."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.choices import choice_label
from core.uploads import UploadTo
from core.urls import reverse_pk
from mentoring.models import FormType, Meeting, MentoringForm, Pair
from orgs.models import Person
from orgs.visibility import REGION_WIDE

from .access import mentee_program_q
from .reference import DifficultyArea, ProductKind


class ProgramStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    APPROVED = "approved", _("approved")
    IN_PROGRESS = "in_progress", _("in progress")
    COMPLETED = "completed", _("completed")


class ProgramQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProgramQuerySet:
        q = mentee_program_q(
            user,
            organization="pair__organization",
            mentee="mentee_id",
            mentor="pair__mentor_id",
            model=Program,
        )
        return self if q is None else self.filter(q)

    def for_list(self, today: datetime.date) -> ProgramQuerySet:
        return (
            self.select_related("pair__mentor", "pair__organization", "mentee")
            .annotate(**activity_columns(today))
            .order_by("-starts_on", "pk")
        )


def activity_columns(today: datetime.date) -> dict:
    """Activities, done and overdue of each program as correlated subqueries: computed after
    ORDER BY … LIMIT for the programs of the page only, from the index on
    (program, status, planned_on), instead of a GROUP BY over every visible activity."""

    def count(**conditions):
        rows = (
            Activity.objects.filter(program_id=OuterRef("pk"), **conditions)
            .order_by()
            .values("program_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(rows, output_field=models.IntegerField()), 0)

    return {
        "activity_count": count(),
        "done_count": count(status="done"),
        "overdue_count": count(status="planned", planned_on__lt=today),
    }


class Program(models.Model):
    """A personalized mentoring program for one mentee of a pair or group."""

    pair = models.ForeignKey(
        Pair, on_delete=models.PROTECT, related_name="programs", verbose_name=_("pair or group")
    )
    mentee = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="programs", verbose_name=_("mentee")
    )
    form = models.ForeignKey(
        MentoringForm,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"type": FormType.FORM},
        verbose_name=_("form"),
    )
    kind = models.ForeignKey(
        MentoringForm,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"type": FormType.KIND},
        verbose_name=pgettext_lazy("mentoring", "kind"),
    )
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    goals = models.TextField(_("goals and tasks"))
    directions = models.TextField(
        _("directions"), blank=True, help_text=_("Directions of the mentoring work.")
    )
    areas = models.ManyToManyField(
        DifficultyArea, through="ProgramArea", related_name="+", verbose_name=_("areas")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ProgramStatus.choices, default=ProgramStatus.DRAFT
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    mentor_conclusion = models.TextField(_("mentor's conclusion"), blank=True)
    mentee_conclusion = models.TextField(_("mentee's conclusion"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        verbose_name = _("personalized program")
        verbose_name_plural = _("personalized programs")
        ordering = ["-starts_on", "pk"]
        indexes = [
            # The region-wide list, newest first (orgs.visibility.region_wide).
            models.Index(
                fields=["-starts_on", "id"], condition=REGION_WIDE, name="program_region_recent"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["pair", "mentee"],
                name="program_unique_mentee",
                violation_error_message=_("This mentee already has a program in this pair."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")),
                name="program_end_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_on__isnull=False),
                name="program_completed_has_date",
                violation_error_message=_("A completed program has its completion date."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Program of %(name)s") % {"name": self.mentee})

    def get_absolute_url(self) -> str:
        return reverse_pk("programs:program_detail", self.pk)

    @property
    def status_label(self) -> str:
        """`get_status_display()` without its per-call rebuild of the choices (lists)."""
        return choice_label(ProgramStatus, self.status)

    def get_additional_data(self) -> dict:
        """Stored with every audit entry, so the coordinator's log can be scoped."""
        return {"person_id": self.mentee_id, "organization_id": self.pair.organization_id}

    @property
    def is_editable(self) -> bool:
        return self.status == ProgramStatus.DRAFT

    @property
    def road_map_open(self) -> bool:
        return self.status != ProgramStatus.COMPLETED


class AreaRole(models.TextChoices):
    DEFICIT = "deficit", _("deficit")
    STRENGTH = "strength", _("strength")


class ProgramArea(models.Model):
    """A deficit the program addresses or a strength it supports, with the closing result."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="area_rows", verbose_name=_("program")
    )
    area = models.ForeignKey(
        DifficultyArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    role = models.CharField(_("role"), max_length=8, choices=AreaRole.choices)
    result = models.TextField(_("result"), blank=True)

    class Meta:
        verbose_name = _("area of a program")
        verbose_name_plural = _("areas of programs")
        ordering = ["role", "area__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "area"],
                name="program_area_unique",
                violation_error_message=_("This area is already in the program."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.area} ({self.get_role_display()})"


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")
    CARRIED_OVER = "carried", _("carried over")


# An activity is closed when it is done, cancelled or explicitly carried over (to the next
# program or route); a program is completed only when all its activities are closed.
CLOSED_ACTIVITY_STATUSES = (
    ActivityStatus.DONE,
    ActivityStatus.CANCELLED,
    ActivityStatus.CARRIED_OVER,
)


class Responsible(models.TextChoices):
    MENTOR = "mentor", _("mentor")
    MENTEE = "mentee", _("mentee")
    BOTH = "both", _("mentor and mentee")
    CURATOR = "curator", _("curator")


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, user) -> ActivityQuerySet:
        return self.filter(program__in=Program.objects.visible_to(user))

    def overdue(self, today: datetime.date) -> ActivityQuerySet:
        """Planned and past their date: derived, never stored."""
        return self.filter(status=ActivityStatus.PLANNED, planned_on__lt=today)

    def with_overdue(self, today: datetime.date) -> ActivityQuerySet:
        return self.annotate(
            is_overdue=ExpressionWrapper(
                Case(
                    When(status=ActivityStatus.PLANNED, planned_on__lt=today, then=Value(True)),
                    default=Value(False),
                ),
                output_field=BooleanField(),
            )
        )


class Activity(models.Model):
    """A road-map activity: what, when, who is responsible, the deficit it targets, the result."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="activities", verbose_name=_("program")
    )
    title = models.CharField(_("activity"), max_length=500)
    planned_on = models.DateField(_("planned date"))
    responsible = models.CharField(
        _("responsible"), max_length=8, choices=Responsible.choices, default=Responsible.BOTH
    )
    area = models.ForeignKey(
        DifficultyArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deficit addressed"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    result = models.TextField(_("result"), blank=True)
    file = models.FileField(
        _("product file"), upload_to=UploadTo("programs/activities"), blank=True, max_length=200
    )
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    product_kind = models.CharField(
        _("kind of product"), max_length=16, choices=ProductKind.choices, blank=True
    )
    meetings = models.ManyToManyField(
        Meeting,
        blank=True,
        related_name="activities",
        verbose_name=_("meetings it was worked on"),
        help_text=_("Meetings of the pair that served this activity."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("road-map activity")
        verbose_name_plural = _("road-map activities")
        ordering = ["planned_on", "pk"]
        indexes = [
            # A program's counts by status and its overdue activities (planned, past the date),
            # reached from the scope's programs. No index on (status, planned_on) alone: it
            # would lure the scoped drill-down into reading the whole region in date order.
            models.Index(
                fields=["program", "status", "planned_on"], name="activity_program_status"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_overdue(self, today: datetime.date) -> bool:
        annotated = getattr(self, "is_overdue", None)
        if annotated is not None:
            return annotated
        return self.status == ActivityStatus.PLANNED and self.planned_on < today


class ProgramCorrection(models.Model):
    """A dated correction of a program after diagnostics, and on what basis it was made
    («по решению МО, протокол № 2 от 14.11.2026»). Never edited afterwards."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("program")
    )
    made_on = models.DateField(_("date"))
    text = models.TextField(_("what is corrected"))
    basis = models.CharField(_("basis"), max_length=300, blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("made by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("correction of a program")
        verbose_name_plural = _("corrections of programs")
        ordering = ["made_on", "pk"]

    def __str__(self) -> str:
        return f"{self.made_on:%d.%m.%Y} {self.basis}".strip()
