"""The bank of best practices: pedagogical products accepted by the council of mentors."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.text import normalize
from core.uploads import UploadTo
from orgs.models import Organization, Person, Position, committee_q, user_scope

from .access import municipalities_of
from .programs import Activity
from .reference import DifficultyArea, ProductKind
from .routes import RouteItem


class ProductStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")


class ProductQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProductQuerySet:
        """Accepted products for every user of the municipality; the rest for the author, the
        proposer, the organization's head and curator, and the committee."""
        scope = user_scope(user)
        if scope.is_superuser:
            return self
        q = Q(
            status=ProductStatus.ACCEPTED,
            organization__municipality_id__in=municipalities_of(user),
        )
        q |= committee_q(scope, "organization__")
        q |= Q(organization_id__in=scope.managed_organizations)
        if scope.person_id:
            q |= Q(author_id=scope.person_id)
        if user.is_authenticated:
            q |= Q(proposed_by=user)
        return self.filter(q)

    def accepted(self) -> ProductQuerySet:
        return self.filter(status=ProductStatus.ACCEPTED)

    def for_list(self) -> ProductQuerySet:
        return self.select_related("area", "organization", "position", "author").order_by(
            "-proposed_at", "pk"
        )


class Product(models.Model):
    """A pedagogical product from a program's activity or a route's item, offered to the bank."""

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind of product"), max_length=16, choices=ProductKind.choices)
    description = models.TextField(_("description"), blank=True)
    file = models.FileField(_("file"), upload_to=UploadTo("programs/bank"), max_length=200)
    file_name = models.CharField(_("file name"), max_length=255)
    area = models.ForeignKey(
        DifficultyArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area"),
    )
    author = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="products", verbose_name=_("author")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("organization"),
    )
    position = models.ForeignKey(
        Position,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author's position"),
    )
    activity = models.OneToOneField(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="product",
        verbose_name=_("road-map activity"),
    )
    route_item = models.OneToOneField(
        RouteItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="product",
        verbose_name=_("route item"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ProductStatus.choices, default=ProductStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("council's note"), blank=True)
    # Title and description as core.text.normalize gives them, so the search ignores case and
    # «ё»/«е» whatever the database's locale is (as Person.search_key does for names).
    search_key = models.TextField(editable=False, db_collation="C", default="")

    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("best practice")
        verbose_name_plural = _("bank of best practices")
        ordering = ["-proposed_at", "pk"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.search_key = product_search_key(self.title, self.description)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("programs:product_detail", args=[self.pk])


def product_search_key(title: str, description: str) -> str:
    return normalize(f"{title} {description}")
