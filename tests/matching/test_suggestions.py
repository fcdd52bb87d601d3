"""The suggestion score on hand-made cases, its explanation, and its fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matching.models import MatchWeights
from matching.suggestions import suggest
from mentoring.models import MentoringForm, Topic
from orgs.models import QualificationCategory
from tests.matching.conftest import bank_mentor, diagnose, teacher
from tests.programs.conftest import make_pair

DEFICITS = ("metod", "ikt", "psih_ped")


@pytest.fixture
def mentee(district):
    person = teacher(district.school_a, last_name="Новикова", years=1)
    diagnose(person, district.school_a, low=DEFICITS)
    return person


def forms():
    return {form.code: form for form in MentoringForm.objects.all()}


def names(result):
    return [s.mentor.person.last_name for s in result.suggestions]


def test_a_mentor_strong_in_two_of_three_deficits_ranks_above_one_strong_in_none(district, mentee):
    strong = bank_mentor(district.school_b, last_name="Сильная", subjects="химия")
    diagnose(strong.person, district.school_b, high=("metod", "ikt"))
    bank_mentor(district.school_b, last_name="Обычная", subjects="химия")
    result = suggest(mentee)
    assert names(result) == ["Сильная", "Обычная"]
    top = result.suggestions[0]
    assert any("силён в 2 из 3 затруднений" in reason for reason in top.reasons)
    assert "методические" in " ".join(top.reasons)
    assert "ИКТ-компетенции" in " ".join(top.reasons)


def test_bank_topics_count_as_strengths_when_the_mentor_has_no_diagnostics(district, mentee):
    bank_mentor(district.school_b, last_name="Психолог", topics=(Topic.PSYCHOLOGY,), subjects="х")
    bank_mentor(district.school_b, last_name="Прочая", subjects="х")
    result = suggest(mentee)
    assert names(result)[0] == "Психолог"
    assert "психолого-педагогические" in " ".join(result.suggestions[0].reasons)


def test_a_full_mentor_is_never_first_and_the_page_says_why(district, mentee):
    full = bank_mentor(
        district.school_a,
        last_name="Занятая",
        topics=(Topic.METHODS, Topic.PSYCHOLOGY),
        max_mentees=1,
        years=20,
        category=QualificationCategory.HIGHEST,
    )
    make_pair(district.school_a, full.person, [teacher(district.school_a, last_name="Уже")])
    bank_mentor(district.school_b, last_name="Свободная", subjects="химия")
    result = suggest(mentee)
    assert names(result) == ["Свободная", "Занятая"]
    busy = result.suggestions[1]
    assert busy.score > result.suggestions[0].score
    assert "нет свободных мест (занято 1 из 1), поэтому не предлагается первым" in busy.warnings


def test_reverse_mentoring_prefers_a_younger_mentor(district, mentee):
    mentee.teaching_since = mentee.teaching_since.replace(year=mentee.teaching_since.year - 15)
    mentee.save()
    bank_mentor(district.school_b, last_name="Старшая", years=25, subjects="химия")
    bank_mentor(district.school_b, last_name="Младшая", years=3, subjects="химия")
    reverse = suggest(mentee, kind=forms()["reversivnoe"])
    assert names(reverse) == ["Младшая", "Старшая"]
    assert any("реверсивного" in reason for reason in reverse.suggestions[0].reasons)
    traditional = suggest(mentee, kind=forms()["tradicionnoe"])
    assert names(traditional) == ["Старшая", "Младшая"]


def test_a_head_form_prefers_a_head_of_an_organization(district, mentee):
    bank_mentor(district.school_b, last_name="Учительница", subjects="химия")
    bank_mentor(district.school_b, last_name="Директор", subjects="химия", position="rukovoditel")
    result = suggest(mentee, form=forms()["rukovoditel_pedagog"])
    assert names(result) == ["Директор", "Учительница"]
    assert "не руководитель организации, а форма этого требует" in (result.suggestions[1].warnings)


def test_the_explanation_names_each_reason(district, mentee):
    bank_mentor(
        district.school_a,
        last_name="Полная",
        topics=(Topic.METHODS,),
        years=12,
        category=QualificationCategory.HIGHEST,
    )
    reasons = " | ".join(suggest(mentee).suggestions[0].reasons)
    for part in (
        "силён в 1 из 3 затруднений наставляемого: методические",
        "преподаёт тот же предмет: математика",
        "работает в организации того же типа",
        "педагогический стаж 12 лет",
        "квалификационная категория: высшая",
        "есть 2 свободных места",
        "работает в той же организации",
    ):
        assert part in reasons


def test_virtual_mentoring_ignores_distance(district, mentee):
    bank_mentor(district.school_a, last_name="Рядом", subjects="химия")
    bank_mentor(district.school_b, last_name="Далеко", subjects="химия")
    in_person = suggest(mentee, kind=forms()["tradicionnoe"])
    assert names(in_person) == ["Рядом", "Далеко"]
    virtual = suggest(mentee, kind=forms()["virtualnoe"])
    assert virtual.suggestions[0].score == virtual.suggestions[1].score


def test_the_coordinators_weights_change_the_ranking(district, mentee):
    district.school_b.settlement = "с. Таловка"
    district.school_b.save()
    bank_mentor(district.school_a, last_name="Рядом", subjects="химия")
    far = bank_mentor(district.school_b, last_name="Далеко", subjects="химия", years=15)
    assert names(suggest(mentee))[0] == "Рядом"
    MatchWeights.objects.create(
        municipality=district.municipality, same_organization=0, experience=50
    )
    assert suggest(mentee).suggestions[0].mentor == far


def test_mentors_of_another_municipality_are_not_suggested(district, mentee):
    from tests.factories import OrganizationFactory

    other = OrganizationFactory(municipality=district.other_municipality, short_name="Чужая СОШ")
    bank_mentor(other, last_name="Чужая")
    assert names(suggest(mentee)) == []


def test_suggestions_make_the_same_number_of_queries_for_a_small_and_a_large_bank(district, mentee):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            suggest(mentee, form=forms()["pedagog_pedagog"], kind=forms()["tradicionnoe"])
        return len(queries)

    for n in range(2):
        bank_mentor(district.school_b, last_name=f"Малый{n}", topics=(Topic.METHODS,))
    small = count()
    for n in range(25):
        mentor = bank_mentor(district.school_a, last_name=f"Большой{n}", topics=(Topic.LESSONS,))
        if n % 5 == 0:
            diagnose(mentor.person, district.school_a, high=("ikt",))
    assert count() == small
