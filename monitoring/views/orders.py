"""Orders of the committee with their deadlines: read by the committee and the organizations'
heads and curators of the municipality, kept by its coordinator (archived, never deleted)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from core.idempotency import add_token
from core.views import run_action, save_form
from monitoring import permissions, services, tables
from monitoring.forms import OrderForm
from monitoring.models import Order, OrderPoint
from orgs.models import Municipality, Organization


def _orders(user):
    return (
        Order.objects.visible_to(user)
        .select_related("municipality")
        .prefetch_related(
            Prefetch("points", queryset=OrderPoint.objects.order_by("due_on", "kind")),
            Prefetch("organizations", queryset=Organization.objects.order_by("sort_key")),
        )
        .order_by("-signed_on", "-pk")
    )


def _editable_municipality(user) -> Municipality:
    """The municipality whose orders the user keeps (the coordinator's own)."""
    municipality_id = permissions.committee_municipality(user)
    municipality = (
        Municipality.objects.filter(pk=municipality_id).first()
        if municipality_id
        else Municipality.objects.order_by("name").first()
    )
    if municipality is None or not permissions.can_edit_orders(user, municipality.pk):
        raise PermissionDenied
    return municipality


@login_required
def order_list(request):
    user = request.user
    if not permissions.can_read_orders(user):
        raise PermissionDenied
    orders = list(_orders(user))
    for order in orders:
        order.applies_text = tables.order_applies_to(order)
        order.can_edit = permissions.can_edit_orders(user, order.municipality_id)
    municipality_id = permissions.committee_municipality(user)
    return render(
        request,
        "monitoring/order_list.html",
        {
            "current": [order for order in orders if not order.archived_at],
            "archived": [order for order in orders if order.archived_at],
            "can_add": bool(municipality_id)
            and permissions.can_edit_orders(user, municipality_id)
            or user.scope.is_superuser,
        },
    )


def _form_page(request, order: Order, municipality: Municipality):
    form = OrderForm(
        request.POST or None,
        instance=order,
        municipality=municipality,
        today=timezone.localdate(),
    )
    add_token(form)
    response = save_form(
        request,
        form,
        lambda: services.order_save(
            user=request.user,
            order=form.instance,
            municipality=municipality,
            organizations=form.cleaned_data["organizations"],
            points=form.points(),
        ),
        gettext("The order is saved."),
        redirect_to="monitoring:order_list",
    )
    if response:
        return response
    return render(
        request,
        "monitoring/order_form.html",
        {"form": form, "order": order if order.pk else None, "municipality": municipality},
    )


@login_required
def order_add(request):
    municipality = _editable_municipality(request.user)
    return _form_page(request, Order(municipality=municipality), municipality)


def _order_for(user, pk: int) -> Order:
    """Outside the user's municipalities: not found; a reader who may not edit: 403."""
    order = get_object_or_404(Order.objects.visible_to(user).select_related("municipality"), pk=pk)
    if not permissions.can_edit_orders(user, order.municipality_id):
        raise PermissionDenied
    return order


@login_required
def order_edit(request, pk: int):
    order = _order_for(request.user, pk)
    if order.archived_at:
        return redirect("monitoring:order_list")
    return _form_page(request, order, order.municipality)


@login_required
@require_POST
def order_archive(request, pk: int):
    order = _order_for(request.user, pk)
    archived = request.POST.get("archived", "1") == "1"
    run_action(
        request,
        lambda: services.order_archive(user=request.user, order=order, archived=archived),
        lambda: (
            gettext("The order is archived: it no longer binds anybody.")
            if archived
            else gettext("The order is back among the current ones.")
        ),
    )
    return redirect("monitoring:order_list")
