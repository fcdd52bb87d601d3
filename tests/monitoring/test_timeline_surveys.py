"""Surveys on the pair's timeline: due at the start, in the middle and at the end of the
program, to the mentee and the mentor; on the home page and in the weekly letter; a drop in
satisfaction marks the pair «нужна проверка»."""

from __future__ import annotations

import datetime

from django.urls import reverse

from matching import health
from mentoring.models import Meeting, Pair
from monitoring.models import Measure, SurveyRespondent, SurveyStage
from monitoring.surveys import satisfaction_refresh, stage_dates, surveys_due
from programs.models import ProgramStatus
from tests.factories import UserFactory
from tests.monitoring.conftest import make_pair, make_program, survey

START, END = datetime.date(2026, 9, 1), datetime.date(2027, 5, 31)


def fmt(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


def program_of(district):
    pair = make_pair(district.school_a, district.mentor_a.person, [district.mentee_a.person],
                     fmt(START), fmt(END))  # fmt: skip
    return make_program(
        pair, district.mentee_a.person, fmt(START), fmt(END), ProgramStatus.IN_PROGRESS
    )


def test_the_three_points_of_the_timeline():
    dates = stage_dates(START, END)
    assert dates[SurveyStage.START] == START
    assert dates[SurveyStage.MIDDLE] == datetime.date(2027, 1, 15)
    assert dates[SurveyStage.END] == datetime.date(2027, 5, 17)


def stages(due, person_id) -> list[tuple[str, str]]:
    return [(item.respondent, item.stage) for item in due.get(person_id, [])]


def test_each_survey_falls_due_to_the_mentee_and_the_mentor_at_its_point(district):
    program = program_of(district)
    mentee, mentor = district.mentee_a.person.pk, district.mentor_a.person.pk
    people = [mentee, mentor]
    assert surveys_due(people, START - datetime.timedelta(days=1)) == {}
    at_start = surveys_due(people, START)
    assert stages(at_start, mentee) == [(SurveyRespondent.MENTEE, SurveyStage.START)]
    assert stages(at_start, mentor) == [(SurveyRespondent.MENTOR, SurveyStage.START)]
    assert stages(surveys_due(people, datetime.date(2027, 1, 14)), mentee) == [("mentee", "start")]
    assert stages(surveys_due(people, datetime.date(2027, 1, 15)), mentee) == [("mentee", "middle")]
    assert stages(surveys_due(people, datetime.date(2027, 5, 17)), mentor) == [("mentor", "end")]
    survey(program, "mentee", "end", "17.05.2027", {Measure.SATISFACTION: [4]})
    late = surveys_due(people, datetime.date(2027, 5, 20))
    assert stages(late, mentee) == [] and stages(late, mentor) == [("mentor", "end")]


def test_the_mentee_sees_the_due_survey_on_the_home_page(district, client_for, time_machine):
    program = program_of(district)
    time_machine.move_to(datetime.datetime(2027, 1, 20, 10, 0), tick=False)
    page = client_for(district.mentee_a).get(reverse("home"))
    [due] = page.context["surveys_due"]
    assert (due.program, due.stage) == (program, SurveyStage.MIDDLE)
    link = reverse("monitoring:survey_fill", args=[program.pk, "mentee", "middle"])
    assert link in page.content.decode()
    assert client_for(district.mentee_a).get(link).status_code == 200


def _status(pair: Pair, today: datetime.date) -> str:
    return health.working(Pair.objects.filter(pk=pair.pk), today).get().health


def test_a_fall_in_satisfaction_marks_the_pair_needs_a_check(district):
    program = program_of(district)
    pair = program.pair
    today = datetime.date(2027, 1, 20)
    Meeting.objects.create(
        pair=pair,
        held_at=datetime.datetime(2027, 1, 18, 15, tzinfo=datetime.UTC),
        topic="Встреча",
    )
    survey(program, "mentee", "start", "01.09.2026", {Measure.SATISFACTION: [4]})
    survey(program, "mentee", "middle", "14.01.2027", {Measure.SATISFACTION: [4]})
    assert _status(pair, today) == health.Health.OK
    program.surveys.get(stage="middle").answers.update(value=2)
    satisfaction_refresh([program.pk])  # as a corrected survey is
    assert _status(pair, today) == health.Health.CHECK
    row = health.decorate(health.working(Pair.objects.filter(pk=pair.pk), today), today)[0]
    assert row.health_reasons == ["удовлетворённость снизилась от одной анкеты к следующей"]


def _fill(client, program, respondent: str, stage: str):
    from monitoring.models import SurveyQuestion

    data = {"filled_on": "2027-01-20"}
    for question in SurveyQuestion.objects.for_respondent(respondent):
        data[f"q{question.pk}"] = 1 if question.is_yes_no else 4
    url = reverse("monitoring:survey_fill", args=[program.pk, respondent, stage])
    return client.post(url, data)


def test_the_notice_shows_to_the_mentor_and_the_mentee_and_goes_once_answered(
    district, client_for, time_machine
):
    program = program_of(district)
    time_machine.move_to(datetime.datetime(2027, 1, 20, 10, 0), tick=False)
    for user, respondent in ((district.mentor_a, "mentor"), (district.mentee_a, "mentee")):
        client = client_for(user)
        page = client.get(reverse("home")).content.decode()
        link = reverse("monitoring:survey_fill", args=[program.pk, respondent, "middle"])
        assert "Анкета ждёт ответа" in page and link in page
        assert _fill(client, program, respondent, "middle").status_code == 302
        page = client.get(reverse("home")).content.decode()
        assert "Анкета ждёт ответа" not in page and link not in page
    # A teacher of the other school has no survey of this pair waiting.
    other = UserFactory(username="teacher_b", person=district.teacher_b.person)
    page = client_for(other).get(reverse("home")).content.decode()
    assert "Анкета ждёт ответа" not in page


def test_no_notice_before_the_start_and_after_the_program_is_completed(
    district, client_for, time_machine
):
    program = program_of(district)
    client = client_for(district.mentee_a)
    time_machine.move_to(datetime.datetime(2026, 8, 31, 10, 0), tick=False)
    assert "Анкета ждёт ответа" not in client.get(reverse("home")).content.decode()
    time_machine.move_to(datetime.datetime(2026, 9, 1, 10, 0), tick=False)
    assert "Анкета ждёт ответа" in client.get(reverse("home")).content.decode()
    program.status = ProgramStatus.COMPLETED
    program.completed_on = datetime.date(2026, 9, 1)
    program.save(update_fields=["status", "completed_on"])
    assert "Анкета ждёт ответа" not in client.get(reverse("home")).content.decode()


def test_the_middle_of_the_program_shows_in_the_stage2_indicators_and_tables(district, client_for):
    from monitoring import indicators as ind
    from monitoring import tables

    program = program_of(district)
    survey(program, "mentee", "start", "05.09.2026", {Measure.MOTIVATION: [2, 2]})
    survey(program, "mentee", "middle", "15.01.2027", {Measure.MOTIVATION: [3, 4]})
    survey(program, "mentee", "end", "17.05.2027", {Measure.MOTIVATION: [5, 4]})
    survey(program, "mentor", "middle", "16.01.2027", {Measure.MOTIVATION: [4]})
    today = datetime.date(2027, 5, 20)
    scope = ind.Scope(municipality_id=district.municipality.pk)
    result = ind.stage2(scope, "2026/2027", today)
    mentee = result.row("mentee", Measure.MOTIVATION)
    assert (mentee.start, mentee.middle, mentee.end, mentee.change) == (2.0, 3.5, 4.5, 2.5)
    mentor = result.row("mentor", Measure.MOTIVATION)
    assert (mentor.start, mentor.middle, mentor.end, mentor.change) == (None, 4.0, None, None)
    assert result.surveys == 4

    table = tables.stage2_table(ind.summary(scope, "2026/2027", today), tables.Links({}))
    assert table.headers[2:5] == ["В начале", "В середине", "В конце"]
    [row] = [
        r for r in table.rows if r[0].value == "наставляемый" and r[1].value.startswith("мотив")
    ]
    assert [cell.display for cell in row[2:5]] == ["2,0", "3,5", "4,5"]

    page = client_for(district.curator_a).get(reverse("monitoring:program", args=[program.pk]))
    assert "В середине" in page.content.decode() and page.context["stage2"].rows
