"""A mentor who uses only the keyboard signs in, logs a meeting from the home page, hears the
error (the focus moves to the error summary, an alert), fixes it and saves."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from mentoring.models import Meeting
from tests.factories import DEFAULT_PASSWORD
from tests.programs.conftest import make_pair

MAX_TABS = 60


def tab_to(page, selector: str) -> None:
    """Press Tab until the element matching `selector` has the focus, as a keyboard user
    would; fail if it is not reachable within MAX_TABS presses."""
    target = page.locator(selector)
    for _ in range(MAX_TABS):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} is not reachable with the Tab key")


def focused(page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.tagName")


def test_keyboard_user_logs_a_meeting_and_is_told_about_the_error(
    district, live_server, page, screenshot
):
    pair = make_pair(district.school_a, district.mentor_a.person, [district.mentee_a.person])

    page.goto(f"{live_server.url}/accounts/login/")
    tab_to(page, "#id_username")  # has the focus already (autofocus)
    page.keyboard.type(district.mentor_a.username)
    page.keyboard.press("Tab")
    expect(page.locator("#id_password")).to_be_focused()
    page.keyboard.type(DEFAULT_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Добрый день")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()  # the first stop: «Перейти к содержанию»

    # «Записать встречу» is on the home page, one key press away once reached.
    tab_to(page, f'a[href="/mentoring/pairs/{pair.pk}/meetings/add/"]')
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Записать встречу")

    # Everything but the topic (date and mentees are filled in already), then Enter.
    tab_to(page, "#id_duration_minutes")
    page.keyboard.press("Enter")

    summary = page.locator("#error-summary")
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Форма не сохранена")
    expect(summary).to_contain_text("Тема")
    screenshot("keyboard_error_summary")

    # The summary's link leads to the field; type the topic and save with Enter.
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link", name="Тема")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#id_topic")).to_be_focused()
    page.keyboard.type("Разбор урока по дробям")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"/mentoring/pairs/{pair.pk}/(#.*)?$"))
    expect(page.get_by_role("alert").first).to_contain_text("Встреча записана")
    assert Meeting.objects.get(pair=pair).topic == "Разбор урока по дробям"
    assert focused(page)
