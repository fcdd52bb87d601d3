"""Ranked, explained mentor suggestions for a mentee.

Every part of the score is a rule below with its weight (defaults in `Weights`, the
coordinator's values in `MatchWeights` per municipality) and a sentence the curator reads
under «почему предложен». A full mentor is never ranked first, whatever the score.
The whole bank of the municipality is read in a fixed number of queries.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field, fields

from django.db.models import Avg, Exists, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from matching.models import MatchWeights
from matching.recommendations import Recommendation
from mentoring.models import MentoringForm, MentorProfile, Topic
from orgs.models import Employment, Organization, Person, QualificationCategory
from programs.models import Answer, AreaRole, DifficultyArea, ProgramArea
from programs.models.reference import DEFICIT_BELOW, STRENGTH_FROM

SHOWN = 3
EXPERIENCED_YEARS = 10
HIGH_CATEGORIES = (
    QualificationCategory.HIGHEST,
    QualificationCategory.METHODIST,
    QualificationCategory.MENTOR,
)
HEAD_POSITIONS = ("rukovoditel", "zam_rukovoditelya")
HEAD_FORMS = ("rukovoditel_pedagog", "rukovoditel_uchitel")
REVERSE_KIND = "reversivnoe"
VIRTUAL_KIND = "virtualnoe"
# What a mentor's topics in the bank say about their strong areas of the diagnostics.
TOPIC_AREAS = {
    Topic.SUBJECT: ("predmet",),
    Topic.METHODS: ("metod",),
    Topic.UPBRINGING: ("vospit",),
    Topic.LESSONS: ("metod", "vospit"),
    Topic.PSYCHOLOGY: ("psih_ped",),
    Topic.PARENTS: ("psih_ped",),
    Topic.ADDITIONAL: ("vospit",),
}


@dataclass(frozen=True)
class Weights:
    """Points of each part of the score: the one place the defaults live."""

    deficit: int = 30
    subject: int = 15
    position_group: int = 5
    organization_kind: int = 10
    experience: int = 10
    category: int = 10
    free_capacity: int = 10
    form_fit: int = 25
    same_organization: int = 15

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


def weights_for(municipality_id: int | None) -> Weights:
    row = MatchWeights.objects.filter(municipality_id=municipality_id).first()
    if row is None:
        return Weights()
    return Weights(**{name: getattr(row, name) for name in Weights.names()})


@dataclass
class Profile:
    """What the score knows of a teacher (the mentee or a mentor)."""

    person: Person
    organization: Organization | None
    position_code: str = ""
    position_group: str = ""
    subjects: frozenset[str] = frozenset()
    category: str = QualificationCategory.NONE
    teaching_since: datetime.date | None = None
    areas: dict[int, str] = field(default_factory=dict)  # deficits or strengths: id → name


@dataclass
class Suggestion:
    mentor: MentorProfile
    profile: Profile
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rank: int = 0
    recommendation: Recommendation | None = None  # the council's, set by the page

    @property
    def is_full(self) -> bool:
        return self.mentor.free_load <= 0


def _subjects(text: str) -> frozenset[str]:
    return frozenset(part.strip().lower() for part in text.split(",") if part.strip())


def _profile(person: Person, employment: Employment | None) -> Profile:
    if employment is None:
        return Profile(person=person, organization=None, teaching_since=person.teaching_since)
    return Profile(
        person=person,
        organization=employment.organization,
        position_code=employment.position.code,
        position_group=employment.position.group,
        subjects=_subjects(employment.subjects),
        category=employment.qualification_category,
        teaching_since=person.teaching_since,
    )


def _years(since: datetime.date | None, today: datetime.date) -> int | None:
    if since is None:
        return None
    return today.year - since.year - ((today.month, today.day) < (since.month, since.day))


def _names(areas) -> str:
    return ", ".join(sorted(areas))


def score(
    mentee: Profile,
    mentor: MentorProfile,
    profile: Profile,
    *,
    weights: Weights,
    form_code: str = "",
    kind_code: str = "",
    today: datetime.date | None = None,
) -> Suggestion:
    """Score one mentor for the mentee and say why, part by part."""
    today = today or timezone.localdate()
    s = Suggestion(mentor=mentor, profile=profile)

    def add(points: int, reason: str) -> None:
        if points:
            s.score += points
            s.reasons.append(reason)

    covered = {pk: name for pk, name in mentee.areas.items() if pk in profile.areas}
    if covered:
        add(
            weights.deficit * len(covered),
            ngettext(
                "strong in %(count)d of the mentee's %(total)d difficulties: %(areas)s",
                "strong in %(count)d of the mentee's %(total)d difficulties: %(areas)s",
                len(covered),
            )
            % {
                "count": len(covered),
                "total": len(mentee.areas),
                "areas": _names(covered.values()),
            },
        )
    same_subjects = mentee.subjects & profile.subjects
    if same_subjects:
        add(weights.subject, _("teaches the same subject: %(subjects)s") % {
            "subjects": ", ".join(sorted(same_subjects))
        })  # fmt: skip
    elif mentee.position_code and mentee.position_code == profile.position_code:
        add(weights.position_group, _("holds the same position"))
    elif mentee.position_group and mentee.position_group == profile.position_group:
        add(weights.position_group, _("the same group of positions"))
    if mentee.organization and profile.organization:
        if mentee.organization.kind == profile.organization.kind:
            add(
                weights.organization_kind,
                _("works in the same kind of organization (%(kind)s)")
                % {"kind": profile.organization.get_kind_display()},
            )
    reverse = kind_code == REVERSE_KIND
    mentor_years = _years(profile.teaching_since, today)
    mentee_years = _years(mentee.teaching_since, today)
    if reverse:
        if mentor_years is not None and (mentee_years is None or mentor_years < mentee_years):
            add(
                weights.form_fit,
                _("younger in the profession (%(years)d years of teaching): fits reverse mentoring")
                % {"years": mentor_years},
            )
        else:
            s.warnings.append(_("not younger in the profession than the mentee"))
    elif mentor_years is not None and mentor_years >= EXPERIENCED_YEARS:
        add(
            weights.experience,
            _("%(years)d years of teaching experience") % {"years": mentor_years},
        )
    if profile.category in HIGH_CATEGORIES:
        add(
            weights.category,
            _("qualification category: %(category)s")
            % {"category": QualificationCategory(profile.category).label},
        )
    elif profile.category == QualificationCategory.FIRST:
        add(weights.category // 2, _("first qualification category"))
    if form_code in HEAD_FORMS:
        if profile.position_code in HEAD_POSITIONS:
            add(weights.form_fit, _("a head of an organization, as the form of mentoring asks"))
        else:
            s.warnings.append(_("not a head of an organization, which the form asks for"))
    if mentor.free_load > 0:
        add(
            weights.free_capacity,
            ngettext("has %(count)d free place", "has %(count)d free places", mentor.free_load)
            % {"count": mentor.free_load},
        )
    else:
        s.warnings.append(
            _("no free places (%(taken)d of %(max)d taken), so not offered first")
            % {"taken": mentor.mentee_count, "max": mentor.max_mentees}
        )
    if kind_code != VIRTUAL_KIND and mentee.organization and profile.organization:
        if mentee.organization.pk == profile.organization.pk:
            add(weights.same_organization, _("works in the same organization"))
        elif (
            mentee.organization.settlement
            and mentee.organization.settlement == profile.organization.settlement
        ):
            add(
                weights.same_organization // 2,
                _("works in the same settlement (%(place)s)")
                % {"place": profile.organization.settlement},
            )
    return s


def ranked(suggestions: list[Suggestion]) -> list[Suggestion]:
    """Highest score first; a full mentor always after every mentor with a free place."""
    result = sorted(
        suggestions, key=lambda s: (s.is_full, -s.score, s.mentor.person.search_key, s.mentor.pk)
    )
    for place, suggestion in enumerate(result, start=1):
        suggestion.rank = place
    return result


def _latest_area_means(rows) -> dict[int, dict[int, float]]:
    """(person, filled_on, area, mean) rows → person → area → mean of their latest date."""
    latest: dict[int, datetime.date] = {}
    means: dict[int, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    for person_id, filled_on, area_id, mean in rows:
        if person_id not in latest or filled_on > latest[person_id]:
            latest[person_id] = filled_on
            means[person_id] = defaultdict(list)
        if filled_on == latest[person_id]:
            means[person_id][area_id].append(float(mean))
    return {
        person_id: {area: sum(values) / len(values) for area, values in areas.items()}
        for person_id, areas in means.items()
    }


def _area_means(people) -> dict[int, dict[int, float]]:
    """Person → area → mean score of their latest diagnostics. `people`: a Q over the
    diagnostic's mentee (one query for the mentee and every mentor of the bank)."""
    rows = (
        Answer.objects.filter(people)
        .values_list("diagnostic__mentee_id", "diagnostic__filled_on", "item__area_id")
        .annotate(mean=Avg("score"))
        .order_by()
    )
    return _latest_area_means(rows)


