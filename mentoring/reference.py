"""Forms and kinds of mentoring from data/mentoring_forms.csv (section 4.1.5)."""

from __future__ import annotations

from orgs.reference import read_csv


def load_forms(form_model) -> int:
    """Create or update the forms and kinds; works with a migration's model too."""
    rows = read_csv("mentoring_forms.csv")
    for order, row in enumerate(rows, start=1):
        form_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "type": row["type"],
                "name": row["name_ru"],
                "meaning": row["meaning"],
                "sort_order": order,
            },
        )
    return len(rows)
