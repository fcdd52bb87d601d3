"""Reference data: areas of professional difficulties and their items.

Each refusal raises ValidationError (a dict keyed by form field where one applies) or
PermissionDenied before anything is written, inside one transaction.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.permissions import require
from programs.models import (
    DifficultyArea,
    DifficultyItem,
)
from programs.permissions import can_edit_reference

# Reference data -------------------------------------------------------------------------------


@transaction.atomic
def area_save(
    *,
    user,
    area: DifficultyArea | None,
    name: str,
    sort_order: int,
    is_active: bool,
    code: str = "",
) -> DifficultyArea:
    require(can_edit_reference(user))
    if not (name or "").strip():
        raise ValidationError({"name": _("Give the area a name.")})
    if area is None:
        if not code or DifficultyArea.objects.filter(code=code).exists():
            raise ValidationError({"code": _("Give a new unique code in Latin letters.")})
        area = DifficultyArea(code=code)
    area.name, area.sort_order, area.is_active = name.strip(), sort_order, is_active
    area.save()
    return area


@transaction.atomic
def item_save(
    *,
    user,
    area: DifficultyArea,
    item: DifficultyItem | None,
    text: str,
    sort_order: int,
    is_active: bool,
) -> DifficultyItem:
    require(can_edit_reference(user))
    if not (text or "").strip():
        raise ValidationError({"text": _("Give the item's wording.")})
    item = item or DifficultyItem(area=area)
    item.text, item.sort_order, item.is_active = text.strip(), sort_order, is_active
    item.save()
    return item
