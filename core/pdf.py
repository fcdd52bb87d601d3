"""HTML → PDF for every printable document and report (WeasyPrint).

WeasyPrint gets a URL fetcher that serves only the project's static files: no `file://`,
no network, so a template (or data inside it) can never make the renderer read the disk
or call out. Fonts ship in static/fonts, so Cyrillic renders the same on any machine.
"""

from __future__ import annotations

import mimetypes
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

STATIC_PREFIX = "static:"


class ForbiddenResource(ValueError):
    pass


def static_file(url: str) -> tuple[bytes, str]:
    """Content and MIME type of `static:<path>` or a bare `/static/<path>`; refuse the rest."""
    parsed = urlparse(url)
    if url.startswith(STATIC_PREFIX):
        relative = url[len(STATIC_PREFIX) :].lstrip("/")
    elif not parsed.scheme and not parsed.netloc and parsed.path.startswith(settings.STATIC_URL):
        relative = parsed.path[len(settings.STATIC_URL) :]
    else:
        raise ForbiddenResource(url)
    if ".." in relative.split("/"):
        raise ForbiddenResource(url)
    found = finders.find(relative)
    if not found:
        raise ForbiddenResource(url)
    with open(found, "rb") as handle:
        return handle.read(), mimetypes.guess_type(found)[0] or "application/octet-stream"


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            content, mime_type = static_file(url)
            return URLFetcherResponse(url, content, {"Content-Type": mime_type})

    return StaticOnlyURLFetcher()


def html_to_pdf(html: str) -> bytes:
    import weasyprint  # imported here: it costs ~0.4 s and only the renderers need it

    return weasyprint.HTML(string=html, base_url=STATIC_PREFIX, url_fetcher=_fetcher()).write_pdf()


def render_pdf(template_name: str, context: dict, *, language: str | None = None) -> bytes:
    """Render a Django template (extending pdf/base.html) to PDF bytes, in Russian by default."""
    with translation.override(language or settings.LANGUAGE_CODE):
        html = render_to_string(template_name, context)
    return html_to_pdf(html)


def render_html(template_name: str, context: dict, *, language: str | None = None) -> str:
    with translation.override(language or settings.LANGUAGE_CODE):
        return render_to_string(template_name, context)
