"""Every boundary of the pair health statuses, and the escalation chain (who, when, once)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from matching import health
from matching.health import Health, health_escalate
from matching.models import AlertLevel, HealthAlert
from mentoring.models import Meeting, MeetingAttendance, Pair
from programs.models import Activity, ActivityStatus, Program
from tests.programs.conftest import make_pair

TODAY = datetime.date(2026, 11, 10)


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(15, 0)))


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


@pytest.fixture
def pair(district):
    """An active pair that started 100 days ago, ends in 200 days, with a program."""
    pair = make_pair(district.school_a, district.mentor_a.person, [district.mentee_a.person])
    pair.planned_start = days_ago(100)
    pair.planned_end = TODAY + datetime.timedelta(days=200)
    pair.save()
    Program.objects.create(
        pair=pair,
        mentee=district.mentee_a.person,
        form=pair.form,
        kind=pair.kind,
        starts_on=pair.planned_start,
        ends_on=pair.planned_end,
        goals="Цели",
    )
    return pair


def meet(pair: Pair, day: datetime.date, *, confirmed: bool = True) -> Meeting:
    meeting = Meeting.objects.create(pair=pair, held_at=at(day), topic="Встреча")
    for person in pair.mentees.all():
        MeetingAttendance.objects.create(
            meeting=meeting, person=person, confirmed_at=at(day) if confirmed else None
        )
    return meeting


def status(pair: Pair, today: datetime.date = TODAY) -> str:
    return health.working(Pair.objects.filter(pk=pair.pk), today).get().health


@pytest.mark.parametrize(
    ("days", "expected"),
    [(0, Health.OK), (20, Health.OK), (21, Health.CHECK), (44, Health.CHECK), (45, Health.AT_RISK)],
)
def test_days_without_a_meeting_set_the_status(pair, days, expected):
    meet(pair, days_ago(days))
    assert status(pair) == expected


def test_without_any_meeting_the_days_count_from_the_start(pair):
    pair.planned_start = days_ago(20)
    pair.save()
    assert status(pair) == Health.OK
    pair.planned_start = days_ago(21)
    pair.save()
    assert status(pair) == Health.CHECK


@pytest.mark.parametrize(
    ("days_left", "expected"), [(31, Health.OK), (30, Health.ENDING), (0, Health.ENDING)]
)
def test_the_end_within_30_days_marks_the_pair_ending(pair, days_left, expected):
    meet(pair, days_ago(3))
    pair.planned_end = TODAY + datetime.timedelta(days=days_left)
    pair.save()
    assert status(pair) == expected


def test_a_quiet_pair_near_its_end_needs_a_check_first(pair):
    meet(pair, days_ago(25))
    pair.planned_end = TODAY + datetime.timedelta(days=10)
    pair.save()
    assert status(pair) == Health.CHECK


def test_an_overdue_road_map_activity_puts_the_pair_at_risk(pair):
    meet(pair, days_ago(3))
    program = pair.programs.get()
    activity = Activity.objects.create(program=program, title="Открытый урок", planned_on=TODAY)
    assert status(pair) == Health.OK
    activity.planned_on = days_ago(1)
    activity.save()
    assert status(pair) == Health.AT_RISK
    activity.status = ActivityStatus.DONE
    activity.save()
    assert status(pair) == Health.OK


def test_no_program_a_month_after_the_start_puts_the_pair_at_risk(pair):
    pair.programs.all().delete()
    meet(pair, days_ago(3))
    pair.planned_start = days_ago(29)
    pair.save()
    assert status(pair) == Health.OK
    pair.planned_start = days_ago(30)
    pair.save()
    assert status(pair) == Health.AT_RISK


def test_an_unconfirmed_meeting_over_14_days_old_needs_a_check(pair, time_machine):
    time_machine.move_to(at(TODAY), tick=False)
    meet(pair, days_ago(2))
    meet(pair, days_ago(13), confirmed=False)
    assert status(pair) == Health.OK
    meet(pair, days_ago(15), confirmed=False)
    assert status(pair) == Health.CHECK


def test_the_reasons_say_why_in_words(pair):
    meet(pair, days_ago(46))
    row = health.decorate(health.working(Pair.objects.filter(pk=pair.pk), TODAY), TODAY)[0]
    assert row.health_label == "под угрозой"
    assert row.health_reasons == ["нет встреч 46 дн."]


def test_counts_by_organization_count_each_status(district, pair):
    meet(pair, days_ago(30))
    other = make_pair(district.school_b, district.teacher_b.person, [district.teacher_a.person])
    other.planned_start = days_ago(5)
    other.save()
    rows = health.counts_by_organization(Pair.objects.all(), TODAY)
    by_name = {row["name"]: row for row in rows}
    assert by_name["Барановская СОШ"][Health.CHECK] == 1
    assert by_name["Таловская СОШ"][Health.OK] == 1
    assert by_name["Таловская СОШ"]["total"] == 1


# Escalation ------------------------------------------------------------------------------


def told(pair: Pair) -> set[tuple[str, str]]:
    return set(HealthAlert.objects.filter(pair=pair).values_list("level", "user__username"))


def test_the_escalation_tells_the_mentor_then_the_curator_then_the_head_once_each(district, pair):
    meet(pair, days_ago(0))
    last = TODAY
    assert health_escalate(last + datetime.timedelta(days=20)) == []
    assert told(pair) == set()

    health_escalate(last + datetime.timedelta(days=21))
    assert told(pair) == {(AlertLevel.MENTOR, "mentor_a")}
    assert health_escalate(last + datetime.timedelta(days=22)) == []

    health_escalate(last + datetime.timedelta(days=29))
    assert told(pair) == {(AlertLevel.MENTOR, "mentor_a")}
    health_escalate(last + datetime.timedelta(days=30))
    assert told(pair) == {(AlertLevel.MENTOR, "mentor_a"), (AlertLevel.CURATOR, "curator_a")}

    health_escalate(last + datetime.timedelta(days=44))
    assert (AlertLevel.HEAD, "head_a") not in told(pair)
    new = health_escalate(last + datetime.timedelta(days=45))
    assert [(a.level, a.user.username) for a in new] == [(AlertLevel.HEAD, "head_a")]
    assert health_escalate(last + datetime.timedelta(days=60)) == []
    assert HealthAlert.objects.filter(pair=pair).count() == 3


def test_a_new_meeting_ends_the_spell_and_a_later_silence_is_told_again(district, pair):
    meet(pair, days_ago(0))
    health_escalate(TODAY + datetime.timedelta(days=21))
    assert [
        a.user.username
        for a in health.alerts_for(district.mentor_a, TODAY + datetime.timedelta(days=21))
    ] == ["mentor_a"]
    meet(pair, TODAY + datetime.timedelta(days=22))
    assert health.alerts_for(district.mentor_a, TODAY + datetime.timedelta(days=23)) == []
    health_escalate(TODAY + datetime.timedelta(days=43))
    assert HealthAlert.objects.filter(pair=pair, level=AlertLevel.MENTOR).count() == 2


def test_a_late_run_raises_every_level_already_due_at_once(district, pair):
    meet(pair, days_ago(50))
    health_escalate(TODAY)
    assert told(pair) == {
        (AlertLevel.MENTOR, "mentor_a"),
        (AlertLevel.CURATOR, "curator_a"),
        (AlertLevel.HEAD, "head_a"),
    }
