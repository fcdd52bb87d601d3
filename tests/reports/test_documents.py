"""Documents a Russian official signs: named signatories, УТВЕРЖДАЮ, «ознакомлен(а)», no status
codes, no signature alone on a page, natural sentences for zero and missing data, the
organization's own final report with the curator's text, and a Word copy of each."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from core.docx import docx_text
from monitoring import indicators as ind
from programs.models import ProgramStatus
from reports import services as reports
from reports.models import NarrativeStatus, Report, ReportKind, ReportNarrative
from tests.factories import EmploymentFactory, PersonFactory
from tests.reports.conftest import TODAY, YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(committee, dataset):
    """Named people behind the roles: the head of school A, the chairman and coordinator."""
    district = dataset.district
    head = PersonFactory(last_name="Корнилова", first_name="Галина", middle_name="Петровна")
    EmploymentFactory(person=head, organization=district.school_a)
    district.head_a.person = head
    district.head_a.save()
    curator = PersonFactory(last_name="Светлова", first_name="Ирина", middle_name="Николаевна")
    district.curator_a.person = curator
    district.curator_a.save()
    municipality = district.municipality
    municipality.chairman_name = "А. В. Тарасов"
    municipality.chairman_position = "Председатель комитета по образованию"
    municipality.coordinator_name = "Е. С. Воронцова"
    municipality.coordinator_position = "Муниципальный координатор"
    municipality.save()
    with time_machine.travel(TODAY, tick=False):
        yield dataset


def pages(content: bytes) -> list[str]:
    return [
        " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(content)).pages
    ]


def test_program_pdf_and_word_name_everyone_who_signs_and_print_no_status(signed, client_for):
    program = signed.prog1
    client = client_for(signed.district.curator_a)
    pdf = client.get(reverse("programs:program_pdf", args=[program.pk])).content
    text = " ".join(pages(pdf))
    mentor = program.pair.mentor
    assert "УТВЕРЖДАЮ Директор" in text and "Г. П. Корнилова" in text
    assert f"{mentor.first_name[0]}. {mentor.middle_name[0]}. {mentor.last_name}" in text
    assert "И. Н. Светлова" in text
    assert "С программой ознакомлен(а)" in text
    assert "Статус" not in text and "in_progress" not in text
    word = client.get(reverse("programs:program_docx", args=[program.pk]))
    assert word["Content-Type"].startswith("application/vnd.openxmlformats")
    document = Document(io.BytesIO(word.content))
    titles = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert titles[:2] == ["Персонализированная программа наставничества", "Цели и задачи"]
    words = docx_text(word.content)
    assert "Г. П. Корнилова" in words and "С программой ознакомлен(а)" in words
    assert "Посещение уроков наставника" in words


def test_the_signature_block_is_on_the_page_of_the_text_before_it(signed):
    report = Report(
        kind=ReportKind.MUNICIPAL, municipality=signed.district.municipality, academic_year=YEAR
    )
    built = reports.build_documents(report, reports.report_context(report, TODAY))
    last = pages(built.pdf)
    signer_page = next(i for i, page in enumerate(last) if "Е. С. Воронцова" in page)
    assert "Показатели отчёта приведены по состоянию на" in last[signer_page]
    assert "УТВЕРЖДАЮ Председатель комитета по образованию" in last[0]
    assert "А. В. Тарасов" in last[0]


def test_a_year_without_data_is_said_in_words_not_zeros(signed):
    report = Report(
        kind=ReportKind.ORGANIZATION,
        municipality=signed.district.municipality,
        organization=signed.district.school_a,
        academic_year="2024/2025",
    )
    built = reports.build_documents(report, reports.report_context(report, TODAY))
    text = " ".join(pages(built.pdf))
    assert "Данных за 2024/2025 учебный год в портале нет." in text
    assert "0 из 0" not in text and "из 0" not in text


def test_organization_report_has_its_own_title_page_and_no_committee_template(signed):
    district = signed.district
    report = Report(
        kind=ReportKind.ORGANIZATION,
        municipality=district.municipality,
        organization=district.school_a,
        academic_year=YEAR,
    )
    built = reports.build_documents(report, reports.report_context(report, TODAY))
    first, *rest = pages(built.pdf)
    assert district.school_a.full_name.split()[0] in first
    assert "Итоговый аналитический отчёт о реализации системы наставничества" in first
    assert "Г. П. Корнилова" in first
    assert "Комитет" not in first
    text = " ".join(rest)
    assert "всего организаций" not in text and "Отчёт охватывает" not in text
    # Drafts and running programs together are the curator's list of programs.
    assert "Программ за год: 3, из них утверждено руководителем: 3, в черновике: 0" in text


def test_curator_drafts_previews_and_issues_the_conclusions_which_reach_the_municipal_annex(
    signed, client_for, django_capture_on_commit_callbacks
):
    district = signed.district
    client = client_for(district.curator_a)
    url = reverse("reports:narrative") + f"?year={YEAR}"
    form = {
        "year": YEAR,
        "conclusions": "Все молодые специалисты закреплены за наставниками.",
        "problems": "Высокая нагрузка наставников.",
        "proposals": "Снизить нагрузку.",
    }
    assert client.post(url, {**form, "action": "save"}).status_code == 302
    text = ReportNarrative.objects.get()
    assert text.status == NarrativeStatus.DRAFT and text.organization == district.school_a
    preview = client.post(url, {**form, "action": "preview"})
    assert preview["Content-Type"] == "application/pdf"
    assert "Высокая нагрузка наставников." in " ".join(pages(preview.content))
    assert not Report.objects.exists()  # a preview is kept nowhere
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**form, "action": "issue"})
    report = Report.objects.get(kind=ReportKind.ORGANIZATION)
    assert report.values["narrative"]["problems"] == "Высокая нагрузка наставников."
    with report.file.open("rb") as handle:
        assert "Снизить нагрузку." in " ".join(pages(handle.read()))
    municipal = Report(
        kind=ReportKind.MUNICIPAL, municipality=district.municipality, academic_year=YEAR
    )
    built = reports.build_documents(municipal, reports.report_context(municipal, TODAY))
    annex = " ".join(pages(built.pdf))
    assert "Приложение 1. Выводы организаций" in annex
    assert "Все молодые специалисты закреплены за наставниками." in annex
    assert "Все молодые специалисты закреплены за наставниками." in docx_text(built.docx)


def test_completed_programs_are_the_same_number_in_every_section(signed):
    """The bug of the demo: «Завершено программ: 0» in the summary, 16 in the dynamics."""
    signed.prog2.refresh_from_db()
    assert signed.prog2.status == ProgramStatus.COMPLETED
    report = Report(
        kind=ReportKind.MUNICIPAL, municipality=signed.district.municipality, academic_year=YEAR
    )
    context = reports.report_context(report, TODAY)
    completed = context["summary"].programs.current.completed
    yearly = {
        row["year"]: row["programs_completed"]
        for row in ind.yearly_trend(reports.scope_of(report), YEAR, TODAY)
    }
    assert completed == yearly[YEAR] == 1
    assert sum(row.completed for row in context["organizations"]) == completed
