"""The pair's own card shows its health and the reasons in words to the mentor, the mentee
and the curator; a reason that would reveal an anonymous answer is kept from the
participants. The program page shows the road map's progress with the meetings behind it."""

from __future__ import annotations

import datetime

from django.urls import reverse

from mentoring.models import Meeting, PairStatus
from monitoring.models import Measure
from programs.models import Activity, ActivityStatus, ProgramStatus
from tests.monitoring.conftest import at, d, make_pair, make_program, survey

NOW = datetime.datetime(2027, 1, 20, 10, 0)


def working_pair(district):
    pair = make_pair(district.school_a, district.mentor_a.person, [district.mentee_a.person],
                     "01.09.2026", "31.05.2027")  # fmt: skip
    program = make_program(pair, district.mentee_a.person, "01.09.2026", "31.05.2027",
                           ProgramStatus.IN_PROGRESS)  # fmt: skip
    return pair, program


def card(client, pair) -> str:
    page = client.get(reverse("mentoring:pair_detail", args=[pair.pk]))
    assert page.status_code == 200
    [panel] = [p for p in page.context["panels"] if p["template"].endswith("pair_health_card.html")]
    return panel, page.content.decode()


def test_mentor_and_mentee_see_their_pair_needs_a_check_and_why(district, client_for, time_machine):
    time_machine.move_to(NOW, tick=False)
    pair, _program = working_pair(district)
    Meeting.objects.create(pair=pair, held_at=at("26.12.2026"), topic="Разбор урока")
    for user in (district.mentor_a, district.mentee_a, district.curator_a):
        panel, html = card(client_for(user), pair)
        assert panel["label"] == "нужна проверка"
        assert panel["reasons"] == ["нет встреч 25 дн."]
        assert 'data-testid="pair-health-card"' in html and "нет встреч 25 дн." in html


def test_a_pair_on_track_says_so_in_words(district, client_for, time_machine):
    time_machine.move_to(NOW, tick=False)
    pair, _program = working_pair(district)
    Meeting.objects.create(pair=pair, held_at=at("15.01.2027"), topic="Разбор урока")
    panel, html = card(client_for(district.mentee_a), pair)
    assert (panel["label"], panel["reasons"]) == ("в норме", [])
    assert "Последняя встреча: 15.01.2027." in html


def test_a_fall_in_satisfaction_is_named_to_the_curator_but_not_to_the_pair(
    district, client_for, time_machine
):
    time_machine.move_to(NOW, tick=False)
    pair, program = working_pair(district)
    Meeting.objects.create(pair=pair, held_at=at("15.01.2027"), topic="Разбор урока")
    survey(program, "mentee", "start", "05.09.2026", {Measure.SATISFACTION: [5]})
    survey(program, "mentee", "middle", "15.01.2027", {Measure.SATISFACTION: [2]})
    panel, _html = card(client_for(district.curator_a), pair)
    assert panel["reasons"] == ["удовлетворённость снизилась от одной анкеты к следующей"]
    for user in (district.mentor_a, district.mentee_a):
        panel, html = card(client_for(user), pair)
        assert panel["label"] == "нужна проверка"
        assert panel["reasons"] == ["куратор обсудит с вами ход работы пары"]
        assert "удовлетворённость" not in html


def test_a_finished_pair_has_no_health_panel(district, client_for):
    pair, _program = working_pair(district)
    Pair = type(pair)
    Pair.objects.filter(pk=pair.pk).update(status=PairStatus.COMPLETED, ended_on=d("31.12.2026"))
    page = client_for(district.curator_a).get(reverse("mentoring:pair_detail", args=[pair.pk]))
    assert page.context["panels"] == []


def test_meetings_linked_to_activities_show_the_progress_of_the_program(
    district, client_for, time_machine
):
    time_machine.move_to(NOW, tick=False)
    pair, program = working_pair(district)
    done = Activity.objects.create(program=program, title="Открытый урок",
                                   planned_on=d("10.12.2026"), status=ActivityStatus.DONE)  # fmt: skip
    Activity.objects.create(program=program, title="Портфолио", planned_on=d("10.03.2027"))
    Activity.objects.create(program=program, title="Отменено", planned_on=d("10.02.2027"),
                            status=ActivityStatus.CANCELLED)  # fmt: skip
    for day in ("01.12.2026", "09.12.2026"):
        meeting = Meeting.objects.create(pair=pair, held_at=at(day), topic="Подготовка урока")
        done.meetings.add(meeting)
    page = client_for(district.mentee_a).get(reverse("programs:program_detail", args=[program.pk]))
    assert page.context["progress"] == {"done": 1, "total": 2, "with_meetings": 1, "meetings": 2}
    html = page.content.decode()
    assert "Выполнено мероприятий: 1 из 2" in html
    assert "Встречами отработано 1 из 2 мероприятий" in html
