"""The coordinator's monitoring journey: the dashboard, kindergartens of the last year, the
overdue activities behind the number, and the same list in Excel."""

from __future__ import annotations

import re

from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from mentoring.models import academic_year_of
from monitoring import facts
from monitoring.indicators import previous_year
from tests.monitoring.conftest import dataset  # noqa: F401  (the hand-made data set)


def test_coordinator_filters_kindergartens_of_last_year_drills_down_and_exports(
    dataset,  # noqa: F811
    live_server,
    page,
    sign_in,
    screenshot,
    tmp_path,
):
    facts.refresh_all()  # the recount job has run since the records were made
    last_year = previous_year(academic_year_of(timezone.localdate()))
    sign_in(dataset.district.coordinator)
    page.goto(f"{live_server.url}/monitoring/")
    expect(page.locator("#table-indicators")).to_be_visible()
    expect(page.locator("#table-compliance")).to_contain_text("Барановская СОШ")
    expect(page.locator("svg").first).to_be_visible()
    screenshot("dashboard")

    page.select_option("#id_kind", "preschool")
    page.select_option("#id_year", last_year)
    page.locator("form[role=search] [type=submit]").click()
    expect(page).to_have_url(re.compile(r"kind=preschool"))
    compliance = page.locator("#table-compliance")
    expect(compliance).to_contain_text("Детский сад «Сказка»")
    expect(compliance).not_to_contain_text("Барановская СОШ")
    screenshot("dashboard_kindergartens")

    overdue = page.locator("#table-indicators a[href*='/monitoring/drill/overdue/']").first
    expect(overdue).to_have_text("1")
    overdue.click()
    expect(page).to_have_url(re.compile(r"/monitoring/drill/overdue/\?.*kind=preschool"))
    table = page.locator("#drill-table")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text("Мастер-класс")
    expect(table).to_contain_text("Садовая Нина")
    screenshot("drill_overdue")

    with page.expect_download() as download_info:
        page.locator("a[href*='export=xlsx']").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    rows = list(load_workbook(saved, read_only=True).active.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == "Мастер-класс"
    assert "Детский сад «Сказка»" in rows[1]
