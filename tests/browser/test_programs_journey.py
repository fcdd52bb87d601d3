"""The programs journey in real Chromium: self-diagnosis → a program from the deficits →
the curator approves it → the PDF for signing downloads."""

from __future__ import annotations

import io
import re

from playwright.sync_api import expect
from pypdf import PdfReader

from programs.models import DifficultyItem, Program, ProgramStatus
from tests.programs.conftest import make_pair

ACTIVITIES = (
    ("Посещение уроков наставника", "2026-10-15"),
    ("Разработка технологической карты урока", "2026-11-20"),
    ("Открытый урок с цифровыми ресурсами", "2027-02-10"),
)


def test_mentee_diagnoses_mentor_builds_a_program_curator_approves_and_the_pdf_downloads(
    district, live_server, page, sign_in, screenshot, tmp_path
):
    mentee = district.mentee_a.person
    pair = make_pair(district.school_a, district.mentor_a.person, [mentee])

    # The mentee fills the self-diagnosis: methods and ICT are hard, the subject is easy.
    sign_in(district.mentee_a)
    page.goto(f"{live_server.url}/programs/")
    page.locator(f"a[href='/programs/diagnostics/{pair.pk}/{mentee.pk}/']").click()
    page.locator("#fill-self-start").click()
    for item in DifficultyItem.objects.select_related("area"):
        score = {"metod": 1, "ikt": 2, "predmet": 4}.get(item.area.code, 3)
        page.locator(f"input[name='item_{item.pk}'][value='{score}']").check()
    screenshot("programs_diagnosis")
    page.locator("form.diagnostic-form [type=submit]").click()
    deficits = page.locator(".result-deficits")
    expect(deficits).to_contain_text("методические")
    expect(deficits).to_contain_text("ИКТ-компетенции")
    expect(deficits).not_to_contain_text("предметно-профессиональные")

    # The mentor builds the program from the shown deficits, with three activities.
    page.context.clear_cookies()
    sign_in(district.mentor_a)
    page.goto(f"{live_server.url}/programs/diagnostics/{pair.pk}/{mentee.pk}/")
    page.locator("#build-program").click()
    expect(page.locator(".shown-deficits")).to_contain_text("методические")
    expect(page.locator("input[name=deficits]:checked")).to_have_count(2)
    page.fill("#id_goals", "Научиться планировать урок и применять цифровые ресурсы")
    page.locator("[type=submit][name=save]").click()
    expect(page).to_have_url(re.compile(r"/programs/\d+/$"))
    program = Program.objects.get(pair=pair, mentee=mentee)
    for title, date in ACTIVITIES:
        page.locator("#add-activity").click()
        page.fill("#id_title", title)
        page.fill("#id_planned_on", date)
        page.select_option("#id_area", label="методические")
        page.locator("[type=submit][name=save]").click()
        expect(page.locator("table.table-roadmap")).to_contain_text(title)
    expect(page.locator("table.table-roadmap tbody tr")).to_have_count(3)
    expect(page.locator("button[name=approve]")).to_have_count(0)
    screenshot("programs_card_mentor")

    # The curator approves it.
    page.context.clear_cookies()
    sign_in(district.curator_a)
    page.goto(f"{live_server.url}/programs/{program.pk}/")
    page.locator("button[name=approve]").click()
    expect(page.locator(".alert-success")).to_contain_text("утверждена")
    program.refresh_from_db()
    assert program.status == ProgramStatus.APPROVED

    # The PDF for signing downloads.
    with page.expect_download() as download_info:
        page.locator("#program-pdf").click()
    saved = tmp_path / "program.pdf"
    download_info.value.save_as(saved)
    content = saved.read_bytes()
    assert content.startswith(b"%PDF")
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split()
    )
    assert mentee.full_name in text
    assert "УТВЕРЖДАЮ" in text
    for title, _date in ACTIVITIES:
        assert title in text
