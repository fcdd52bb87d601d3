"""Small pieces shared by the mentoring views."""

from __future__ import annotations


def yes_no(value: bool) -> str:
    from django.utils.translation import gettext

    return gettext("yes") if value else gettext("no")
