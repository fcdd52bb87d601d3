"""The demo district's documents as a committee member would leaf through them, page by page
(pdftotext): the program, every route, the organization's and the municipal report — no blank
signatory name, no page holding only a signature block or a line or two, no «0 из 0», no
system words (status codes), and УТВЕРЖДАЮ with a name on each."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from mentoring.models import academic_year_of
from orgs.models import Municipality, Organization, User
from programs.models import Program, Route
from programs.views.common import document_response
from programs.views.programs import program_document_context
from programs.views.routes import route_document_context
from reports import services as reports
from reports.models import Report, ReportKind

pytestmark = pytest.mark.django_db

CODES = re.compile(
    r"\b(draft|active|completed|in_progress|planned|done|carried|status|None|True|False)\b"
    r"|\b[a-z]+_[a-z_]+\b"
)
SHORT_PAGE_WORDS = 40
PAGE_LINES = 48  # lines of body text on an A4 page of the reports


def pages(content: bytes) -> list[str]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(content)
        file.flush()
        text = subprocess.run(
            ["pdftotext", "-layout", file.name, "-"], capture_output=True, text=True, check=True
        ).stdout
    return [page for page in text.split("\f") if page.strip()]


def problems(name: str, content: bytes) -> list[str]:
    found = []
    leaves = pages(content)
    for number, page in enumerate(leaves, start=1):
        words = page.split()
        where = f"{name}, page {number}"
        if len(words) < SHORT_PAGE_WORDS:
            found.append(f"{where}: almost empty: {' '.join(words)}")
        if "0 из 0" in page:
            found.append(f"{where}: «0 из 0»")
        if match := CODES.search(page):
            found.append(f"{where}: system word «{match.group(0)}»")
        for line in page.splitlines():
            # A signature line with nothing after it: a blank name.
            if re.search(r"_{5,}\s*$", line) and "20__" not in line:
                found.append(f"{where}: blank name: {line.strip()}")
    if "УТВЕРЖДАЮ" not in leaves[0]:
        found.append(f"{name}: no УТВЕРЖДАЮ on the first page")
    return found


def test_the_demo_documents_read_well_page_by_page(settings):
    settings.DEBUG = True  # seed_demo runs on a debug checkout only
    call_command("seed_demo", stdout=io.StringIO())
    today = timezone.localdate()
    year = academic_year_of(today)
    municipality = Municipality.objects.get(name__startswith="Змеиногорский")
    school = Organization.objects.get(short_name="СОШ с УИОП г. Змеиногорска")
    found = []
    with translation.override("ru"):
        mentee = User.objects.get(username="mentee").person
        for program in Program.objects.filter(mentee=mentee):
            response = document_response(
                "programs/pdf/program.html", program_document_context(program), "p", False
            )
            found += problems(f"program {program.pk}", response.content)
        routes = list(Route.objects.all())
        assert routes
        for route in routes:
            response = document_response(
                "programs/pdf/route.html", route_document_context(route), "r", False
            )
            found += problems(f"route {route.pk}", response.content)
        school_report = Report(
            kind=ReportKind.ORGANIZATION,
            municipality=municipality,
            organization=school,
            academic_year=year,
        )
        municipal_report = Report(
            kind=ReportKind.MUNICIPAL, municipality=municipality, academic_year=year
        )
        for report in (municipal_report, school_report):
            built = reports.build_documents(report, reports.report_context(report, today))
            found += problems(str(report.get_kind_display()), built.pdf)
        # Next year's data is longer or shorter: whatever the length of the sections above,
        # the short last section (no conclusions written yet) never stands alone above the
        # signatures. One line of summary more or less moves every page break after it.
        context = reports.report_context(school_report, today)
        summary = list(context["summary_text"])
        for extra_lines in range(6, PAGE_LINES, 6):
            context["summary_text"] = summary + ["Строка."] * extra_lines
            built = reports.build_documents(school_report, context)
            found += problems(f"organization report + {extra_lines} lines", built.pdf)
    assert not found, "\n".join(found)
