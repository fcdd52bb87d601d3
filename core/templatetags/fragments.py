"""`rows_key`: the fingerprint a list's table is kept under (`{% cache … rows|rows_key %}`)."""

from __future__ import annotations

from django import template

from core.cache import rows_key as _rows_key

register = template.Library()


@register.filter
def rows_key(rows) -> str:
    """`core.cache.rows_key` of a page's rows."""
    return _rows_key(rows)
