"""The program list, a program's card and the bank cost the same number of queries for 10
rows as for 500."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentoring.models import MentoringForm, Pair, PairMentee, PairStatus
from orgs.models import Person
from programs.models import Activity, Product, ProductStatus, Program
from tests.programs.conftest import END, START


def queries(client, url: str) -> int:
    client.get(url)  # warm up: session, sites, content types
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def add_programs(district, count: int, tag: str) -> list[Program]:
    forms = {form.code: form for form in MentoringForm.objects.all()}
    people = Person.objects.bulk_create(
        Person(
            last_name=f"Наставляемая{tag}{n}",
            first_name="Ольга",
            search_key=f"наставляемая{tag}{n} ольга",
        )
        for n in range(count)
    )
    pairs = Pair.objects.bulk_create(
        Pair(
            organization=district.school_a,
            mentor=district.mentor_a.person,
            form=forms["pedagog_pedagog"],
            kind=forms["tradicionnoe"],
            topic="Тема",
            planned_start=START,
            planned_end=END,
            status=PairStatus.ACTIVE,
        )
        for _ in range(count)
    )
    PairMentee.objects.bulk_create(
        PairMentee(pair=p, person=m) for p, m in zip(pairs, people, strict=True)
    )
    programs = Program.objects.bulk_create(
        Program(
            pair=p, mentee=m, form=p.form, kind=p.kind, starts_on=START, ends_on=END, goals="Цели"
        )
        for p, m in zip(pairs, people, strict=True)
    )
    Activity.objects.bulk_create(
        Activity(program=program, title="Шаг", planned_on=datetime.date(2026, 10, 1))
        for program in programs
    )
    return programs


def test_the_program_list_costs_the_same_for_10_and_500_programs(district, client_for):
    client = client_for(district.coordinator)
    url = reverse("programs:program_list") + "?status=draft"
    add_programs(district, 10, "a")
    small = queries(client, url)
    add_programs(district, 490, "b")
    assert queries(client, url) == small


def test_a_program_card_costs_the_same_for_10_and_500_activities(district, client_for, program):
    client = client_for(district.mentor_a)
    url = reverse("programs:program_detail", args=[program.pk])
    Activity.objects.bulk_create(
        Activity(program=program, title=f"Шаг {n}", planned_on=datetime.date(2026, 10, 1))
        for n in range(8)
    )
    small = queries(client, url)
    Activity.objects.bulk_create(
        Activity(
            program=program,
            title=f"Шаг {n}",
            planned_on=datetime.date(2026, 10, 2),
            result="готово",
            status="done",
        )
        for n in range(490)
    )
    assert queries(client, url) == small


def add_products(district, count: int) -> None:
    Product.objects.bulk_create(
        Product(
            title=f"Конспект {n}",
            kind="lesson",
            file="programs/bank/x.pdf",
            file_name="x.pdf",
            author=district.teacher_a.person,
            organization=district.school_a,
            position=district.teacher_a.position,
            status=ProductStatus.ACCEPTED,
        )
        for n in range(count)
    )


def test_the_bank_costs_the_same_for_10_and_500_products(district, client_for):
    client = client_for(district.curator_b)
    url = reverse("programs:bank") + "?kind=lesson"
    add_products(district, 10)
    small = queries(client, url)
    add_products(district, 490)
    assert queries(client, url) == small
