"""The Python-built markup of the hot pages equals what Django and crispy-forms render."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.template import Context, Template
from django.urls import reverse, set_script_prefix

from core.choices import choice_label
from core.templatetags.filter_fields import as_filter_field
from core.urls import reverse_name, reverse_pk
from core.widgets import FastSelect, render_select
from mentoring.filters import MeetingFilter, PairFilter
from mentoring.models import Meeting, MeetingFormat, Pair, PairStatus


def normal(html: str) -> list:
    """Tags with their attributes (in any order) and the text between them."""
    parsed = []

    class Reader(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attrs = [(k, " ".join((v or "").split()) if k == "class" else v) for k, v in attrs]
            parsed.append((tag, sorted(attrs, key=lambda pair: pair[0])))

        def handle_endtag(self, tag):
            parsed.append(("/" + tag,))

        def handle_data(self, data):
            if data.strip():
                parsed.append(" ".join(data.split()))

    Reader().feed(str(html))
    return parsed


class EveryKindOfField(forms.Form):
    text = forms.CharField(label="Текст", required=False, help_text="Подсказка <b>жирная</b>")
    number = forms.IntegerField(label="Число", required=False)
    day = forms.DateField(label="День", required=False, widget=forms.DateInput({"type": "date"}))
    choice = forms.ChoiceField(label="Выбор", choices=[("", "—"), ("a", "А & Б")])
    flag = forms.BooleanField(label="Флажок", required=False, help_text="Что он делает")
    required_flag = forms.BooleanField(label="Обязательный флажок")
    styled = forms.CharField(
        label="", required=False, widget=forms.TextInput({"class": "narrow", "placeholder": "…"})
    )


@pytest.mark.parametrize(
    "data",
    [{}, {"text": "<x>", "number": "5", "day": "2026-11-20", "choice": "a", "flag": "on"}],
    ids=["empty", "filled"],
)
def test_filter_field_renders_what_crispy_renders(data):
    ours, theirs = EveryKindOfField(data or None), EveryKindOfField(data or None)
    for name in ours.fields:
        assert normal(as_filter_field(ours[name])) == normal(as_crispy_field(theirs[name])), name


def test_filter_field_leaves_a_field_with_errors_to_crispy():
    form = EveryKindOfField({"number": "много", "choice": "a"})
    assert not form.is_valid()
    html = as_filter_field(form["number"])
    assert "invalid-feedback" in html
    assert normal(html) == normal(as_crispy_field(EveryKindOfField(form.data)["number"]))


@pytest.mark.parametrize("filterset", [PairFilter, MeetingFilter])
def test_list_filters_render_as_crispy_renders_them(district, filterset):
    data = {"q": "Тема", "organization": str(district.school_a.pk)}
    ours = filterset(data, queryset=filterset._meta.model.objects.none(), request=None).form
    theirs = filterset(data, queryset=filterset._meta.model.objects.none(), request=None).form
    for name in ours.fields:
        assert normal(as_filter_field(ours[name])) == normal(as_crispy_field(theirs[name])), name


ROW_LINKS = (
    "mentoring:pair_detail",
    "orgs:person_detail",
    "mentoring:needs_organization",
    "monitoring:program",
    "monitoring:organization_dashboard",
    "monitoring:region_municipality",
)
NAVIGATION = ("home", "mentoring:pair_list", "mentoring:need_list", "monitoring:dashboard")


@pytest.mark.parametrize("name", ROW_LINKS)
def test_reverse_pk_gives_the_address_reverse_gives(name):
    for pk in (1, 42, 2147483647):
        assert reverse_pk(name, pk) == reverse(name, args=[pk])
    template = Template("{% load navigation %}{% pk_url name pk %}")
    assert template.render(Context({"name": name, "pk": 42})) == reverse(name, args=[42])


def test_reverse_name_follows_the_script_prefix():
    """Behind a prefix (an installation at /nastavnik/) the cached addresses carry it too."""
    try:
        for prefix in ("/", "/nastavnik/"):
            set_script_prefix(prefix)
            for name in NAVIGATION:
                assert reverse_name(name) == reverse(name)
                assert reverse_name(name).startswith(prefix)
            assert reverse_pk("mentoring:pair_detail", 5) == reverse(
                "mentoring:pair_detail", args=[5]
            )
    finally:
        set_script_prefix("/")


def test_choice_labels_are_the_display_of_the_field(db):
    for status in PairStatus.values:
        pair = Pair(status=status)
        assert str(pair.status_label) == str(pair.get_status_display())
    for value in MeetingFormat.values:
        meeting = Meeting(format=value)
        assert str(meeting.format_label) == str(meeting.get_format_display())
    assert choice_label(PairStatus, "unknown") == "unknown"


GROUPED = [
    ("", "—"),
    (None, "Ничего"),
    ("Школы", [(1, "Школа № 1"), (2, "Школа «Р&Д» <2>")]),
    ("Сады", [(3, "Детский сад"), (None, "Без номера")]),
    ("a", "А"),
    ("a", "А ещё раз"),
]


@pytest.mark.parametrize("value", [None, "", "2", 2, "a", ["1", "3"], ["a"], "нет такого"])
@pytest.mark.parametrize("widget", [FastSelect, forms.SelectMultiple], ids=["one", "several"])
def test_a_select_built_in_python_is_djangos_select(widget, value):
    """The options read once in Python give Django's markup: groups, «None» values, the first
    equal option selected only (unless several may be), attributes and escaping."""
    ours = widget(attrs={"class": "form-select", "data-x": "1"}, choices=GROUPED)
    theirs = (forms.Select if widget is FastSelect else forms.SelectMultiple)(
        attrs={"class": "form-select", "data-x": "1"}, choices=GROUPED
    )
    attrs = {"id": "id_organization", "required": True}
    assert normal(render_select(ours, "organization", value, attrs)) == normal(
        theirs.render("organization", value, attrs)
    )
