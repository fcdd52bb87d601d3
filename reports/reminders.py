"""Weekly e-mail reminders: who gets what, and the one letter a user gets.

- a pair without meetings (matching's `health_escalate`): its mentor after 21 days, the
  curator after 30, the head after 45 — each alert in one letter only;
- a mentor and a mentee: the overdue activities of their programs' road maps
  (programs' `Activity.overdue`);
- a head or a curator: a needs list not updated within the municipality's period, pairs ending within
  14 days, the organization's documents late against the order's deadlines
  (monitoring's compliance checks);
- a coordinator: the organizations of the municipality late with their documents.

A user with `email_reminders` off, without an e-mail or inactive gets nothing. Every item
links into the portal with an absolute address built from SITE_URL; the letter ends with a
link to the notification settings, where reminders are turned off. One letter per user per
week, kept in the database (`ReminderLetter`, unique per user and Monday): a second run in the
same week sends nothing, and a letter that failed to go out is sent by the next run.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.dates import day_text
from matching.health import current_alerts, health_escalate
from matching.models import HealthAlert
from mentoring.models import Pair, academic_year_of, organizations_with_stale_needs
from monitoring import indicators as ind
from monitoring.models import DeadlineKind
from monitoring.surveys import surveys_due
from orgs.models import Organization, Role, RoleAssignment, User
from programs.models import Activity
from reports.models import ReminderLetter

logger = logging.getLogger(__name__)

ENDING_WITHIN_DAYS = 14
DOCUMENT_DEADLINES = (DeadlineKind.REGULATION_ADOPTED, DeadlineKind.REGULATION_PUBLISHED)
SECTIONS = {
    "quiet_pairs": _("Pairs without meetings: 21 days (mentor), 30 (curator), 45 (head)"),
    "overdue_activities": _("Overdue road-map activities"),
    "surveys_due": _("Surveys to fill: the start, the middle and the end of the program"),
    "stale_needs": _("Needs lists not updated in time"),
    "ending_pairs": _("Pairs ending within 14 days"),
    "late_documents": _("Documents late against the order's deadlines"),
}


def absolute(path: str) -> str:
    return settings.SITE_URL + path


@dataclass(frozen=True)
class Item:
    text: str
    url: str


@dataclass
class Digest:
    """Everything one user is reminded of this week, by section."""

    user: User
    sections: dict[str, list[Item]] = field(default_factory=lambda: defaultdict(list))
    alert_ids: list[int] = field(default_factory=list)

    def add(self, section: str, text: str, url: str) -> None:
        item = Item(text, absolute(url))
        if item not in self.sections[section]:
            self.sections[section].append(item)

    @property
    def titled_sections(self) -> list[tuple[str, list[Item]]]:
        return [
            (str(SECTIONS[key]), self.sections[key]) for key in SECTIONS if key in self.sections
        ]

    @property
    def count(self) -> int:
        return sum(len(items) for items in self.sections.values())


def recipients() -> dict[int, User]:
    return {
        user.pk: user
        for user in User.objects.filter(is_active=True, email_reminders=True).exclude(email="")
    }


def _by_person(users: dict[int, User]) -> dict[int, User]:
    return {user.person_id: user for user in users.values() if user.person_id}


def _managers(users: dict[int, User]) -> dict[int, list[User]]:
    """Organization id → its heads and curators among the recipients."""
    managers: dict[int, list[User]] = defaultdict(list)
    for organization_id, user_id in RoleAssignment.objects.filter(
        role__in=(Role.HEAD, Role.CURATOR), user_id__in=users
    ).values_list("organization_id", "user_id"):
        managers[organization_id].append(users[user_id])
    return managers


def reminders_select(today: datetime.date | None = None, now=None) -> list[Digest]:
    """The digests of this week, only for users who want them and have something to do."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    users = recipients()
    digests: dict[int, Digest] = {}

    def digest(user: User) -> Digest:
        return digests.setdefault(user.pk, Digest(user))

    people = _by_person(users)
    managers = _managers(users)

    # Quiet pairs, escalated (matching.health): after 21 days without meetings the mentor,
    # after 30 the curator, after 45 the head; each alert goes into one letter only.
    health_escalate(today)
    unsent = HealthAlert.objects.current().filter(user_id__in=users, emailed_at__isnull=True)
    for alert in current_alerts(unsent, today):
        pair = alert.pair
        user_digest = digest(users[alert.user_id])
        user_digest.add(
            "quiet_pairs",
            gettext("%(topic)s, no meeting for %(days)d days (mentor %(mentor)s)")
            % {"topic": pair.topic, "days": alert.days, "mentor": pair.mentor.short_name},
            pair.get_absolute_url(),
        )
        user_digest.alert_ids.append(alert.pk)

    # Mentors and mentees: overdue activities of their programs.
    overdue = (
        Activity.objects.overdue(today)
        .filter(Q(program__pair__mentor_id__in=people) | Q(program__mentee_id__in=people))
        .select_related("program__pair", "program__mentee")
        .order_by("planned_on", "pk")
    )
    for activity in overdue:
        text = gettext("%(title)s — planned for %(date)s (program of %(mentee)s)") % {
            "title": activity.title,
            "date": day_text(activity.planned_on),
            "mentee": activity.program.mentee.short_name,
        }
        url = activity.program.get_absolute_url()
        for person_id in (activity.program.pair.mentor_id, activity.program.mentee_id):
            if person_id in people:
                digest(people[person_id]).add("overdue_activities", text, url)

    # Mentors and mentees: the surveys of their programs' timeline that fell due.
    for person_id, items in surveys_due(people, today).items():
        for due in items:
            digest(people[person_id]).add(
                "surveys_due",
                gettext("Survey %(stage)s of the program of %(mentee)s, since %(date)s")
                % {
                    "stage": due.stage_label,
                    "mentee": due.program.mentee.short_name,
                    "date": day_text(due.due_on),
                },
                reverse("monitoring:survey_fill", args=[due.program.pk, due.respondent, due.stage]),
            )

    managed = Organization.objects.filter(pk__in=managers)
    # Heads and curators: needs lists older than the municipality's period.
    for organization in organizations_with_stale_needs(managed, today):
        updated = organization.needs_updated_on
        text = (
            gettext("%(organization)s: last updated %(date)s")
            % {"organization": organization.short_name, "date": day_text(updated)}
            if updated
            else gettext("%(organization)s: never updated")
            % {"organization": organization.short_name}
        )
        for user in managers[organization.pk]:
            digest(user).add(
                "stale_needs",
                text,
                reverse("mentoring:needs_organization", args=[organization.pk]),
            )

    # Heads and curators: pairs ending within 14 days.
    ending = (
        Pair.objects.active()
        .filter(
            organization__in=managed,
            planned_end__gte=today,
            planned_end__lte=today + datetime.timedelta(days=ENDING_WITHIN_DAYS),
        )
        .select_related("mentor")
        .order_by("planned_end", "pk")
    )
    for pair in ending:
        for user in managers[pair.organization_id]:
            digest(user).add(
                "ending_pairs",
                gettext("%(mentor)s: «%(topic)s» ends %(date)s")
                % {
                    "mentor": pair.mentor.short_name,
                    "topic": pair.topic,
                    "date": day_text(pair.planned_end),
                },
                pair.get_absolute_url(),
            )

    # Documents late: the organization's heads and curators, and the coordinators.
    coordinators: dict[int, list[User]] = defaultdict(list)
    for municipality_id, user_id in RoleAssignment.objects.filter(
        role=Role.COORDINATOR, user_id__in=users
    ).values_list("municipality_id", "user_id"):
        coordinators[municipality_id].append(users[user_id])
    if managers or coordinators:
        kinds = dict(DeadlineKind.choices)
        year = academic_year_of(today)
        scope = ind.Scope()
        acts_url = reverse("monitoring:act_list")
        for row in ind.compliance(scope, year, today):
            late = [ch for ch in row.checks if ch.kind in DOCUMENT_DEADLINES and ch.is_late]
            if not late:
                continue
            org = row.organization
            names = ", ".join(str(kinds[check.kind]) for check in late)
            text = f"{org.short_name}: {names}"
            for user in managers.get(org.pk, []) + coordinators.get(org.municipality_id, []):
                digest(user).add("late_documents", text, acts_url)

    return [digests[pk] for pk in sorted(digests)]


