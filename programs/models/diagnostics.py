"""Diagnostics of professional difficulties: self-assessment and the mentor's, start and end."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mentoring.models import Pair
from orgs.models import Person

from .access import mentee_program_q
from .reference import DifficultyItem, Score


class Stage(models.TextChoices):
    START = "start", _("at the start")
    END = "end", _("at the end")


class Respondent(models.TextChoices):
    SELF = "self", _("self-assessment")
    MENTOR = "mentor", _("mentor's assessment")


class DiagnosticQuerySet(models.QuerySet):
    def visible_to(self, user) -> DiagnosticQuerySet:
        q = mentee_program_q(
            user,
            organization="pair__organization",
            mentee="mentee_id",
            mentor="pair__mentor_id",
            model=Diagnostic,
        )
        return self if q is None else self.filter(q)


class Diagnostic(models.Model):
    """One filled questionnaire about a mentee of a pair: who answered, and when."""

    pair = models.ForeignKey(
        Pair, on_delete=models.PROTECT, related_name="diagnostics", verbose_name=_("pair")
    )
    mentee = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="diagnostics", verbose_name=_("mentee")
    )
    stage = models.CharField(_("stage"), max_length=8, choices=Stage.choices)
    respondent = models.CharField(_("who assesses"), max_length=8, choices=Respondent.choices)
    filled_on = models.DateField(_("filled on"))
    filled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("filled by"),
    )
    comment = models.TextField(_("comment"), blank=True)

    objects = DiagnosticQuerySet.as_manager()

    class Meta:
        verbose_name = _("diagnostics")
        verbose_name_plural = _("diagnostics")
        ordering = ["pair", "mentee", "stage", "respondent"]
        constraints = [
            models.UniqueConstraint(
                fields=["pair", "mentee", "stage", "respondent"],
                name="diagnostic_unique_stage",
                violation_error_message=_("This questionnaire is already filled."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.mentee}: {self.get_stage_display()}, {self.get_respondent_display()}"

    def get_absolute_url(self) -> str:
        return reverse("programs:diagnostic_result", args=[self.pair_id, self.mentee_id])

    def get_additional_data(self) -> dict:
        return {"person_id": self.mentee_id, "organization_id": self.pair.organization_id}


class Answer(models.Model):
    diagnostic = models.ForeignKey(
        Diagnostic, on_delete=models.CASCADE, related_name="answers", verbose_name=_("diagnostics")
    )
    item = models.ForeignKey(
        DifficultyItem, on_delete=models.PROTECT, related_name="answers", verbose_name=_("item")
    )
    score = models.PositiveSmallIntegerField(_("score"), choices=Score.choices)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["diagnostic", "item"],
                name="answer_unique_item",
                violation_error_message=_("This item is already answered."),
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=4),
                name="answer_score_range",
                violation_error_message=_("The score is from 1 to 4."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.score}"
