"""The bank of best practices: products proposed by teachers, decided by the curator.

Each refusal raises ValidationError (a dict keyed by form field where one applies) or
PermissionDenied before anything is written, inside one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.permissions import require
from programs.models import (
    Activity,
    Product,
    ProductStatus,
    RouteItem,
)
from programs.permissions import can_decide_product, can_edit_program, can_edit_route
from programs.services.common import employment_of

# The bank of best practices -----------------------------------------------------------------


@dataclass
class ProductData:
    title: str
    kind: str
    description: str = ""


@transaction.atomic
def product_propose(
    *,
    user,
    data: ProductData,
    activity: Activity | None = None,
    route_item: RouteItem | None = None,
) -> Product:
    """Offer the product (file) of an activity or a route item to the council of mentors."""
    if (activity is None) == (route_item is None):
        raise ValueError("propose exactly one activity or route item")
    source = activity or route_item
    if activity is not None:
        require(can_edit_program(user, activity.program))
        author = activity.program.mentee
        preferred = activity.program.pair.organization
        area = activity.area
    else:
        require(can_edit_route(user, route_item.route))
        author = route_item.route.person
        preferred = route_item.route.organization
        area = route_item.area
    errors: dict[str, list] = {}
    if not source.file:
        errors["file"] = [_("Attach the product's file first.")]
    if Product.objects.filter(activity=activity, route_item=route_item).exists():
        errors["title"] = [_("This product is already offered to the bank.")]
    if not (data.title or "").strip():
        errors["title"] = [_("Give the product a title.")]
    from programs.models import ProductKind

    if data.kind not in ProductKind.values:
        errors["kind"] = [_("Choose the kind of product.")]
    if errors:
        raise ValidationError(errors)
    employment = employment_of(author, preferred)
    product = Product(
        title=data.title.strip(),
        kind=data.kind,
        description=(data.description or "").strip(),
        area=area,
        author=author,
        organization=employment.organization if employment else preferred,
        position=employment.position if employment else None,
        activity=activity,
        route_item=route_item,
        proposed_by=user,
        file_name=source.file_name or PurePath(source.file.name).name,
    )
    with source.file.open("rb") as handle:
        content = handle.read()
    product.file.save(product.file_name, ContentFile(content), save=False)
    product.save()
    return product


@transaction.atomic
def product_decide(*, user, product: Product, accept: bool, note: str = "") -> Product:
    require(can_decide_product(user, product))
    product = Product.objects.select_for_update().get(pk=product.pk)
    if product.status != ProductStatus.PROPOSED:
        raise ValidationError({"status": _("This product has already been decided on.")})
    if not accept and not note.strip():
        raise ValidationError({"decision_note": _("Say why the product is not accepted.")})
    product.status = ProductStatus.ACCEPTED if accept else ProductStatus.REJECTED
    product.decided_by, product.decided_at = user, timezone.now()
    product.decision_note = note.strip()
    product.save()
    return product
