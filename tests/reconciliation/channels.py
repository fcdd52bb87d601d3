"""Every indicator through every channel: the registry computing it alone, the dashboard's
tables, the Excel export of the dashboard, the drill-down list (its page rows and its Excel
rows), the municipal and the organization's PDF read back as text, and their Word copies.
`problems(...)` returns what disagrees, one line each."""

from __future__ import annotations

import datetime
import io
import re

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, pgettext
from openpyxl import load_workbook
from pypdf import PdfReader

from core.docx import docx_text
from monitoring import drill, facts, registry, tables
from monitoring import indicators as ind
from monitoring.models import previous_year
from reports import services as reports
from reports.models import Report, ReportKind
from tests.factories import pass_second_factor

# Indicators whose drill-down list has exactly one row per counted record.
ROW_COUNTED = {
    "needing": "needing", "covered": "covered", "uncovered": "uncovered", "pairs": "pairs",
    "groups": "groups", "inter": "inter", "programs_running": "programs",
    "programs_drafts": "programs_drafts", "programs_due": "programs_due",
    "programs_completed": "programs_completed", "overdue": "overdue", "meetings": "meetings",
    "deficits": "deficits", "deficits_closed": "deficits_closed", "entries": "progress",
    "with_risks": "risks", "surveys": "surveys",
    "events": "events", "event_participants": "event_participants", "event_places": "winners",
    "nominations": "nominations", "nominations_proposed": "nominations_proposed",
    "nominations_supported": "nominations_supported",
    "nominations_submitted": "nominations_submitted",
    "nominations_awarded": "nominations_awarded",
    "nominations_not_awarded": "nominations_not_awarded", "paid_mentors": "paid_mentors",
    "health_at_risk": "health_at_risk", "health_check": "health_check",
    "health_ending": "health_ending", "health_ok": "health_ok", "health_total": "health_all",
    "pairs_registered": "registered", "suggested": "suggested",
    "suggested_first": "suggested_first",
}  # fmt: skip

# The dashboard's tables made of registry rows (indicator, this year, the year before).
REGISTRY_TABLES = ("indicators", "stage1", "incentives", "health_status", "uptake")
# The registry rows both reports print as tables, besides the municipal report's main ones.
REPORT_ROWS = (
    tables.STAGE1_INDICATORS
    + tables.INCENTIVE_INDICATORS
    + tables.HEALTH_INDICATORS
    + tables.UPTAKE_INDICATORS
)


# Sentences the reports write from numbers (Russian), and the indicators they state.
SENTENCES = (
    (r"завершено в течение года: (\d+)", ("programs_completed",)),
    (r"работали пар: (\d+), групп: (\d+)", ("pairs", "groups")),
    (r"межорганизационных из них: (\d+)", ("inter",)),
    (r"Проведено встреч: (\d+)", ("meetings",)),
    (
        r"утверждено руководителем: (\d+), в черновике: (\d+)",
        ("programs_running", "programs_drafts"),
    ),
)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    return re.sub(r"(\w)‐ (\w)", r"\1\2", text)  # words hyphenated at a line end


def _from_excel(value):
    """A cell as openpyxl reads it back: dates come as midnight datetimes."""
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date()
    return value


def shown(value, percent: bool = False) -> str:
    cell = tables.Cell(value, note="%" if percent and value is not None else "")
    return cell.display + (f" {cell.note}" if cell.note else "")


def expected_values(scope: ind.Scope, year: str, today: datetime.date) -> dict[str, tuple]:
    """Each indicator computed on its own (not through a summary): (this year, the one before)."""
    before = previous_year(year)
    return {
        i.code: (i.compute(scope, year, today), i.compute(scope, before, today))
        for i in registry.INDICATORS
    }


def headings(kind: str) -> list[str]:
    """The sections each report must have, in Russian."""
    with translation.override("ru"):
        common = [
            pgettext("report section", "Summary"),
            gettext("Pairs and groups"),
            gettext("Incentives and events"),
        ]
        if kind == ReportKind.MUNICIPAL:
            return common + [
                gettext("Coverage and participants"),
                gettext("Programs and road maps"),
                gettext("Monitoring indicators"),
                gettext("Deficits closed by area"),
                gettext("Compliance with the deadlines of the order"),
                gettext("By the orders of the committee"),
                gettext("Accepted best practices"),
                gettext("Conclusions"),
                gettext("Annex 1. Conclusions of the organizations"),
                gettext("Annex %(annex_number)s. How the indicators are counted")
                % {"annex_number": 2},
            ]
        return common + [
            gettext("Coverage of the teachers who need a mentor"),
            gettext("Personalized programs and their results"),
            gettext("Diagnostics of difficulties at the start and the end"),
            gettext("Monitoring, stage 1: the process of the programs"),
            gettext("Monitoring, stage 2: the effect on the participants"),
            gettext("Compliance with the orders of the committee"),
            gettext("Best practices"),
            gettext("Conclusions, problems and proposals"),
            gettext("Annex %(annex_number)s. How the indicators are counted") % {"annex_number": 1},
        ]


