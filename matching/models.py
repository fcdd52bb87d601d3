"""Choosing a mentor and watching the pair afterwards: the municipality's weights of the
suggestions, and the escalations of quiet pairs already told to someone."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mentoring.models import Pair
from orgs.models import Municipality


class MatchWeights(models.Model):
    """The coordinator's weights of the suggestion score for a municipality; without a row
    the defaults of `matching.suggestions.DEFAULT_WEIGHTS` apply."""

    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.CASCADE,
        related_name="match_weights",
        verbose_name=_("municipality"),
    )
    deficit = models.PositiveSmallIntegerField(
        _("each deficit the mentor is strong in"), default=30
    )
    subject = models.PositiveSmallIntegerField(_("same subject"), default=15)
    position_group = models.PositiveSmallIntegerField(_("same position group"), default=5)
    organization_kind = models.PositiveSmallIntegerField(_("same kind of organization"), default=10)
    experience = models.PositiveSmallIntegerField(_("long experience"), default=10)
    category = models.PositiveSmallIntegerField(_("high qualification category"), default=10)
    free_capacity = models.PositiveSmallIntegerField(_("free places"), default=10)
    form_fit = models.PositiveSmallIntegerField(_("fits the form and kind"), default=25)
    same_organization = models.PositiveSmallIntegerField(
        _("same organization (in person)"), default=15
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("weights of mentor suggestions")
        verbose_name_plural = _("weights of mentor suggestions")

    def __str__(self) -> str:
        return str(self.municipality)


class AlertLevel(models.TextChoices):
    """Who is told about a pair without meetings, and after how many days."""

    MENTOR = "mentor", _("mentor")
    CURATOR = "curator", _("curator")
    HEAD = "head", _("head of organization")


class HealthAlertQuerySet(models.QuerySet):
    def current(self) -> HealthAlertQuerySet:
        """Alerts of pairs still active; a later meeting starts a new quiet spell."""
        return self.filter(pair__status="active")


class HealthAlert(models.Model):
    """One escalation of a quiet pair told to one user, once per quiet spell (the spell is
    named by the day it began: the last meeting or the start)."""

    pair = models.ForeignKey(
        Pair, on_delete=models.CASCADE, related_name="health_alerts", verbose_name=_("pair")
    )
    level = models.CharField(_("who is told"), max_length=8, choices=AlertLevel.choices)
    quiet_since = models.DateField(_("without meetings since"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="health_alerts",
        verbose_name=_("user"),
    )
    created_on = models.DateField(_("raised on"))
    emailed_at = models.DateTimeField(_("sent in a letter"), null=True, blank=True)

    objects = HealthAlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("alert about a quiet pair")
        verbose_name_plural = _("alerts about quiet pairs")
        ordering = ["-created_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pair", "level", "quiet_since", "user"],
                name="health_alert_once",
                violation_error_message=_("This user was already told about this pair."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.pair}: {self.get_level_display()}"
