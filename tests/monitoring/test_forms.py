"""Monitoring's forms submitted as the user allowed to: what is saved, what the user reads next
to a field when the input is wrong (and that nothing is saved then), who may download a file.
Today is 10.11.2026 (tests/monitoring/conftest.py)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from monitoring import services
from monitoring.models import (
    ActType,
    Deadline,
    LocalAct,
    ProgressEntry,
    Survey,
    SurveyQuestion,
)
from tests.monitoring.conftest import TODAY, YEAR

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)


def field_error(html: str, field: str) -> str:
    """The text crispy shows under a field (its `invalid-feedback` blocks), tags stripped."""
    blocks = re.findall(
        r'<(?:span|p|div) id="error_\d+_id_' + re.escape(field) + r'"[^>]*>(.*?)</(?:span|p|div)>',
        html,
        flags=re.S,
    )
    return " ".join(re.sub(r"<[^>]+>", "", block).strip() for block in blocks)


# Local acts ------------------------------------------------------------------------------------


def act_data(organization, **overrides) -> dict:
    data = {
        "organization": organization.pk,
        "type": ActType.PAIRS_ORDER,
        "title": "О закреплении наставнических пар",
        "number": "45-о",
        "adopted_on": "2026-09-02",
        "published_on": "2026-09-05",
        "url": "https://school-a.example.org/nastavnichestvo",
    }
    return {**data, **overrides}


def test_curator_adds_a_local_act_whose_pdf_is_stored_under_an_unguessable_name(
    dataset, client_for, settings
):
    district = dataset.district
    client = client_for(district.curator_a)
    upload = SimpleUploadedFile("Приказ о парах.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("monitoring:act_add"), {**act_data(district.school_a), "upload": upload}
    )
    assert response.status_code == 302 and response["Location"] == reverse("monitoring:act_list")
    act = LocalAct.objects.get(number="45-о")
    assert act.organization == district.school_a and act.created_by == district.curator_a
    assert act.file_name == "Приказ о парах.pdf"
    assert re.fullmatch(r"monitoring/acts/[0-9a-f]{32}\.pdf", act.file.name)
    assert (settings.MEDIA_ROOT / act.file.name).read_bytes() == PDF
    listing = client.get(reverse("monitoring:act_list")).content.decode()
    assert "45-о" in listing and "Документ сохранён" in listing

    download = client.get(reverse("monitoring:act_file", args=[act.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]


@pytest.mark.parametrize("persona", ["curator_a", "head_a", "coordinator", "school_specialist"])
def test_users_in_scope_download_the_act_file(dataset, client_for, persona):
    act = LocalAct.objects.create(
        organization=dataset.district.school_a,
        type=ActType.ROAD_MAP,
        adopted_on=datetime.date(2026, 9, 1),
        file=SimpleUploadedFile("map.pdf", PDF),
        file_name="Дорожная карта.pdf",
    )
    client = client_for(getattr(dataset.district, persona))
    response = client.get(reverse("monitoring:act_file", args=[act.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize(
    "persona", ["curator_b", "kindergarten_specialist", "foreign_coordinator", "mentor_a"]
)
def test_users_out_of_scope_get_404_for_the_act_file(dataset, client_for, persona):
    act = LocalAct.objects.create(
        organization=dataset.district.school_a,
        type=ActType.ROAD_MAP,
        adopted_on=datetime.date(2026, 9, 1),
        file=SimpleUploadedFile("map.pdf", PDF),
        file_name="Дорожная карта.pdf",
    )
    client = client_for(getattr(dataset.district, persona))
    assert client.get(reverse("monitoring:act_file", args=[act.pk])).status_code == 404


def test_executable_renamed_pdf_is_refused_next_to_the_file_field_and_nothing_is_saved(
    dataset, client_for, settings
):
    district = dataset.district
    client = client_for(district.curator_a)
    before = LocalAct.objects.count()
    upload = SimpleUploadedFile("приказ.pdf", EXE, content_type="application/pdf")
    response = client.post(
        reverse("monitoring:act_add"), {**act_data(district.school_a), "upload": upload}
    )
    assert response.status_code == 200
    error = field_error(response.content.decode(), "upload")
    assert "«приказ.pdf» на самом деле не файл PDF." in error
    assert LocalAct.objects.count() == before
    assert not (settings.MEDIA_ROOT / "monitoring" / "acts").exists()


def test_act_published_before_adoption_is_refused_next_to_the_date(dataset, client_for):
    district = dataset.district
    client = client_for(district.curator_a)
    before = LocalAct.objects.count()
    data = act_data(district.school_a, published_on="2026-08-30")
    response = client.post(reverse("monitoring:act_add"), data)
    assert response.status_code == 200
    assert "раньше" in field_error(response.content.decode(), "published_on")
    assert LocalAct.objects.count() == before


def test_curator_edits_a_local_act_and_keeps_its_file(dataset, client_for):
    district = dataset.district
    act = LocalAct.objects.get(organization=district.school_a, type=ActType.REGULATION)
    act.file = SimpleUploadedFile("reg.pdf", PDF)
    act.file_name = "Положение.pdf"
    act.save()
    stored = act.file.name
    client = client_for(district.curator_a)
    url = reverse("monitoring:act_edit", args=[act.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Положение.pdf" in page.content.decode()
    data = act_data(
        district.school_a,
        type=ActType.REGULATION,
        title="Положение о наставничестве (новая редакция)",
        number="12/1",
        adopted_on="2026-07-20",
        published_on="2026-08-10",
    )
    response = client.post(url, data)
    assert response.status_code == 302
    act.refresh_from_db()
    assert act.number == "12/1"
    assert act.title == "Положение о наставничестве (новая редакция)"
    assert act.file.name == stored and act.file_name == "Положение.pdf"


def test_curator_of_another_school_cannot_open_or_edit_the_act(dataset, client_for):
    district = dataset.district
    act = LocalAct.objects.get(organization=district.school_a, type=ActType.REGULATION)
    client = client_for(district.curator_b)
    url = reverse("monitoring:act_edit", args=[act.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, act_data(district.school_b, number="взлом")).status_code == 404
    act.refresh_from_db()
    assert act.number == "12"


def test_curator_cannot_move_an_act_to_another_school(dataset, client_for):
    district = dataset.district
    act = LocalAct.objects.get(organization=district.school_a, type=ActType.REGULATION)
    client = client_for(district.curator_a)
    response = client.post(
        reverse("monitoring:act_edit", args=[act.pk]), act_data(district.school_b)
    )
    assert response.status_code == 200
    assert field_error(response.content.decode(), "organization")
    act.refresh_from_db()
    assert act.organization == district.school_a


# Stage 1 ---------------------------------------------------------------------------------------


def entry_data(**overrides) -> dict:
    data = {
        "academic_year": YEAR,
        "period": "q2",
        "vpr_passed": 9,
        "vpr_total": 10,
        "oge_passed": 0,
        "oge_total": 0,
        "ege_passed": 0,
        "ege_total": 0,
        "average_mark": "4.4",
        "success_rate": 95,
        "olympiad_participants": 4,
        "olympiad_winners": 2,
        "projects": 1,
        "projects_note": "Проект «Краеведение»",
        "open_lessons": 1,
        "contests": 0,
        "publications": 1,
        "talks": 0,
        "methodical_work": 1,
        "risks": "",
    }
    return {**data, **overrides}


def dynamics_rows(client, program) -> list[list]:
    page = client.get(reverse("monitoring:program", args=[program.pk]))
    assert page.status_code == 200
    return [[cell.excel for cell in row] for row in page.context["table"].rows]


def test_mentor_enters_stage1_and_sees_it_in_the_program_dynamics(dataset, client_for):
    district = dataset.district
    client = client_for(district.mentor_a)
    url = reverse("monitoring:entry_add", args=[dataset.prog1.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, entry_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("monitoring:program", args=[dataset.prog1.pk])
    entry = ProgressEntry.objects.get(program=dataset.prog1, period="q2")
    assert entry.entered_as == "mentor" and entry.entered_by == district.mentor_a
    assert (entry.vpr_passed, entry.vpr_total, str(entry.average_mark)) == (9, 10, "4.40")
    rows = dynamics_rows(client, dataset.prog1)
    assert [row[:3] for row in rows] == [
        [YEAR, "1-я четверть", 80.0],
        [YEAR, "2-я четверть", 90.0],
    ]


def test_curator_corrects_an_entry_and_the_dynamics_follow(dataset, client_for):
    entry = ProgressEntry.objects.get(program=dataset.prog1, period="q1")
    assert entry.entered_by is None  # as after its author's account was deleted
    client = client_for(dataset.district.curator_a)
    url = reverse("monitoring:entry_edit", args=[dataset.prog1.pk, entry.pk])
    response = client.post(url, entry_data(period="q1", vpr_passed=7))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.vpr_passed == 7 and entry.entered_as == "mentor"  # who entered it first
    assert [row[:3] for row in dynamics_rows(client, dataset.prog1)] == [
        [YEAR, "1-я четверть", 70.0]
    ]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"vpr_passed": 12, "vpr_total": 10}, "vpr_passed", "Сдавших больше, чем сдававших."),
        ({"oge_passed": 3, "oge_total": 2}, "oge_passed", "Сдавших больше, чем сдававших."),
        ({"olympiad_winners": 5}, "olympiad_winners", "Победителей больше, чем участников."),
        ({"average_mark": "6"}, "average_mark", "Средний балл — от 1 до 5."),
        ({"success_rate": 120}, "success_rate", "Успеваемость — от 0 до 100 %."),
        ({"period": "q1"}, "period", "За этот период по программе уже есть запись."),
    ],
)
def test_bad_stage1_input_is_refused_next_to_the_field_and_nothing_is_saved(
    dataset, client_for, overrides, field, message
):
    client = client_for(dataset.district.mentor_a)
    before = list(ProgressEntry.objects.order_by("pk").values())
    response = client.post(
        reverse("monitoring:entry_add", args=[dataset.prog1.pk]), entry_data(**overrides)
    )
    assert response.status_code == 200
    assert message in field_error(response.content.decode(), field)
    assert list(ProgressEntry.objects.order_by("pk").values()) == before


def test_out_of_range_rate_from_any_path_is_a_message_not_a_server_error(dataset):
    entry = ProgressEntry(program=dataset.prog1, academic_year=YEAR, period="q3", success_rate=120)
    with pytest.raises(ValidationError) as error:
        services.progress_entry_save(user=dataset.district.mentor_a, entry=entry)
    assert error.value.messages == ["Успеваемость — от 0 до 100 %."]


@pytest.mark.parametrize("persona", ["mentee_a", "head_a", "coordinator"])
def test_who_is_not_mentor_or_curator_cannot_enter_stage1(dataset, client_for, persona):
    client = client_for(getattr(dataset.district, persona))
    url = reverse("monitoring:entry_add", args=[dataset.prog1.pk])
    assert client.post(url, entry_data()).status_code == 403
    assert not ProgressEntry.objects.filter(program=dataset.prog1, period="q2").exists()


# Stage 2 ---------------------------------------------------------------------------------------


def survey_answers(respondent: str, value: int = 4) -> dict:
    return {
        f"q{question.pk}": (1 if question.is_yes_no else value)
        for question in SurveyQuestion.objects.for_respondent(respondent)
    }


def test_mentor_fills_the_start_survey_and_filling_again_replaces_the_answers(dataset, client_for):
    client = client_for(dataset.district.mentor_a)
    url = reverse("monitoring:survey_fill", args=[dataset.prog1.pk, "mentor", "start"])
    page = client.get(url)
    assert page.status_code == 200
    questions = SurveyQuestion.objects.for_respondent("mentor")
    assert questions.exists()
    assert all(question.text in page.content.decode() for question in questions)

    response = client.post(url, {"filled_on": "2026-09-03", **survey_answers("mentor", 3)})
    assert response.status_code == 302
    survey = Survey.objects.get(program=dataset.prog1, respondent="mentor", stage="start")
    assert survey.filled_on == datetime.date(2026, 9, 3)
    assert survey.filled_by == dataset.district.mentor_a
    assert survey.answers.count() == questions.count()
    scale = survey.answers.exclude(question__measure__in=("plans_mentor", "plans_mentee"))
    assert {answer.value for answer in scale} == {3}

    client.post(url, {"filled_on": "2026-09-04", **survey_answers("mentor", 5)})
    survey.refresh_from_db()
    assert survey.filled_on == datetime.date(2026, 9, 4)
    assert survey.answers.count() == questions.count()
    scale = survey.answers.exclude(question__measure__in=("plans_mentor", "plans_mentee"))
    assert {answer.value for answer in scale} == {5}
    page = client.get(reverse("monitoring:program", args=[dataset.prog1.pk])).content.decode()
    assert "04.09.2026" in page


def test_survey_with_an_unanswered_question_is_refused_next_to_it(dataset, client_for):
    client = client_for(dataset.district.mentor_a)
    url = reverse("monitoring:survey_fill", args=[dataset.prog1.pk, "mentor", "start"])
    answers = survey_answers("mentor")
    skipped = next(iter(answers))
    del answers[skipped]
    response = client.post(url, {"filled_on": "2026-09-03", **answers})
    assert response.status_code == 200
    assert "Обязательное поле." in field_error(response.content.decode(), skipped)
    assert not Survey.objects.filter(program=dataset.prog1, respondent="mentor", stage="start")


def test_mentee_cannot_fill_the_mentors_survey(dataset, client_for):
    client = client_for(dataset.district.mentee_a)
    url = reverse("monitoring:survey_fill", args=[dataset.prog1.pk, "mentor", "start"])
    response = client.post(url, {"filled_on": "2026-09-03", **survey_answers("mentor")})
    assert response.status_code == 403
    assert not Survey.objects.filter(program=dataset.prog1, respondent="mentor", stage="start")


# The coordinator's settings --------------------------------------------------------------------


DEADLINES = {
    "regulation_adopted": "2027-07-25",
    "regulation_published": "2027-08-03",
    "system_working": "2027-09-01",
    "needs_updated": 180,
}


def test_coordinator_sets_next_years_deadlines(dataset, client_for):
    district = dataset.district
    client = client_for(district.coordinator)
    url = reverse("monitoring:deadlines") + "?year=2027/2028"
    assert client.get(url).status_code == 200
    response = client.post(url, DEADLINES)
    assert response.status_code == 302 and response["Location"].endswith("?year=2027/2028")
    saved = {
        deadline.kind: deadline.due_on or deadline.within_days
        for deadline in Deadline.objects.filter(
            municipality=district.municipality, academic_year="2027/2028"
        )
    }
    assert saved == {
        "regulation_adopted": datetime.date(2027, 7, 25),
        "regulation_published": datetime.date(2027, 8, 3),
        "system_working": datetime.date(2027, 9, 1),
    }
    # The needs list's period is the municipality's one setting, not a row of the year.
    district.municipality.refresh_from_db()
    assert district.municipality.needs_list_period_days == 180
    form = client.get(url).context["form"]
    assert form.initial["regulation_published"] == datetime.date(2027, 8, 3)
    assert form.initial["needs_updated"] == 180
    # The other municipality's deadlines are untouched.
    assert not Deadline.objects.filter(municipality=district.other_municipality).exists()


def test_publication_due_before_adoption_is_refused_next_to_the_field(dataset, client_for):
    client = client_for(dataset.district.coordinator)
    url = reverse("monitoring:deadlines") + "?year=2027/2028"
    data = {**DEADLINES, "regulation_published": "2027-07-01"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Срок размещения не может быть раньше срока принятия." in field_error(
        response.content.decode(), "regulation_published"
    )
    assert not Deadline.objects.filter(academic_year="2027/2028").exists()


@pytest.mark.parametrize("persona", ["curator_a", "head_a", "mentor_a"])
def test_non_committee_users_get_403_on_the_settings(dataset, client_for, persona):
    client = client_for(getattr(dataset.district, persona))
    question = SurveyQuestion.objects.order_by("pk").first()
    for url in (reverse("monitoring:deadlines"), reverse("monitoring:questions")):
        assert client.get(url).status_code == 403
    assert client.post(reverse("monitoring:deadlines"), DEADLINES).status_code == 403
    assert client.post(reverse("monitoring:questions"), {}).status_code == 403
    assert not Deadline.objects.exists()
    assert SurveyQuestion.objects.get(pk=question.pk).text == question.text


def test_specialist_sees_the_deadlines_but_cannot_change_them(dataset, client_for):
    client = client_for(dataset.district.school_specialist)
    url = reverse("monitoring:deadlines") + "?year=2027/2028"
    assert client.get(url).status_code == 200
    assert client.post(url, DEADLINES).status_code == 403
    assert not Deadline.objects.exists()


def questions_post(questions, **changes) -> dict:
    """The formset as the page posts it, with `changes` applied to question forms by index."""
    data = {
        "form-TOTAL_FORMS": len(questions) + 1,
        "form-INITIAL_FORMS": len(questions),
        "form-MIN_NUM_FORMS": 0,
        "form-MAX_NUM_FORMS": 1000,
    }
    for index, question in enumerate(questions):
        data.update(
            {
                f"form-{index}-id": question.pk,
                f"form-{index}-respondent": question.respondent,
                f"form-{index}-measure": question.measure,
                f"form-{index}-text": question.text,
                f"form-{index}-sort_order": question.sort_order,
            }
        )
        if question.is_active:
            data[f"form-{index}-is_active"] = "on"
    extra = len(questions)
    data.update({f"form-{extra}-sort_order": 0, f"form-{extra}-is_active": "on"})
    for key, value in changes.items():
        if value is None:
            data.pop(f"form-{key}", None)
        else:
            data[f"form-{key}"] = value
    return data


def test_coordinator_edits_the_survey_questions_and_adds_one(dataset, client_for):
    questions = list(SurveyQuestion.objects.all())
    first, count = questions[0], len(questions)
    client = client_for(dataset.district.coordinator)
    url = reverse("monitoring:questions")
    assert client.get(url).status_code == 200
    extra = len(questions)
    data = questions_post(
        questions,
        **{
            "0-text": "Насколько вы уверены в своих силах?",
            "1-is_active": None,
            f"{extra}-respondent": "mentee",
            f"{extra}-measure": "satisfaction",
            f"{extra}-text": "Довольны ли вы встречами с наставником?",
            f"{extra}-sort_order": 99,
        },
    )
    response = client.post(url, data)
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.text == "Насколько вы уверены в своих силах?"
    assert SurveyQuestion.objects.get(pk=questions[1].pk).is_active is False
    assert SurveyQuestion.objects.count() == count + 1
    added = SurveyQuestion.objects.get(text="Довольны ли вы встречами с наставником?")
    assert (added.respondent, added.measure, added.is_active) == ("mentee", "satisfaction", True)
    # The survey form asks the new question and no longer the one taken out of use.
    page = client_for(dataset.district.mentee_a).get(
        reverse("monitoring:survey_fill", args=[dataset.prog1.pk, "mentee", "end"])
    )
    html = page.content.decode()
    assert "Довольны ли вы встречами с наставником?" in html
    if questions[1].respondent == "mentee":
        assert questions[1].text not in html


def test_a_question_without_text_is_refused_next_to_it(dataset, client_for):
    questions = list(SurveyQuestion.objects.all())
    client = client_for(dataset.district.coordinator)
    response = client.post(
        reverse("monitoring:questions"), questions_post(questions, **{"0-text": ""})
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Обязательное поле." in html
    assert SurveyQuestion.objects.get(pk=questions[0].pk).text == questions[0].text


def test_specialist_cannot_change_the_questions(dataset, client_for):
    questions = list(SurveyQuestion.objects.all())
    client = client_for(dataset.district.school_specialist)
    assert client.get(reverse("monitoring:questions")).status_code == 200
    data = questions_post(questions, **{"0-text": "Чужая правка"})
    assert client.post(reverse("monitoring:questions"), data).status_code == 403
    assert SurveyQuestion.objects.get(pk=questions[0].pk).text == questions[0].text
