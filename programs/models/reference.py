"""The areas of professional difficulties and their items (reference data the coordinator edits)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Score(models.IntegerChoices):
    """The diagnostic scale: how freely the teacher handles an item."""

    SERIOUS = 1, _("1 — serious difficulties")
    SOME = 2, _("2 — some difficulties")
    MOSTLY = 3, _("3 — mostly cope")
    FREELY = 4, _("4 — cope freely")


# A mean below this marks a deficit, at or above STRENGTH_FROM a strength.
DEFICIT_BELOW = 2.5
STRENGTH_FROM = 3.5


class DifficultyAreaQuerySet(models.QuerySet):
    def active(self) -> DifficultyAreaQuerySet:
        return self.filter(is_active=True)

    def with_items(self) -> DifficultyAreaQuerySet:
        return self.prefetch_related(
            models.Prefetch(
                "items",
                queryset=DifficultyItem.objects.filter(is_active=True).order_by("sort_order", "pk"),
                to_attr="active_items",
            )
        )


class DifficultyArea(models.Model):
    """An area of professional difficulties (4.2): научно-теоретические, методические, …"""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(pgettext_lazy("title", "name"), max_length=200)
    sort_order = models.PositiveSmallIntegerField(pgettext_lazy("sort order", "order"), default=0)
    is_active = models.BooleanField(
        _("in use"), default=True, help_text=_("An area no longer in use stays in old records.")
    )

    objects = DifficultyAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("area of difficulties")
        verbose_name_plural = _("areas of difficulties")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.name


class DifficultyItem(models.Model):
    """One question of the diagnostics inside an area."""

    area = models.ForeignKey(
        DifficultyArea, on_delete=models.CASCADE, related_name="items", verbose_name=_("area")
    )
    text = models.CharField(_("item"), max_length=300)
    sort_order = models.PositiveSmallIntegerField(pgettext_lazy("sort order", "order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("diagnostic item")
        verbose_name_plural = _("diagnostic items")
        ordering = ["area__sort_order", "sort_order", "pk"]

    def __str__(self) -> str:
        return self.text


class ProductKind(models.TextChoices):
    """Kinds of pedagogical products (4.2): what an activity or a route item produced."""

    LESSON = "lesson", _("lesson or class plan")
    RECOMMENDATION = "recommendation", _("methodological recommendation")
    SCENARIO = "scenario", _("scenario of an educational event")
    DIAGNOSTICS = "diagnostics", _("package of pedagogical diagnostics")
    TECHNOLOGY = "technology", _("technology or method")
    PROJECT = "project", _("project or research")
    OTHER = "other", _("other")
