"""Reference data of the district shipped as CSV under data/ (copied from the shared lists)."""

from __future__ import annotations

import csv
from pathlib import Path

from django.conf import settings


def read_csv(name: str) -> list[dict[str, str]]:
    path = Path(settings.REFERENCE_DATA_DIR) / name
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_positions(position_model) -> int:
    """Create or update positions from data/positions.csv; works with a migration's model too."""
    rows = read_csv("positions.csv")
    for order, row in enumerate(rows, start=1):
        position_model.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name_ru"], "group": row["group"], "sort_order": order},
        )
    return len(rows)