def _areas_with_program_deficits(person: Person) -> list[tuple[int, str, str, bool]]:
    """Every difficulty area (pk, name, code) and whether the mentee's latest program with
    deficits names it as one (the fallback when there are no diagnostics), in one query."""
    latest = (
        ProgramArea.objects.filter(program__mentee=person, role=AreaRole.DEFICIT)
        .order_by("-program__starts_on")
        .values("program_id")[:1]
    )
    in_latest = ProgramArea.objects.filter(
        area_id=OuterRef("pk"), role=AreaRole.DEFICIT, program_id=Subquery(latest)
    )
    return list(
        DifficultyArea.objects.annotate(program_deficit=Exists(in_latest)).values_list(
            "pk", "name", "code", "program_deficit"
        )
    )


def mentee_deficits(
    means: dict[int, float] | None, areas: list[tuple[int, str, str, bool]]
) -> dict[int, str]:
    """The deficits of the mentee's latest diagnostics (`means`: area → mean); without
    diagnostics, the deficits named in the mentee's latest program."""
    area_names = {pk: name for pk, name, _code, _deficit in areas}
    if means:
        return {
            pk: area_names[pk]
            for pk, mean in means.items()
            if mean < DEFICIT_BELOW and pk in area_names
        }
    return {pk: name for pk, name, _code, deficit in areas if deficit}


