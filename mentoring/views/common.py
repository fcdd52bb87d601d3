"""Small pieces shared by the mentoring views."""

from __future__ import annotations

from django.utils.translation import gettext


def yes_no(value: bool) -> str:
    """A boolean column in an xlsx export, in the reader's language."""
    return gettext("yes") if value else gettext("no")
