"""Sign-in comes first: an anonymous visitor of a POST-only action is sent to the sign-in page,
as everywhere else in the portal, instead of hearing 405."""

from __future__ import annotations

import pytest
from django.urls import reverse

ACTIONS = [
    ("mentoring:needs_propose", lambda d, pair, meeting: {"pk": d.school_a.pk}),
    ("mentoring:needs_reviewed", lambda d, pair, meeting: {"pk": d.school_a.pk}),
    ("mentoring:need_decide", lambda d, pair, meeting: {"pk": 1, "status": "confirmed"}),
    ("mentoring:pair_activate", lambda d, pair, meeting: {"pk": pair.pk}),
    ("mentoring:pair_complete", lambda d, pair, meeting: {"pk": pair.pk}),
    ("mentoring:pair_end_early", lambda d, pair, meeting: {"pk": pair.pk}),
    ("mentoring:meeting_confirm", lambda d, pair, meeting: {"pk": meeting.pk}),
]


@pytest.mark.parametrize(("name", "kwargs"), ACTIONS, ids=[name for name, _ in ACTIONS])
def test_anonymous_visitor_of_a_post_only_action_is_sent_to_sign_in(
    district, active_pair, meeting, client, name, kwargs
):
    url = reverse(name, kwargs=kwargs(district, active_pair, meeting))
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_signed_in_user_still_gets_405_for_a_get_of_a_post_only_action(
    district, active_pair, client_for
):
    url = reverse("mentoring:pair_activate", args=[active_pair.pk])
    assert client_for(district.curator_a).get(url).status_code == 405
