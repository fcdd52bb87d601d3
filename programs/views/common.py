from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone

from core.docx import html_to_docx
from core.pdf import render_html, render_pdf


def today():
    return timezone.localdate()


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def document_response(template: str, context: dict, filename: str, as_docx: bool) -> HttpResponse:
    """The printable document as a PDF, or its editable Word copy from the same HTML."""
    if not as_docx:
        return pdf_response(template, context, filename + ".pdf")
    content = html_to_docx(render_html(template, context))
    response = HttpResponse(content, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.docx"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def pdf_response(template: str, context: dict, filename: str) -> HttpResponse:
    response = HttpResponse(render_pdf(template, context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