def document_problems(report: Report, expected: dict, today: datetime.date) -> list[str]:
    """The report's PDF and Word copy against the separately computed indicators."""
    with translation.override("ru"):
        built = reports.build_documents(report, reports.report_context(report, today))
        text = pdf_text(built.pdf)
        word = docx_text(built.docx)
        problems = []
        label = report.get_kind_display()
        for heading in headings(report.kind):
            if heading not in text:
                problems.append(f"{label} PDF: section «{heading}» missing")
            if heading not in word:
                problems.append(f"{label} Word: section «{heading}» missing")
        for indicator in registry.INDICATORS:
            now, _before = expected[indicator.code]
            annex_pdf = f"{indicator.counts} {indicator.unit} {shown(now)}"
            annex_word = f"{indicator.counts} | {indicator.unit} | {shown(now)}"
            if annex_pdf not in text:
                problems.append(f"{label} PDF annex: {indicator.code} is not {shown(now)}")
            if annex_word not in word:
                problems.append(f"{label} Word annex: {indicator.code} is not {shown(now)}")
            if built.values["indicators"][indicator.code] != now:
                problems.append(f"{label} stored value of {indicator.code} differs")
        if report.kind == ReportKind.MUNICIPAL:
            codes = tables.MAIN_INDICATORS + REPORT_ROWS
        else:
            codes = REPORT_ROWS
        for code in codes:
            indicator = registry.get(code)
            now, before = expected[code]
            row = f"{indicator.name} {shown(now, indicator.percent)} {shown(before, indicator.percent)}"
            if row.replace(" ", "") not in text.replace(" ", ""):
                problems.append(f"{label} PDF table: «{row}» not found")
        if not any(now for now, _before in expected.values()):
            sentence = f"Данных за {report.academic_year} учебный год в портале нет."
            if sentence not in text:
                problems.append(f"{label} PDF: summary does not say «{sentence}»")
        else:
            # Every sentence written from a number, wherever it appears, says that number.
            for pattern, codes in SENTENCES:
                found = re.findall(pattern, text)
                if not found and any(expected[code][0] for code in codes):
                    problems.append(f"{label} PDF: no sentence «{pattern}»")
                for numbers in found:
                    numbers = numbers if isinstance(numbers, tuple) else (numbers,)
                    wanted = tuple(str(expected[code][0]) for code in codes)
                    if numbers != wanted:
                        problems.append(f"{label} PDF: «{pattern}» says {numbers}, not {wanted}")
        if "0 из 0" in text or "Status" in text or "status" in text:
            problems.append(f"{label} PDF: «0 из 0» or a status code")
    return problems


def problems(client, user, municipality, organization, year: str, today: datetime.date):
    """Every channel against every indicator, for the municipality and one organization."""
    scope = ind.Scope(municipality_id=municipality.pk)
    expected = expected_values(scope, year, today)
    found = []
    client.force_login(user)
    pass_second_factor(client, user)  # the committee signs in with a second factor

    # The dashboard and its Excel export, from the facts as the refresh job leaves them.
    facts.refresh_all()
    url = reverse("monitoring:dashboard")
    response = client.get(url, {"year": year})
    shown_tables = response.context["tables"]
    for key in REGISTRY_TABLES:
        for row in shown_tables[key].rows:
            code = row[0].code
            now, before = expected[code]
            if (row[1].value, row[2].value) != (now, before):
                found.append(f"dashboard {code}: {row[1].value}/{row[2].value} != {now}/{before}")
            if not row[0].hint:
                found.append(f"dashboard {code}: no definition beside the number")
        export = client.get(url, {"year": year, "export": "xlsx", "table": key})
        sheet = load_workbook(io.BytesIO(export.content)).active
        by_label = {r[0]: r[1:] for r in sheet.iter_rows(min_row=2, values_only=True)}
        for row in shown_tables[key].rows:
            if by_label.get(row[0].display) != (row[1].excel, row[2].excel):
                found.append(f"Excel {row[0].code}: {by_label.get(row[0].display)}")

    # The drill-down lists: their rows (the page's and the Excel export's, row by row) and
    # their count against the indicator. A past year of a «today» indicator (health) has no
    # number and no rows.
    for code, metric in ROW_COUNTED.items():
        now = expected[code][0]
        found_metric = drill.METRICS[metric]
        rows = list(found_metric.rows(scope, year, today))
        if len(rows) != (now or 0):
            found.append(f"drill {metric}: {len(rows)} rows, indicator {code} is {now}")
        wanted = [[cell.display for cell in found_metric.row(obj, today)] for obj in rows]
        page = client.get(reverse("monitoring:drill", args=[metric]), {"year": year})
        on_page = [[cell.display for cell in row] for row in page.context["rows"]]
        if on_page != wanted[: len(on_page)] or len(on_page) != min(len(wanted), 50):
            found.append(f"drill {metric}: the page's rows differ from the indicator's rows")
        export = client.get(
            reverse("monitoring:drill", args=[metric]), {"year": year, "export": "xlsx"}
        )
        sheet = load_workbook(io.BytesIO(export.content)).active
        if sheet.max_row - 1 != (now or 0):
            found.append(f"drill {metric} Excel: {sheet.max_row - 1} rows, {code} is {now}")
        excel_rows = [
            [_from_excel(value) for value in r]
            for r in sheet.iter_rows(min_row=2, values_only=True)
        ]
        wanted_excel = [  # an empty text cell reads back as None
            [cell.excel if cell.excel != "" else None for cell in found_metric.row(obj, today)]
            for obj in rows
        ]
        if excel_rows != wanted_excel:
            found.append(f"drill {metric} Excel: rows {excel_rows} are not {wanted_excel}")

    # The reports.
    municipal = Report(kind=ReportKind.MUNICIPAL, municipality=municipality, academic_year=year)
    found += document_problems(municipal, expected, today)
    org_scope = ind.Scope(municipality_id=municipality.pk, organization_id=organization.pk)
    own = Report(
        kind=ReportKind.ORGANIZATION,
        municipality=municipality,
        organization=organization,
        academic_year=year,
    )
    found += document_problems(own, expected_values(org_scope, year, today), today)
    return found
