"""The route (ИОМ) as a document to sign, PDF and Word: УТВЕРЖДАЮ with the head's name and
position, the mentor and the curator by name, «С маршрутом ознакомлен(а)» for the teacher,
no status codes, and the signatures never alone on the last page (read with pdftotext)."""

from __future__ import annotations

import datetime
import io
import re
import subprocess
import tempfile

import pytest
import time_machine
from django.urls import reverse
from docx import Document

from programs import services
from programs.models import RouteItemKind
from tests.factories import EmploymentFactory, PersonFactory
from tests.programs.conftest import TODAY, make_pair

pytestmark = pytest.mark.django_db

CODES = re.compile(r"\b(draft|active|completed|planned|done|carried|status|None)\b")


@pytest.fixture
def named(district):
    """Real names behind the head and the curator of school A."""
    head = PersonFactory(last_name="Корнилова", first_name="Галина", middle_name="Петровна")
    EmploymentFactory(person=head, organization=district.school_a)
    district.head_a.person = head
    district.head_a.save()
    curator = PersonFactory(last_name="Светлова", first_name="Ирина", middle_name="Николаевна")
    district.curator_a.person = curator
    district.curator_a.save()
    with time_machine.travel(TODAY, tick=False):
        yield district


def _route(district, items: int = 1):
    route = services.route_create(
        user=district.mentee_a,
        person=district.mentee_a.person,
        organization=district.school_a,
        data=services.RouteData(
            datetime.date(2026, 9, 1), datetime.date(2030, 9, 1), "Учитель-исследователь"
        ),
    )
    for number in range(items):
        services.route_item_save(
            user=district.mentee_a,
            route=route,
            today=TODAY,
            data=services.RouteItemData(
                kind=RouteItemKind.TRIAL,
                title=f"Урок-исследование № {number + 1}",
                planned_start=datetime.date(2027, 1, 10),
                planned_end=datetime.date(2027, 2, 10),
            ),
        )
    return route


def pdftotext_pages(content: bytes) -> list[str]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(content)
        file.flush()
        text = subprocess.run(
            ["pdftotext", "-layout", file.name, "-"], capture_output=True, text=True, check=True
        ).stdout
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


def initials(person) -> str:
    return f"{person.first_name[0]}. {person.middle_name[0]}. {person.last_name}"


def test_route_pdf_names_the_head_the_mentor_the_curator_and_the_teacher(named, client_for):
    district = named
    make_pair(district.school_a, district.mentor_a.person, [district.mentee_a.person])
    route = _route(district)
    response = client_for(district.curator_a).get(reverse("programs:route_pdf", args=[route.pk]))
    text = " ".join(pdftotext_pages(response.content))
    assert f"УТВЕРЖДАЮ Директор {district.school_a.short_name}" in text
    assert "Г. П. Корнилова" in text
    assert f"Наставник {initials(district.mentor_a.person)}" in text
    assert "Куратор программ наставничества И. Н. Светлова" in text
    assert f"С маршрутом ознакомлен(а): Педагог {initials(district.mentee_a.person)}" in text
    assert not CODES.search(text), CODES.search(text)


def test_route_word_copy_has_the_same_signatories(named, client_for):
    district = named
    make_pair(district.school_a, district.mentor_a.person, [district.mentee_a.person])
    route = _route(district)
    response = client_for(district.curator_a).get(reverse("programs:route_docx", args=[route.pk]))
    document = Document(io.BytesIO(response.content))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [[c.text.strip() for c in row.cells] for t in document.tables for row in t.rows]
    assert "УТВЕРЖДАЮ" in paragraphs
    assert any("Г. П. Корнилова" in p for p in paragraphs)
    assert any(p.startswith("С маршрутом ознакомлен(а)") for p in paragraphs)
    signature_rows = [row for row in cells if len(row) == 2 and row[1]]
    names = {row[1].strip("_ ").strip() for row in signature_rows}
    assert initials(district.mentor_a.person) in " ".join(names)
    assert "И. Н. Светлова" in " ".join(names)
    assert initials(district.mentee_a.person) in " ".join(names)
    assert not any(CODES.search(p) for p in paragraphs)


def test_a_teacher_without_a_mentor_gets_no_blank_mentor_line(named, client_for):
    district = named
    route = _route(district)
    response = client_for(district.curator_a).get(reverse("programs:route_pdf", args=[route.pk]))
    text = " ".join(pdftotext_pages(response.content))
    assert "Наставник" not in text
    assert "Куратор программ наставничества И. Н. Светлова" in text


def test_the_signatures_are_never_alone_on_the_last_page(named, client_for):
    """However long the road map, the last page carries text before the signatures."""
    district = named
    make_pair(district.school_a, district.mentor_a.person, [district.mentee_a.person])
    route = _route(district, items=0)
    client = client_for(district.curator_a)
    seen_pages = set()
    for number in range(1, 19):
        services.route_item_save(
            user=district.mentee_a,
            route=route,
            today=TODAY,
            data=services.RouteItemData(
                kind=RouteItemKind.TRIAL,
                title=f"Урок-исследование № {number}",
                planned_start=datetime.date(2027, 1, 10),
                planned_end=datetime.date(2027, 2, 10),
            ),
        )
        pages = pdftotext_pages(client.get(reverse("programs:route_pdf", args=[route.pk])).content)
        seen_pages.add(len(pages))
        last = pages[-1]
        before = last.split("Наставник")[0]
        # A heading and a table (or its rows) stand above the signatures on that page.
        assert len(before.split()) >= 5, (number, last)
    assert len(seen_pages) > 1  # the road map did grow over a page break
