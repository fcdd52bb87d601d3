"""Demo data of the mentoring app, on top of orgs.demo: a bank of ~40 mentors, a needs list
per organization, ~60 pairs and groups of every form and kind (some across organizations)
and a year of meetings. Deterministic (`random.Random(2027)`); a second run adds nothing.

Pairs and their lifecycle go through the services (as the demo administrator). Meetings are
written directly: they are backdated over a year, which the services rightly refuse to do
for anyone but the pair's mentor at the time.
"""

from __future__ import annotations

import datetime
import random
from typing import TextIO

from django.db.models import Exists, OuterRef
from django.utils import timezone

from mentoring import services
from mentoring.models import (
    GROUP_KIND_CODE,
    ONE_TO_ONE_KIND_CODE,
    ONGOING,
    DismissReason,
    EndReason,
    FormType,
    Meeting,
    MeetingAttendance,
    MeetingFormat,
    MentoringForm,
    MentorProfile,
    NeedEntry,
    NeedsList,
    NeedStatus,
    Pair,
    PairMentee,
    PairStatus,
    Topic,
    academic_year_of,
)
from mentoring.reference import load_forms
from orgs.demo import demo_organizations, demo_user, first_school
from orgs.models import Employment, Person, User, years_ago

SEED = 2027
MENTOR_COUNT = 40
PAIR_COUNT = 60

RESULTS = (
    "Победитель муниципального этапа конкурса «Учитель года»",
    "Призёр регионального конкурса методических разработок",
    "Ученики — призёры муниципального этапа всероссийской олимпиады школьников",
    "Руководитель районного методического объединения",
    "Автор программы внеурочной деятельности, рекомендованной методическим советом",
    "Высшая квалификационная категория, 100 % успеваемость классов три года подряд",
    "Эксперт предметной комиссии ОГЭ",
    "Обобщение опыта на краевой научно-практической конференции",
)
TOPICS = (
    "Адаптация молодого педагога в коллективе",
    "Методика современного урока",
    "Подготовка обучающихся к ВПР и ОГЭ",
    "Классное руководство и работа с родителями",
    "Формирующее оценивание",
    "Цифровые образовательные ресурсы на уроке",
    "Организация внеурочной деятельности",
    "Работа с детьми с ОВЗ",
    "Проектная и исследовательская деятельность обучающихся",
    "Развивающая предметно-пространственная среда группы",
)
MEETING_TOPICS = (
    "Анализ посещённого урока",
    "Составление технологической карты урока",
    "Планирование родительского собрания",
    "Разбор трудной ситуации с классом",
    "Подготовка открытого урока",
    "Рефлексия: что получилось за месяц",
    "Работа с электронным журналом",
    "Критерии оценивания письменных работ",
    "Подбор заданий для подготовки к ВПР",
    "Взаимопосещение занятий",
)


def _experienced(municipality, today: datetime.date):
    return (
        Employment.objects.active()
        .filter(
            organization__municipality=municipality,
            person__teaching_since__lte=years_ago(10, today),
        )
        .select_related("person", "organization")
        .order_by("person__search_key", "pk")
    )


def _seed_mentors(rng: random.Random, organizations, today: datetime.date) -> int:
    municipality = organizations[0].municipality
    mentor_user = demo_user("mentor")
    wanted: list[Employment] = []
    named = (
        Employment.objects.active()
        .filter(person_id=mentor_user.person_id)
        .select_related("person", "organization")
        .first()
    )
    if named is not None:
        wanted.append(named)
    pool = [
        job for job in _experienced(municipality, today) if job.person_id != mentor_user.person_id
    ]
    seen = {job.person_id for job in wanted}
    for job in rng.sample(pool, min(len(pool), MENTOR_COUNT * 2)):
        if len(wanted) >= MENTOR_COUNT:
            break
        if job.person_id not in seen:
            seen.add(job.person_id)
            wanted.append(job)
    created = 0
    for job in wanted:
        topics = rng.sample(Topic.values, rng.randint(1, 3))
        _profile, was_created = MentorProfile.objects.get_or_create(
            person=job.person,
            defaults={
                "organization": job.organization,
                "results": "\n".join(rng.sample(RESULTS, 2)),
                "topics": sorted(topics),
                "max_mentees": rng.choice((2, 2, 3, 3, 4)),
            },
        )
        created += int(was_created)
    return created


