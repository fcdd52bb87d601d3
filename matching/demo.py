"""Demo data of matching: the curator's school shows every pair health status, the alerts
of quiet pairs are raised, and some pairs of the year took a suggested mentor.

Idempotent: a status already present is left alone; ranks are set only where none is."""

from __future__ import annotations

import datetime
from typing import TextIO

from django.utils import timezone

from matching.health import Health, health_escalate, working
from mentoring.models import Meeting, MeetingAttendance, Pair, academic_year_of
from orgs.demo import first_school
from programs.models import Activity, ActivityStatus


def _move_last_meeting(pair: Pair, days_ago: int, today: datetime.date) -> None:
    """Drop the pair's meetings of the last `days_ago` days and make the latest one
    `days_ago` days old, so the pair has been quiet exactly that long."""
    since = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=days_ago), datetime.time(15))
    )
    # Demo data only: attendance is protected from cascades, so it goes first, by name.
    recent = pair.meetings.filter(held_at__gt=since)
    MeetingAttendance.objects.filter(meeting__in=recent).delete()
    recent.delete()
    latest = pair.meetings.order_by("-held_at").first()
    if latest is not None:
        latest.held_at = since
        latest.save(update_fields=["held_at"])
        MeetingAttendance.objects.filter(meeting=latest, confirmed_at__isnull=True).update(
            confirmed_at=since
        )


def _tidy(pair: Pair, today: datetime.date) -> None:
    """Clear what else would mark the pair: overdue activities done, meetings confirmed,
    the end far away."""
    Activity.objects.overdue(today).filter(program__pair=pair).update(
        status=ActivityStatus.DONE, result="Проведено"
    )
    MeetingAttendance.objects.filter(meeting__pair=pair, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now()
    )
    if pair.planned_end <= today + datetime.timedelta(days=45):
        pair.planned_end = today + datetime.timedelta(days=120)
        pair.save(update_fields=["planned_end"])


def _show_every_status(school, today: datetime.date) -> list[str]:
    """Make each missing status out of a pair of the most common one (never the only
    example of a status), so a second run changes nothing."""
    made = []
    quiet_45 = (
        working(Pair.objects.filter(organization=school), today)
        .filter(quiet_since__lte=today - datetime.timedelta(days=45))
        .exists()
    )
    for status in (Health.OK, Health.ENDING, Health.CHECK, Health.AT_RISK):
        rows = list(
            working(Pair.objects.filter(organization=school), today)
            .filter(has_program=True)
            .order_by("pk")
        )
        by_status: dict[str, list[Pair]] = {}
        for pair in rows:
            by_status.setdefault(pair.health, []).append(pair)
        # At risk by silence too, so the escalation reaches the head in the demo.
        if by_status.get(status) and (status != Health.AT_RISK or quiet_45):
            continue
        if by_status.get(status):  # at risk already, but not by silence: make it silent too
            _move_last_meeting(by_status[status][0], 50, today)
            continue
        donors = max(by_status.values(), key=len, default=[])
        if len(donors) < 2:
            continue
        pair = donors[-1]
        _tidy(pair, today)
        if status == Health.CHECK:
            _move_last_meeting(pair, 25, today)
        elif status == Health.AT_RISK:
            _move_last_meeting(pair, 50, today)
        elif status == Health.ENDING:
            _move_last_meeting(pair, 5, today)
            pair.planned_end = today + datetime.timedelta(days=20)
            pair.save(update_fields=["planned_end"])
        else:
            _move_last_meeting(pair, 3, today)
            if not pair.meetings.exists():
                Meeting.objects.create(
                    pair=pair,
                    held_at=timezone.now() - datetime.timedelta(days=3),
                    topic="Разбор урока",
                )
        made.append(str(Health.labels[status]))
    return made


def _mark_suggested(today: datetime.date) -> int:
    """Every second pair started this academic year took one of the suggestions."""
    start = datetime.date(int(academic_year_of(today)[:4]), 9, 1)
    pairs = Pair.objects.filter(planned_start__gte=start).order_by("pk")
    if pairs.filter(suggestion_rank__isnull=False).exists():
        return 0
    marked = 0
    for index, pair in enumerate(pairs):
        if index % 2 == 0:
            pair.suggestion_rank = 1 if index % 4 == 0 else 2
            pair.save(update_fields=["suggestion_rank"])
            marked += 1
    return marked


def seed(stdout: TextIO) -> None:
    today = timezone.localdate()
    made = _show_every_status(first_school(), today)
    marked = _mark_suggested(today)
    alerts = health_escalate(today)
    stdout.write(
        f"matching: statuses made now — {', '.join(made) or 'none'}; {marked} pairs marked as "
        f"taken from suggestions; {len(alerts)} alerts about quiet pairs raised.\n"
    )
