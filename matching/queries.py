"""The health of pairs on the home page: alerts told to the user, counts for the curator
and head, one's own pairs for the mentor and the mentee."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from matching import health
from mentoring.models import Pair, PairMentee

ATTENTION_SHOWN = 10


def home_health(user) -> dict:
    scope = user.scope
    today = timezone.localdate()
    result: dict = {"alerts": health.alerts_for(user, today)}
    if scope.managed_organizations:
        own = Pair.objects.filter(organization_id__in=scope.managed_organizations)
        counts = health.counts(own, today)
        if any(counts.values()):
            result["counts"] = [
                {
                    "key": key,
                    "label": health.Health.labels[key],
                    "badge": health.Health.badges[key],
                    "count": counts[key],
                }
                for key in health.Health.order
            ]
            attention = (
                health.working(own.select_related("mentor"), today)
                .filter(health__in=(health.Health.AT_RISK, health.Health.CHECK))
                .order_by("quiet_since", "pk")[:ATTENTION_SHOWN]
            )
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
