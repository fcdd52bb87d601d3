"""Links without a full `reverse()` each: row links of the long lists, and the navigation's
addresses, which are the same on every page (Django's `reverse` costs 25–60 µs a call; a page
made 25–100 of them)."""

from __future__ import annotations

from functools import lru_cache

from django.urls import get_script_prefix, reverse

_MARKER = "2147483647"


@lru_cache(maxsize=64)
def _pattern(viewname: str, prefix: str) -> str:
    return reverse(viewname, args=[_MARKER]).replace(_MARKER, "{}")


def reverse_pk(viewname: str, pk: int) -> str:
    """`reverse(viewname, args=[pk])` for a view whose only argument is an `<int:pk>`: the
    address is reversed once per view (and script prefix), then filled in — a list of 50 rows
    spent about 3 ms in `reverse()` for its links."""
    return _pattern(viewname, get_script_prefix()).format(int(pk))


@lru_cache(maxsize=256)
def _address(viewname: str, prefix: str) -> str:
    return reverse(viewname)


def reverse_name(viewname: str) -> str:
    """`reverse(viewname)` for a view without arguments, reversed once per script prefix."""
    return _address(viewname, get_script_prefix())
