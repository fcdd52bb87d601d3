"""Recommendations made outside the score, shown beside the suggestions: today the council of
mentors' decision «рекомендовать пару по теме».

The council lives in `community`, which `matching` may not import (nor the other way round).
The decision stays the one record of it, read where it is; the top layer (`portal`), which may
read both apps, plugs a reader in at start-up (`PortalConfig.ready`), as monitoring adds a
reason of pair health. Without a reader the page simply shows no recommendation.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Recommendation:
    """One recommendation of a mentor for a mentee, in words the curator reads."""

    mentor_id: int  # the mentor's Person
    mentor_name: str
    text: str
    basis: str  # e.g. «по решению совета наставников, протокол № 3 от 12.10.2026»
    decided_on: datetime.date
    url: str = ""


# Readers: (user, mentee person) → recommendations the user may see, newest first.
READERS: list[Callable] = []


def register_reader(reader: Callable) -> None:
    if reader not in READERS:
        READERS.append(reader)


def recommendations_for(user, person) -> list[Recommendation]:
    """Every recommendation of a mentor for this mentee that the user may see."""
    result = [item for reader in READERS for item in reader(user, person)]
    return sorted(result, key=lambda item: item.decided_on, reverse=True)
