"""The public «Наставничество» pages (anonymous, cached, indexable) and their editing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from core.idempotency import add_token
from core.views import run_action, save_form
from mentoring.forms import staff_of
from orgs.models import Municipality, Organization, scope_municipalities
from public import queries as selectors
from public import services
from public.forms import NewsForm, PageForm
from public.models import PublicationConsent, PublicPage

CACHE_SECONDS = 300


def _cached_page(request, page: PublicPage, template: str, build) -> HttpResponse:
    """The rendered page, kept until the page or anything it shows changes (or 5 minutes)."""
    key = f"public:html:{page.pk}:{page.updated_at.timestamp()}:{services.page_version()}"
    html = cache.get(key)
    if html is None:
        html = render_to_string(template, build(), request=None)
        cache.set(key, html, CACHE_SECONDS)
    response = HttpResponse(html)
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response


def index(request):
    pages = PublicPage.objects.filter(organization=None).select_related("municipality")
    return render(request, "public/index.html", {"pages": pages})


def committee(request, municipality: str):
    page = get_object_or_404(
        PublicPage.objects.select_related("municipality"), slug=municipality, organization=None
    )
    return _cached_page(
        request,
        page,
        "public/committee.html",
        lambda: selectors.committee_context(page, timezone.localdate()),
    )


def organization(request, municipality: str, organization: str):
    committee_page = get_object_or_404(PublicPage, slug=municipality, organization=None)
    page = get_object_or_404(
        PublicPage.objects.select_related("organization", "municipality"),
        municipality_id=committee_page.municipality_id,
        slug=organization,
        organization__isnull=False,
    )
    return _cached_page(
        request,
        page,
        "public/organization.html",
        lambda: selectors.organization_context(page, timezone.localdate()),
    )


def _edit(request, page: PublicPage, public_url: str, back_url: str):
    if not services.can_edit_page(request.user, page):
        raise PermissionDenied
    form = PageForm(request.POST if "save_page" in request.POST else None, instance=page)
    news_form = NewsForm(
        request.POST if "add_news" in request.POST else None,
        initial={"published_on": timezone.localdate()},
    )
    add_token(news_form)
    if "save_page" in request.POST:
        if response := save_form(
            request,
            form,
            lambda: services.page_update(
                user=request.user,
                page=page,
                data=services.PageData(
                    form.cleaned_data["intro"],
                    form.cleaned_data["documents"],
                    form.cleaned_data["contacts"],
                ),
            ),
            gettext("The public page is saved."),
            redirect_to=request.path,
        ):
            return response
    elif "add_news" in request.POST:
        if response := save_form(
            request,
            news_form,
            lambda: services.news_add(user=request.user, page=page, **news_form.cleaned_data),
            gettext("The news item is published."),
            redirect_to=request.path,
        ):
            return response
    return render(
        request,
        "public/edit.html",
        {
            "page": page,
            "form": form,
            "news_form": news_form,
            "news": page.news.filter(archived_on__isnull=True)[:20],
            "public_url": public_url,
            "back_url": back_url,
        },
    )


@login_required
def organization_edit(request, pk: int):
    organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)
    if not request.user.can_manage_staff(organization):
        raise PermissionDenied
    page = services.organization_page(organization)
    committee_page = services.committee_page(organization.municipality)
    return _edit(
        request,
        page,
        reverse("public:organization", args=[committee_page.slug, page.slug]),
        organization.get_absolute_url(),
    )


@login_required
def committee_edit(request, pk: int):
    """The coordinator edits the committee's page; outside one's municipality it is 404."""
    scope = request.user.scope
    municipality = get_object_or_404(
        Municipality.objects.all()
        if scope.is_superuser
        else Municipality.objects.filter(pk__in=scope_municipalities(scope)),
        pk=pk,
    )
    page = services.committee_page(municipality)
    return _edit(request, page, reverse("public:committee", args=[page.slug]), reverse("home"))


@login_required
def consents(request, pk: int):
    """The organization's staff and their consent to publication, for the curator to record."""
    organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)
    if not request.user.can_manage_staff(organization):
        raise PermissionDenied
    consent = PublicationConsent.objects.active().filter(person_id=OuterRef("pk"))
    people = staff_of([organization]).annotate(consented=Exists(consent))
    return render(request, "public/consents.html", {"organization": organization, "people": people})


@login_required
@require_POST
def consent_set(request, pk: int, person: int):
    organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)
    if not request.user.can_manage_staff(organization):
        raise PermissionDenied
    person_obj = get_object_or_404(staff_of([organization]), pk=person)
    given = request.POST.get("given") == "1"
    services.consent_set(user=request.user, person=person_obj, given=given, on=timezone.localdate())
    message = (
        gettext("%(name)s: the consent to publication is recorded.")
        if given
        else gettext("%(name)s: the consent to publication is withdrawn.")
    )
    messages.success(request, message % {"name": person_obj.full_name})
    return redirect("public:consents", pk=organization.pk)


def _page_edit_url(page: PublicPage) -> str:
    if page.organization_id is None:
        return reverse("public:committee_edit", args=[page.municipality_id])
    return reverse("public:organization_edit", args=[page.organization_id])


@login_required
def news_edit(request, pk: int):
    item = services.news_for(request.user, pk)
    back_url = _page_edit_url(item.page)
    form = NewsForm(
        request.POST or None,
        initial={"title": item.title, "body": item.body, "published_on": item.published_on},
    )
    if response := save_form(
        request,
        form,
        lambda: services.news_update(user=request.user, item=item, **form.cleaned_data),
        gettext("Changes are saved."),
        redirect_to=back_url,
    ):
        return response
    return render(
        request,
        "public/news_form.html",
        {"form": form, "item": item, "back_url": back_url},
    )


@login_required
@require_POST
def news_archive(request, pk: int):
    item = services.news_for(request.user, pk)
    run_action(
        request,
        lambda: services.news_archive(user=request.user, item=item, today=timezone.localdate()),
        lambda: gettext("The news item is taken off the page and kept in the archive."),
    )
    return redirect(_page_edit_url(item.page))
