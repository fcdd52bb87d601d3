"""The curator opens a candidate, sees three suggested mentors with their reasons, takes the
second and registers the pair; 21 days without meetings later (time-machine) the pair turns
«нужна проверка» on the curator's home page."""

from __future__ import annotations

import datetime
import re

import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from mentoring import services
from mentoring.models import NeedReason, NeedStatus, Pair, PairStatus, Topic
from programs.models import Program
from tests.matching.conftest import bank_mentor, diagnose, teacher


def test_curator_takes_the_second_suggestion_and_later_sees_the_pair_needs_a_check(
    district, live_server, page, sign_in, screenshot
):
    school = district.school_a
    today = timezone.localdate()
    mentee = teacher(school, last_name="Новикова", years=1)
    diagnose(
        mentee, school, low=("metod", "ikt", "psih_ped"), on=today - datetime.timedelta(days=3)
    )
    entry = services.need_add(
        user=district.curator_a,
        organization=school,
        person=mentee,
        reason=NeedReason.YOUNG_SPECIALIST,
        today=today,
    )
    services.need_decide(
        user=district.curator_a, entry=entry, status=NeedStatus.CONFIRMED, today=today
    )
    bank_mentor(school, last_name="Аксёнова", topics=(Topic.METHODS, Topic.PSYCHOLOGY))
    second = bank_mentor(school, last_name="Борисова", topics=(Topic.METHODS,))
    bank_mentor(district.school_b, last_name="Васильева", topics=(Topic.PSYCHOLOGY,))
    bank_mentor(district.school_b, last_name="Григорьева", subjects="химия")

    sign_in(district.curator_a)
    page.goto(f"{live_server.url}/mentoring/needs/organization/{school.pk}/")
    page.locator(f'[data-testid="suggest-mentor-{mentee.pk}"]').click()
    expect(page).to_have_url(re.compile(r"/matching/suggest/"))
    cards = page.locator('[data-testid="suggestion"]')
    expect(cards).to_have_count(3)
    expect(cards.nth(0)).to_contain_text("Аксёнова")
    expect(cards.nth(0)).to_contain_text("силён в 2 из 3 затруднений наставляемого")
    expect(cards.nth(1)).to_contain_text("Борисова")
    for n in range(3):
        expect(cards.nth(n).locator('[data-testid="reasons"] li').first).to_be_visible()
    expect(cards.nth(1)).to_contain_text("работает в той же организации")
    screenshot("matching_suggestions")

    cards.nth(1).locator('[data-testid="take"]').click()
    expect(page).to_have_url(re.compile(r"/mentoring/pairs/add/"))
    expect(page.locator("#id_mentor")).to_have_value(str(second.pk))
    page.fill("#id_topic", "Планирование урока")
    page.fill("#id_planned_start", today.isoformat())
    page.fill("#id_planned_end", (today + datetime.timedelta(days=200)).isoformat())
    page.fill("#id_order_number", "12-о")
    page.fill("#id_order_date", today.isoformat())
    page.get_by_role("button", name="Зарегистрировать").click()
    expect(page.locator(".alert-success")).to_contain_text("Пара зарегистрирована как черновик")
    page.get_by_role("button", name="Начать работу").click()
    expect(page.locator('[data-testid="pair-status"]')).to_contain_text("действует")
    pair = Pair.objects.get(mentor=second.person)
    assert pair.status == PairStatus.ACTIVE and pair.suggestion_rank == 2
    expect(page.locator('[data-testid="pair-health-card"]')).to_be_visible()
    Program.objects.create(
        pair=pair, mentee=mentee, form=pair.form, kind=pair.kind,
        starts_on=pair.planned_start, ends_on=pair.planned_end, goals="Освоить планирование",
    )  # fmt: skip

    health = page.locator('[data-testid="pair-health"]')
    attention = health.locator('[data-testid="attention-pair"]')
    for days in (20, 21):
        moment = timezone.make_aware(
            datetime.datetime.combine(today + datetime.timedelta(days=days), datetime.time(10))
        )
        with time_machine.travel(moment, tick=True):
            page.context.clear_cookies()
            sign_in(district.curator_a)
            if days == 20:
                expect(health.locator('[data-testid="health-count-ok"]')).to_contain_text("1")
                expect(attention).to_have_count(0)
            else:
                expect(health.locator('[data-testid="health-count-check"]')).to_contain_text("1")
                expect(attention).to_have_count(1)
                expect(attention).to_contain_text("нужна проверка")
                expect(attention).to_contain_text("Планирование урока")
                expect(attention).to_contain_text("нет встреч 21 дн.")
                screenshot("matching_home_needs_check")
                # The pair's own card says the same, in words.
                page.goto(f"{live_server.url}{pair.get_absolute_url()}")
                card = page.locator('[data-testid="pair-health-card"]')
                expect(card).to_contain_text("нужна проверка")
                expect(card).to_contain_text("нет встреч 21 дн.")
                screenshot("matching_pair_card_needs_check")
