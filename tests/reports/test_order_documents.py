"""Compliance per order of the committee in the annual documents: the municipal and the
organization's report (PDF and Word) print each order — its number, date, points with their
deadlines, to whom it applies — and each organization on time, late or not done, read from
`monitoring.indicators.order_compliance`, the function the dashboard shows."""

from __future__ import annotations

import datetime
import io

import pytest
from docx import Document

from core.docx import docx_text
from monitoring import indicators as ind
from monitoring.models import ActType, DeadlineKind, LocalAct, Order, OrderPoint
from monitoring.reference import load_orders
from orgs.models import OrganizationKind
from reports import services as reports
from reports.models import Report, ReportKind
from tests.factories import OrganizationFactory
from tests.reports.conftest import pdf_text

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 10)
YEAR = "2026/2027"


@pytest.fixture
def orders(district):
    """The kindergarten example of the issue: one adopted its regulation on 15.08.2026, one
    on 22.07.2026; order No. 182 of 2022 and a later order for kindergartens (by 01.08.2026)."""
    august = district.kindergarten_b
    LocalAct.objects.create(organization=august, type=ActType.REGULATION, number="3",
                            adopted_on=datetime.date(2026, 8, 15))  # fmt: skip
    july = OrganizationFactory(
        municipality=district.municipality, kind=OrganizationKind.PRESCHOOL,
        short_name="Детский сад «Июльский»",
    )  # fmt: skip
    LocalAct.objects.create(organization=july, type=ActType.REGULATION, number="5",
                            adopted_on=datetime.date(2026, 7, 22),
                            published_on=datetime.date(2026, 7, 25),
                            url="https://iyul.example.org/nastavnichestvo")  # fmt: skip
    load_orders(Order, OrderPoint, district.municipality)
    later = Order.objects.create(
        municipality=district.municipality, number="95", signed_on=datetime.date(2026, 6, 2),
        title="О переутверждении положений", organization_kind=OrganizationKind.PRESCHOOL,
    )  # fmt: skip
    OrderPoint.objects.create(order=later, kind=DeadlineKind.REGULATION_ADOPTED,
                              due_on=datetime.date(2026, 8, 1))  # fmt: skip
    OrderPoint.objects.create(order=later, kind=DeadlineKind.REGULATION_PUBLISHED,
                              due_on=datetime.date(2026, 8, 10))  # fmt: skip
    return august, july


def _documents(report: Report):
    built = reports.build_documents(report, reports.report_context(report, TODAY))
    return pdf_text(built.pdf), built.docx


def _word_row(docx: bytes, title_part: str, organization: str) -> tuple[list[str], list[str]]:
    """The header and the organization's row of the order's table in the Word copy (the
    table follows the order's title)."""
    document = Document(io.BytesIO(docx))
    body = list(document.element.body.iterchildren())
    tables = {table._tbl: table for table in document.tables}
    seen_title = False
    for child in body:
        tag = child.tag.rsplit("}", 1)[-1]
        text = "".join(node.text or "" for node in child.iter() if node.tag.endswith("}t"))
        if tag == "p" and title_part in text:
            seen_title = True
        elif tag == "tbl" and seen_title:
            rows = [[cell.text for cell in row.cells] for row in tables[child].rows]
            return rows[0], next(row for row in rows if row[0] == organization)
    raise AssertionError(f"no table after «{title_part}»")


def test_municipal_report_prints_every_order_with_its_deadlines_and_each_organization(
    district, orders
):
    august, july = orders
    order_182 = Order.objects.get(number="182")
    report = Report(
        kind=ReportKind.MUNICIPAL, municipality=district.municipality, academic_year=YEAR
    )
    text, docx = _documents(report)

    title_182 = f"Сроки приказа № 182 от 12.05.2022 «{order_182.title}»"
    assert title_182 in text
    assert "Сроки приказа № 95 от 02.06.2026 «О переутверждении положений»" in text
    assert "Распространяется на все организации муниципалитета." in text
    assert "Распространяется на организации типа «дошкольная»." in text
    for header in (
        "положение принято (срок — 01.08.2022)",
        "положение размещено на сайте (срок — 06.08.2022)",
        "система наставничества работает (срок — 01.09.2022)",
        "положение принято (срок — 01.08.2026)",
    ):
        assert header in text.lower(), header
    # Against order No. 182 both kindergartens are four years late; against No. 95 the July
    # one is on time and the August one 14 days late.
    assert "22.07.2026 с опозданием: просрочено на 1451 день" in text
    assert "15.08.2026 с опозданием: просрочено на 1475 дней" in text
    assert "22.07.2026 в срок" in text
    assert "15.08.2026 с опозданием: просрочено на 14 дней" in text
    assert "не выполнено" in text  # August never published its regulation

    header, row = _word_row(docx, "Сроки приказа № 95", july.short_name)
    assert header[2:4] == [
        "положение принято (срок — 01.08.2026)",
        "положение размещено на сайте (срок — 10.08.2026)",
    ]
    assert row[2] == "22.07.2026 в срок" and row[3] == "25.07.2026 в срок"
    _header, row = _word_row(docx, "Сроки приказа № 95", august.short_name)
    assert row[2] == "15.08.2026 с опозданием: просрочено на 14 дней"
    assert row[3].startswith("— не выполнено")
    _header, row = _word_row(docx, "Сроки приказа № 182", july.short_name)
    assert row[2] == "22.07.2026 с опозданием: просрочено на 1451 день"


def test_the_documents_read_the_dashboards_function(district, orders):
    """Every organization of every order of the dashboard's function is in the report."""
    scope = ind.Scope(municipality_id=district.municipality.pk)
    report = Report(
        kind=ReportKind.MUNICIPAL, municipality=district.municipality, academic_year=YEAR
    )
    text, docx = _documents(report)
    word = docx_text(docx)
    for result in ind.order_compliance(scope, TODAY):
        for row in result.rows:
            assert row.organization.short_name in text
            late = sum(1 for check in row.checks if check.is_late)
            assert late == row.late_count
        assert f"№ {result.order.number} от" in word


def test_organization_report_prints_the_orders_binding_it_and_only_its_own_row(district, orders):
    august, july = orders
    report = Report(
        kind=ReportKind.ORGANIZATION,
        municipality=district.municipality,
        organization=august,
        academic_year=YEAR,
    )
    text, docx = _documents(report)
    assert "Соблюдение сроков приказов комитета" in text
    assert "Сроки приказа № 182 от 12.05.2022" in text
    assert "Сроки приказа № 95 от 02.06.2026" in text
    assert "15.08.2026 с опозданием: просрочено на 1475 дней" in text
    assert "15.08.2026 с опозданием: просрочено на 14 дней" in text
    assert july.short_name not in text
    _header, row = _word_row(docx, "Сроки приказа № 95", august.short_name)
    assert row[2] == "15.08.2026 с опозданием: просрочено на 14 дней"
    assert "Соблюдение сроков приказов комитета" in docx_text(docx)


def test_a_school_report_does_not_print_the_kindergarten_order(district, orders):
    report = Report(
        kind=ReportKind.ORGANIZATION,
        municipality=district.municipality,
        organization=district.school_a,
        academic_year=YEAR,
    )
    text, _docx = _documents(report)
    assert "Сроки приказа № 182" in text
    assert "Сроки приказа № 95" not in text
