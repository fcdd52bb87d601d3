"""The page numbers a list's pagination shows: a window around the current page and both
ends, with «…» between (Django's `get_elided_page_range`), computed in Python rather than
by a template loop over every page of a 200-page region-wide list."""

from __future__ import annotations

from django import template
from django.core.paginator import Page

register = template.Library()


@register.filter
def page_window(page: Page) -> list:
    """The numbers around `page` (three on each side) and the first and last, the
    paginator's `ELLIPSIS` where numbers are left out."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=3, on_ends=1))
