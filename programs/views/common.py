from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone

from core.pdf import render_pdf


def today():
    return timezone.localdate()


def pdf_response(template: str, context: dict, filename: str) -> HttpResponse:
    response = HttpResponse(render_pdf(template, context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