def week_of(day: datetime.date) -> datetime.date:
    """The Monday of the week of `day`: the week a letter is for."""
    return day - datetime.timedelta(days=day.weekday())


class LettersNotSent(Exception):
    """Some letters could not be sent; their rows were rolled back, so a retry sends them."""

    def __init__(self, sent: int, failed: int):
        super().__init__(f"{failed} reminder letter(s) not sent, {sent} sent")
        self.sent = sent
        self.failed = failed


def _letter(digest: Digest, settings_url: str) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "digest": digest,
            "user": digest.user,
            "settings_url": settings_url,
            "portal_url": absolute(reverse("home")),
        }
        subject = gettext("Mentoring: what needs your attention this week")
        return subject, render_to_string("reports/email/reminders.txt", context)


def reminders_send(today: datetime.date | None = None, now=None) -> int:
    """Send this week's letters, one per user per week; returns how many were sent.

    A user's letter goes out only if the row (user, week) can be created, in the same
    transaction as the sending: a second run in the week (or one running at the same time,
    which waits on the unique index) sends nothing more, and a letter whose sending failed
    leaves no row, so the next run sends it. Raises LettersNotSent after trying everyone if
    some letters failed."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    week = week_of(today)
    settings_url = absolute(reverse("reports:notifications"))
    sent = failed = 0
    for digest in reminders_select(today, now):
        try:
            with transaction.atomic():
                _row, created = ReminderLetter.objects.get_or_create(
                    user=digest.user, week=week, defaults={"sent_at": now, "items": digest.count}
                )
                if not created:
                    continue
                subject, body = _letter(digest, settings_url)
                send_mail(subject, body, None, [digest.user.email])
                HealthAlert.objects.filter(pk__in=digest.alert_ids).update(emailed_at=now)
        except Exception:
            logger.exception("Reminder letter to user %s not sent", digest.user.pk)
            failed += 1
        else:
            sent += created
    if failed:
        raise LettersNotSent(sent, failed)
    return sent
