"""Reference data of the programs app loaded from data/difficulty_areas.csv."""

from __future__ import annotations

from orgs.reference import read_csv


def load_difficulty_areas(area_model, item_model) -> int:
    """Create the areas and their items from the CSV; works with a migration's models too.

    Areas are matched by code and items by text, so a second run adds only what is new and
    never undoes the coordinator's edits of names.
    """
    rows = read_csv("difficulty_areas.csv")
    areas: dict[str, object] = {}
    created = 0
    for row in rows:
        code = row["code"]
        if code not in areas:
            area, _ = area_model.objects.get_or_create(
                code=code, defaults={"name": row["area_ru"], "sort_order": len(areas) + 1}
            )
            areas[code] = area
        area = areas[code]
        order = item_model.objects.filter(area=area).count() + 1
        _item, made = item_model.objects.get_or_create(
            area=area, text=row["item_ru"], defaults={"sort_order": order}
        )
        created += made
    return created
