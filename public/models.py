"""The public «Наставничество» pages of the committee and of each organization (order point 4,
5.2; the curator's duty in 4.1.3), and the consent to publication of personal data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from orgs.models import Municipality, Organization, Person


class PublicPage(models.Model):
    """The content the coordinator (committee page) or the curator (organization page) edits."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    organization = models.OneToOneField(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="public_page",
        verbose_name=_("organization"),
    )
    slug = models.SlugField(
        _("address"), max_length=80, help_text=_("The stable part of the page's address.")
    )
    intro = models.TextField(_("about mentoring here"), blank=True)
    documents = models.TextField(
        _("documents"),
        blank=True,
        help_text=_(
            "One a line: the title, then « — » and the link, e.g. «Приказ № 182 — https://…»."
        ),
    )
    contacts = models.TextField(
        _("contacts"), blank=True, help_text=_("The coordinator's or the curator's contacts.")
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("public page")
        verbose_name_plural = _("public pages")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality"],
                condition=Q(organization__isnull=True),
                name="public_page_one_committee_page",
            ),
            models.UniqueConstraint(
                fields=["municipality", "slug"],
                name="public_page_unique_slug",
                violation_error_message=_("This address is taken."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.organization or self.municipality)

    def document_links(self) -> list[tuple[str, str]]:
        """(title, url) of each line of `documents`; a line without a link has url ""."""
        links = []
        for line in self.documents.splitlines():
            title, _sep, url = line.strip().rpartition(" — ")
            if not title:
                title, url = url, ""
            if url and not url.startswith(("https://", "http://", "/")):
                title, url = line.strip(), ""
            if title:
                links.append((title, url))
        return links


class NewsItem(models.Model):
    """News of an organization's (or the committee's) mentoring, published by its curator."""

    page = models.ForeignKey(
        PublicPage, on_delete=models.CASCADE, related_name="news", verbose_name=_("page")
    )
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"))
    published_on = models.DateField(_("date"))
    archived_on = models.DateField(
        _("archived on"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("An archived news item is kept but no longer shown."),
    )

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news")
        ordering = ["-published_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class ConsentQuerySet(models.QuerySet):
    def active(self) -> ConsentQuerySet:
        return self.filter(withdrawn_on__isnull=True)


class PublicationConsent(models.Model):
    """A person's consent to the publication (распространение) of their name and subjects on
    the public pages: 152-ФЗ art. 10.1 wants it separate from the consent to processing."""

    person = models.OneToOneField(
        Person,
        on_delete=models.CASCADE,
        related_name="publication_consent",
        verbose_name=_("teacher"),
    )
    given_on = models.DateField(_("given on"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent to publication")
        verbose_name_plural = _("consents to publication")

    def __str__(self) -> str:
        return str(self.person)

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None


def page_url(page: PublicPage, committee_slug: str) -> str:
    if page.organization_id is None:
        return reverse("public:committee", args=[page.slug])
    return reverse("public:organization", args=[committee_slug, page.slug])
