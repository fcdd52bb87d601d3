"""Panels that apps above mentoring add to the pair's card (mentoring may not import them):
each app registers, in its AppConfig.ready(), a function (request, pair) → a dict with the
panel's `template` and its context, or None when it has nothing to show."""

from __future__ import annotations

from collections.abc import Callable

PAIR_PANELS: list[Callable] = []


def register_pair_panel(panel: Callable) -> None:
    if panel not in PAIR_PANELS:
        PAIR_PANELS.append(panel)


def pair_panels(request, pair) -> list[dict]:
    return [shown for panel in PAIR_PANELS if (shown := panel(request, pair)) is not None]