def _seed_needs(rng: random.Random, admin: User, organizations, today: datetime.date) -> int:
    """This year's list per organization; two organizations have only last year's (stale)."""
    added = 0
    year = academic_year_of(today)
    stale = set(rng.sample(range(2, len(organizations)), 2))
    for index, organization in enumerate(organizations):
        if NeedsList.objects.filter(organization=organization).exists():
            continue
        if index in stale:
            NeedsList.objects.create(
                organization=organization,
                academic_year=academic_year_of(today - datetime.timedelta(days=450)),
                updated_on=today - datetime.timedelta(days=rng.randint(400, 500)),
                updated_by=admin,
            )
            continue
        added += services.needs_propose(user=admin, organization=organization, today=today)
        entries = list(
            NeedEntry.objects.filter(
                needs_list__organization=organization, needs_list__academic_year=year
            ).order_by("pk")
        )
        for entry in entries:
            draw = rng.random()
            if draw < 0.75:
                services.need_decide(
                    user=admin, entry=entry, status=NeedStatus.CONFIRMED, today=today
                )
            elif draw < 0.85:
                services.need_decide(
                    user=admin,
                    entry=entry,
                    status=NeedStatus.DISMISSED,
                    today=today,
                    dismiss_reason=rng.choice(
                        (DismissReason.EXPERIENCED, DismissReason.HAS_MENTOR)
                    ),
                )
        if index == 0 and not entries:
            services.needs_mark_reviewed(user=admin, organization=organization, today=today)
    return added


class _Picker:
    """Mentees and mentors for the demo pairs: each mentee once, mentors within their load."""

    def __init__(self, rng: random.Random, organizations, today: datetime.date):
        self.rng = rng
        self.used: set[int] = set()
        municipality = organizations[0].municipality
        confirmed = NeedEntry.objects.filter(
            person_id=OuterRef("person_id"), status=NeedStatus.CONFIRMED
        )
        jobs = (
            Employment.objects.active()
            .filter(organization__municipality=municipality)
            .annotate(needed=Exists(confirmed))
            .select_related("person", "organization")
            .order_by("-needed", "person__teaching_since", "pk")
        )
        self.jobs_by_org: dict[int, list[Employment]] = {}
        for job in jobs:
            self.jobs_by_org.setdefault(job.organization_id, []).append(job)
        self.mentors = list(
            MentorProfile.objects.select_related("person", "organization").order_by("pk")
        )
        self.mentor_ids = {profile.person_id for profile in self.mentors}
        self.load = {profile.person_id: 0 for profile in self.mentors}

    def mentees(self, organization, count: int) -> list[Person]:
        chosen = []
        for job in self.jobs_by_org.get(organization.pk, []):
            if job.person_id in self.used or job.person_id in self.mentor_ids:
                continue
            chosen.append(job.person)
            self.used.add(job.person_id)
            if len(chosen) == count:
                break
        return chosen

    def mentor(self, organization, *, across: bool) -> MentorProfile | None:
        candidates = [
            profile
            for profile in self.mentors
            if (profile.organization_id != organization.pk) == across
            and (not across or profile.organization.kind == organization.kind)
            and self.load[profile.person_id] < profile.max_mentees
        ]
        if not candidates:
            return None
        return self.rng.choice(candidates)


def _meetings_for(rng: random.Random, pair: Pair, mentees: list[Person], until: datetime.date):
    """About two meetings a month from the start to `until` (never in the future)."""
    now = timezone.now()
    tz = timezone.get_current_timezone()
    day = pair.planned_start + datetime.timedelta(days=rng.randint(2, 10))
    rows = []
    while day <= until:
        held_at = datetime.datetime.combine(
            day, datetime.time(rng.choice((13, 14, 15, 16)), rng.choice((0, 30))), tzinfo=tz
        )
        if held_at >= now:
            break
        online = pair.kind.code == "virtualnoe" or rng.random() < 0.25
        rows.append(
            (
                Meeting(
                    pair=pair,
                    held_at=held_at,
                    format=MeetingFormat.ONLINE if online else MeetingFormat.IN_PERSON,
                    link=f"https://sferum.ru/?call_link=demo{pair.pk}x{len(rows)}"
                    if online
                    else "",
                    duration_minutes=rng.choice((30, 40, 45, 60, 90)),
                    topic=rng.choice(MEETING_TOPICS),
                    notes="",
                ),
                [p for p in mentees if len(mentees) == 1 or rng.random() < 0.85] or mentees[:1],
            )
        )
        day += datetime.timedelta(days=rng.randint(10, 20))
    meetings = Meeting.objects.bulk_create([meeting for meeting, _people in rows])
    confirmed_cutoff = now - datetime.timedelta(days=7)
    MeetingAttendance.objects.bulk_create(
        MeetingAttendance(
            meeting=meeting,
            person=person,
            confirmed_at=meeting.held_at + datetime.timedelta(days=1)
            if meeting.held_at < confirmed_cutoff and rng.random() < 0.9
            else None,
        )
        for meeting, (_meeting, people) in zip(meetings, rows, strict=True)
        for person in people
    )
    return len(meetings)


