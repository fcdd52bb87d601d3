"""Numbers as the portal writes them (`core.numerals.number_text`) equal what a template's
`{{ value }}` writes in Russian, for any integer or float."""

from __future__ import annotations

from django.template import Context, Template
from django.test import override_settings
from django.utils import translation
from hypothesis import example, given
from hypothesis import strategies as st

from core.numerals import number_text

TEMPLATE = Template("{{ value }}")
NUMBERS = st.integers() | st.floats(allow_nan=True, allow_infinity=True)


def written_by_template(value) -> str:
    return TEMPLATE.render(Context({"value": value}))


@given(NUMBERS)
@example(0)
@example(1234567)
@example(-5)
@example(2.0)
@example(3.75)
@example(-0.0)
@example(1e-05)
@example(1.5e16)
@example(True)
def test_number_text_writes_what_the_template_writes(value):
    with translation.override("ru"):
        assert number_text(value) == written_by_template(value)


def test_the_russian_decimal_comma_and_no_grouping():
    with translation.override("ru"):
        assert number_text(3.75) == "3,75"
        assert number_text(12345) == "12345"


@override_settings(USE_THOUSAND_SEPARATOR=True)
def test_an_installation_that_groups_thousands_gets_them_grouped():
    with translation.override("ru"):
        assert number_text(12345) == written_by_template(12345) == "12\xa0345"


def test_another_language_gets_its_own_decimal_mark():
    with translation.override("en"):
        assert number_text(3.75) == written_by_template(3.75) == "3.75"
