"""Uploaded files, checked and stored the same way everywhere.

A file is accepted when it is at most 10 MB, has an allowed extension and starts the way such
a file starts (a renamed executable is refused). It is stored under a random name inside one
folder, so a name can be neither guessed nor used to walk the file system, and it is served
only through a view that first checks who asks (`protected_file_response`).
"""

from __future__ import annotations

import mimetypes
import uuid
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ZIP = (b"PK\x03\x04",)
# Extension → the leading bytes such a file has.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF",),
    ".docx": ZIP,
    ".xlsx": ZIP,
    ".pptx": ZIP,
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
ACCEPT = ",".join(SIGNATURES)  # for <input type="file" accept="...">


def extension_of(name: str) -> str:
    """The lower-cased extension of a file name, with the dot ("" when there is none)."""
    return PurePath(name or "").suffix.lower()


def validate_upload(upload) -> None:
    """Refuse a file over 10 MB, of another type, or whose content does not match its type."""
    name = PurePath(getattr(upload, "name", "") or "").name
    suffix = extension_of(name)
    if suffix not in SIGNATURES:
        raise ValidationError(
            _("«%(name)s»: only PDF, DOCX, XLSX, PPTX, JPG and PNG files are accepted."),
            params={"name": name},
            code="file_type",
        )
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("«%(name)s» is larger than 10 MB."), params={"name": name}, code="file_size"
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(8)
    upload.seek(position)
    if not any(head.startswith(signature) for signature in SIGNATURES[suffix]):
        raise ValidationError(
            _("«%(name)s» is not really a %(type)s file."),
            params={"name": name, "type": suffix.lstrip(".").upper()},
            code="file_content",
        )


@deconstructible
class UploadValidator:
    """`validate_upload` as a field validator (serializable into migrations)."""

    def __call__(self, value) -> None:
        # Only a newly uploaded file is checked; a stored one was checked when it came in.
        if getattr(value, "_committed", True) is False or not hasattr(value, "storage"):
            validate_upload(value)

    def __eq__(self, other) -> bool:
        return isinstance(other, UploadValidator)


@deconstructible
class UploadTo:
    """`upload_to` giving `<folder>/<random hex><allowed lower-case extension>`."""

    def __init__(self, folder: str):
        self.folder = folder.strip("/")

    def __call__(self, instance, filename: str) -> str:
        suffix = extension_of(filename)
        if suffix not in SIGNATURES:
            suffix = ""
        return f"{self.folder}/{uuid.uuid4().hex}{suffix}"

    def __eq__(self, other) -> bool:
        return isinstance(other, UploadTo) and other.folder == self.folder


def upload_to(folder: str) -> UploadTo:
    return UploadTo(folder)


def clean_download_name(name: str, stored_name: str) -> str:
    """The name shown to the user: the original one, with the stored file's extension."""
    suffix = extension_of(stored_name)
    base = PurePath(name or "").name or "file"
    if extension_of(base) != suffix:
        base = f"{PurePath(base).stem or 'file'}{suffix}"
    return base


def protected_file_response(field_file, download_name: str) -> FileResponse:
    """Send a stored file as an attachment; the caller has checked the user may have it."""
    if not field_file:
        raise Http404
    suffix = extension_of(field_file.name)
    content_type = (
        CONTENT_TYPES.get(suffix)
        or mimetypes.guess_type(field_file.name)[0]
        or "application/octet-stream"
    )
    try:
        field_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        field_file,
        as_attachment=True,
        filename=clean_download_name(download_name, field_file.name),
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
