"""The shared PDF renderer: Cyrillic text in shipped fonts, and no access beyond static files."""

from __future__ import annotations

import pytest

from core.pdf import ForbiddenResource, html_to_pdf, static_file


def pdf_text(content: bytes) -> str:
    from io import BytesIO

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def pdf_fonts(content: bytes) -> set[str]:
    from io import BytesIO

    from pypdf import PdfReader

    names = set()
    for page in PdfReader(BytesIO(content)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_cyrillic_renders_in_the_shipped_font():
    html = (
        '<style>@font-face{font-family:ShippedSerif;src:url("static:fonts/liberation/LiberationSerif-Regular.ttf")}'
        "html{font-family:ShippedSerif}</style><p>Программа наставничества: Ёлкина Алёна</p>"
    )
    content = html_to_pdf(html)
    assert content.startswith(b"%PDF")
    fonts = pdf_fonts(content)
    assert fonts and all(name.endswith("ShippedSerif") for name in fonts), fonts
    assert "Программа наставничества: Ёлкина Алёна" in pdf_text(content)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/x.png",
        "static:../config/settings.py",
        "static:fonts/../../config/settings.py",
        "https://evil.example/static/x.css",
    ],
)
def test_fetcher_refuses_anything_but_static_files(url):
    with pytest.raises(ForbiddenResource):
        static_file(url)


def test_fetcher_serves_a_static_file():
    content, mime_type = static_file("static:css/portal.css")
    assert b"Bootstrap" in content and mime_type == "text/css"
