"""Date arithmetic the Положение's periods are written in, and the one way the portal writes
a date (дд.мм.гггг) and a moment (дд.мм.гггг чч:мм)."""

from __future__ import annotations

import calendar
import datetime

from django.db.models import Q
from django.utils import timezone


def add_months(date: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day when it is shorter)."""
    index = date.month - 1 + months
    year, month = date.year + index // 12, index % 12 + 1
    return date.replace(
        year=year, month=month, day=min(date.day, calendar.monthrange(year, month)[1])
    )


def day_text(value: datetime.date | None) -> str:
    """The portal's way to write a day: «30.11.2026» (a datetime as its day in local time);
    "" for no date. Built directly rather than through Django's `date` filter, which parses
    its format on every call: a list of 50 rows writes 150 dates, the dashboard hundreds."""
    if isinstance(value, datetime.datetime):
        value = _local(value)
    elif not isinstance(value, datetime.date):
        return ""
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


def moment_text(value: datetime.datetime | None) -> str:
    """A moment as the portal writes it: «30.11.2026 14:05» in local time; "" for none."""
    if not isinstance(value, datetime.datetime):
        return day_text(value)
    value = _local(value)
    return f"{day_text(value)} {value.hour:02d}:{value.minute:02d}"


def _local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def day_start(day: datetime.date) -> datetime.datetime:
    """The moment a local day begins (in the current time zone)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def on_days(field: str, first: datetime.date | None, last: datetime.date | None) -> Q:
    """`field` (a moment) falls on a local day from `first` to `last` (either end may be
    open): the same rows as `field__date__gte` / `__lte`, written as a range of moments, so
    an index on the moment answers it instead of the day being computed for every row."""
    condition = Q()
    if first is not None:
        condition &= Q(**{f"{field}__gte": day_start(first)})
    if last is not None:
        condition &= Q(**{f"{field}__lt": day_start(last + datetime.timedelta(days=1))})
    return condition
