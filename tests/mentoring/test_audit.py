"""What is said about a person in mentoring (bank results, needs entries) is in the change log."""

from __future__ import annotations

from auditlog.context import set_actor
from django.urls import reverse

from tests.mentoring.conftest import make_mentor


def test_mentor_results_change_shows_in_own_coordinators_log_only(district, client_for):
    with set_actor(district.curator_a):
        profile = make_mentor(district.mentor_a.person, district.school_a)
        profile.results = "Призёр краевого конкурса «Педагог года»"
        profile.save()

    url = reverse("orgs:audit_log")
    page = client_for(district.coordinator).get(url, {"model": "mentor"}).content.decode()
    assert "Призёр краевого конкурса" in page
    assert district.curator_a.display_name in page

    foreign = client_for(district.foreign_coordinator).get(url, {"model": "mentor"})
    assert "Призёр краевого конкурса" not in foreign.content.decode()


def test_mentor_profile_history_is_on_the_teachers_card(district, client_for):
    with set_actor(district.curator_a):
        make_mentor(district.mentor_a.person, district.school_a)
    url = reverse("orgs:person_detail", args=[district.mentor_a.person_id])
    page = client_for(district.curator_a).get(url).content.decode()
    assert "Победитель районного конкурса" in page
