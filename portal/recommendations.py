"""The council of mentors' «рекомендовать пару по теме» read for the suggestions page
(see matching/recommendations.py for why the top layer joins the two apps)."""

from __future__ import annotations

from community.models import Council, CouncilDecision, DecisionKind
from matching.recommendations import Recommendation


def council_recommendations(user, person) -> list[Recommendation]:
    """Decisions recommending a pair for this mentee, of the councils the user may see
    (one query)."""
    decisions = (
        CouncilDecision.objects.filter(
            kind=DecisionKind.RECOMMEND_PAIR,
            mentee=person,
            mentor__isnull=False,
            meeting__council__in=Council.objects.visible_to(user),
        )
        .select_related("mentor", "meeting")
        .order_by("-meeting__held_on", "-pk")
    )
    return [
        Recommendation(
            mentor_id=decision.mentor_id,
            mentor_name=decision.mentor.full_name,
            text=decision.text,
            basis=str(decision.meeting.basis),
            decided_on=decision.meeting.held_on,
            url=decision.meeting.get_absolute_url(),
        )
        for decision in decisions
    ]
