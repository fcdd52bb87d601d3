"""Journeys of issue 13: the curator holds a council meeting that corrects a program and prints
the protocol; the curator issues the order fixing two pairs and starts them; an anonymous
visitor opens the committee's public page, then a school's."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from community import services
from mentoring.models import Pair, PairStatus
from programs import services as programs_services
from programs.models import DifficultyArea
from public import services as public_services
from tests.community.conftest import TODAY
from tests.programs.conftest import make_pair, program_data


@pytest.fixture
def program(district):
    pair = make_pair(district.school_a, district.mentor_a.person, [district.mentee_a.person])
    areas = {area.code: area for area in DifficultyArea.objects.all()}
    return programs_services.program_create(
        user=district.mentor_a, pair=pair, mentee=district.mentee_a.person, data=program_data(areas)
    )


@pytest.fixture
def drafts(district):
    return [
        make_pair(district.school_a, district.mentor_a.person, [person], status=PairStatus.DRAFT)
        for person in (district.mentee_a.person, district.teacher_a.person)
    ]


def test_curator_holds_a_council_meeting_that_corrects_a_program_and_prints_the_protocol(
    district,
    program,
    live_server,
    page,
    sign_in,
    screenshot,
    tmp_path,
):
    services.council_member_add(
        user=district.curator_a,
        organization=district.school_a,
        person=district.mentor_a.person,
        joined_on=TODAY,
    )
    sign_in(district.curator_a)
    page.goto(f"{live_server.url}/community/council/{district.school_a.pk}/")
    expect(page.get_by_test_id("council-members")).to_contain_text(
        district.mentor_a.person.full_name
    )
    page.get_by_role("link", name="Провести заседание").click()
    page.fill("#id_held_on", TODAY.isoformat())
    page.fill("#id_agenda", "Анализ входной диагностики и корректировка программ")
    page.get_by_label(district.mentor_a.person.full_name).check()
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator("h1")).to_contain_text("Протокол № 1 от 10.11.2026")

    page.select_option("#id_kind", value="correct_program")
    page.fill("#id_text", "Добавить посещение уроков наставника по функциональной грамотности")
    page.select_option("#id_program", value=str(program.pk))
    page.get_by_role("button", name="Записать решение").click()
    expect(page.get_by_test_id("decisions")).to_contain_text("функциональной грамотности")
    screenshot("council_meeting")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF").click()
    saved = tmp_path / "protocol.pdf"
    download_info.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")

    page.goto(f"{live_server.url}{program.get_absolute_url()}")
    expect(page.get_by_test_id("program-corrections")).to_contain_text(
        "по решению МО наставников, протокол № 1 от 10.11.2026"
    )


def test_curator_issues_the_order_fixing_two_pairs_and_starts_them(
    district,
    drafts,
    live_server,
    page,
    sign_in,
    screenshot,
    tmp_path,
):
    sign_in(district.curator_a)
    page.goto(f"{live_server.url}/community/orders/")
    page.get_by_role("link", name="Приказ о закреплении пар").click()
    page.fill("#id_number", "15-о")
    page.fill("#id_date", TODAY.isoformat())
    for draft in drafts:
        page.locator(f"input[name=pairs][value='{draft.pk}']").check()
    page.get_by_role("button", name="Сформировать приказ").click()
    expect(page.locator("h1")).to_contain_text("Приказ № 15-о от 10.11.2026")
    expect(page.get_by_test_id("order-versions")).to_contain_text("Версия 1")
    screenshot("order_detail")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^\W*PDF$")).click()
    saved = tmp_path / "order.pdf"
    download_info.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")

    page.get_by_role("button", name=re.compile(r"Запустить 2 пары")).click()
    for draft in drafts:
        expect(page.get_by_test_id(f"pair-status-{draft.pk}")).to_have_text("действует")
    assert set(
        Pair.objects.filter(pk__in=[p.pk for p in drafts]).values_list("status", flat=True)
    ) == {PairStatus.ACTIVE}

    # A name was misspelt: the order is issued again, and the first version stays.
    page.get_by_label("Причина повторного издания").fill("Исправлена опечатка в фамилии")
    page.get_by_role("button", name="Издать повторно").click()
    versions = page.get_by_test_id("order-versions")
    expect(versions).to_contain_text("Версия 2")
    expect(versions).to_contain_text("Исправлена опечатка в фамилии")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF Версия 1").click()
    assert download_info.value.suggested_filename.endswith("-v1.pdf")


def test_an_anonymous_visitor_opens_the_committee_page_then_a_school_page(
    district, live_server, page, screenshot
):
    committee = public_services.committee_page(district.municipality)
    public_services.organization_page(district.school_a)
    public_services.page_update(
        user=district.coordinator,
        page=committee,
        data=public_services.PageData(
            intro="Система наставничества района.",
            documents="Приказ № 182 от 12.05.2022 — https://example.org/182.pdf",
            contacts="тел. 2-00-00",
        ),
    )
    page.goto(f"{live_server.url}/public/{committee.slug}/")
    expect(page.locator("h1")).to_contain_text("Наставничество")
    expect(page.get_by_role("link", name="Приказ № 182 от 12.05.2022")).to_be_visible()
    screenshot("public_committee")
    page.get_by_test_id("public-organizations").get_by_role(
        "link", name=district.school_a.short_name
    ).click()
    expect(page.locator("h1")).to_contain_text(district.school_a.short_name)
    expect(page.get_by_role("heading", name="Совет наставников")).to_be_visible()
    screenshot("public_school")
