"""The satisfaction question and the free comment of the stage-2 surveys are anonymous: pages,
exports and reports show only aggregates of at least three answers; the answers stay linked
to the pair only so that a fall in satisfaction marks it «нужна проверка»."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from matching import health
from mentoring.models import Meeting, Pair
from monitoring import indicators as ind
from monitoring import tables
from monitoring.models import Measure, SurveyComment, SurveyQuestion
from monitoring.surveys import satisfaction_refresh
from programs.models import ProgramStatus
from tests.factories import UserFactory
from tests.monitoring.conftest import at, make_pair, make_program, survey

YEAR = "2026/2027"
TODAY = datetime.date(2027, 1, 20)


def programs_of(district, count: int):
    mentees = [district.mentee_a, district.teacher_a, district.teacher_b][:count]
    result = []
    for mentee in mentees:
        pair = make_pair(district.school_a, district.mentor_a.person, [mentee.person],
                         "01.09.2026", "31.05.2027")  # fmt: skip
        result.append(
            make_program(pair, mentee.person, "01.09.2026", "31.05.2027", ProgramStatus.IN_PROGRESS)
        )
    return result


def satisfaction(result: ind.Stage2) -> ind.MeasureRow:
    return result.row("mentee", Measure.SATISFACTION)


def test_a_mean_of_fewer_than_three_satisfaction_answers_is_withheld(district):
    first, second = programs_of(district, 2)
    survey(first, "mentee", "start", "05.09.2026", {Measure.SATISFACTION: [5],
                                                    Measure.MOTIVATION: [2]})  # fmt: skip
    survey(second, "mentee", "start", "06.09.2026", {Measure.SATISFACTION: [3],
                                                     Measure.MOTIVATION: [4]})  # fmt: skip
    result = ind.stage2(ind.Scope(municipality_id=district.municipality.pk), YEAR, TODAY)
    row = satisfaction(result)
    assert (row.start, row.answers, row.withheld) == (None, 2, frozenset({"start"}))
    # Questions that are not anonymous keep their means.
    assert result.row("mentee", Measure.MOTIVATION).start == 3.0
    # The program's own page: one mentee, so never a satisfaction figure of their own.
    assert satisfaction(ind.stage2(ind.Scope(program_id=first.pk), YEAR, TODAY)).start is None


def test_three_satisfaction_answers_show_their_mean_with_the_dashboard_note_gone(district):
    programs = programs_of(district, 3)
    for program, value in zip(programs, (5, 3, 4), strict=True):
        survey(program, "mentee", "start", "05.09.2026", {Measure.SATISFACTION: [value]})
    scope = ind.Scope(municipality_id=district.municipality.pk)
    row = satisfaction(ind.stage2(scope, YEAR, TODAY))
    assert (row.start, row.withheld) == (4.0, frozenset())
    table = tables.stage2_table(ind.summary(scope, YEAR, TODAY), tables.Links({}))
    [cells] = [cells for cells in table.rows if cells[1].value == str(Measure.SATISFACTION.label)]
    assert (cells[2].display, cells[2].note) == ("4,0", "")


def test_the_dashboard_marks_a_withheld_satisfaction_mean(district):
    [program] = programs_of(district, 1)
    survey(program, "mentee", "start", "05.09.2026", {Measure.SATISFACTION: [2]})
    scope = ind.Scope(municipality_id=district.municipality.pk)
    table = tables.stage2_table(ind.summary(scope, YEAR, TODAY), tables.Links({}))
    [cells] = [cells for cells in table.rows if cells[1].value == str(Measure.SATISFACTION.label)]
    assert (cells[2].display, cells[2].note) == ("—", "меньше 3 ответов, анонимно")


def _post_survey(client, program, value: int, comment: str = ""):
    url = reverse("monitoring:survey_fill", args=[program.pk, "mentee", "start"])
    data = {"filled_on": "2026-09-05", "comment": comment}
    for question in SurveyQuestion.objects.for_respondent("mentee"):
        data[f"q{question.pk}"] = 1 if question.is_yes_no else value
    return client.post(url, data)


def test_a_filled_survey_opened_again_does_not_show_the_satisfaction_answer(district, client_for):
    [program] = programs_of(district, 1)
    client = client_for(district.mentee_a)
    assert _post_survey(client, program, 2, "Мало встреч").status_code == 302
    satisfaction_question = SurveyQuestion.objects.for_respondent("mentee").get(
        measure=Measure.SATISFACTION
    )
    other = SurveyQuestion.objects.for_respondent("mentee").exclude(
        measure__in=(Measure.SATISFACTION, Measure.PLANS_MENTOR, Measure.PLANS_MENTEE)
    )[0]
    # The curator enters paper questionnaires and may correct this one: still nothing shown.
    curator = client_for(district.curator_a)
    page = curator.get(reverse("monitoring:survey_fill", args=[program.pk, "mentee", "start"]))
    form = page.context["form"]
    assert form[f"q{satisfaction_question.pk}"].value() is None
    assert form[f"q{other.pk}"].value() == 2
    assert form["comment"].value() in (None, "")
    assert "Мало встреч" not in page.content.decode()


def test_the_comment_is_kept_without_the_pair_and_shown_only_among_three(district, client_for):
    programs = programs_of(district, 3)
    client = client_for(district.curator_a)
    _post_survey(client, programs[0], 4, "Встречи полезны")
    _post_survey(client, programs[1], 4, "Не хватает времени")
    stored = SurveyComment.objects.get(text="Встречи полезны")
    assert (stored.organization, stored.academic_year) == (district.school_a, YEAR)
    assert {field.name for field in SurveyComment._meta.concrete_fields} == {
        "id", "organization", "academic_year", "text"
    }  # fmt: skip
    scope = ind.Scope(organization_id=district.school_a.pk)
    assert ind.survey_comments(scope, YEAR) == []
    coordinator = client_for(district.coordinator)
    page = coordinator.get(
        reverse("monitoring:dashboard"), {"year": YEAR}, follow=True
    ).content.decode()
    assert "Встречи полезны" not in page and "Меньше 3 комментариев" in page

    client = client_for(district.curator_a)  # one test client: signed in again
    _post_survey(client, programs[2], 4, "Анкета короткая")
    assert ind.survey_comments(scope, YEAR) == [
        "Анкета короткая", "Встречи полезны", "Не хватает времени"
    ]  # fmt: skip
    page = coordinator.get(
        reverse("monitoring:dashboard"), {"year": YEAR}, follow=True
    ).content.decode()
    assert "Встречи полезны" in page and "Меньше 3 комментариев" not in page
    # The other municipality's coordinator reads none of them.
    other = client_for(district.foreign_coordinator)
    assert (
        "Встречи полезны"
        not in other.get(
            reverse("monitoring:dashboard"), {"year": YEAR}, follow=True
        ).content.decode()
    )


def test_the_admin_survey_page_leaves_the_satisfaction_answer_out(district, client_for):
    [program] = programs_of(district, 1)
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    TOTPDevice.objects.create(user=root, name="t", confirmed=True)
    admin_client = client_for(root)
    filled = survey(program, "mentee", "start", "05.09.2026", {Measure.SATISFACTION: [1],
                                                               Measure.MOTIVATION: [4]})  # fmt: skip
    page = admin_client.get(reverse("admin:monitoring_survey_change", args=[filled.pk]))
    assert page.status_code == 200
    inline = page.context["inline_admin_formsets"][0]
    shown = {form.original.question.measure for form in inline if form.original}
    assert shown == {Measure.MOTIVATION}


def _status(pair: Pair) -> str:
    return health.working(Pair.objects.filter(pk=pair.pk), TODAY).get().health


def test_satisfaction_rising_or_steady_keeps_the_pair_on_track_and_a_fall_flags_it(district):
    [program] = programs_of(district, 1)
    Meeting.objects.create(pair=program.pair, held_at=at("18.01.2027"), topic="Встреча")
    survey(program, "mentee", "start", "05.09.2026", {Measure.SATISFACTION: [3]})
    middle = survey(program, "mentee", "middle", "15.01.2027", {Measure.SATISFACTION: [5]})
    assert _status(program.pair) == health.Health.OK
    middle.answers.update(value=3)
    satisfaction_refresh([program.pk])  # as a corrected survey is
    assert _status(program.pair) == health.Health.OK
    middle.answers.update(value=2)
    satisfaction_refresh([program.pk])  # as a corrected survey is
    assert _status(program.pair) == health.Health.CHECK
    # The mentor's answer falling is just as much a reason; the mentee's alone rising is not.
    middle.answers.update(value=4)
    satisfaction_refresh([program.pk])  # as a corrected survey is
    survey(program, "mentor", "start", "05.09.2026", {Measure.SATISFACTION: [4]})
    survey(program, "mentor", "middle", "15.01.2027", {Measure.SATISFACTION: [3]})
    assert _status(program.pair) == health.Health.CHECK
