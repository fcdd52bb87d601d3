"""One current pair per mentee, unless the curator records why a second one is needed."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from mentoring import services
from mentoring.models import MentoringForm, Pair, PairMentee
from tests.mentoring.conftest import make_mentor


def register(district, data):
    return services.pair_register(
        curator=district.curator_a, organization=district.school_a, data=data
    )


def test_a_second_current_pair_with_another_mentor_needs_a_reason(
    district, active_pair, mentor_b, pair_data
):
    with pytest.raises(ValidationError) as refused:
        register(district, pair_data(mentor=mentor_b.person))

    message = " ".join(refused.value.message_dict["second_pair_reason"])
    assert str(district.mentee_a.person) in message
    assert PairMentee.objects.filter(person=district.mentee_a.person).count() == 1


def test_with_a_reason_the_second_pair_is_registered_and_shows_it(
    district, active_pair, mentor_b, pair_data, client_for
):
    reason = "Группа молодых педагогов по ИКТ в дополнение к индивидуальной паре"

    pair = register(district, pair_data(mentor=mentor_b.person, second_pair_reason=reason))

    assert pair.second_pair_reason == reason
    page = client_for(district.curator_a).get(pair.get_absolute_url()).content.decode()
    assert reason in page


def test_after_the_first_pair_is_completed_a_new_one_needs_no_reason(
    district, active_pair, mentor_b, pair_data
):
    services.pair_complete(user=district.curator_a, pair=active_pair, today=active_pair.planned_end)

    pair = register(district, pair_data(mentor=mentor_b.person))

    assert pair.second_pair_reason == ""


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_curators_at_once_end_with_one_pair(district, pair_data):
    from tests.factories import EmploymentFactory, PersonFactory

    mentors = [make_mentor(district.mentor_a.person, district.school_a)]
    other = PersonFactory(last_name="Кедрова", first_name="Вера")
    EmploymentFactory(person=other, organization=district.school_a)
    mentors.append(make_mentor(other, district.school_a))
    forms = {form.code: form for form in MentoringForm.objects.all()}
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(mentor):
        try:
            barrier.wait()
            register(
                district,
                pair_data(
                    mentor=mentor.person,
                    form=forms["pedagog_pedagog"],
                    kind=forms["tradicionnoe"],
                ),
            )
            outcomes.append("registered")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(mentor,)) for mentor in mentors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sorted(outcomes) == ["refused", "registered"]
    assert Pair.objects.filter(mentees=district.mentee_a.person).count() == 1
