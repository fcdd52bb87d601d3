"""Uploaded files, checked and stored the same way everywhere.

A file is accepted when it is at most 10 MB, has an allowed extension and starts the way such
a file starts (a renamed executable is refused). Office files are zip archives and are opened
as such: a few hundred entries at most, 50 MB unpacked in all, no entry packed more than
100 times, and no archive inside (a "zip bomb" is refused before anyone opens it). It is stored under a random name inside one
folder, so a name can be neither guessed nor used to walk the file system, and it is served
only through a view that first checks who asks (`protected_file_response`).
"""

from __future__ import annotations

import mimetypes
import uuid
import zipfile
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
    ".odt": ZIP,
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
ACCEPT = ",".join(SIGNATURES)
OFFICE_ARCHIVES = {".docx", ".xlsx", ".pptx", ".odt"}
MAX_ARCHIVE_ENTRIES = 1000
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_PACKING_RATIO = 100
NESTED_ARCHIVE_SUFFIXES = (
    ".zip",
    ".7z",
    ".rar",
    ".gz",
    ".tgz",
    ".bz2",
    ".xz",
    ".tar",
    ".jar",
)  # for <input type="file" accept="...">


def extension_of(name: str) -> str:
    """The lower-cased extension of a file name, with the dot ("" when there is none)."""
    return PurePath(name or "").suffix.lower()


def validate_upload(upload) -> None:
    """Refuse a file over 10 MB, of another type, or whose content does not match its type."""
    name = PurePath(getattr(upload, "name", "") or "").name
    suffix = extension_of(name)
    if suffix not in SIGNATURES:
        raise ValidationError(
            _("«%(name)s»: only PDF, DOCX, XLSX, PPTX, ODT, JPG and PNG files are accepted."),
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
    if suffix in OFFICE_ARCHIVES:
        _check_archive(upload, name)


def _check_archive(upload, name: str) -> None:
    """An office file is a zip: refuse one that unpacks too large, too dense, or nests archives."""
    refused = ValidationError(
        _("«%(name)s» is not a normal office document (it unpacks too large or holds archives)."),
        params={"name": name},
        code="file_archive",
    )
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ARCHIVE_ENTRIES:
                raise refused
            total = 0
            for entry in entries:
                # The sizes in the directory are what the entries claim; a liar is caught
                # when an office program unpacks it, but never gets past these limits here.
                total += entry.file_size
                packed = max(entry.compress_size, 1)
                if total > MAX_UNPACKED_BYTES or entry.file_size / packed > MAX_PACKING_RATIO:
                    raise refused
                lowered = entry.filename.lower()
                if lowered.endswith(NESTED_ARCHIVE_SUFFIXES):
                    raise refused
                if entry.file_size >= 4:
                    with archive.open(entry) as member:
                        if member.read(4) == ZIP[0]:
                            raise refused
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as error:
        raise ValidationError(
            _("«%(name)s» is not really a %(type)s file."),
            params={"name": name, "type": name.rsplit(".", 1)[-1].upper()},
            code="file_content",
        ) from error
    finally:
        upload.seek(position)


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
