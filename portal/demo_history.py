"""The demo district's past: the previous academic year in full and some of the year before,
so every year-over-year number on the dashboards and in the reports compares two real years.

For each past year: a needs list per organization, pairs and groups that started in
September and were completed in May (a few ended early), meetings, diagnostics before and
after, programs with road maps carried out and closed with results. The monitoring demo that
runs next adds their stage-1 entries and surveys; the reports demo orders the municipal
report of the previous year. Goes through the services with backdated days, as the
administrator; deterministic, and a second run adds nothing (past pairs carry an order
number ending in «-и1» / «-и2»).
"""

from __future__ import annotations

import datetime
import random
from typing import TextIO

from django.db.models import F
from django.utils import timezone

from mentoring import services as mentoring
from mentoring.demo import TOPICS, _meetings_for
from mentoring.models import (
    GROUP_KIND_CODE,
    ONGOING,
    FormType,
    MentoringForm,
    MentorProfile,
    NeedEntry,
    NeedReason,
    NeedsList,
    NeedStatus,
    Pair,
    PairMentee,
    academic_year_of,
)
from orgs.demo import demo_organizations, demo_user
from orgs.models import Employment
from programs import services as programs
from programs.demo import ACTIVITY_TITLES, _fill, _scores
from programs.models import (
    ActivityStatus,
    DifficultyArea,
    DifficultyItem,
    Respondent,
    Stage,
)

SEED = 2025
# Years back → how many pairs and groups that year had.
PAST_YEARS = ((1, 18), (2, 6))


def _marker(back: int) -> str:
    return f"-и{back}"


def _needs(rng, admin, organizations, year, start, people_by_org, candidates) -> int:
    """The year's needs list: the mentees of that year's pairs, and a couple not taken."""
    created = 0
    for organization in organizations:
        needs_list, _made = NeedsList.objects.get_or_create(
            organization=organization,
            academic_year=year,
            defaults={"updated_on": start + datetime.timedelta(days=12), "updated_by": admin},
        )
        if needs_list.entries.exists():
            continue
        people = people_by_org.get(organization.pk, [])
        # Not everyone listed got a mentor: now and then a teacher waits for one.
        if people and rng.random() < 0.5:
            waiting = candidates.take(organization.pk, 1)
            if waiting:
                people = [*people, waiting[0].person]
        entries = [
            NeedEntry(
                needs_list=needs_list,
                person=person,
                reason=rng.choice((NeedReason.YOUNG_SPECIALIST, NeedReason.NEWCOMER)),
                status=NeedStatus.CONFIRMED,
                decided_by=admin,
                decided_at=timezone.make_aware(datetime.datetime.combine(start, datetime.time(10))),
            )
            for person in people
        ]
        NeedEntry.objects.bulk_create(entries)
        created += len(entries)
    return created


class _Candidates:
    """Staff of the district without a current pair, youngest in teaching first; each
    person is taken once over all the past years."""

    def __init__(self, organizations, used: set[int]):
        self.jobs = list(_mentees(organizations))
        self.used = used

    def take(self, organization_id: int | None, count: int) -> list:
        """`count` people of one organization (the first free one's, if None), or fewer."""
        taken = []
        for job in self.jobs:
            if job.person_id in self.used:
                continue
            if organization_id is None:
                organization_id = job.organization_id
            if job.organization_id != organization_id:
                continue
            taken.append(job)
            if len(taken) == count:
                break
        if len(taken) < count:
            return []
        self.used.update(job.person_id for job in taken)
        return taken


def _mentees(organizations):
    busy = PairMentee.objects.filter(pair__status__in=ONGOING).values("person_id")
    jobs = (
        Employment.objects.active()
        .filter(organization__in=organizations)
        .exclude(person_id__in=busy)
        .exclude(person_id__in=MentorProfile.objects.values("person_id"))
        .select_related("person", "organization")
        .order_by(F("person__teaching_since").desc(nulls_last=True), "person__search_key", "pk")
    )
    seen = set()
    for job in jobs:
        if job.person_id not in seen:
            seen.add(job.person_id)
            yield job


