"""`rows_key`: the fingerprint a list's table is kept under (`{% cache … rows|rows_key %}`)."""

from __future__ import annotations

from django import template

from core.cache import rows_key

register = template.Library()
register.filter("rows_key", rows_key)
