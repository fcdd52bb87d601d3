"""Individual educational routes: list, card, writing, corrections as versions, the PDF."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.idempotency import add_token
from core.listing import FilteredListView
from core.uploads import protected_file_response
from core.views import run_action, save_form
from mentoring.models import PairMentee, PairStatus
from orgs import signatories
from orgs.models import Employment, user_scope
from programs import permissions, services
from programs.filters import RouteFilter
from programs.forms import (
    RouteAreasForm,
    RouteCompleteForm,
    RouteCreateForm,
    RouteForm,
    RouteItemForm,
)
from programs.models import Route, RouteItemKind, RouteStatus
from programs.permissions import require, route_for, route_item_for

from .common import document_response, today


class RouteListView(LoginRequiredMixin, FilteredListView):
    template_name = "programs/route_list.html"
    filterset_class = RouteFilter
    export_title = _("Routes")
    export_filename = "routes.xlsx"
    export_headers = (_("Teacher"), _("Organization"), _("Start"), _("End"), _("Status"))

    def get_base_queryset(self):
        return Route.objects.visible_to(self.request.user).for_list()

    def export_row(self, route):
        return (
            str(route.person),
            route.organization.short_name,
            route.starts_on,
            route.ends_on,
            route.get_status_display(),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scope = user_scope(self.request.user)
        context["can_start_for_staff"] = bool(scope.curated_organizations)
        context["can_start_own"] = (
            not scope.curated_organizations
            and bool(scope.person_id)
            and Employment.objects.active().filter(person_id=scope.person_id).exists()
        )
        return context


@login_required
def route_create(request):
    """A teacher starts their own route (in the organization they work in); a curator starts one
    for a teacher of the working staff of the organization they curate."""
    scope = user_scope(request.user)
    staff = None
    own = None
    if scope.curated_organizations:
        staff = (
            Employment.objects.active()
            .filter(organization_id__in=scope.curated_organizations)
            .for_list()
        )
    else:
        # No teacher record (committee staff, a head who is not a curator): the page exists,
        # the capability does not.
        require(scope.person_id is not None)
        own = (
            Employment.objects.active()
            .filter(person_id=scope.person_id)
            .select_related("organization", "person")
            .first()
        )
        require(own is not None)
    starts_on, ends_on = services.route_default_period(today())
    form = RouteCreateForm(
        request.POST or None,
        initial={"starts_on": starts_on, "ends_on": ends_on},
        staff=staff,
        several_organizations=len(scope.curated_organizations) > 1,
    )
    add_token(form)

    def create() -> Route:
        employment = form.cleaned_data.get("teacher") or own
        return services.route_create(
            user=request.user,
            person=employment.person,
            organization=employment.organization,
            data=form.to_data(),
        )

    if response := save_form(request, form, create, gettext("The route is saved as a draft.")):
        return response
    return render(request, "programs/route_form.html", {"form": form})


@login_required
def route_detail(request, pk: int):
    route = route_for(request.user, pk)
    return render(
        request,
        "programs/route_detail.html",
        {
            "route": route,
            "area_rows": list(route.area_rows.select_related("area")),
            "items": list(
                route.items.select_related("area", "product").order_by(
                    "kind", "planned_start", "pk"
                )
            ),
            "versions": list(route.versions.select_related("made_by").order_by("-number")),
            "can_edit": permissions.can_edit_route(request.user, route),
            "kinds": RouteItemKind,
            "statuses": RouteStatus,
        },
    )


@login_required
def route_edit(request, pk: int):
    route = route_for(request.user, pk, edit=True)
    form = RouteForm(
        request.POST or None,
        initial={
            "starts_on": route.starts_on,
            "ends_on": route.ends_on,
            "self_image": route.self_image,
        },
    )
    if route.status == RouteStatus.DRAFT:
        form.fields.pop("reason")
    if response := save_form(
        request,
        form,
        lambda: services.route_update(
            user=request.user,
            route=route,
            data=form.to_data(),
            reason=form.cleaned_data.get("reason", ""),
            today=today(),
        ),
        gettext("Changes are saved."),
        redirect_to=route,
    ):
        return response
    return render(request, "programs/route_form.html", {"form": form, "route": route})


@login_required
def route_areas(request, pk: int):
    route = route_for(request.user, pk, edit=True)
    form = RouteAreasForm(request.POST or None, route=route)
    if route.status == RouteStatus.DRAFT:
        form.fields.pop("reason")
    if response := save_form(
        request,
        form,
        lambda: services.route_diagnose(
            user=request.user,
            route=route,
            rows=form.to_rows(),
            reason=form.cleaned_data.get("reason", ""),
            today=today(),
        ),
        gettext("Changes are saved."),
        redirect_to=route,
    ):
        return response
    return render(request, "programs/route_areas.html", {"form": form, "route": route})


def _item_form(request, route, item=None):
    form = RouteItemForm(
        request.POST or None,
        request.FILES or None,
        initial=RouteItemForm.initial_for(item) if item else {"kind": request.GET.get("kind")},
    )
    if route.status == RouteStatus.DRAFT:
        form.fields.pop("reason")
    if response := save_form(
        request,
        form,
        lambda: services.route_item_save(
            user=request.user,
            route=route,
            item=item,
            data=form.to_data(),
            reason=form.cleaned_data.get("reason", ""),
            today=today(),
        ),
        gettext("Changes are saved."),
        redirect_to=route,
    ):
        return response
    return render(
        request, "programs/route_item_form.html", {"form": form, "route": route, "item": item}
    )


@login_required
def route_item_add(request, pk: int):
    return _item_form(request, route_for(request.user, pk, edit=True))


@login_required
def route_item_edit(request, pk: int):
    item = route_item_for(request.user, pk, edit=True)
    return _item_form(request, item.route, item)


@login_required
def route_item_file(request, pk: int):
    item = route_item_for(request.user, pk)
    if not item.file:
        raise Http404
    return protected_file_response(item.file, item.file_name)


@login_required
@require_POST
def route_activate(request, pk: int):
    route = route_for(request.user, pk, edit=True)
    run_action(
        request,
        lambda: services.route_activate(user=request.user, route=route, today=today()),
        lambda: gettext("The route is being implemented; its road map is kept as version 1."),
    )
    return redirect(route)


@login_required
def route_complete(request, pk: int):
    route = route_for(request.user, pk, edit=True)
    form = RouteCompleteForm(request.POST or None, route=route)
    if response := save_form(
        request,
        form,
        lambda: services.route_complete(
            user=request.user,
            route=route,
            reflections=form.reflections(),
            closing_reflection=form.cleaned_data.get("closing_reflection", ""),
            today=today(),
        ),
        gettext("The route is completed."),
        redirect_to=route,
    ):
        return response
    return render(request, "programs/route_complete.html", {"form": form, "route": route})


def route_mentor(route):
    """The teacher's mentor over the route's period: of the pairs that work (active or
    completed) with the teacher as a mentee and overlap the route, the latest started."""
    membership = (
        PairMentee.objects.filter(
            person=route.person,
            pair__status__in=(PairStatus.ACTIVE, PairStatus.COMPLETED),
            pair__planned_start__lte=route.ends_on,
            pair__planned_end__gte=route.starts_on,
        )
        .select_related("pair__mentor")
        .order_by("-pair__planned_start", "-pk")
        .first()
    )
    return membership.pair.mentor if membership else None


def route_document_context(route) -> dict:
    items = list(route.items.select_related("area").order_by("planned_start", "pk"))
    return {
        "route": route,
        "organization": route.organization,
        "head": signatories.head_of(route.organization),
        # The mentor (when the teacher has one over the route's period) and the curator sign;
        # the teacher signs «С маршрутом ознакомлен(а)».
        "signers": [
            *(
                [signatories.person_signatory(gettext("Mentor"), mentor)]
                if (mentor := route_mentor(route))
                else []
            ),
            signatories.curator_of(route.organization),
        ],
        "acquainted": [signatories.person_signatory(gettext("Teacher"), route.person)],
        "area_rows": list(route.area_rows.select_related("area")),
        "groups": [
            (letter, kind, [item for item in items if item.kind == kind.value])
            for letter, kind in zip("абвг", RouteItemKind, strict=True)
        ],
        "versions": list(route.versions.order_by("number")),
    }


@login_required
def route_pdf(request, pk: int):
    route = route_for(request.user, pk)
    return document_response(
        "programs/pdf/route.html", route_document_context(route), f"route-{route.pk}", False
    )


@login_required
def route_docx(request, pk: int):
    """The same route as an editable Word file."""
    route = route_for(request.user, pk)
    return document_response(
        "programs/pdf/route.html", route_document_context(route), f"route-{route.pk}", True
    )
