"""The bank of best practices: search, a product's card, proposing and deciding."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.idempotency import add_token
from core.listing import FilteredListView
from core.uploads import protected_file_response
from core.views import apply_service_errors, save_form
from programs import permissions, services
from programs.filters import ProductFilter
from programs.forms import ProductDecideForm, ProductProposeForm
from programs.models import Product, ProductStatus
from programs.permissions import activity_for, product_for, route_item_for


class BankView(LoginRequiredMixin, FilteredListView):
    template_name = "programs/bank.html"
    filterset_class = ProductFilter
    export_title = _("Best practices")
    export_filename = "best-practices.xlsx"
    export_headers = (
        _("Title"),
        _("Kind of product"),
        _("Area"),
        _("Author"),
        _("Author's position"),
        _("Organization"),
        _("Status"),
    )

    def get_base_queryset(self):
        return Product.objects.visible_to(self.request.user).for_list()

    def get_queryset(self):
        queryset = super().get_queryset()
        if not self.request.GET.get("status"):
            queryset = queryset.filter(status=ProductStatus.ACCEPTED)
        return queryset

    def export_row(self, product):
        return (
            product.title,
            product.get_kind_display(),
            str(product.area or ""),
            str(product.author),
            str(product.position or ""),
            product.organization.short_name,
            product.get_status_display(),
        )


@login_required
def product_detail(request, pk: int):
    product = product_for(request.user, pk)
    return render(
        request,
        "programs/product_detail.html",
        {
            "product": product,
            "can_decide": product.status == ProductStatus.PROPOSED
            and permissions.can_decide_product(request.user, product),
            "form": ProductDecideForm(),
        },
    )


@login_required
def product_file(request, pk: int):
    product = product_for(request.user, pk)
    return protected_file_response(product.file, product.file_name)


@login_required
@require_POST
def product_decide(request, pk: int):
    product = product_for(request.user, pk, decide=True)
    form = ProductDecideForm(request.POST)
    form.is_valid()
    try:
        services.product_decide(
            user=request.user,
            product=product,
            accept="accept" in request.POST,
            note=form.cleaned_data.get("decision_note", ""),
        )
    except ValidationError as error:
        apply_service_errors(form, error)
        return render(
            request,
            "programs/product_detail.html",
            {"product": product, "can_decide": True, "form": form},
            status=400,
        )
    messages.success(request, gettext("The decision is saved."))
    return redirect(product)


def _propose(request, *, activity=None, route_item=None):
    source = activity or route_item
    form = ProductProposeForm(
        request.POST or None,
        initial={"title": source.title, "kind": source.product_kind or "other"},
    )
    add_token(form)
    if response := save_form(
        request,
        form,
        lambda: services.product_propose(
            user=request.user, data=form.to_data(), activity=activity, route_item=route_item
        ),
        gettext("The product is offered to the council of mentors."),
    ):
        return response
    back = activity.program if activity else route_item.route
    return render(
        request, "programs/product_propose.html", {"form": form, "source": source, "back": back}
    )


@login_required
def propose_activity(request, pk: int):
    return _propose(request, activity=activity_for(request.user, pk, edit=True))


@login_required
def propose_route_item(request, pk: int):
    return _propose(request, route_item=route_item_for(request.user, pk, edit=True))
