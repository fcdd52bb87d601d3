"""Dates as the portal writes them (`core.dates`) equal what Django's `date` filter wrote
before: the same text for days, moments near midnight in Barnaul, and no date at all."""

from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone

from core.dates import day_text, moment_text

UTC = datetime.UTC
VALUES = [
    datetime.date(2026, 1, 5),
    datetime.date(999, 12, 31),
    # 18:30 UTC is already the next day in Barnaul (UTC+7): the local day is written.
    datetime.datetime(2026, 11, 30, 18, 30, tzinfo=UTC),
    datetime.datetime(2026, 12, 31, 16, 59, tzinfo=UTC),
    datetime.datetime(2026, 3, 1, 2, 7),  # naive: written as it is
    None,
    "",
    "2026-11-30",  # a string is not a date: nothing, as Django's filter gives
]


def render(source: str, value) -> str:
    return Template(source).render(Context({"value": value}))


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_day_filter_writes_what_django_date_filter_wrote(value, settings):
    settings.TIME_ZONE = "Asia/Barnaul"
    with timezone.override("Asia/Barnaul"):
        assert render("{{ value|ddmmyyyy }}", value) == render('{{ value|date:"d.m.Y" }}', value)


# Not plain days: Django's filter writes nothing for a day with a time format, ours the day.
MOMENTS = [
    v for v in VALUES if isinstance(v, datetime.datetime) or not isinstance(v, datetime.date)
]


@pytest.mark.parametrize("value", MOMENTS, ids=repr)
def test_moment_filter_writes_what_django_date_filter_wrote(value):
    with timezone.override("Asia/Barnaul"):
        ours = render("{{ value|ddmmyyyy_hhmm }}", value)
        assert ours == render('{{ value|date:"d.m.Y H:i" }}', value)


def test_texts_in_python_are_local():
    moment = datetime.datetime(2026, 11, 30, 18, 30, tzinfo=UTC)
    with timezone.override("Asia/Barnaul"):
        assert day_text(moment) == "01.12.2026"
        assert moment_text(moment) == "01.12.2026 01:30"
    assert day_text(datetime.date(2026, 7, 9)) == "09.07.2026"
    assert day_text(None) == moment_text(None) == ""
    # A day where a moment is expected: the day, not an error.
    assert moment_text(datetime.date(2026, 7, 9)) == "09.07.2026"


def test_filters_need_no_load_tag():
    assert render("{{ value|ddmmyyyy }}", datetime.date(2026, 2, 3)) == "03.02.2026"
