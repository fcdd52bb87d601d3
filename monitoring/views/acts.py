"""Local acts of the organizations: the list (scoped, filtered, exported), add, edit, file."""

from __future__ import annotations

import django_filters
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.idempotency import add_token
from core.listing import FilteredListView
from core.uploads import protected_file_response
from core.views import save_form
from monitoring import permissions, services
from monitoring.forms import LocalActForm
from monitoring.models import ActType, LocalAct
from orgs.models import Organization, OrganizationKind


class LocalActFilter(django_filters.FilterSet):
    organization = django_filters.ModelChoiceFilter(
        label=_("Organization"),
        queryset=Organization.objects.none(),
        empty_label=_("All organizations"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        field_name="organization__kind",
        choices=OrganizationKind.choices,
        empty_label=_("All kinds"),
    )
    type = django_filters.ChoiceFilter(
        label=_("Document"), choices=ActType.choices, empty_label=_("All documents")
    )

    class Meta:
        model = LocalAct
        fields = ["organization", "kind", "type"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["organization"].queryset = Organization.objects.with_staff_visible_to(
            request.user
        ).order_by("sort_key")


def editable_organizations(user):
    return Organization.objects.filter(pk__in=user.scope.managed_organizations).order_by("sort_key")


class LocalActListView(LoginRequiredMixin, FilteredListView):
    template_name = "monitoring/act_list.html"
    filterset_class = LocalActFilter
    export_title = _("Local acts")
    export_filename = "local-acts.xlsx"
    export_headers = (
        _("Organization"),
        _("Document"),
        _("Title"),
        _("Number"),
        _("Date"),
        _("Published on"),
        _("Address on the site"),
        _("File"),
    )

    def get_base_queryset(self):
        user = self.request.user
        if not (user.scope.is_committee or user.scope.managed_organizations):
            raise PermissionDenied
        return LocalAct.objects.visible_to(user).for_list()

    def export_row(self, act):
        return (
            act.organization.short_name,
            act.get_type_display(),
            act.title,
            act.number,
            act.adopted_on,
            act.published_on,
            act.url,
            act.file_name,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = bool(self.request.user.scope.managed_organizations)
        context["managed"] = self.request.user.scope.managed_organizations
        return context


def _save(request, form: LocalActForm) -> HttpResponse | None:
    return save_form(
        request,
        form,
        lambda: services.local_act_save(
            user=request.user, act=form.instance, upload=form.cleaned_data.get("upload")
        ),
        gettext("The document is saved."),
        redirect_to="monitoring:act_list",
    )


@login_required
def act_add(request):
    organizations = editable_organizations(request.user)
    if not organizations.exists():
        raise PermissionDenied
    form = LocalActForm(request.POST or None, request.FILES or None, organizations=organizations)
    add_token(form)
    if response := _save(request, form):
        return response
    return render(request, "monitoring/act_form.html", {"form": form})


def _act_for_edit(user, pk) -> LocalAct:
    act = get_object_or_404(LocalAct.objects.visible_to(user).select_related("organization"), pk=pk)
    if not permissions.can_edit_acts(user, act.organization):
        raise PermissionDenied
    return act


@login_required
def act_edit(request, pk: int):
    act = _act_for_edit(request.user, pk)
    form = LocalActForm(
        request.POST or None,
        request.FILES or None,
        instance=act,
        organizations=editable_organizations(request.user),
    )
    if response := _save(request, form):
        return response
    return render(request, "monitoring/act_form.html", {"form": form, "act": act})


@login_required
@require_POST
def act_delete(request, pk: int):
    act = _act_for_edit(request.user, pk)
    services.local_act_delete(user=request.user, act=act)
    messages.success(request, gettext("The document is deleted."))
    return redirect("monitoring:act_list")


@login_required
def act_file(request, pk: int):
    act = get_object_or_404(LocalAct.objects.visible_to(request.user), pk=pk)
    return protected_file_response(act.file, act.file_name or "document")
