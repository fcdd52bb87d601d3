"""A mentee's program is personal data: its changes are in the change log (152-ФЗ)."""

from __future__ import annotations

from django.urls import reverse


def test_program_changes_are_in_the_coordinators_log_only(district, program, client_for):
    url = reverse("orgs:audit_log")
    own = client_for(district.coordinator).get(url, {"model": "program"}).content.decode()
    assert str(district.mentee_a.person) in own
    foreign = client_for(district.foreign_coordinator).get(url, {"model": "program"})
    assert str(district.mentee_a.person) not in foreign.content.decode()
