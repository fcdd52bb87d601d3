"""From the needs list to a pair: a confirmed teacher without a mentor is one click away."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from mentoring import services
from mentoring.models import NeedReason


def test_confirmed_teacher_without_pair_links_to_a_prefilled_pair_form(district, client_for):
    person = district.teacher_a.person
    entry = services.need_add(
        user=district.curator_a,
        organization=district.school_a,
        person=person,
        reason=NeedReason.YOUNG_SPECIALIST,
        today=timezone.localdate(),
    )
    services.need_decide(
        user=district.curator_a, entry=entry, status="confirmed", today=timezone.localdate()
    )
    client = client_for(district.curator_a)
    page = client.get(reverse("mentoring:needs_organization", args=[district.school_a.pk]))
    link = f"{reverse('mentoring:pair_add')}?mentee={person.pk}"
    assert link in page.content.decode()
    form = client.get(link).context["form"]
    assert [int(pk) for pk in form["mentees"].value()] == [person.pk]


def test_a_teacher_of_another_school_cannot_be_slipped_into_the_form(district, client_for):
    client = client_for(district.curator_a)
    url = f"{reverse('mentoring:pair_add')}?mentee={district.teacher_b.person_id}"
    form = client.get(url).context["form"]
    assert district.teacher_b.person not in form.fields["mentees"].queryset
