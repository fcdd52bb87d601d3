"""The health of a working pair, computed from its records: one definition per status.

- «под угрозой» (at risk): no meeting for 45 days, or an overdue road-map activity, or no
  program a month after the start;
- «нужна проверка» (needs a check): no meeting for 21 days, or a mentee has not confirmed a
  meeting held over 14 days ago, or (registered by monitoring) a participant's satisfaction
  fell from one survey of the pair's timeline to the next;
- «завершается» (ending): the planned end is within 30 days;
- «в норме» (on track): none of the above.

A pair takes the first status that applies, in that order. Days without meetings count from
the last meeting, or from the planned start when there was none. Escalation of a quiet pair:
after 21 days the mentor is told, after 30 the curator, after 45 the head — each once per
quiet spell (`HealthAlert`), on the home page and in the weekly letter.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.dates import day_text
from matching.models import AlertLevel, HealthAlert
from mentoring.models import Meeting, MeetingAttendance, Pair, PairStatus
from orgs.models import Role, RoleAssignment, User
from programs.models import Activity, ActivityStatus, Program

CHECK_AFTER_DAYS = 21
AT_RISK_AFTER_DAYS = 45
NO_PROGRAM_AFTER_DAYS = 30
ENDING_WITHIN_DAYS = 30
UNCONFIRMED_AFTER_DAYS = 14
# Who is told about a quiet pair after how many days without meetings.
ESCALATION = ((21, AlertLevel.MENTOR), (30, AlertLevel.CURATOR), (45, AlertLevel.HEAD))


class Health:
    OK = "ok"
    CHECK = "check"
    AT_RISK = "at_risk"
    ENDING = "ending"

    choices = [
        (OK, pgettext_lazy("pair health", "on track")),
        (CHECK, pgettext_lazy("pair health", "needs a check")),
        (AT_RISK, pgettext_lazy("pair health", "at risk")),
        (ENDING, pgettext_lazy("pair health", "ending")),
    ]
    labels = dict(choices)
    badges = {
        OK: "text-bg-success",
        CHECK: "text-bg-warning",
        AT_RISK: "text-bg-danger",
        ENDING: "text-bg-info",
    }
    definitions = {
        AT_RISK: _(
            "no meeting for 45 days, or an overdue road-map activity, or no program "
            "a month after the start"
        ),
        CHECK: _(
            "no meeting for 21 days, or a mentee has not confirmed a meeting held over 14 days "
            "ago, or a participant's satisfaction fell from one survey to the next"
        ),
        ENDING: _("the planned end is within 30 days"),
        OK: _("meetings go on, the road map is on time, the end is more than 30 days away"),
    }
    order = (AT_RISK, CHECK, ENDING, OK)


# More reasons for «нужна проверка» that apps above register in ready(): name → (label,
# a function of today giving a boolean expression over the pair, e.g. an Exists).
EXTRA_CHECKS: dict[str, tuple] = {}

# A fall in satisfaction: a participant's anonymous satisfaction answer (1–5) lower than
# their own answer at an earlier point of the program's timeline (start → middle → end).
# The rule, its name and its words live here; the query over the survey answers is supplied
# by monitoring, which owns the surveys (matching may not import it), through register_check.
SATISFACTION_DROP = "satisfaction"
SATISFACTION_DROP_LABEL = _("satisfaction fell from one survey to the next")
# Reasons the mentor and the mentee do not read on their own card: with two people in a
# pair, «satisfaction fell» would tell one of them what the other answered anonymously.
NOT_SHOWN_TO_PARTICIPANTS = frozenset({SATISFACTION_DROP})


def register_check(name: str, label, expression) -> None:
    """Add a reason for «нужна проверка» (monitoring adds `SATISFACTION_DROP`)."""
    EXTRA_CHECKS[name] = (label, expression)


def with_health(pairs, today: datetime.date):
    """Annotate `quiet_since`, the flags behind the status, and `health` itself (one query)."""
    now = timezone.now()
    tz = timezone.get_current_timezone()
    last_meeting = (
        Meeting.objects.filter(pair_id=OuterRef("pk"))
        .order_by("-held_at")
        .annotate(day=TruncDate("held_at", tzinfo=tz))
        .values("day")[:1]
    )
    overdue = Activity.objects.filter(
        program__pair_id=OuterRef("pk"), status=ActivityStatus.PLANNED, planned_on__lt=today
    )
    has_program = Program.objects.filter(pair_id=OuterRef("pk"))
    unconfirmed = MeetingAttendance.objects.filter(
        meeting__pair_id=OuterRef("pk"),
        confirmed_at__isnull=True,
        meeting__held_at__lt=now - datetime.timedelta(days=UNCONFIRMED_AFTER_DAYS),
    )
    check_from = today - datetime.timedelta(days=CHECK_AFTER_DAYS)
    risk_from = today - datetime.timedelta(days=AT_RISK_AFTER_DAYS)
    no_program_from = today - datetime.timedelta(days=NO_PROGRAM_AFTER_DAYS)
    extra = {f"check_{name}": expression(today) for name, (_l, expression) in EXTRA_CHECKS.items()}
    extra_q = Q()
    for key in extra:
        extra_q |= Q(**{key: True})
    return pairs.annotate(
        **extra,
        last_meeting_on=Subquery(last_meeting, output_field=DateField()),
        quiet_since=Greatest(
            Coalesce(Subquery(last_meeting, output_field=DateField()), "planned_start"),
            "planned_start",
        ),
        has_overdue=Exists(overdue),
        has_program=Exists(has_program),
        has_unconfirmed=Exists(unconfirmed),
    ).annotate(
        health=Case(
            When(
                Q(quiet_since__lte=risk_from)
                | Q(has_overdue=True)
                | Q(has_program=False, planned_start__lte=no_program_from),
                then=Value(Health.AT_RISK),
            ),
            When(
                Q(quiet_since__lte=check_from) | Q(has_unconfirmed=True) | extra_q,
                then=Value(Health.CHECK),
            ),
            When(
                planned_end__lte=today + datetime.timedelta(days=ENDING_WITHIN_DAYS),
                then=Value(Health.ENDING),
            ),
            default=Value(Health.OK),
            output_field=CharField(),
        )
    )


def working(pairs, today: datetime.date):
    """Active pairs with their health."""
    return with_health(pairs.filter(status=PairStatus.ACTIVE), today)


def reasons(pair, today: datetime.date, *, hidden: frozenset[str] = frozenset()) -> list[str]:
    """Why an annotated pair has its status, in words (leaving out the registered checks named
    in `hidden`)."""
    result = []
    days = (today - pair.quiet_since).days
    if days >= CHECK_AFTER_DAYS:
        result.append(
            gettext("no meeting for %(days)d days") % {"days": days}
            if pair.last_meeting_on
            else gettext("no meeting for %(days)d days since the start") % {"days": days}
        )
    if pair.has_overdue:
        result.append(gettext("overdue road-map activities"))
    if not pair.has_program and (today - pair.planned_start).days >= NO_PROGRAM_AFTER_DAYS:
        result.append(gettext("no program a month after the start"))
    if pair.has_unconfirmed:
        result.append(gettext("the mentee has not confirmed meetings"))
    for name, (label, _expression) in EXTRA_CHECKS.items():
        if name not in hidden and getattr(pair, f"check_{name}", False):
            result.append(str(label))
    if pair.planned_end <= today + datetime.timedelta(days=ENDING_WITHIN_DAYS):
        result.append(gettext("ends on %(date)s") % {"date": day_text(pair.planned_end)})
    return result


def decorate(pairs, today: datetime.date) -> list:
    """Give each annotated pair its label, badge and reasons for the templates."""
    rows = list(pairs)
    for pair in rows:
        pair.health_label = Health.labels[pair.health]
        pair.health_badge = Health.badges[pair.health]
        pair.health_reasons = reasons(pair, today)
    return rows


def counts(pairs, today: datetime.date) -> dict[str, int]:
    """How many working pairs have each status."""
    rows = dict(
        working(pairs, today)
        .order_by()
        .values_list("health")
        .annotate(n=Count("pk", distinct=True))
    )
    return {key: rows.get(key, 0) for key in Health.order}


def counts_by_organization(pairs, today: datetime.date) -> list[dict]:
    """Per registering organization: the number of working pairs of each status."""
    rows = (
        working(pairs, today)
        .order_by()
        .values("organization_id", "organization__short_name", "health")
        .annotate(n=Count("pk", distinct=True))
    )
    table: dict[int, dict] = {}
    for row in rows:
        entry = table.setdefault(
            row["organization_id"],
            {
                "organization_id": row["organization_id"],
                "name": row["organization__short_name"],
                **{key: 0 for key in Health.order},
            },
        )
        entry[row["health"]] += row["n"]
    for entry in table.values():
        entry["total"] = sum(entry[key] for key in Health.order)
    return sorted(table.values(), key=lambda e: (-e[Health.AT_RISK], -e[Health.CHECK], e["name"]))


# Escalation ------------------------------------------------------------------------------


def _recipients(pairs: list) -> dict[tuple[int, str], list[int]]:
    """(pair id, level) → the users to tell: the mentor's account, the registering
    organization's curators, its heads."""
    mentor_users = dict(
        User.objects.filter(is_active=True, person_id__in=[p.mentor_id for p in pairs]).values_list(
            "person_id", "pk"
        )
    )
    by_org: dict[tuple[int, str], list[int]] = defaultdict(list)
    for organization_id, role, user_id in RoleAssignment.objects.filter(
        organization_id__in={p.organization_id for p in pairs},
        role__in=(Role.CURATOR, Role.HEAD),
        user__is_active=True,
    ).values_list("organization_id", "role", "user_id"):
        by_org[(organization_id, role)].append(user_id)
    result: dict[tuple[int, str], list[int]] = {}
    for pair in pairs:
        result[(pair.pk, AlertLevel.MENTOR)] = (
            [mentor_users[pair.mentor_id]] if pair.mentor_id in mentor_users else []
        )
        result[(pair.pk, AlertLevel.CURATOR)] = by_org[(pair.organization_id, Role.CURATOR)]
        result[(pair.pk, AlertLevel.HEAD)] = by_org[(pair.organization_id, Role.HEAD)]
    return result


