"""Writes of the public pages: the page content, news, consents to publication."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from core.permissions import require
from orgs.models import (
    Employment,
    Municipality,
    Organization,
    Person,
    scope_municipalities,
    user_scope,
)
from public.models import NewsItem, PublicationConsent, PublicPage

VERSION_KEY = "public:version"

TRANSLIT = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
        "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
        "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts",
        "ч": "ch", "ш": "sh", "щ": "sch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
        "я": "ya", "№": "n",
    }
)  # fmt: skip


def slug_for(name: str) -> str:
    """A Latin address from a Russian name: «Змеиногорская СОШ № 3» → zmeinogorskaya-sosh-n-3."""
    return slugify(name.lower().translate(TRANSLIT))[:80] or "page"


def bump_version() -> None:
    """Every change to what the public pages show renews their cache."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, None)


def page_version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, None)


def _unique_slug(municipality: Municipality, name: str) -> str:
    base = slug_for(name)
    slug, number = base, 2
    while PublicPage.objects.filter(municipality=municipality, slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def committee_page(municipality: Municipality) -> PublicPage:
    page = PublicPage.objects.filter(municipality=municipality, organization=None).first()
    if page is None:
        page = PublicPage.objects.create(
            municipality=municipality, slug=_unique_slug(municipality, municipality.name)
        )
    return page


def organization_page(organization: Organization) -> PublicPage:
    page = PublicPage.objects.filter(organization=organization).first()
    if page is None:
        committee_page(organization.municipality)
        page = PublicPage.objects.create(
            municipality=organization.municipality,
            organization=organization,
            slug=_unique_slug(organization.municipality, organization.short_name),
        )
    return page


def can_edit_page(user, page: PublicPage) -> bool:
    """The curator (and the head) edit their organization's page, the coordinator the
    committee's."""
    scope = user_scope(user)
    if scope.is_superuser:
        return True
    if page.organization_id is None:
        return page.municipality_id in scope.coordinated_municipalities
    return page.organization_id in scope.managed_organizations


@dataclass
class PageData:
    intro: str
    documents: str
    contacts: str


@transaction.atomic
def page_update(*, user, page: PublicPage, data: PageData) -> PublicPage:
    require(can_edit_page(user, page))
    page.intro, page.documents, page.contacts = (
        data.intro.strip(),
        data.documents.strip(),
        data.contacts.strip(),
    )
    page.updated_by = user
    page.save()
    transaction.on_commit(bump_version)
    return page


@transaction.atomic
def news_add(
    *, user, page: PublicPage, title: str, body: str, published_on: datetime.date
) -> NewsItem:
    require(can_edit_page(user, page))
    if not title.strip() or not body.strip():
        raise ValidationError({"title": _("Give the title and the text.")})
    item = NewsItem.objects.create(
        page=page, title=title.strip(), body=body.strip(), published_on=published_on
    )
    transaction.on_commit(bump_version)
    return item


@transaction.atomic
def news_update(
    *, user, item: NewsItem, title: str, body: str, published_on: datetime.date
) -> NewsItem:
    require(can_edit_page(user, item.page))
    if not title.strip() or not body.strip():
        raise ValidationError({"title": _("Give the title and the text.")})
    item.title, item.body, item.published_on = title.strip(), body.strip(), published_on
    item.save()
    transaction.on_commit(bump_version)
    return item


@transaction.atomic
def news_archive(*, user, item: NewsItem, today: datetime.date) -> NewsItem:
    """Take a news item off the public page; it is kept (archived, not deleted)."""
    require(can_edit_page(user, item.page))
    if item.archived_on is None:
        item.archived_on = today
        item.save(update_fields=["archived_on"])
        transaction.on_commit(bump_version)
    return item


def news_for(user, pk: int, *, edit: bool = True) -> NewsItem:
    """A news item of a page whose organization (or municipality) the user sees: else 404;
    seen but not editable: 403."""
    scope = user_scope(user)
    items = NewsItem.objects.select_related("page__organization", "page__municipality")
    if not scope.is_superuser:
        items = items.filter(
            Q(
                page__organization__isnull=True,
                page__municipality_id__in=scope_municipalities(scope),
            )
            | Q(page__organization__in=Organization.objects.visible_to(user))
        )
    item = get_object_or_404(items, pk=pk)
    if edit:
        require(can_edit_page(user, item.page))
    return item


def can_record_consent(user, person: Person) -> bool:
    """The head or curator of an organization where the person works."""
    scope = user_scope(user)
    if scope.is_superuser:
        return True
    return (
        Employment.objects.active()
        .filter(person=person, organization_id__in=scope.managed_organizations)
        .exists()
    )


@transaction.atomic
def consent_set(*, user, person: Person, given: bool, on: datetime.date) -> PublicationConsent:
    """Record the person's written consent to publication, or its withdrawal."""
    require(can_record_consent(user, person))
    consent, _created = PublicationConsent.objects.select_for_update().get_or_create(
        person=person, defaults={"given_on": on, "recorded_by": user}
    )
    if given:
        if not _created:
            consent.given_on, consent.withdrawn_on = on, None
    else:
        consent.withdrawn_on = on
    consent.recorded_by = user
    consent.save()
    transaction.on_commit(bump_version)
    return consent
