"""Drill-down: for each number of the dashboard, the rows behind it (the very querysets the
indicators count), as a table the page shows and Excel exports."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from community import queries as community_selectors
from community.models import EventParticipant, NominationStage
from core.listing import read_only_shown
from core.urls import reverse_pk
from matching import health
from monitoring import indicators as ind
from monitoring.models import Measure, SurveyRespondent
from monitoring.tables import Cell
from orgs.models import Person
from programs.models import DifficultyArea


def _program_url(program_id: int) -> str:
    return reverse_pk("monitoring:program", program_id)


def _person(person) -> Cell:
    return Cell(person.full_name, person.get_absolute_url())


@dataclass(frozen=True)
class Metric:
    title: object
    headers: tuple
    rows: Callable[[ind.Scope, str, datetime.date], QuerySet | list]
    row: Callable[[object, datetime.date], list[Cell]]


def _needing(which: str):
    def rows(scope, year, today):
        qs = ind.needing(scope, year)
        if which == "covered":
            qs = qs.filter(has_pair=True)
        elif which == "uncovered":
            qs = qs.filter(has_pair=False)
        shown = (*Person.name_fields("person"), "needs_list__organization__short_name")
        return read_only_shown(qs, (*shown, "reason", "status")).order_by(
            "needs_list__organization__sort_key", "person__search_key", "pk"
        )

    return rows


def _need_row(entry, today):
    return [
        _person(entry.person),
        Cell(entry.needs_list.organization.short_name),
        Cell(entry.get_reason_display()),
        Cell(entry.get_status_display()),
        Cell(entry.has_pair),
    ]


NEED_HEADERS = (_("Teacher"), _("Organization"), _("Reason"), _("Status"), _("In a working pair"))


def _pairs(which: str):
    def rows(scope, year, today):
        qs = ind.with_mentee_count(ind.pairs_working(scope, year))
        if which == "pairs":
            qs = qs.filter(mentee_count__lte=1)
        elif which == "groups":
            qs = qs.filter(mentee_count__gte=2)
        else:
            qs = ind.inter_organization(qs)
        return read_only_shown(qs, PAIR_FIELDS).order_by(
            "organization__sort_key", "mentor__search_key", "pk"
        )

    return rows


def _pair_row(pair, today):
    return [
        Cell(pair.mentor.full_name, pair.get_absolute_url()),
        Cell(pair.mentee_count),
        Cell(pair.organization.short_name),
        Cell(pair.form.name),
        Cell(pair.kind.name),
        Cell(pair.planned_start),
        Cell(pair.ended_on or pair.planned_end),
        Cell(pair.get_status_display()),
    ]


PAIR_FIELDS = (
    *Person.name_fields("mentor"),
    "organization__short_name",
    "form__name",
    "kind__name",
    "planned_start",
    "ended_on",
    "planned_end",
    "status",
)
PAIR_HEADERS = (
    _("Mentor"),
    _("Mentees"),
    _("Organization"),
    _("Form"),
    pgettext_lazy("mentoring", "Kind"),
    _("Start"),
    _("End"),
    _("Status"),
)


def _programs(which: str):
    def rows(scope, year, today):
        if which == "programs":
            qs = ind.programs_of_year(scope, year)
        elif which == "programs_completed":
            qs = ind.programs_completed(scope, year, today)
        elif which == "programs_drafts":
            qs = ind.programs_drafts(scope, year)
        else:
            qs = ind.programs_due(scope, year, today)
        return read_only_shown(qs, PROGRAM_FIELDS).order_by(
            "pair__organization__sort_key", "mentee__search_key", "pk"
        )

    return rows


def _program_row(program, today):
    return [
        Cell(program.mentee.full_name, _program_url(program.pk)),
        Cell(program.pair.mentor.full_name),
        Cell(program.pair.organization.short_name),
        Cell(program.starts_on),
        Cell(program.ends_on),
        Cell(program.get_status_display()),
    ]


PROGRAM_FIELDS = (
    *Person.name_fields("mentee"),
    *Person.name_fields("pair__mentor"),
    "pair__organization__short_name",
    "starts_on",
    "ends_on",
    "status",
)
PROGRAM_HEADERS = (_("Mentee"), _("Mentor"), _("Organization"), _("Start"), _("End"), _("Status"))


def _overdue(scope, year, today):
    shown = (
        "title",
        "planned_on",
        "responsible",
        *Person.name_fields("program__mentee"),
        *Person.name_fields("program__pair__mentor"),
        "program__pair__organization__short_name",
    )
    return read_only_shown(ind.overdue_activities(scope, year, today), shown).order_by(
        "planned_on", "pk"
    )


def _overdue_row(activity, today):
    program = activity.program
    return [
        Cell(activity.title, _program_url(program.pk)),
        Cell(activity.planned_on),
        Cell((today - activity.planned_on).days),
        Cell(activity.get_responsible_display()),
        Cell(program.mentee.full_name),
        Cell(program.pair.mentor.full_name),
        Cell(program.pair.organization.short_name),
    ]


def _meetings(scope, year, today):
    shown = (
        "held_at",
        "topic",
        *Person.name_fields("pair__mentor"),
        "pair__organization__short_name",
        "format",
        "duration_minutes",
    )
    return read_only_shown(ind.meetings_held(scope, year, today), shown).order_by("-held_at", "pk")


def _meeting_row(meeting, today):
    return [
        Cell(timezone.localtime(meeting.held_at).date()),
        Cell(meeting.topic, meeting.pair.get_absolute_url()),
        Cell(meeting.pair.mentor.full_name),
        Cell(meeting.pair.organization.short_name),
        Cell(meeting.get_format_display()),
        Cell(meeting.duration_minutes),
    ]


def _deficits(closed_only: bool):
    def rows(scope, year, today):
        found = [
            row
            for row in ind.deficit_rows(scope, year)
            if row.is_deficit and (row.is_closed or not closed_only)
        ]
        people = Person.objects.in_bulk({row.mentee_id for row in found})
        areas = DifficultyArea.objects.in_bulk({row.area_id for row in found})
        return [(row, people.get(row.mentee_id), areas.get(row.area_id)) for row in found]

    return rows


def _deficit_row(item, today):
    row, person, area = item
    return [
        _person(person) if person else Cell(None),
        Cell(str(area) if area else None),
        Cell(round(row.start, 2)),
        Cell(round(row.end, 2)),
        Cell(row.is_closed),
    ]


def _progress(risks_only: bool):
    def rows(scope, year, today):
        qs = ind.progress_entries(scope, year)
        if risks_only:
            qs = qs.exclude(risks="")
        return qs.select_related(
            "program__mentee", "program__pair__mentor", "program__pair__organization"
        ).order_by("program__pair__organization__sort_key", "program__mentee__search_key", "pk")

    return rows


def _progress_row(entry, today):
    program = entry.program
    return [
        Cell(program.mentee.full_name, _program_url(program.pk)),
        Cell(program.pair.organization.short_name),
        Cell(entry.get_period_display()),
        Cell(f"{entry.vpr_passed}/{entry.vpr_total}"),
        Cell(f"{entry.oge_passed}/{entry.oge_total}"),
        Cell(f"{entry.ege_passed}/{entry.ege_total}"),
        Cell(float(entry.average_mark) if entry.average_mark is not None else None),
        Cell(entry.olympiad_participants),
        Cell(entry.olympiad_winners),
        Cell(entry.projects),
        Cell(entry.activity_total),
        Cell(entry.risks),
    ]


PROGRESS_HEADERS = (
    _("Mentee"),
    _("Organization"),
    _("Period"),
    _("ВПР passed / wrote"),
    _("ОГЭ passed / sat"),
    _("ЕГЭ passed / sat"),
    _("Average mark"),
    _("Olympiad participants"),
    _("Olympiad winners and prize-winners"),
    _("Projects with the mentee"),
    _("Professional activity"),
    _("Risks noted"),
)


def _surveys(scope, year, today):
    from monitoring.models import Survey

    start, end = ind.year_bounds(year)
    return (
        Survey.objects.filter(
            program__in=scope.programs(), filled_on__gte=start, filled_on__lte=end
        )
        .select_related("program__mentee", "program__pair__mentor", "program__pair__organization")
        .order_by("-filled_on", "pk")
    )


def _survey_row(survey, today):
    program = survey.program
    return [
        Cell(program.mentee.full_name, _program_url(program.pk)),
        Cell(program.pair.mentor.full_name),
        Cell(program.pair.organization.short_name),
        Cell(survey.get_respondent_display()),
        Cell(survey.get_stage_display()),
        Cell(survey.filled_on),
    ]


def _planning(measure: str):
    def rows(scope, year, today):
        return (
            ind.planning(scope, year, measure)
            .select_related(
                "survey__program__mentee",
                "survey__program__pair__mentor",
                "survey__program__pair__organization",
            )
            .order_by("survey__program__pair__organization__sort_key", "pk")
        )

    return rows


def _planning_row(answer, today):
    survey = answer.survey
    program = survey.program
    person = program.mentee if survey.respondent == SurveyRespondent.MENTEE else program.pair.mentor
    return [
        _person(person),
        Cell(survey.get_respondent_display()),
        Cell(program.pair.organization.short_name),
        Cell(survey.filled_on),
    ]


def _events(scope, year, today):
    return ind.events_held(scope, year, today).for_list()


def _event_row(event, today):
    return [
        Cell(event.title),
        Cell(event.get_level_display()),
        Cell(event.organization.short_name if event.organization else gettext("municipal")),
        Cell(event.starts_on),
        Cell(len(event.participant_list)),
    ]


EVENT_HEADERS = (_("Event"), _("Level"), _("Organization"), _("Date"), _("Participants"))


def _winners(scope, year, today):
    return (
        ind.event_places(scope, year, today)
        .select_related("person", "event")
        .order_by("person__search_key", "pk")
    )


def _participants(scope, year, today):
    taking_part = EventParticipant.objects.filter(
        event__in=ind.events_held(scope, year, today).values("pk"), role__in=ind.TAKING_PART
    )
    return (
        ind.event_participants(scope, year, today)
        .annotate(
            events=Count("event_rows", filter=Q(event_rows__in=taking_part.values("pk"))),
            places=Count(
                "event_rows",
                filter=Q(
                    event_rows__in=taking_part.values("pk"),
                    event_rows__role__in=ind.PLACE_ROLES,
                ),
            ),
        )
        .order_by("search_key", "pk")
    )


def _participant_row(person, today):
    return [_person(person), Cell(person.events), Cell(person.places)]


PARTICIPANT_HEADERS = (_("Teacher"), _("Events"), _("Winner and prize-winner places"))


def _winner_row(row, today):
    return [
        _person(row.person),
        Cell(row.event.title),
        Cell(row.get_role_display()),
        Cell(row.event.starts_on),
    ]


WINNER_HEADERS = (_("Teacher"), _("Event"), _("Role"), _("Date"))


def _nominations(stage: str):
    def rows(scope, year, today):
        return ind.nominations_of_year(scope, year, stage).for_list()

    return rows


def _nomination_row(nomination, today):
    return [
        _person(nomination.person),
        Cell(nomination.organization.short_name),
        Cell(nomination.get_kind_display()),
        Cell(nomination.get_stage_display()),
        Cell(nomination.proposed_on),
    ]


NOMINATION_HEADERS = (_("Teacher"), _("Organization"), _("Incentive"), _("Stage"), _("Proposed on"))


def _payments(scope, year, today):
    return community_selectors.payments_of(scope.organizations(), year).for_list()


def _payment_row(payment, today):
    return [
        _person(payment.person),
        Cell(payment.organization.short_name),
        Cell(str(payment.size)),
        Cell(payment.starts_on),
        Cell(payment.ends_on),
    ]


PAYMENT_HEADERS = (_("Mentor"), _("Organization"), _("Payment"), _("From"), _("Until"))


def _paid_mentors(scope, year, today):
    payments = community_selectors.payments_of(scope.organizations(), year)
    return (
        ind.paid_mentors(scope, year)
        .prefetch_related(
            Prefetch(
                "payments",
                queryset=payments.select_related("organization").order_by("starts_on", "pk"),
                to_attr="year_payments",
            )
        )
        .order_by("search_key", "pk")
    )


def _paid_mentor_row(person, today):
    payments = person.year_payments
    return [
        _person(person),
        Cell("; ".join(sorted({payment.organization.short_name for payment in payments}))),
        Cell(
            "; ".join(
                f"{payment.size}, {payment.starts_on:%d.%m.%Y} – {payment.ends_on:%d.%m.%Y}"
                for payment in payments
            )
        ),
    ]


PAID_MENTOR_HEADERS = (_("Mentor"), _("Organization"), _("Payments in the year"))


def _health(status: str):
    def rows(scope, year, today):
        return (
            ind.pairs_by_health(scope, year, today, status)
            .select_related("mentor", "organization")
            .order_by("organization__sort_key", "mentor__search_key", "pk")
        )

    return rows


def _health_row(pair, today):
    return [
        Cell(pair.mentor.full_name, pair.get_absolute_url()),
        Cell(pair.organization.short_name),
        Cell(str(health.Health.labels[pair.health])),
        Cell("; ".join(health.reasons(pair, today)) or None),
        Cell(pair.last_meeting_on),
        Cell(pair.planned_end),
    ]


HEALTH_HEADERS = (
    _("Mentor"),
    _("Organization"),
    _("Health"),
    _("Why"),
    _("Last meeting"),
    _("Planned end"),
)


def _registered(which: str):
    def rows(scope, year, today):
        if which == "registered":
            qs = ind.pairs_registered(scope, year)
        else:
            qs = ind.pairs_suggested(scope, year, first=which == "first")
        return qs.select_related("mentor", "organization").order_by(
            "organization__sort_key", "mentor__search_key", "pk"
        )

    return rows


def _registered_row(pair, today):
    return [
        Cell(pair.mentor.full_name, pair.get_absolute_url()),
        Cell(pair.organization.short_name),
        Cell(pair.planned_start),
        Cell(pair.get_status_display()),
        Cell(pair.suggestion_rank),
    ]


REGISTERED_HEADERS = (
    _("Mentor"),
    _("Organization"),
    _("Start"),
    _("Status"),
    _("Place among the suggestions"),
)


METRICS: dict[str, Metric] = {
    "needing": Metric(_("Teachers on the needs lists"), NEED_HEADERS, _needing("all"), _need_row),
    "covered": Metric(_("Teachers on the needs lists in a working pair"), NEED_HEADERS, _needing("covered"), _need_row),
    "uncovered": Metric(_("Teachers on the needs lists without a pair"), NEED_HEADERS, _needing("uncovered"), _need_row),
    "pairs": Metric(_("Pairs (one mentee)"), PAIR_HEADERS, _pairs("pairs"), _pair_row),
    "groups": Metric(_("Groups (two and more mentees)"), PAIR_HEADERS, _pairs("groups"), _pair_row),
    "inter": Metric(_("Inter-organization pairs"), PAIR_HEADERS, _pairs("inter"), _pair_row),
    "programs": Metric(_("Programs running"), PROGRAM_HEADERS, _programs("programs"), _program_row),
    "programs_due": Metric(_("Programs due to end"), PROGRAM_HEADERS, _programs("programs_due"), _program_row),
    "programs_completed": Metric(_("Programs completed"), PROGRAM_HEADERS, _programs("programs_completed"), _program_row),
    "programs_drafts": Metric(_("Program drafts"), PROGRAM_HEADERS, _programs("programs_drafts"), _program_row),
    "overdue": Metric(
        _("Overdue road-map activities"),
        (_("Activity"), _("Planned date"), _("Days overdue"), _("Responsible"), _("Mentee"), _("Mentor"), _("Organization")),
        _overdue,
        _overdue_row,
    ),
    "meetings": Metric(
        _("Meetings held"),
        (_("Date"), _("Topic"), _("Mentor"), _("Organization"), _("Format"), _("Duration, minutes")),
        _meetings,
        _meeting_row,
    ),
    "deficits": Metric(
        _("Deficits at the start"),
        (_("Mentee"), _("Area"), _("Mean score at the start"), _("Mean score at the end"), _("Closed")),
        _deficits(closed_only=False),
        _deficit_row,
    ),
    "deficits_closed": Metric(
        _("Deficits closed"),
        (_("Mentee"), _("Area"), _("Mean score at the start"), _("Mean score at the end"), _("Closed")),
        _deficits(closed_only=True),
        _deficit_row,
    ),
    "progress": Metric(_("Stage 1 entries"), PROGRESS_HEADERS, _progress(False), _progress_row),
    "risks": Metric(_("Stage 1 entries with risks noted"), PROGRESS_HEADERS, _progress(True), _progress_row),
    "surveys": Metric(
        _("Surveys filled"),
        (_("Mentee"), _("Mentor"), _("Organization"), _("Who answers"), _("Stage"), _("Filled on")),
        _surveys,
        _survey_row,
    ),
    "plans_mentor": Metric(
        _("Teachers planning to become mentors"),
        (_("Teacher"), _("Answered as"), _("Organization"), _("Filled on")),
        _planning(Measure.PLANS_MENTOR),
        _planning_row,
    ),
    "plans_mentee": Metric(
        _("Teachers planning to become mentees"),
        (_("Teacher"), _("Answered as"), _("Organization"), _("Filled on")),
        _planning(Measure.PLANS_MENTEE),
        _planning_row,
    ),
    "events": Metric(_("Events held"), EVENT_HEADERS, _events, _event_row),
    "event_participants": Metric(_("People taking part in the events"), PARTICIPANT_HEADERS, _participants, _participant_row),
    "winners": Metric(_("Winner and prize-winner places"), WINNER_HEADERS, _winners, _winner_row),
    "nominations": Metric(_("Nominations for incentives"), NOMINATION_HEADERS, _nominations(""), _nomination_row),
    "nominations_proposed": Metric(_("Nominations proposed"), NOMINATION_HEADERS, _nominations(NominationStage.PROPOSED), _nomination_row),
    "nominations_supported": Metric(_("Nominations supported by the committee"), NOMINATION_HEADERS, _nominations(NominationStage.SUPPORTED), _nomination_row),
    "nominations_submitted": Metric(_("Nominations submitted"), NOMINATION_HEADERS, _nominations(NominationStage.SUBMITTED), _nomination_row),
    "nominations_awarded": Metric(_("Incentives awarded"), NOMINATION_HEADERS, _nominations(NominationStage.AWARDED), _nomination_row),
    "awarded": Metric(_("Incentives awarded"), NOMINATION_HEADERS, _nominations(NominationStage.AWARDED), _nomination_row),
    "nominations_not_awarded": Metric(_("Nominations not awarded"), NOMINATION_HEADERS, _nominations(NominationStage.NOT_AWARDED), _nomination_row),
    "paid_mentors": Metric(_("Mentors with a payment for mentoring"), PAID_MENTOR_HEADERS, _paid_mentors, _paid_mentor_row),
    "health_at_risk": Metric(_("Active pairs at risk"), HEALTH_HEADERS, _health(health.Health.AT_RISK), _health_row),
    "health_check": Metric(_("Active pairs needing a check"), HEALTH_HEADERS, _health(health.Health.CHECK), _health_row),
    "health_ending": Metric(_("Active pairs ending"), HEALTH_HEADERS, _health(health.Health.ENDING), _health_row),
    "health_ok": Metric(_("Active pairs on track"), HEALTH_HEADERS, _health(health.Health.OK), _health_row),
    "health_all": Metric(_("Active pairs"), HEALTH_HEADERS, _health(""), _health_row),
    "registered": Metric(_("Pairs and groups registered"), REGISTERED_HEADERS, _registered("registered"), _registered_row),
    "suggested": Metric(_("Mentor taken from the suggestions"), REGISTERED_HEADERS, _registered("suggested"), _registered_row),
    "suggested_first": Metric(_("The first suggestion taken"), REGISTERED_HEADERS, _registered("first"), _registered_row),
    "payments": Metric(_("Payments for mentoring"), PAYMENT_HEADERS, _payments, _payment_row),
}  # fmt: skip


def export_name(metric: str, year: str) -> str:
    return f"{metric}-{year.replace('/', '-')}.xlsx"


def title_of(metric: str) -> str:
    return gettext(str(METRICS[metric].title))
