"""The one way a number is written on a page when no decimals are asked for: what Django's
`{{ value }}` writes in Russian («1234», «3,75»), built directly for the common cases.
(Not `core/numbers.py`: run from this folder, as `makemessages` is, it would stand in for the
standard library's `numbers`.)"""

from __future__ import annotations

from django.conf import settings
from django.utils.formats import localize
from django.utils.translation import get_language


def number_text(value: int | float) -> str:
    """`value` as a template's `{{ value }}` writes it. Django's `localize` reads the format
    settings for every number (4–6 µs): the regional dashboard writes 800 of them a request.
    In Russian, an integer or a plain float (no exponent) is written here; the rest, another
    language and any installation that groups thousands go to `localize`."""
    if (
        not settings.USE_THOUSAND_SEPARATOR
        and not isinstance(value, bool)
        and get_language() == "ru"
    ):
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            text = repr(value)
            if "e" not in text and "n" not in text:  # not 1e-05, nan or inf
                return text.replace(".", ",")
    return localize(value)
