"""Reference data of the monitoring app: the stage-2 survey questions (data/survey_questions.csv)."""

from __future__ import annotations

from orgs.reference import read_csv


def load_survey_questions(question_model) -> int:
    """Create the default questions; matched by text, so a second run adds only new ones and
    never undoes the coordinator's edits. Works with a migration's historical model too."""
    created = 0
    for row in read_csv("survey_questions.csv"):
        _question, made = question_model.objects.get_or_create(
            respondent=row["respondent"],
            text=row["text"],
            defaults={"measure": row["measure"], "sort_order": int(row["sort_order"])},
        )
        created += made
    return created


def load_orders(order_model, point_model, municipality) -> int:
    """The committee's orders of data/orders.csv for a municipality (matched by number and
    date, so a second run adds nothing)."""
    import datetime

    created = 0
    for row in read_csv("orders.csv"):
        signed_on = datetime.datetime.strptime(row["signed_on"], "%d.%m.%Y").date()
        order, made = order_model.objects.get_or_create(
            municipality=municipality,
            number=row["number"],
            signed_on=signed_on,
            defaults={"title": row["title"], "organization_kind": row["organization_kind"]},
        )
        created += made
        point_model.objects.get_or_create(
            order=order,
            kind=row["point"],
            defaults={"due_on": datetime.datetime.strptime(row["due_on"], "%d.%m.%Y").date()},
        )
    return created
