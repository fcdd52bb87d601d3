"""A curator's main journey: sign in, add a teacher, find them, take the list to Excel."""

from __future__ import annotations

import datetime
import re

from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

NEW_TEACHER = ("Королёва", "Алёна", "Игоревна")


def test_curator_adds_a_teacher_finds_them_without_yo_and_exports_the_list(
    district, live_server, page, sign_in, screenshot, tmp_path
):
    school = district.school_a
    staff_url = f"{live_server.url}/organizations/{school.pk}/staff/"

    sign_in(district.curator_a)
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))

    page.goto(staff_url)
    table = page.locator("table.table-staff")
    expect(table).to_contain_text("Ёлкина Алёна")

    page.locator(f"a[href='/organizations/{school.pk}/staff/add/']").first.click()
    expect(page).to_have_url(re.compile(r"/staff/add/$"))
    last_name, first_name, middle_name = NEW_TEACHER
    page.fill("#id_last_name", last_name)
    page.fill("#id_first_name", first_name)
    page.fill("#id_middle_name", middle_name)
    page.select_option("#id_position", label="учитель")
    hired_on = timezone.localdate() - datetime.timedelta(days=30)
    page.fill("#id_hired_on", hired_on.isoformat())  # a date input takes ISO, shows dd.mm.yyyy
    page.fill("#id_subjects", "английский язык")
    page.fill("#id_teaching_years", "1")
    page.fill("#id_career_years", "1")
    page.locator("[type=submit][name=save]").click()

    expect(page).to_have_url(re.compile(rf"/organizations/{school.pk}/staff/"))
    expect(page.locator(".alert-success")).to_contain_text("Королёва Алёна Игоревна")
    expect(table).to_contain_text("Королёва Алёна Игоревна")
    screenshot("staff_list")

    # Typed the way people type: lower case, «е» for «ё».
    page.fill("#id_q", "королева алена")
    page.locator("form[role=search] [type=submit]").click()
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text("Королёва Алёна Игоревна")
    expect(table).not_to_contain_text("Ёлкина")
    screenshot("staff_list_filtered")

    with page.expect_download() as download_info:
        page.locator("a[href*='export=xlsx']").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    sheet = load_workbook(saved, read_only=True).active
    rows = [row for row in sheet.iter_rows(values_only=True)]
    names = [tuple(row[:3]) for row in rows[1:]]
    assert names == [NEW_TEACHER]
    assert not any("Ёлкина" in str(row) for row in rows)


def test_a_wrong_password_keeps_the_curator_on_the_sign_in_page(district, page, sign_in):
    sign_in(district.curator_a, password="not-the-password")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("#id_password")).to_be_visible()
    expect(
        page.locator("form .alert-danger, form .invalid-feedback, .errorlist")
    ).not_to_have_count(0)
