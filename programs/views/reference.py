"""The coordinator's screen for the areas of difficulties and their items."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext

from core.views import save_form
from programs import permissions, services
from programs.forms import AreaForm, ItemForm
from programs.models import DifficultyArea, DifficultyItem
from programs.permissions import require


@login_required
def area_list(request):
    areas = DifficultyArea.objects.prefetch_related(
        Prefetch(
            "items",
            queryset=DifficultyItem.objects.order_by("sort_order", "pk"),
            to_attr="all_items",
        )
    )
    return render(
        request,
        "programs/area_list.html",
        {"areas": areas, "can_edit": permissions.can_edit_reference(request.user)},
    )


@login_required
def area_edit(request, pk: int | None = None):
    require(permissions.can_edit_reference(request.user))
    area = get_object_or_404(DifficultyArea, pk=pk) if pk else None
    initial = (
        {
            "code": area.code,
            "name": area.name,
            "sort_order": area.sort_order,
            "is_active": area.is_active,
        }
        if area
        else {"sort_order": DifficultyArea.objects.count() + 1}
    )
    form = AreaForm(request.POST or None, initial=initial)
    if area:
        form.fields["code"].disabled = True
    if response := save_form(
        request,
        form,
        lambda: services.area_save(
            user=request.user,
            area=area,
            code=form.cleaned_data.get("code", ""),
            name=form.cleaned_data["name"],
            sort_order=form.cleaned_data["sort_order"],
            is_active=form.cleaned_data["is_active"],
        ),
        gettext("Changes are saved."),
        redirect_to="programs:area_list",
    ):
        return response
    return render(request, "programs/area_form.html", {"form": form, "area": area})


@login_required
def item_edit(request, area: int, pk: int | None = None):
    require(permissions.can_edit_reference(request.user))
    area_obj = get_object_or_404(DifficultyArea, pk=area)
    item = get_object_or_404(DifficultyItem, pk=pk, area=area_obj) if pk else None
    initial = (
        {"text": item.text, "sort_order": item.sort_order, "is_active": item.is_active}
        if item
        else {"sort_order": area_obj.items.count() + 1}
    )
    form = ItemForm(request.POST or None, initial=initial)
    if response := save_form(
        request,
        form,
        lambda: services.item_save(
            user=request.user,
            area=area_obj,
            item=item,
            text=form.cleaned_data["text"],
            sort_order=form.cleaned_data["sort_order"],
            is_active=form.cleaned_data["is_active"],
        ),
        gettext("Changes are saved."),
        redirect_to="programs:area_list",
    ):
        return response
    return render(
        request, "programs/area_form.html", {"form": form, "area": area_obj, "item": item}
    )
