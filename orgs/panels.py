"""Panels other apps add to a person's card (and to the mentor bank entry), so `orgs` shows
incentives, events and the like without importing the apps built on it.

An app registers `panel(person, user) -> (template_name, context) | None` in its
AppConfig.ready(); the card renders each panel that answers.
"""

from __future__ import annotations

from collections.abc import Callable

Panel = Callable[[object, object], "tuple[str, dict] | None"]

_PANELS: list[Panel] = []


def register_person_panel(panel: Panel) -> None:
    if panel not in _PANELS:
        _PANELS.append(panel)


def person_panels(person, user) -> list[tuple[str, dict]]:
    """(template name, context) of every registered panel that has something to show."""
    rendered = []
    for panel in _PANELS:
        answer = panel(person, user)
        if answer is not None:
            rendered.append(answer)
    return rendered
