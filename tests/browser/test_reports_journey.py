"""Reports in real Chromium: the coordinator orders the municipal report, watches its status
turn to ready without reloading (htmx polling) and downloads the PDF.

The build is held back when ordered (as if the worker were busy) and then run in the test,
as the worker would; the page must notice by itself.
"""

from __future__ import annotations

import io

from playwright.sync_api import expect
from pypdf import PdfReader

from reports import services as reports
from reports.models import Report, ReportStatus


def test_coordinator_orders_the_municipal_report_sees_it_ready_and_downloads_the_pdf(
    district, live_server, page, sign_in, screenshot, monkeypatch, tmp_path
):
    held = []
    monkeypatch.setattr(reports, "enqueue_build", lambda pk, **kwargs: held.append(pk))
    sign_in(district.coordinator)
    page.goto(f"{live_server.url}/")
    page.locator("nav.navbar").get_by_role("link", name="Отчёты", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/reports/")

    page.select_option("#id_kind", "municipal")
    page.locator("#report-order-form [type=submit]").click()
    report = Report.objects.get()
    row = page.locator(f"#report-{report.pk}")
    expect(row).to_have_attribute("data-status", "queued")
    expect(page.locator("#report-table")).to_have_attribute("data-hx-trigger", "every 3s")
    screenshot("reports_queued")

    assert held == [report.pk]
    reports.report_build(report.pk)  # the worker's part
    expect(row).to_have_attribute("data-status", "ready", timeout=15_000)
    expect(page.locator("#report-table")).not_to_have_attribute("data-hx-trigger", "every 3s")
    screenshot("reports_ready")

    with page.expect_download() as download_info:
        row.locator("[data-download]").click()
    path = tmp_path / "report.pdf"
    download_info.value.save_as(path)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(path.read_bytes())).pages)
    assert district.municipality.committee_name in " ".join(text.split())
    assert Report.objects.get().status == ReportStatus.READY
