"""Uploads: size, type by extension and by content, unguessable names, protected download."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import (
    MAX_UPLOAD_BYTES,
    UploadTo,
    protected_file_response,
    upload_to,
    validate_upload,
)


def office_file(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCUMENT = office_file({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
GOOD = {
    "plan.pdf": b"%PDF-1.7\n...",
    "plan.docx": DOCUMENT,
    "table.xlsx": DOCUMENT,
    "slides.pptx": DOCUMENT,
    "text.odt": DOCUMENT,
    "photo.JPG": b"\xff\xd8\xff\xe0jfif",
    "scan.png": b"\x89PNG\r\n\x1a\nIHDR",
}


@pytest.mark.parametrize("name", GOOD)
def test_allowed_files_pass(name):
    validate_upload(SimpleUploadedFile(name, GOOD[name]))


@pytest.mark.parametrize("name", ["run.exe", "script.js", "page.html", "noextension", "old.doc"])
def test_other_types_are_refused(name):
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile(name, b"%PDF-1.7"))
    assert error.value.code == "file_type"


@pytest.mark.parametrize(
    "name, content",
    [
        ("virus.pdf", b"MZ\x90\x00"),
        ("fake.docx", b"%PDF-1.4"),
        ("fake.png", b"\xff\xd8\xff"),
        ("x.jpg", b"GIF89a"),
    ],
)
def test_a_file_whose_content_does_not_match_its_extension_is_refused(name, content):
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile(name, content))
    assert error.value.code == "file_content"


def test_a_file_over_ten_megabytes_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * MAX_UPLOAD_BYTES))
    assert error.value.code == "file_size"
    validate_upload(SimpleUploadedFile("fits.pdf", b"%PDF" + b"0" * (MAX_UPLOAD_BYTES - 4)))


def test_stored_names_are_random_and_keep_only_an_allowed_lower_case_extension():
    build = upload_to("programs/bank")
    first = build(None, "../../etc/Конспект урока.PDF")
    second = build(None, "../../etc/Конспект урока.PDF")
    assert re.fullmatch(r"programs/bank/[0-9a-f]{32}\.pdf", first)
    assert first != second
    assert re.fullmatch(r"programs/bank/[0-9a-f]{32}", build(None, "evil.php"))
    assert UploadTo("a") == UploadTo("a/")


def test_protected_response_is_an_attachment_with_its_type_and_nosniff(db):
    name = default_storage.save(upload_to("tests")(None, "x.pdf"), ContentFile(b"%PDF-1.4 hello"))
    stored = default_storage.open(name)
    stored.name = name
    response = protected_file_response(stored, "Конспект урока.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4 hello"


def test_the_download_name_gets_the_stored_files_extension(db):
    name = default_storage.save(
        upload_to("tests")(None, "x.png"), ContentFile(b"\x89PNG\r\n\x1a\n")
    )
    stored = default_storage.open(name)
    stored.name = name
    response = protected_file_response(stored, "photo.html")
    assert response["Content-Type"] == "image/png"
    assert "photo.png" in response["Content-Disposition"]


def test_an_office_file_that_unpacks_to_a_gigabyte_is_refused():
    # A 1 GB entry of zeros packs to about 1 MB: the classic zip bomb, built in a stream.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("word/document.xml", "w", force_zip64=True) as entry:
            block = b"0" * (1024 * 1024)
            for _ in range(1024):
                entry.write(block)
    assert len(buffer.getvalue()) < 2 * 1024 * 1024
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile("bomb.docx", buffer.getvalue()))
    assert error.value.code == "file_archive"


def test_an_office_file_packed_too_densely_is_refused():
    bomb = office_file({"word/document.xml": b"0" * (5 * 1024 * 1024)})
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile("dense.xlsx", bomb))
    assert error.value.code == "file_archive"


@pytest.mark.parametrize("inner", ["word/media/archive.zip", "word/embeddings/data.bin"])
def test_an_office_file_holding_another_archive_is_refused(inner):
    nested = office_file({"word/document.xml": b"<w:document/>", inner: DOCUMENT})
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile("nested.docx", nested))
    assert error.value.code == "file_archive"


def test_a_broken_office_archive_is_refused_as_not_that_type():
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile("broken.pptx", b"PK\x03\x04not really a zip"))
    assert error.value.code == "file_content"
