"""Mentoring journeys in real Chromium: (a) a curator confirms a candidate, picks a mentor of
another school from the bank and registers and starts the pair; (b) that mentor logs an
online meeting with a link from "my pairs", and the mentee sees and confirms it."""

from __future__ import annotations

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from mentoring.models import MeetingAttendance, MentorProfile, Pair, PairStatus, Topic
from orgs.models import Role
from tests.factories import EmploymentFactory, PersonFactory, RoleFactory, UserFactory


def test_curator_registers_a_pair_across_schools_and_the_mentee_confirms_a_meeting(
    district, live_server, page, sign_in, screenshot
):
    school_a, school_b = district.school_a, district.school_b
    # A newcomer of school A, who will have an account as a mentee.
    newcomer = PersonFactory(last_name="Новикова", first_name="Анна", middle_name="Сергеевна")
    EmploymentFactory(
        organization=school_a,
        person=newcomer,
        hired_on=timezone.localdate() - datetime.timedelta(days=20),
        subjects="физика",
    )
    mentee_user = UserFactory(username="novikova", person=newcomer)
    RoleFactory(user=mentee_user, role=Role.MENTEE, organization=school_a)
    # A physics mentor of school B in the municipal bank.
    mentor = PersonFactory(last_name="Кедрова", first_name="Вера", middle_name="Ивановна")
    EmploymentFactory(organization=school_b, person=mentor, subjects="физика")
    profile = MentorProfile.objects.create(
        person=mentor,
        organization=school_b,
        results="Призёр краевого конкурса «Учитель года»",
        topics=[Topic.SUBJECT, Topic.METHODS],
        max_mentees=2,
    )
    mentor_user = UserFactory(username="kedrova", person=mentor)
    RoleFactory(user=mentor_user, role=Role.MENTOR, organization=school_b)

    # (a) The curator of school A ---------------------------------------------------------
    sign_in(district.curator_a)
    page.goto(f"{live_server.url}/mentoring/needs/organization/{school_a.pk}/")
    page.get_by_role("button", name=re.compile("Найти кандидатов")).click()
    row = page.locator('[data-testid="need-Новикова"]')
    expect(row).to_contain_text("новый педагог организации")
    expect(row).to_contain_text("предложен")
    row.get_by_role("button", name="Подтвердить").click()
    expect(page.locator('[data-testid="need-Новикова"]')).to_contain_text("подтверждён")
    screenshot("mentoring_needs")

    page.goto(f"{live_server.url}/mentoring/mentors/")
    page.fill("#id_subject", "физика")
    page.locator("form[role=search] [type=submit]").click()
    expect(page.locator("table tbody tr")).to_have_count(1)
    expect(page.locator("table")).to_contain_text("Таловская СОШ")
    page.locator(f'[data-testid="choose-mentor-{profile.pk}"]').click()

    expect(page).to_have_url(re.compile(r"/mentoring/pairs/add/"))
    expect(page.locator("#id_mentor")).to_have_value(str(profile.pk))
    page.get_by_label("Новикова Анна Сергеевна").check()
    page.select_option("#id_form", label="педагог – педагог")
    page.select_option("#id_kind", label="виртуальное (дистанционное)")
    page.fill("#id_topic", "Решение задач по физике")
    page.fill("#id_planned_start", "2026-09-01")
    page.fill("#id_planned_end", "2027-05-31")
    page.fill("#id_order_number", "57-о")
    page.fill("#id_order_date", "2026-08-29")
    page.get_by_role("button", name="Зарегистрировать").click()

    expect(page.locator(".alert-success")).to_contain_text("Пара зарегистрирована как черновик")
    expect(page.locator('[data-testid="pair-status"]')).to_contain_text("черновик")
    page.get_by_role("button", name="Начать работу").click()
    expect(page.locator(".alert-success")).to_contain_text("Пара начала работу")
    expect(page.locator('[data-testid="pair-status"]')).to_contain_text("действует")
    screenshot("mentoring_pair_card")
    pair = Pair.objects.get()
    assert pair.status == PairStatus.ACTIVE
    assert pair.organization == school_a and pair.mentor == mentor

    # (b) The mentor of school B logs an online meeting -------------------------------------
    page.context.clear_cookies()
    sign_in(mentor_user)
    page.goto(f"{live_server.url}/mentoring/my/pairs/")
    card = page.locator(f'[data-testid="my-pair-{pair.pk}"]')
    card.get_by_text("Быстрая запись встречи").click()
    held_at = timezone.localtime() - datetime.timedelta(days=1)
    page.fill(f"#p{pair.pk}_held_at", held_at.strftime("%Y-%m-%dT%H:%M"))
    card.get_by_label("онлайн").check()
    page.fill(f"#p{pair.pk}_link", "https://sferum.ru/?call_link=fizika")
    page.fill(f"#p{pair.pk}_topic", "Задачи на законы Ньютона")
    card.get_by_role("button", name="Записать встречу").click()
    expect(card.locator(".alert-success")).to_contain_text("записана")
    screenshot("mentoring_my_pairs")

    # ...and the mentee confirms it.
    page.context.clear_cookies()
    sign_in(mentee_user)
    page.goto(f"{live_server.url}/mentoring/my/mentor/")
    expect(page.locator("main")).to_contain_text("Кедрова Вера Ивановна")
    meeting_row = page.locator('[data-testid^="my-meeting-"]')
    expect(meeting_row).to_contain_text("Задачи на законы Ньютона")
    expect(meeting_row.get_by_role("link", name="ссылка")).to_have_attribute(
        "href", "https://sferum.ru/?call_link=fizika"
    )
    meeting_row.get_by_role("button", name="Подтвердить встречу").click()
    expect(page.locator(".alert-success")).to_contain_text("встреча подтверждена")
    expect(page.locator('[data-testid^="my-meeting-"]')).to_contain_text("подтверждено")
    screenshot("mentoring_my_mentor")
    attendance = MeetingAttendance.objects.get()
    assert attendance.person == newcomer
    assert attendance.confirmed_at is not None
