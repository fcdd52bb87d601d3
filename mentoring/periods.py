"""How long mentoring lasts (Положение 1.1, 4.1.3): the one place these periods are checked.

A pair's period is the period of its personalized program, so the pair form and the program
services both call `check_program_period`.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.dates import add_months

PROGRAM_MIN_MONTHS = 3
PROGRAM_MAX_MONTHS = 12


def check_period(
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    *,
    min_months: int,
    max_months: int,
    message,
    code: str,
    field: str = "ends_on",
) -> None:
    """Between `min_months` and `max_months` after the start, both inclusive (on `field`)."""
    if starts_on is None or ends_on is None:
        raise ValidationError({field: _("Give the start and the end.")})
    if not add_months(starts_on, min_months) <= ends_on <= add_months(starts_on, max_months):
        raise ValidationError({field: message}, code=code)


def check_program_period(
    starts_on: datetime.date | None, ends_on: datetime.date | None, *, field: str = "ends_on"
) -> None:
    """From 3 months to 1 year, both inclusive: a program's period, and so a pair's."""
    check_period(
        starts_on,
        ends_on,
        min_months=PROGRAM_MIN_MONTHS,
        max_months=PROGRAM_MAX_MONTHS,
        message=_("A personalized program lasts from 3 months to 1 year."),
        code="program_period",
        field=field,
    )


def default_program_end(starts_on: datetime.date) -> datetime.date:
    """The end of the school year (31 May) when it is at least 3 months away; later in the
    year, a full year (the next 31 May would be more than the 12 months allowed)."""
    end = datetime.date(starts_on.year + (1 if starts_on.month >= 6 else 0), 5, 31)
    if end < add_months(starts_on, PROGRAM_MIN_MONTHS):
        return add_months(starts_on, PROGRAM_MAX_MONTHS)
    return end
