"""Reference data of the monitoring app: the stage-2 survey questions (monitoring/data/)."""

from __future__ import annotations

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def load_survey_questions(question_model) -> int:
    """Create the default questions; matched by text, so a second run adds only new ones and
    never undoes the coordinator's edits. Works with a migration's historical model too."""
    created = 0
    with open(DATA / "survey_questions.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            _question, made = question_model.objects.get_or_create(
                respondent=row["respondent"],
                text=row["text"],
                defaults={"measure": row["measure"], "sort_order": int(row["sort_order"])},
            )
            created += made
    return created