def _employment_in(person: Person, organization: Organization | None, rows) -> Employment | None:
    rows = list(rows)
    for row in rows:
        if organization is not None and row.organization_id == organization.pk:
            return row
    return rows[0] if rows else None


@dataclass
class Result:
    mentee: Profile
    suggestions: list[Suggestion]
    weights: Weights
    form: MentoringForm | None
    kind: MentoringForm | None

    @property
    def shown(self) -> list[Suggestion]:
        return self.suggestions[:SHOWN]


def suggest(
    person: Person,
    *,
    organization: Organization | None = None,
    form: MentoringForm | None = None,
    kind: MentoringForm | None = None,
    today: datetime.date | None = None,
) -> Result:
    """Every active mentor of the municipal bank, scored and ranked for the mentee."""
    today = today or timezone.localdate()
    employments = Employment.objects.active().select_related("organization", "position")
    mentee_employment = _employment_in(
        person, organization, employments.filter(person=person).order_by("pk")
    )
    mentee = _profile(person, mentee_employment)
    areas = _areas_with_program_deficits(person)
    area_names = {pk: name for pk, name, _code, _deficit in areas}
    area_by_code = {code: pk for pk, _name, code, _deficit in areas}
    municipality_id = mentee.organization.municipality_id if mentee.organization else None
    # The diagnostics of the mentee and of the bank's mentors: one query.
    means = _area_means(
        Q(diagnostic__mentee_id=person.pk)
        | Q(
            diagnostic__mentee_id__in=MentorProfile.objects.active()
            .filter(organization__municipality_id=municipality_id)
            .values("person_id")
        )
    )
    mentee.areas = mentee_deficits(means.get(person.pk), areas)
    weights = weights_for(municipality_id)
    mentors = list(
        MentorProfile.objects.active()
        .filter(organization__municipality_id=municipality_id)
        .exclude(person=person)
        .with_load()
        .select_related("person", "organization")
        .prefetch_related(
            Prefetch(
                "person__employments",
                queryset=employments.order_by("pk"),
                to_attr="active_employments",
            )
        )
    )
    strengths = means
    suggestions = []
    for mentor in mentors:
        profile = _profile(
            mentor.person,
            _employment_in(mentor.person, mentor.organization, mentor.person.active_employments),
        )
        strong = {
            pk for pk, mean in strengths.get(mentor.person_id, {}).items() if mean >= STRENGTH_FROM
        }
        for topic in mentor.topics:
            strong.update(
                area_by_code[code] for code in TOPIC_AREAS.get(topic, ()) if code in area_by_code
            )
        profile.areas = {pk: area_names[pk] for pk in strong if pk in area_names}
        suggestions.append(
            score(
                mentee,
                mentor,
                profile,
                weights=weights,
                form_code=form.code if form else "",
                kind_code=kind.code if kind else "",
                today=today,
            )
        )
    return Result(
        mentee=mentee, suggestions=ranked(suggestions), weights=weights, form=form, kind=kind
    )
