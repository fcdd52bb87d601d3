"""Individual educational routes (ИОМ, 4–5 years) with their road maps and dated corrections."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.uploads import UploadTo
from mentoring.models import PairMentee, PairStatus
from orgs.models import Organization, Person, committee_q, user_scope

from .programs import ActivityStatus
from .reference import DifficultyArea, ProductKind


class RouteStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    ACTIVE = "active", _("being implemented")
    COMPLETED = "completed", _("completed")


class RouteQuerySet(models.QuerySet):
    def visible_to(self, user) -> RouteQuerySet:
        """The teacher, heads and curators of the organization, the committee over it, and the
        mentor of an active pair the teacher is a mentee of (to read: `can_edit_route`)."""
        scope = user_scope(user)
        if scope.is_superuser:
            return self
        q = committee_q(scope, "organization__") | Q(
            organization_id__in=scope.managed_organizations
        )
        if scope.person_id:
            q |= Q(person_id=scope.person_id)
            # Only while the pair is active: a draft is not yet fixed by the head's order, and
            # an ended pair no longer gives the mentor a reason to read the teacher's deficits.
            q |= Q(
                person_id__in=PairMentee.objects.filter(
                    pair__mentor_id=scope.person_id, pair__status=PairStatus.ACTIVE
                ).values("person_id")
            )
        return self.filter(q)

    def for_list(self) -> RouteQuerySet:
        return self.select_related("person", "organization").order_by("-starts_on", "pk")


class Route(models.Model):
    """A teacher's individual educational route (ИОМ), 4.2 of the regulation."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="routes", verbose_name=_("teacher")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="routes",
        verbose_name=_("organization"),
    )
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    self_image = models.TextField(
        _("desired professional self-image"),
        help_text=_("The teacher's own description of the professional they want to become."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RouteStatus.choices, default=RouteStatus.DRAFT
    )
    closing_reflection = models.TextField(
        _("reflection on the approach to the desired self-image"), blank=True
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RouteQuerySet.as_manager()

    class Meta:
        verbose_name = _("individual educational route")
        verbose_name_plural = _("individual educational routes")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")),
                name="route_end_after_start",
                violation_error_message=_("The end must be after the start."),
            )
        ]

    def __str__(self) -> str:
        return str(_("Route of %(name)s") % {"name": self.person})

    def get_absolute_url(self) -> str:
        return reverse("programs:route_detail", args=[self.pk])


class RouteArea(models.Model):
    """Diagnostics of one area: achievements and deficits, and the closing reflection."""

    route = models.ForeignKey(
        Route, on_delete=models.CASCADE, related_name="area_rows", verbose_name=_("route")
    )
    area = models.ForeignKey(
        DifficultyArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    achievements = models.TextField(_("achievements and resources"), blank=True)
    deficits = models.TextField(_("difficulties and deficits"), blank=True)
    reflection = models.TextField(_("reflection on the results"), blank=True)

    class Meta:
        verbose_name = _("area of a route")
        verbose_name_plural = _("areas of routes")
        ordering = ["area__sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["route", "area"],
                name="route_area_unique",
                violation_error_message=_("This area is already in the route."),
            )
        ]

    def __str__(self) -> str:
        return str(self.area)


class RouteItemKind(models.TextChoices):
    COURSE = "course", _("further-training course")
    TRIAL = "trial", _("innovative trial action")
    PROJECT = "project", _("project or research")
    OTHER = "other", _("other measure")


class RouteItemQuerySet(models.QuerySet):
    def visible_to(self, user) -> RouteItemQuerySet:
        return self.filter(route__in=Route.objects.visible_to(user))


class RouteItem(models.Model):
    """A road-map item of a route: (а) course, (б) trial action, (в) project, (г) other."""

    route = models.ForeignKey(
        Route, on_delete=models.CASCADE, related_name="items", verbose_name=_("route")
    )
    kind = models.CharField(
        pgettext_lazy("route item", "kind"), max_length=8, choices=RouteItemKind.choices
    )
    title = models.CharField(_("what"), max_length=500)
    planned_start = models.DateField(_("from"))
    planned_end = models.DateField(_("to"))
    hours = models.PositiveSmallIntegerField(
        _("hours"), null=True, blank=True, help_text=_("For a further-training course.")
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
    product_kind = models.CharField(
        _("kind of product"), max_length=16, choices=ProductKind.choices, blank=True
    )
    file = models.FileField(
        _("product file"), upload_to=UploadTo("programs/routes"), blank=True, max_length=200
    )
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    own_view = models.TextField(
        _("own view of the result"),
        blank=True,
        help_text=_("What the teacher thinks of what was achieved."),
    )

    objects = RouteItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("route item")
        verbose_name_plural = _("route items")
        ordering = ["planned_start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gte=F("planned_start")),
                name="route_item_end_after_start",
                violation_error_message=_("The end of an item cannot be before its start."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class RouteVersion(models.Model):
    """A dated correction of a route: what changed and why. Never edited afterwards."""

    route = models.ForeignKey(
        Route, on_delete=models.CASCADE, related_name="versions", verbose_name=_("route")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    made_on = models.DateField(_("date"))
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("made by"),
    )
    reason = models.TextField(_("reason"))
    changes = models.JSONField(_("changes"), default=dict)

    class Meta:
        verbose_name = _("route version")
        verbose_name_plural = _("route versions")
        ordering = ["route", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["route", "number"],
                name="route_version_unique_number",
                violation_error_message=_("This version already exists."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.made_on:%d.%m.%Y})"
