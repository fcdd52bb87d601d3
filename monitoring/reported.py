"""«As reported»: apps above monitoring (reports) tell the dashboard where the numbers of an
issued report for the same scope and year are, without monitoring importing them.

An app registers `finder(user, scope, year) -> (issued_on, url) | None` in its
AppConfig.ready(); the dashboard links the year to the first answer.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

Finder = Callable[[object, object, str], "tuple[datetime.date, str] | None"]

_FINDERS: list[Finder] = []


def register_reported_values(finder: Finder) -> None:
    if finder not in _FINDERS:
        _FINDERS.append(finder)


def reported_values(user, scope, year: str) -> tuple[datetime.date, str] | None:
    """(the date the report was issued, the address of its printed numbers), or None."""
    for finder in _FINDERS:
        if found := finder(user, scope, year):
            return found
    return None