def _register(admin, organization, mentor: Person, mentees, form, kind, start, end, order_no):
    data = services.PairData(
        mentor=mentor,
        mentees=mentees,
        form=form,
        kind=kind,
        topic="",
        planned_start=start,
        planned_end=end,
        order_number=order_no,
        order_date=start - datetime.timedelta(days=3),
        confirm_overload=True,
    )
    return data


def _seed_pairs(rng: random.Random, admin: User, organizations, today: datetime.date) -> tuple:
    if Pair.objects.filter(organization__in=organizations).exists():
        return 0, 0
    forms = list(MentoringForm.objects.filter(type=FormType.FORM).order_by("sort_order"))
    kinds = list(MentoringForm.objects.filter(type=FormType.KIND).order_by("sort_order"))
    by_code = {kind.code: kind for kind in kinds}
    picker = _Picker(rng, organizations, today)
    year_start = datetime.date(int(academic_year_of(today)[:4]), 9, 1)
    last_year_start = year_start.replace(year=year_start.year - 1)
    pairs = meetings = 0

    def create(organization, mentor_profile, mentees, form, kind, status, number):
        nonlocal pairs, meetings
        if status in (PairStatus.COMPLETED, PairStatus.ENDED_EARLY):
            start = last_year_start + datetime.timedelta(days=rng.randint(0, 40))
            end = last_year_start.replace(year=last_year_start.year + 1, month=5, day=31)
        else:
            start = year_start + datetime.timedelta(days=rng.randint(0, 30))
            end = year_start.replace(year=year_start.year + 1, month=5, day=31)
        data = _register(
            admin,
            organization,
            mentor_profile.person,
            mentees,
            form,
            kind,
            start,
            end,
            f"{number}-о",
        )
        data.topic = rng.choice(TOPICS)
        pair = services.pair_register(curator=admin, organization=organization, data=data)
        picker.load[mentor_profile.person_id] += len(mentees)
        pairs += 1
        if status == PairStatus.DRAFT:
            return pair
        pair = services.pair_activate(user=admin, pair=pair, today=start)
        if status == PairStatus.ACTIVE:
            meetings += _meetings_for(rng, pair, mentees, today)
        elif status == PairStatus.COMPLETED:
            meetings += _meetings_for(rng, pair, mentees, end)
            services.pair_complete(user=admin, pair=pair, today=end)
            picker.load[mentor_profile.person_id] -= len(mentees)
        else:
            stop = start + datetime.timedelta(days=rng.randint(60, 150))
            meetings += _meetings_for(rng, pair, mentees, stop)
            reason_code, reason = rng.choice(
                (
                    (EndReason.MENTEE_LEFT, "Переезд наставляемого в другой район"),
                    (EndReason.HEALTH, "Длительная болезнь наставника"),
                )
            )
            services.pair_end_early(
                user=admin, pair=pair, reason_code=reason_code, reason=reason, today=stop
            )
            picker.load[mentor_profile.person_id] -= len(mentees)
        return pair

    # The demo mentor and mentee of the first school: one active pair to sign in and try.
    school = first_school()
    mentor_person = demo_user("mentor").person
    mentee_person = demo_user("mentee").person
    mentor_profile = next(p for p in picker.mentors if p.person_id == mentor_person.pk)
    picker.used.add(mentee_person.pk)
    create(
        school,
        mentor_profile,
        [mentee_person],
        forms[0],
        by_code[ONE_TO_ONE_KIND_CODE],
        PairStatus.ACTIVE,
        101,
    )

    statuses = (
        [PairStatus.ACTIVE] * 7
        + [PairStatus.COMPLETED] * 2
        + [
            PairStatus.ENDED_EARLY,
            PairStatus.DRAFT,
        ]
    )
    index = 0
    attempts = 0
    while pairs < PAIR_COUNT - 1 and attempts < PAIR_COUNT * 5:
        attempts += 1
        organization = organizations[index % len(organizations)]
        form = forms[index % len(forms)]
        kind = kinds[index % len(kinds)]
        index += 1
        across = kind.code == "virtualnoe" or rng.random() < 0.15
        profile = picker.mentor(organization, across=across) or picker.mentor(
            organization, across=not across
        )
        if profile is None:
            continue
        count = rng.choice((2, 3)) if kind.code == GROUP_KIND_CODE else 1
        if kind.code not in (GROUP_KIND_CODE, ONE_TO_ONE_KIND_CODE) and rng.random() < 0.1:
            count = 2
        mentees = picker.mentees(organization, count)
        if len(mentees) < count:
            continue
        if form.code == "rabotodatel_student" and all(m.is_young_specialist for m in mentees):
            # Young teachers still finishing the pedagogical college: students on practice.
            Person.objects.filter(pk__in=[m.pk for m in mentees]).update(is_student=True)
            for mentee in mentees:
                mentee.is_student = True
        if services.form_mismatches(form, profile.person, mentees):
            used = set(
                Pair.objects.filter(organization__in=organizations).values_list(
                    "form_id", flat=True
                )
            )
            fitting = [
                other
                for other in forms
                if not services.form_mismatches(other, profile.person, mentees)
            ]
            unused = [other for other in fitting if other.pk not in used]
            form = (unused or fitting or forms[:1])[0]
        status = rng.choice(statuses)
        create(organization, profile, mentees, form, kind, status, 100 + pairs + 2)
    head_form = next((f for f in forms if f.code == "rukovoditel_uchitel"), None)
    if head_form and not Pair.objects.filter(form=head_form).exists():
        # The head of a school mentors one of its teachers («руководитель ОО – учитель»).
        for profile in picker.mentors:
            head_job = (
                Employment.objects.active()
                .filter(person_id=profile.person_id, position__code="rukovoditel")
                .first()
            )
            if head_job is None:
                continue
            busy = PairMentee.objects.filter(pair__status__in=ONGOING).values("person_id")
            teacher = (
                Employment.objects.active()
                .filter(organization=head_job.organization, position__code="uchitel")
                .exclude(person_id__in=busy)
                .exclude(person_id=profile.person_id)
                .exclude(person_id__in=picker.used)
                .order_by("person__search_key")
                .first()
            )
            if teacher is not None:
                picker.used.add(teacher.person_id)
                create(
                    head_job.organization,
                    profile,
                    [teacher.person],
                    head_form,
                    by_code[ONE_TO_ONE_KIND_CODE],
                    PairStatus.ACTIVE,
                    100 + pairs + 2,
                )
                break
    return pairs, meetings


