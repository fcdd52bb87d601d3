"""Region-scale data for the benchmark: `manage.py seed_scale --municipalities N`.

60 municipalities ≈ 1,200 organizations, 30,000 teachers, 60,000 pairs and programs,
600,000 meetings. Rows are generated in Python with explicit ids and streamed with
PostgreSQL COPY (psycopg 3), then the identity sequences are moved past them; every column
a model has and the generator does not name gets the field's default, so a new column with
a default does not break it. Run it into a scratch database only:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nastavnik_scale \\
        python manage.py migrate && python manage.py seed_scale --municipalities 60
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.db import connection, models
from django.utils import timezone

from core.text import normalize
from mentoring.models import (
    Meeting,
    MentoringForm,
    NeedEntry,
    NeedsList,
    Pair,
    PairMentee,
    academic_year_of,
)
from monitoring.models import LocalAct, ProgressEntry, Survey, SurveyAnswer, SurveyQuestion
from monitoring.surveys import satisfaction_refresh
from orgs.models import (
    Employment,
    Municipality,
    Organization,
    Person,
    Position,
    Region,
    Role,
    RoleAssignment,
    User,
)
from programs.models import Activity, Program

ORGS_PER_MUNICIPALITY = 20  # 12 schools, 6 kindergartens, 2 additional-education centres
KINDS = ["general"] * 12 + ["preschool"] * 6 + ["additional"] * 2
TEACHERS_PER_ORG = 25
MENTORS_PER_ORG = 6
PAIRS_PER_ORG = 50  # over five academic years
MEETINGS_PER_PAIR = 10
ACTIVITIES_PER_PROGRAM = 4
YEARS = 5
SURVEY_EVERY = 5  # every fifth program has its surveys
BENCH_PASSWORD = "scale12345"
SCALE_REGION = "Модельный край"

LAST_NAMES = "Иванова Петрова Смирнова Кузнецова Попова Соколова Лебедева Козлова Новикова Морозова Волкова Соловьёва Васильева Зайцева Павлова Семёнова Голубева Виноградова Богданова Воробьёва".split()  # noqa: E501
FIRST_NAMES = "Анна Мария Елена Ольга Татьяна Наталья Ирина Светлана Юлия Екатерина".split()
MIDDLE_NAMES = "Ивановна Петровна Сергеевна Александровна Николаевна Викторовна".split()
TOPICS = ("Методика урока", "Работа с родителями", "Цифровые инструменты", "Воспитательная работа")


class Copier:
    """COPY rows of a model with explicit ids; fills every column the rows do not name."""

    def __init__(self, now: datetime.datetime):
        self.now = now
        self.counts: dict[str, int] = {}

    def next_id(self, model) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{model._meta.db_table}"')
            return cursor.fetchone()[0]

    def _defaults(self, model) -> tuple[list[str], list[str], dict[str, Callable]]:
        fields = [f for f in model._meta.concrete_fields]
        names = [f.attname for f in fields]
        columns = [f.column for f in fields]
        defaults = {}
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                defaults[f.attname] = lambda: self.now
            elif f.has_default():
                defaults[f.attname] = f.get_default
            elif f.null:
                defaults[f.attname] = lambda: None
            elif isinstance(f, (models.CharField, models.TextField, models.FileField)):
                defaults[f.attname] = lambda: ""
        return names, columns, defaults

    def copy(self, model, rows: Iterable[dict]) -> int:
        names, columns, defaults = self._defaults(model)
        table = model._meta.db_table
        column_list = ", ".join(f'"{column}"' for column in columns)
        count = 0
        with connection.cursor() as wrapper:
            cursor = wrapper.cursor
            with cursor.copy(f'COPY "{table}" ({column_list}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row([row[n] if n in row else defaults[n]() for n in names])
                    count += 1
            wrapper.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))'
            )
        self.counts[table] = self.counts.get(table, 0) + count
        return count


class BulkLoad:
    """Load tables without per-row constraint work, and check the constraints once.

    Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: each row COPY writes queues a
    check that runs at COMMIT, one index look-up per row and key (millions for a region: most
    of the old two minutes). Here the foreign keys and the plain indexes of the tables are
    dropped before the COPY; afterwards the indexes are built in one pass each and every
    foreign key is added back with its own definition, which PostgreSQL validates in one
    query over the table. Primary keys, unique and check constraints stay in place."""

    def __init__(self, models_: Iterable):
        self.tables = [model._meta.db_table for model in models_]
        self.foreign_keys: list[tuple[str, str, str]] = []
        self.indexes: list[str] = []

    def __enter__(self) -> BulkLoad:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
                [self.tables],
            )
            self.foreign_keys = cursor.fetchall()
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                "FROM pg_index i WHERE i.indrelid::regclass::text = ANY(%s) "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
                [self.tables],
            )
            rows = cursor.fetchall()
            self.indexes = [definition for _name, definition in rows]
            for table, name, _definition in self.foreign_keys:
                cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            for name, _definition in rows:
                cursor.execute(f"DROP INDEX {name}")
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is not None:
            return  # the transaction rolls the drops back
        with connection.cursor() as cursor:
            for definition in self.indexes:
                cursor.execute(definition)
            for table, name, definition in self.foreign_keys:
                cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')


def _person(rng: random.Random, pid: int, today: datetime.date) -> dict:
    last, first, middle = rng.choice(LAST_NAMES), rng.choice(FIRST_NAMES), rng.choice(MIDDLE_NAMES)
    since = today - datetime.timedelta(days=rng.randint(200, 30 * 365))
    return {
        "id": pid,
        "last_name": last,
        "first_name": first,
        "middle_name": middle,
        "teaching_since": since,
        "career_since": since,
        "search_key": normalize(f"{last} {first} {middle}"),
    }


# The tables COPY fills by the thousand: loaded without their foreign keys and plain indexes.
BULK_MODELS = (
    Person, Employment, Pair, PairMentee, Program, Meeting, Activity, ProgressEntry, Survey,
    SurveyAnswer, NeedsList, NeedEntry,
)  # fmt: skip


def seed_scale(municipalities: int, *, stdout=None, seed: int = 60) -> dict[str, int]:
    """Generate `municipalities` districts of region-scale data; returns rows per table."""
    started = time.perf_counter()

    def log(text):
        if stdout:
            stdout.write(f"{time.perf_counter() - started:7.1f} s  {text}\n")

    with BulkLoad(BULK_MODELS):
        counts = _generate(municipalities, log, seed)
        log("rows written; building indexes and checking foreign keys")
    log("indexes built, foreign keys checked")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    log("ANALYZE done")
    return counts


def _generate(municipalities: int, log, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    first_year = int(academic_year_of(today)[:4]) - YEARS + 1
    copier = Copier(now)
    forms = [f.pk for f in MentoringForm.objects.filter(type="form").order_by("sort_order")]
    kinds = [f.pk for f in MentoringForm.objects.filter(type="kind").order_by("sort_order")]
    position = Position.objects.get(code="uchitel").pk
    questions = list(SurveyQuestion.objects.active().values_list("pk", "respondent", "measure"))

    ids = {
        model: copier.next_id(model)
        for model in (
            Municipality, Organization, Person, Employment, Pair, PairMentee, Meeting, NeedsList,
            NeedEntry, Program, Activity, ProgressEntry, LocalAct, Survey, SurveyAnswer,
        )
    }  # fmt: skip
    base = Municipality.objects.count()
    # Who signs the regional report: a benchmark's PDF looks like the one a region signs.
    region, _created = Region.objects.get_or_create(
        name=SCALE_REGION,
        defaults={
            "authority_name": "Министерство образования Модельного края",
            "head_name": "А. Б. Образцова",
            "head_position": "Министр образования Модельного края",
            "coordinator_name": "В. Г. Примерова",
            "coordinator_position": "Региональный координатор наставничества",
        },
    )
    municipality_ids = list(range(ids[Municipality], ids[Municipality] + municipalities))
    copier.copy(
        Municipality,
        (
            {"id": mid, "name": f"Район {base + n + 1}", "region_id": region.pk}
            for n, mid in enumerate(municipality_ids)
        ),
    )
    org_rows = []
    for mid in municipality_ids:
        for n, kind in enumerate(KINDS):
            oid = ids[Organization] + len(org_rows)
            label = {"general": "СОШ", "preschool": "Детский сад", "additional": "ЦДО"}[kind]
            name = f"{label} № {n + 1}"
            org_rows.append(
                {
                    "id": oid,
                    "municipality_id": mid,
                    "kind": kind,
                    "short_name": name,
                    "full_name": f"МБОУ «{name}» ({oid})",
                    "sort_key": normalize(name),
                }
            )
    copier.copy(Organization, org_rows)
    log(f"{len(org_rows)} organizations")

    # Teachers: the first MENTORS_PER_ORG of each organization mentor the others.
    staff: dict[int, list[int]] = {}
    person_rows, employment_rows = [], []
    for org in org_rows:
        members = []
        for _n in range(TEACHERS_PER_ORG):
            pid = ids[Person] + len(person_rows)
            person_rows.append(_person(rng, pid, today))
            employment_rows.append(
                {
                    "id": ids[Employment] + len(employment_rows),
                    "person_id": pid,
                    "organization_id": org["id"],
                    "position_id": position,
                    "hired_on": today - datetime.timedelta(days=rng.randint(30, 6000)),
                    "subjects": "математика",
                }
            )
            members.append(pid)
        staff[org["id"]] = members
    copier.copy(Person, person_rows)
    copier.copy(Employment, employment_rows)
    log(f"{len(person_rows)} teachers")
    del person_rows, employment_rows

    pair_rows, mentee_rows, program_rows = [], [], []
    for org in org_rows:
        members = staff[org["id"]]
        mentors, mentees = members[:MENTORS_PER_ORG], members[MENTORS_PER_ORG:]
        for n in range(PAIRS_PER_ORG):
            year = first_year + n % YEARS
            start = datetime.date(year, 9, 1) + datetime.timedelta(days=rng.randint(0, 60))
            end = start + datetime.timedelta(days=rng.randint(120, 300))
            finished = end < today
            status = "completed" if finished else "active"
            pid = ids[Pair] + len(pair_rows)
            mentee = mentees[n % len(mentees)]
            # One pair in ten takes its mentee from the next organization: inter-organization.
            if n % 10 == 9:
                neighbour = staff.get(org["id"] + 1) or members
                mentee = neighbour[-1]
            pair_rows.append(
                {
                    "id": pid,
                    "organization_id": org["id"],
                    "mentor_id": mentors[n % len(mentors)],
                    "form_id": forms[n % len(forms)],
                    "kind_id": kinds[n % len(kinds)],
                    "topic": TOPICS[n % len(TOPICS)],
                    "planned_start": start,
                    "planned_end": end,
                    "status": status,
                }
            )
            mentee_rows.append(
                {"id": ids[PairMentee] + len(mentee_rows), "pair_id": pid, "person_id": mentee}
            )
            program_rows.append(
                {
                    "id": ids[Program] + len(program_rows),
                    "pair_id": pid,
                    "mentee_id": mentee,
                    "form_id": forms[n % len(forms)],
                    "kind_id": kinds[n % len(kinds)],
                    "starts_on": start,
                    "ends_on": end,
                    "goals": "Освоить методику",
                    "status": "completed" if finished and rng.random() < 0.8 else "in_progress",
                    "completed_on": end if finished else None,
                }
            )
    copier.copy(Pair, pair_rows)
    copier.copy(PairMentee, mentee_rows)
    copier.copy(Program, program_rows)
    log(f"{len(pair_rows)} pairs and programs")
    del mentee_rows

    def meetings():
        mid = ids[Meeting]
        for pair in pair_rows:
            span = (min(pair["planned_end"], today) - pair["planned_start"]).days
            if span <= 0:
                continue
            for k in range(MEETINGS_PER_PAIR):
                day = pair["planned_start"] + datetime.timedelta(days=span * k // MEETINGS_PER_PAIR)
                yield {
                    "id": mid,
                    "pair_id": pair["id"],
                    "held_at": timezone.make_aware(
                        datetime.datetime.combine(day, datetime.time(14))
                    ),
                    "format": "in_person",
                    "duration_minutes": 45,
                    "topic": "Разбор урока",
                }
                mid += 1

    copier.copy(Meeting, meetings())
    log(f"{copier.counts[Meeting._meta.db_table]} meetings")

    def activities():
        aid = ids[Activity]
        for program in program_rows:
            for k in range(ACTIVITIES_PER_PROGRAM):
                planned = program["starts_on"] + datetime.timedelta(days=30 * (k + 1))
                done = planned < today and (program["status"] == "completed" or rng.random() < 0.7)
                yield {
                    "id": aid,
                    "program_id": program["id"],
                    "title": f"Мероприятие {k + 1}",
                    "planned_on": planned,
                    "responsible": "both",
                    "status": "done" if done else "planned",
                }
                aid += 1

    copier.copy(Activity, activities())

    def entries():
        eid = ids[ProgressEntry]
        for program in program_rows:
            year = program["starts_on"].year
            for period in ("q1", "q2"):
                total = rng.randint(15, 30)
                yield {
                    "id": eid,
                    "program_id": program["id"],
                    "academic_year": f"{year}/{year + 1}",
                    "period": period,
                    "vpr_total": total,
                    "vpr_passed": rng.randint(total // 2, total),
                    "average_mark": Decimal("3.9"),
                    "success_rate": rng.randint(60, 100),
                    "olympiad_participants": 3,
                    "olympiad_winners": 1,
                    "open_lessons": 1,
                    "entered_as": "mentor",
                }
                eid += 1

    copier.copy(ProgressEntry, entries())

    survey_rows = []
    for program in program_rows[::SURVEY_EVERY]:
        for respondent in ("mentee", "mentor"):
            for stage in ("start", "end"):
                filled = program["starts_on"] if stage == "start" else program["ends_on"]
                if filled > today:
                    continue
                survey_rows.append(
                    {
                        "id": ids[Survey] + len(survey_rows),
                        "program_id": program["id"],
                        "respondent": respondent,
                        "stage": stage,
                        "filled_on": filled,
                    }
                )
    copier.copy(Survey, survey_rows)

    def answers():
        aid = ids[SurveyAnswer]
        for survey in survey_rows:
            for qid, respondent, measure in questions:
                if respondent != survey["respondent"]:
                    continue
                yes_no = measure in ("plans_mentor", "plans_mentee")
                value = (
                    rng.randint(0, 1)
                    if yes_no
                    else rng.randint(2 if survey["stage"] == "start" else 3, 5)
                )
                yield {"id": aid, "survey_id": survey["id"], "question_id": qid, "value": value}
                aid += 1

    copier.copy(SurveyAnswer, answers())
    satisfaction_refresh({row["program_id"] for row in survey_rows})
    log("activities, stage-1 entries and surveys")

    year = academic_year_of(today)
    needs_rows, need_entries, acts = [], [], []
    for n, org in enumerate(org_rows):
        lid = ids[NeedsList] + len(needs_rows)
        needs_rows.append(
            {
                "id": lid,
                "organization_id": org["id"],
                "academic_year": year,
                "updated_on": today - datetime.timedelta(days=rng.randint(0, 500)),
            }
        )
        for person in staff[org["id"]][MENTORS_PER_ORG : MENTORS_PER_ORG + 8]:
            need_entries.append(
                {
                    "id": ids[NeedEntry] + len(need_entries),
                    "needs_list_id": lid,
                    "person_id": person,
                    "reason": "young_specialist",
                    "status": "confirmed",
                }
            )
        if n % 7 != 6:
            adopted = (
                datetime.date(2022, 7, 20) if n % 7 < 5 else datetime.date(int(year[:4]), 8, 15)
            )
            acts.append(
                {
                    "id": ids[LocalAct] + len(acts),
                    "organization_id": org["id"],
                    "type": "regulation",
                    "number": str(n),
                    "adopted_on": adopted,
                    "published_on": adopted + datetime.timedelta(days=5) if n % 7 < 4 else None,
                    "url": "https://example.org/nastavnichestvo" if n % 7 < 4 else "",
                }
            )
    copier.copy(NeedsList, needs_rows)
    copier.copy(NeedEntry, need_entries)
    copier.copy(LocalAct, acts)
    log("needs lists and local acts")

    _bench_users(municipality_ids[0], org_rows[0]["id"], staff[org_rows[0]["id"]][0])
    _regional_user(region)
    return copier.counts


def _regional_user(region: Region) -> None:
    """The regional coordinator of the scale region (password scale12345)."""
    user, created = User.objects.get_or_create(username="scale_regional")
    if created:
        user.set_password(BENCH_PASSWORD)
        user.save()
    RoleAssignment.objects.get_or_create(user=user, role=Role.REGIONAL, region=region)


def _bench_users(municipality_id: int, organization_id: int, mentor_id: int) -> None:
    """One user per role the benchmark signs in as (password scale12345)."""
    for username, role, extra in (
        ("scale_coordinator", Role.COORDINATOR, {}),
        ("scale_specialist", Role.SPECIALIST, {"organization_kind": "preschool"}),
        ("scale_curator", Role.CURATOR, {"organization_id": organization_id}),
    ):
        user, created = User.objects.get_or_create(username=username)
        if created:
            user.set_password(BENCH_PASSWORD)
            user.save()
        RoleAssignment.objects.get_or_create(
            user=user, role=role, municipality_id=municipality_id, **extra
        )
    # The administrator: region-wide lists and /admin/ on the big tables.
    admin, created = User.objects.get_or_create(
        username="scale_admin", defaults={"is_superuser": True, "is_staff": True}
    )
    if created:
        admin.set_password(BENCH_PASSWORD)
        admin.save()
