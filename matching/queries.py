"""The health of pairs on the home page: alerts told to the user, counts for the curator
and head, one's own pairs for the mentor and the mentee."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from matching import health
from mentoring.models import Pair, PairMentee, PairStatus

ATTENTION_SHOWN = 10


def home_health(user) -> dict:
    scope = user.scope
    today = timezone.localdate()
    result: dict = {"alerts": health.alerts_for(user, today)}
    if scope.managed_organizations:
        own = Pair.objects.filter(organization_id__in=scope.managed_organizations)
        # The working pairs of the user's organizations with their health, in one query: the
        # counts per status and the quietest pairs that need attention are read from it.
        working = list(
            health.working(own.select_related("mentor"), today).order_by("quiet_since", "pk")
        )
        counts = {key: 0 for key in health.Health.order}
        for pair in working:
            counts[pair.health] += 1
        if working:
            result["counts"] = [
                {
                    "key": key,
                    "label": health.Health.labels[key],
                    "badge": health.Health.badges[key],
                    "count": counts[key],
                }
                for key in health.Health.order
            ]
            attention = [
                pair
                for pair in working
                if pair.health in (health.Health.AT_RISK, health.Health.CHECK)
            ][:ATTENTION_SHOWN]
            result["attention"] = health.decorate(attention, today)
    if scope.person_id:
        mine = Pair.objects.filter(
            Q(mentor_id=scope.person_id)
            | Q(pk__in=PairMentee.objects.filter(person_id=scope.person_id).values("pair_id"))
        )
        result["own"] = health.decorate(
            health.working(mine, today).order_by("planned_end", "pk"), today
        )
    return result


def pair_health_panel(request, pair) -> dict | None:
    """The health of a working pair on its own card, with its reasons in words. The mentor
    and the mentees do not read a reason that would reveal another's anonymous answer; they
    read that the curator will talk it over instead."""
    if pair.status != PairStatus.ACTIVE:
        return None
    today = timezone.localdate()
    row = health.working(Pair.objects.filter(pk=pair.pk), today).get()
    scope = request.user.scope
    participant = scope.person_id is not None and (
        scope.person_id == pair.mentor_id
        or scope.person_id in {person.pk for person in pair.mentee_list}
    )
    hidden = health.NOT_SHOWN_TO_PARTICIPANTS if participant else frozenset()
    reasons = health.reasons(row, today, hidden=hidden)
    if len(reasons) < len(health.reasons(row, today)):
        reasons.append(gettext("the curator will talk the pair's work over with you"))
    return {
        "template": "matching/includes/pair_health_card.html",
        "label": health.Health.labels[row.health],
        "badge": health.Health.badges[row.health],
        "definition": health.Health.definitions[row.health],
        "reasons": reasons,
        "last_meeting_on": row.last_meeting_on,
    }