@transaction.atomic
def health_escalate(today: datetime.date | None = None) -> list[HealthAlert]:
    """Raise the alerts now due for quiet pairs, each (pair, level, spell, user) once;
    returns the new ones. Run daily by beat and before the weekly letter."""
    today = today or timezone.localdate()
    first = today - datetime.timedelta(days=ESCALATION[0][0])
    pairs = list(
        working(Pair.objects.all(), today)
        .filter(quiet_since__lte=first)
        .only("pk", "mentor_id", "organization_id", "planned_start", "planned_end")
    )
    if not pairs:
        return []
    recipients = _recipients(pairs)
    existing = set(
        HealthAlert.objects.filter(pair__in=[p.pk for p in pairs]).values_list(
            "pair_id", "level", "quiet_since", "user_id"
        )
    )
    new = []
    for pair in pairs:
        days = (today - pair.quiet_since).days
        for after, level in ESCALATION:
            if days < after:
                break
            for user_id in recipients[(pair.pk, level)]:
                key = (pair.pk, level, pair.quiet_since, user_id)
                if key not in existing:
                    existing.add(key)
                    new.append(
                        HealthAlert(
                            pair_id=pair.pk,
                            level=level,
                            quiet_since=pair.quiet_since,
                            user_id=user_id,
                            created_on=today,
                        )
                    )
    HealthAlert.objects.bulk_create(new, ignore_conflicts=True)
    return new


def current_alerts(alerts, today: datetime.date) -> list[HealthAlert]:
    """Alerts whose pair is still in the same quiet spell (no meeting since)."""
    rows = list(alerts.select_related("pair__mentor", "pair__organization"))
    if not rows:
        return []
    spells = dict(
        working(Pair.objects.filter(pk__in={a.pair_id for a in rows}), today).values_list(
            "pk", "quiet_since"
        )
    )
    current = []
    for alert in rows:
        if spells.get(alert.pair_id) == alert.quiet_since:
            alert.days = (today - alert.quiet_since).days
            current.append(alert)
    return current


def alerts_for(user, today: datetime.date | None = None) -> list[HealthAlert]:
    today = today or timezone.localdate()
    return current_alerts(HealthAlert.objects.current().filter(user=user), today)