def _program(rng, admin, pair, mentee, items, areas, start, end) -> None:
    weak = set(rng.sample(sorted(areas), 2))
    _fill(pair, mentee, Stage.START, Respondent.SELF, _scores(rng, items, weak), start)
    _fill(pair, mentee, Stage.START, Respondent.MENTOR, _scores(rng, items, weak), start)
    deficits = [areas[code] for code in sorted(weak)]
    program = programs.program_create(
        user=admin,
        pair=pair,
        mentee=mentee,
        data=programs.ProgramData(
            form=pair.form,
            kind=pair.kind,
            starts_on=start,
            ends_on=end,
            goals="Преодоление затруднений: {}".format(", ".join(a.name for a in deficits)),
            directions=pair.topic,
            deficits=deficits,
            strengths=[areas[c] for c in sorted(areas) if c not in weak][:1],
        ),
    )
    span = (end - start).days
    for step in range(3):
        area = deficits[step % len(deficits)]
        programs.activity_add(
            user=admin,
            program=program,
            data=programs.ActivityData(
                title=ACTIVITY_TITLES[area.code],
                planned_on=start + datetime.timedelta(days=span * (step + 1) // 4),
                responsible=rng.choice(("mentor", "mentee", "both")),
                area=area,
                status=ActivityStatus.DONE,
                result="Выполнено, результат обсуждён с наставником",
            ),
        )
    programs.program_approve(user=admin, program=program, today=start)
    programs.program_start(user=admin, program=program)
    _fill(pair, mentee, Stage.END, Respondent.SELF, _scores(rng, items, weak, bonus=1), end)
    _fill(pair, mentee, Stage.END, Respondent.MENTOR, _scores(rng, items, weak, bonus=1), end)
    programs.program_complete(
        user=admin,
        program=program,
        today=end,
        data=programs.ClosingData(
            results={a.pk: "Затруднение преодолено, есть продукт" for a in deficits},
            mentor_conclusion="Программа выполнена, наставляемый уверенно справляется.",
            mentee_conclusion="Научилась планировать уроки и анализировать их с наставником.",
        ),
    )


def _fitting_form(forms, number: int, mentor, mentees):
    """The next form in turn that fits the people (a head's form needs a head, and so on)."""
    for shift in range(len(forms)):
        form = forms[(number + shift) % len(forms)]
        if not mentoring.form_mismatches(form, mentor, mentees):
            return form
    return forms[number % len(forms)]


def _year(rng, admin, organizations, back: int, count: int, today: datetime.date, used) -> tuple:
    this_start = datetime.date(int(academic_year_of(today)[:4]), 9, 1)
    start = this_start.replace(year=this_start.year - back)
    year = academic_year_of(start)
    end = datetime.date(start.year + 1, 5, 31)
    forms = list(MentoringForm.objects.filter(type=FormType.FORM).order_by("sort_order"))
    kinds = list(MentoringForm.objects.filter(type=FormType.KIND).order_by("sort_order"))
    group = next(kind for kind in kinds if kind.code == GROUP_KIND_CODE)
    single = [kind for kind in kinds if kind.code != GROUP_KIND_CODE]
    mentors = list(
        MentorProfile.objects.filter(organization__in=organizations, is_active=True)
        .select_related("person", "organization")
        .order_by("person__search_key")
    )
    items = list(DifficultyItem.objects.filter(is_active=True).select_related("area"))
    areas = {area.code: area for area in DifficultyArea.objects.all()}
    candidates = _Candidates(organizations, used)
    people_by_org: dict[int, list] = {}
    pairs = 0
    for number in range(count):
        is_group = number % 4 == 3
        jobs = candidates.take(None, rng.choice((2, 3)) if is_group else 1)
        if is_group and not jobs:
            jobs = candidates.take(None, 2)
        if not jobs:
            is_group = False
            jobs = candidates.take(None, 1)
        if not jobs:
            break
        organization = jobs[0].organization
        mentor = next(
            (m for m in mentors[number % len(mentors) :] if m.organization_id == organization.pk),
            mentors[number % len(mentors)],
        )
        mentees = [job.person for job in jobs]
        pair_start = start + datetime.timedelta(days=rng.randint(0, 20))
        pair = mentoring.pair_register(
            curator=admin,
            organization=organization,
            data=mentoring.PairData(
                mentor=mentor.person,
                mentees=mentees,
                form=_fitting_form(forms, number, mentor.person, mentees),
                kind=group if is_group else single[number % len(single)],
                topic=rng.choice(TOPICS),
                planned_start=pair_start,
                planned_end=end,
                order_number=f"{number + 1}{_marker(back)}",
                order_date=pair_start - datetime.timedelta(days=3),
                confirm_overload=True,
            ),
        )
        pair = mentoring.pair_activate(user=admin, pair=pair, today=pair_start)
        people_by_org.setdefault(organization.pk, []).extend(mentees)
        pairs += 1
        if number % 9 == 5:  # now and then a pair does not last the year
            stop = pair_start + datetime.timedelta(days=rng.randint(70, 140))
            _meetings_for(rng, pair, mentees, stop)
            mentoring.pair_end_early(
                user=admin,
                pair=pair,
                reason="Наставляемый перешёл в другую школу района",
                today=stop,
            )
            continue
        for mentee in mentees:
            _program(rng, admin, pair, mentee, items, areas, pair_start, end)
        _meetings_for(rng, pair, mentees, end)
        mentoring.pair_complete(user=admin, pair=pair, today=end)
    needs = _needs(rng, admin, organizations, year, start, people_by_org, candidates)
    return pairs, needs


def seed(stdout: TextIO) -> None:
    organizations = demo_organizations()
    if not organizations:
        return
    rng = random.Random(SEED)
    today = timezone.localdate()
    admin = demo_user("admin")
    made = []
    used: set[int] = set()
    for back, count in PAST_YEARS:
        if Pair.objects.filter(
            organization__in=organizations, order_number__endswith=_marker(back)
        ).exists():
            continue
        pairs, needs = _year(rng, admin, organizations, back, count, today, used)
        made.append(f"{back} year(s) back: {pairs} pairs and groups, {needs} needs-list entries")
    stdout.write("history: created now — {}.\n".format("; ".join(made) or "nothing"))
