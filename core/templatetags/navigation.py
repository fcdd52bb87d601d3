"""Links of the navigation bar that mark the page the user is on (`aria-current`), and
`{% pk_url %}` for the links of a table's rows."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from core.urls import reverse_name, reverse_pk

register = template.Library()


def _current(request, url: str) -> str:
    """ "page" on the page itself, "true" below it (a card of a list), "" elsewhere."""
    path = getattr(request, "path", "")
    if path == url:
        return "page"
    if url != "/" and path.startswith(url):
        return "true"
    return ""


@register.simple_tag(takes_context=True)
def nav_link(context, name: str, label: str, css: str = "nav-link") -> str:
    url = reverse_name(name)
    current = _current(context.get("request"), url)
    if current:
        return format_html(
            '<a class="{} active" href="{}" aria-current="{}">{}</a>', css, url, current, label
        )
    return format_html('<a class="{}" href="{}">{}</a>', css, url, label)


@register.simple_tag(takes_context=True)
def nav_section(context, *names: str) -> str:
    """ " active" for a dropdown whose items include the current page."""
    request = context.get("request")
    return " active" if any(_current(request, reverse_name(name)) for name in names) else ""


@register.simple_tag
def pk_url(name: str, pk) -> str:
    """`{% url name pk %}` for a view whose only argument is an `<int:pk>`, without a full
    reverse for every row of a table (`core.urls.reverse_pk`)."""
    return reverse_pk(name, pk)
