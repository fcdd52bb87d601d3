"""Two people at once: a decision taken on a record someone else just changed is refused with
«Запись уже изменена», and a duplicate that slips past a check becomes a form error, not a 500.

(The same POST twice at once, over HTTP against the live server, is in
tests/core/test_double_submit.py.)"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.idempotency import unique_violation_message
from mentoring import services
from mentoring.models import DismissReason, NeedEntry, NeedReason, NeedStatus
from orgs.models import Employment, Position

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposed(district):
    needs_list = services.needs_list_for(district.school_a, timezone.localdate())
    return NeedEntry.objects.create(
        needs_list=needs_list,
        person=district.teacher_a.person,
        reason=NeedReason.values[0],
        status=NeedStatus.PROPOSED,
    )


def test_confirm_and_dismiss_of_one_candidate_the_second_is_told_it_changed(
    district, proposed, client_for
):
    client = client_for(district.curator_a)
    confirm = reverse("mentoring:need_decide", args=[proposed.pk, "confirmed"])
    dismiss = reverse("mentoring:need_decide", args=[proposed.pk, "dismissed"])

    client.post(confirm, {"seen": "proposed"})
    page = client.post(
        dismiss, {"seen": "proposed", "dismiss_reason": DismissReason.values[0]}, follow=True
    ).content.decode()

    assert NeedEntry.objects.get(pk=proposed.pk).status == NeedStatus.CONFIRMED
    assert "Запись уже изменена" in page
    assert "подтверждён" in page  # the current state is shown


def test_a_decision_on_what_the_user_saw_still_goes_through(district, proposed):
    entry = services.need_decide(
        user=district.curator_a,
        entry=proposed,
        status=NeedStatus.DISMISSED,
        today=timezone.localdate(),
        dismiss_reason=DismissReason.values[0],
        seen_status=NeedStatus.PROPOSED,
    )
    assert entry.status == NeedStatus.DISMISSED


def test_ending_a_pair_someone_has_just_completed_says_it_changed(district, client_for):
    from tests.programs.conftest import make_pair

    pair = make_pair(district.school_a, district.mentor_a.person, [district.mentee_a.person])
    services.pair_complete(user=district.curator_a, pair=pair, today=timezone.localdate())
    with pytest.raises(ValidationError, match="уже изменена|already been changed"):
        services.pair_end_early(
            user=district.curator_a, pair=pair, reason="переезд", today=timezone.localdate()
        )


def test_same_teacher_added_by_two_curators_is_one_person_and_a_form_error(district, client_for):
    path = reverse("orgs:teacher_add", args=[district.school_a.pk])
    data = {
        "last_name": "Кленова",
        "first_name": "Дарья",
        "position": Position.objects.order_by("pk").first().pk,
        "hired_on": "01.09.2026",
        "qualification_category": "none",
        "save": "1",
    }
    first = client_for(district.curator_a).post(path, data)
    second = client_for(district.head_a).post(path, data)  # another form: no shared token

    assert first.status_code == 302
    assert second.status_code == 200
    assert "уже занимает эту должность" in second.content.decode()
    assert Employment.objects.filter(person__last_name="Кленова").count() == 1


def test_a_unique_violation_is_told_in_the_constraints_own_words(district, proposed):
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        NeedEntry.objects.create(
            needs_list=proposed.needs_list,
            person=proposed.person,
            reason=NeedReason.values[0],
            status=NeedStatus.PROPOSED,
        )
    constraint = next(c for c in NeedEntry._meta.constraints if getattr(c, "fields", None))
    assert unique_violation_message(caught.value) == str(constraint.violation_error_message)