def _seed_agreements(curator: User) -> None:
    """Everyone in a demo pair agreed in writing a few days before it started (voluntariness)."""
    for pair in Pair.objects.filter(mentor_agreed_on__isnull=True):
        agreed_on = pair.planned_start - datetime.timedelta(days=5)
        pair.mentor_agreed_on = agreed_on
        pair.mentor_agreement_recorded_by = curator
        pair.save(update_fields=["mentor_agreed_on", "mentor_agreement_recorded_by"])
        pair.memberships.filter(agreed_on__isnull=True).update(
            agreed_on=agreed_on, agreement_recorded_by=curator
        )


def seed(stdout: TextIO) -> None:
    """Create (or leave as they are) the mentors, needs lists, pairs and meetings."""
    load_forms(MentoringForm)
    rng = random.Random(SEED)
    today = timezone.localdate()
    organizations = demo_organizations()
    admin = demo_user("admin")
    mentors = _seed_mentors(rng, organizations, today)
    candidates = _seed_needs(rng, admin, organizations, today)
    pairs, meetings = _seed_pairs(rng, admin, organizations, today)
    _seed_agreements(demo_user("curator"))
    stdout.write(
        f"mentoring: created now — {mentors} mentors, {candidates} needs-list candidates, {pairs} pairs and groups, "
        f"{meetings} meetings; in all {MentorProfile.objects.count()} mentors, {Pair.objects.count()} pairs, {Meeting.objects.count()} meetings.\n"
    )
