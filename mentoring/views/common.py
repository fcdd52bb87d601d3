"""Small pieces shared by the mentoring views."""

from __future__ import annotations

from django.http import FileResponse, Http404


def serve_file(field_file, filename: str) -> FileResponse:
    """Hand out a stored file as an attachment under its original name (never by MEDIA_URL)."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(handle, as_attachment=True, filename=filename)


def yes_no(value: bool) -> str:
    from django.utils.translation import gettext

    return gettext("yes") if value else gettext("no")
