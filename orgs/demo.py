"""Demo data of the orgs app: the district, its organizations, ~300 invented teachers, users.

Everything here is invented (names, addresses, websites under example.org); only the list
of organizations comes from data/organizations.csv, itself marked illustrative. The data is
deterministic (`random.Random(2026)`) and keyed, so `seed()` run twice creates nothing new.
Other apps' demo modules build on the objects named here (`DEMO_MUNICIPALITY`,
`first_school()`, the usernames in `DEMO_USERS`).
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from core.text import normalize
from orgs import services
from orgs.models import (
    AttestationResult,
    Consent,
    Employment,
    Municipality,
    Organization,
    OrganizationKind,
    Person,
    Position,
    QualificationCategory,
    Region,
    Role,
    RoleAssignment,
    User,
)
from orgs.reference import load_positions, read_csv

DEMO_PASSWORD = "demo12345"
DEMO_MUNICIPALITY = "Змеиногорский район"
DEMO_REGION = "Алтайский край"
DEMO_COMMITTEE = (
    "Комитет Администрации Змеиногорского района Алтайского края по образованию и делам молодёжи"
)
SEED = 2026
# The demo region: the demo district and a second, tiny one (two invented organizations, a few
# teachers) so that the regional coordinator has more than one row to compare.
DEMO_AUTHORITY = "Министерство образования и науки Алтайского края"
DEMO_SECOND_MUNICIPALITY = "Третьяковский район"
DEMO_SECOND_COMMITTEE = "Комитет по образованию Администрации Третьяковского района"
DEMO_SECOND_ORGANIZATIONS = (
    ("Староалейская СОШ № 1", "МБОУ «Староалейская средняя общеобразовательная школа № 1»",
     OrganizationKind.GENERAL, "с. Староалейское"),
    ("Детский сад «Солнышко»", "МБДОУ «Детский сад «Солнышко» с. Староалейское»",
     OrganizationKind.PRESCHOOL, "с. Староалейское"),
)  # fmt: skip

KIND_BY_CODE = {
    "ОО": OrganizationKind.GENERAL,
    "ДОУ": OrganizationKind.PRESCHOOL,
    "ДО": OrganizationKind.ADDITIONAL,
}

# --- Names -------------------------------------------------------------------------------
# Male surnames; the female form is derived (-ов → -ова, -ин → -ина, -ский → -ская).
# The indeclinable ones (-ко, -ых, German surnames common in the Altai) stay as they are.
MALE_SURNAMES = (
    "Иванов Петров Смирнов Кузнецов Попов Васильев Соколов Михайлов Новиков Фёдоров "
    "Морозов Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов "
    "Андреев Макаров Никитин Захаров Зайцев Соловьёв Борисов Яковлев Григорьев Романов "
    "Воробьёв Сергеев Кузьмин Фролов Александров Дмитриев Королёв Гусев Киселёв Ильин "
    "Максимов Поляков Сорокин Виноградов Ковалёв Белов Медведев Антонов Тарасов Жуков "
    "Баранов Филиппов Комаров Давыдов Беляев Герасимов Богданов Осипов Сидоров Матвеев "
    "Титов Марков Миронов Крылов Куликов Карпов Власов Мельников Денисов Гаврилов Тихонов "
    "Казаков Афанасьев Данилов Савельев Тимофеев Фомин Чернов Мартынов Ефимов Щербаков "
    "Назаров Калинин Исаев Чернышёв Быков Маслов Родионов Коновалов Лазарев Воронин Климов "
    "Филатов Пономарёв Голубев Кудрявцев Прохоров Наумов Потапов Журавлёв Овчинников "
    "Трофимов Леонов Соболев Ермаков Колесников Гончаров Емельянов Никифоров Грачёв Котов "
    "Гришин Архипов Громов Кириллов Малышев Панов Моисеев Акимов Кондратьев Бирюков "
    "Горбунов Анисимов Ерёмин Галкин Лукьянов Михеев Скворцов Юдин Белоусов Нестеров "
    "Симонов Харитонов Князев Цветков Логинов Горшков Савин Краснов Демидов Елисеев "
    "Рыбаков Плотников Дёмин Хохлов Фадеев Молчанов Литвинов Ершов Ушаков Рябов Мухин "
    "Калашников Лобанов Бородин Платонов Некрасов Бобров Жданов Блинов Муравьёв Крюков "
    "Дроздов Лавров Зуев Ларин Серов Зотов Устинов Фокин Самойлов Шишкин Чистяков Носов "
    "Карасёв Зверев Селезнёв Нечаев Седов Головин Терехов Шестаков Гордеев Пахомов Зимин "
    "Костин Широков Суворов Нефёдов Лукин Токарев Шилов Бочаров Маркин Агафонов Березин "
    "Зубков Круглов Колосов Рожков Шмелёв Лаптев Покровский Никольский Вознесенский"
).split()
INDECLINABLE_SURNAMES = (
    "Шевченко Бондаренко Кравченко Ткаченко Черных Белых Седых Миллер Шмидт Вебер Гейер"
).split()

MALE_FIRST_NAMES = (
    "Александр Алексей Андрей Антон Артём Борис Вадим Валерий Василий Виктор Виталий "
    "Владимир Владислав Геннадий Денис Дмитрий Евгений Егор Иван Игорь Илья Кирилл "
    "Константин Леонид Максим Михаил Никита Николай Олег Павел Пётр Роман Сергей "
    "Станислав Степан Фёдор Юрий Ярослав"
).split()
FEMALE_FIRST_NAMES = (
    "Александра Алёна Алина Анастасия Анна Валентина Валерия Вера Виктория Галина Дарья "
    "Екатерина Елена Жанна Инна Ирина Кристина Ксения Лариса Лидия Любовь Людмила Марина "
    "Мария Надежда Наталья Нина Оксана Олеся Ольга Полина Светлана Татьяна Юлия Яна"
).split()
# (male, female) patronymic pairs.
PATRONYMICS = (
    ("Александрович", "Александровна"),
    ("Алексеевич", "Алексеевна"),
    ("Анатольевич", "Анатольевна"),
    ("Андреевич", "Андреевна"),
    ("Борисович", "Борисовна"),
    ("Валерьевич", "Валерьевна"),
    ("Васильевич", "Васильевна"),
    ("Викторович", "Викторовна"),
    ("Владимирович", "Владимировна"),
    ("Вячеславович", "Вячеславовна"),
    ("Геннадьевич", "Геннадьевна"),
    ("Григорьевич", "Григорьевна"),
    ("Дмитриевич", "Дмитриевна"),
    ("Евгеньевич", "Евгеньевна"),
    ("Иванович", "Ивановна"),
    ("Игоревич", "Игоревна"),
    ("Ильич", "Ильинична"),
    ("Константинович", "Константиновна"),
    ("Леонидович", "Леонидовна"),
    ("Михайлович", "Михайловна"),
    ("Николаевич", "Николаевна"),
    ("Олегович", "Олеговна"),
    ("Павлович", "Павловна"),
    ("Петрович", "Петровна"),
    ("Романович", "Романовна"),
    ("Сергеевич", "Сергеевна"),
    ("Степанович", "Степановна"),
    ("Фёдорович", "Фёдоровна"),
    ("Юрьевич", "Юрьевна"),
)


def feminine_surname(surname: str) -> str:
    """The female form of a male Russian surname; indeclinable ones are returned unchanged."""
    if surname in INDECLINABLE_SURNAMES:
        return surname
    if surname.endswith("ский"):
        return surname[:-2] + "ая"
    if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return surname + "а"
    return surname


@dataclass(frozen=True)
class Name:
    last_name: str
    first_name: str
    middle_name: str
    female: bool

    @property
    def full(self) -> str:
        return f"{self.last_name} {self.first_name} {self.middle_name}"


class NameMaker:
    """Invented full names, never the same twice in one demo (so each is a stable key)."""

    def __init__(self, rng: random.Random, taken: set[str] | None = None):
        self.rng = rng
        self.taken = set(taken or ())

    def make(self, *, female: bool) -> Name:
        rng = self.rng
        while True:
            if rng.random() < 0.06:
                male_surname = rng.choice(INDECLINABLE_SURNAMES)
            else:
                male_surname = rng.choice(MALE_SURNAMES)
            male_patronymic, female_patronymic = rng.choice(PATRONYMICS)
            if female:
                name = Name(
                    feminine_surname(male_surname),
                    rng.choice(FEMALE_FIRST_NAMES),
                    female_patronymic,
                    True,
                )
            else:
                name = Name(male_surname, rng.choice(MALE_FIRST_NAMES), male_patronymic, False)
            if normalize(name.full) not in self.taken:
                self.taken.add(normalize(name.full))
                return name


# --- Organizations -----------------------------------------------------------------------
STREETS = (
    "ул. Ленина",
    "ул. Советская",
    "ул. Школьная",
    "ул. Садовая",
    "ул. Молодёжная",
    "ул. Центральная",
    "ул. Горького",
    "ул. Набережная",
)
# How many invented people work in each organization, in the order of organizations.csv.
STAFF_SIZES = (40, 32, 20, 20, 20, 18, 18, 12, 12, 12, 12, 12, 12, 12, 8, 8, 12, 10, 10)
DEFAULT_STAFF_SIZE = 10


def _organization_defaults(row: dict[str, str], index: int, rng: random.Random) -> dict:
    kind = KIND_BY_CODE[row["kind"]]
    settlement = row["settlement"]
    return {
        "kind": kind,
        "full_name": row["full_name"],
        "settlement": settlement,
        "address": f"{settlement}, {rng.choice(STREETS)}, д. {rng.randint(1, 60)}",
        # example.org: visibly not a real site.
        "website": f"https://{kind.value}{index}.zmeinogorsk-demo.example.org/",
    }


# --- Teachers ----------------------------------------------------------------------------
SCHOOL_SUBJECTS = (
    ("начальные классы", 5),
    ("русский язык, литература", 4),
    ("математика", 4),
    ("английский язык", 2),
    ("немецкий язык", 1),
    ("история, обществознание", 2),
    ("физика", 1),
    ("химия", 1),
    ("биология", 1),
    ("география", 1),
    ("информатика", 1),
    ("физическая культура", 2),
    ("технология", 1),
    ("музыка", 1),
    ("изобразительное искусство", 1),
)
SUBJECTS_BY_POSITION = {
    "pedagog_do": (
        "робототехника",
        "декоративно-прикладное творчество",
        "вокал",
        "театральная студия",
        "туризм и краеведение",
        "журналистика",
        "шахматы",
    ),
    "trener_prepodavatel": ("лёгкая атлетика", "волейбол", "лыжные гонки", "футбол", "самбо"),
    "prepodavatel": (
        "фортепиано",
        "баян, аккордеон",
        "хореография",
        "изобразительное искусство",
        "сольфеджио",
        "гитара",
    ),
    "koncertmeyster": ("фортепиано",),
}

# Each kind of organization: the single posts (in this order) and the weighted rank and file.
LEADERS_BY_KIND = {
    OrganizationKind.GENERAL: ("rukovoditel", "zam_rukovoditelya", "zam_rukovoditelya"),
    OrganizationKind.PRESCHOOL: ("rukovoditel", "starshiy_vospitatel"),
    OrganizationKind.ADDITIONAL: ("rukovoditel", "zam_rukovoditelya", "metodist"),
}
SPECIALISTS_BY_KIND = {
    OrganizationKind.GENERAL: (
        "pedagog_psiholog",
        "socialnyy_pedagog",
        "uchitel_logoped",
        "pedagog_organizator",
        "sovetnik_direktora",
        "pedagog_bibliotekar",
        "prepodavatel_organizator_obzr",
    ),
    OrganizationKind.PRESCHOOL: (
        "muz_rukovoditel",
        "instruktor_fk",
        "uchitel_logoped",
        "pedagog_psiholog",
    ),
    OrganizationKind.ADDITIONAL: ("pedagog_organizator", "pedagog_psiholog"),
}
RANK_AND_FILE = {
    OrganizationKind.GENERAL: "uchitel",
    OrganizationKind.PRESCHOOL: "vospitatel",
}
# Additional-education centres differ by profile (keyed by a word of the short name).
ADDITIONAL_PROFILES = (
    ("спортивная", ("trener_prepodavatel",)),
    ("искусств", ("prepodavatel", "prepodavatel", "prepodavatel", "koncertmeyster")),
)
ADDITIONAL_DEFAULT = ("pedagog_do",)

FEMALE_SHARE = {
    "vospitatel": 0.99,
    "starshiy_vospitatel": 0.99,
    "muz_rukovoditel": 0.9,
    "instruktor_fk": 0.7,
    "uchitel_logoped": 0.98,
    "trener_prepodavatel": 0.3,
    "prepodavatel_organizator_obzr": 0.2,
    "koncertmeyster": 0.9,
}
DEFAULT_FEMALE_SHARE = 0.8
MALE_SUBJECTS = {"физическая культура": 0.5, "технология": 0.5, "информатика": 0.35}

YOUNG_SHARE = 0.18  # teaching_since within 3 years
EXPERIENCED_NEWCOMER_SHARE = 0.05  # experienced teachers who came this year


@dataclass
class TeacherSpec:
    """One invented employment: who, where, which job, since when."""

    organization_index: int
    name: Name
    position_code: str
    hired_on: datetime.date
    teaching_years: int
    career_years: int
    category: str
    subjects: str = ""
    email: str = ""
    dismissed_on: datetime.date | None = None
    tags: set[str] = field(default_factory=set)


def _school_year_start(today: datetime.date) -> datetime.date:
    year = today.year if (today.month, today.day) >= (9, 1) else today.year - 1
    return datetime.date(year, 9, 1)


def _weighted(rng: random.Random, choices: tuple[tuple[str, int], ...]) -> str:
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights=weights)[0]


def _category(rng: random.Random, teaching_years: int, leader: bool) -> str:
    if teaching_years < 2:
        return QualificationCategory.NONE
    if teaching_years < 5:
        return rng.choice([QualificationCategory.NONE, QualificationCategory.COMPLIANCE])
    choices = [
        (QualificationCategory.COMPLIANCE, 2 if leader else 3),
        (QualificationCategory.FIRST, 4),
        (QualificationCategory.HIGHEST, 4 if teaching_years >= 15 else 2),
    ]
    if teaching_years >= 15:
        choices += [(QualificationCategory.METHODIST, 1), (QualificationCategory.MENTOR, 1)]
    return _weighted(rng, tuple(choices))


def _experience(rng: random.Random, today: datetime.date, *, young: bool, newcomer: bool):
    """(teaching_years, career_years, hired_on) of one invented teacher."""
    if young:
        teaching = rng.choice([0, 1, 1, 2, 2])
        career = teaching + rng.choice([0, 0, 0, 1])
        # Always draw the same numbers, whatever today is: the names that follow depend on it.
        days = rng.randint(10, 120)
        if teaching == 0:
            hired_on = min(_school_year_start(today), today - datetime.timedelta(days=20))
        else:
            hired_on = today - datetime.timedelta(days=365 * teaching + days)
        return teaching, career, hired_on
    teaching = rng.randint(4, 38)
    career = teaching + rng.choice([0, 0, 0, 1, 2, 4, 7])
    if newcomer:
        hired_on = today - datetime.timedelta(days=rng.randint(30, 330))
    else:
        in_this_organization = rng.randint(2, teaching)
        hired_on = today - datetime.timedelta(days=365 * in_this_organization + rng.randint(0, 300))
    return teaching, career, hired_on


def _female(rng: random.Random, position_code: str, subjects: str) -> bool:
    share = FEMALE_SHARE.get(position_code, DEFAULT_FEMALE_SHARE)
    share = MALE_SUBJECTS.get(subjects, share)
    return rng.random() < share


def _positions_of(kind: str, short_name: str, size: int, rng: random.Random) -> list[str]:
    leaders = list(LEADERS_BY_KIND[kind])
    if size < 15 and kind == OrganizationKind.GENERAL:
        leaders = leaders[:2]
    specialists = list(SPECIALISTS_BY_KIND[kind])
    # Small organizations share specialists with others: keep some of them.
    keep = max(min(2, len(specialists)), len(specialists) * size // 40)
    specialists = sorted(rng.sample(specialists, keep), key=specialists.index)
    if kind == OrganizationKind.ADDITIONAL:
        lowered = short_name.lower()
        pool = next(
            (codes for word, codes in ADDITIONAL_PROFILES if word in lowered), ADDITIONAL_DEFAULT
        )
    else:
        pool = (RANK_AND_FILE[kind],)
    rest = [rng.choice(pool) for _ in range(max(size - len(leaders) - len(specialists), 0))]
    return leaders + specialists + rest


def _subjects_for(rng: random.Random, kind: str, position_code: str) -> str:
    if position_code == "uchitel":
        return _weighted(rng, SCHOOL_SUBJECTS)
    if position_code in SUBJECTS_BY_POSITION:
        return rng.choice(SUBJECTS_BY_POSITION[position_code])
    return ""


_LATIN = str.maketrans(
    {
        **dict(zip("абвгдеёзийклмнопрстуфыэ", "abvgdeeziyklmnoprstufye", strict=True)),
        **{"ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch"},
        **{"ю": "yu", "я": "ya", "ъ": "", "ь": ""},
    }
)


def demo_email(name: Name, domain: str = "demo.example.org") -> str:
    """An invented address like «kovaleva.da@demo.example.org»."""
    last = name.last_name.lower().translate(_LATIN)
    initials = (name.first_name[0] + name.middle_name[0]).lower().translate(_LATIN)
    return f"{last}.{initials}@{domain}"


# The named people of the first school the demo users are linked to.
FIRST_SCHOOL_PEOPLE = {
    "head": (
        Name("Корнилова", "Галина", "Петровна", True),
        "rukovoditel",
        {"teaching": 31, "career": 33, "in_post": 12, "category": QualificationCategory.HIGHEST},
        "",
    ),
    "curator": (
        Name("Светлова", "Ирина", "Николаевна", True),
        "zam_rukovoditelya",
        {"teaching": 22, "career": 22, "in_post": 15, "category": QualificationCategory.HIGHEST},
        "",
    ),
    "mentor": (
        Name("Зуева", "Надежда", "Васильевна", True),
        "uchitel",
        {"teaching": 26, "career": 27, "in_post": 20, "category": QualificationCategory.MENTOR},
        "математика",
    ),
    "mentee": (
        Name("Ковалёва", "Дарья", "Андреевна", True),
        "uchitel",
        {"teaching": 0, "career": 0, "in_post": 0, "category": QualificationCategory.NONE},
        "математика",
    ),
}
SECOND_SCHOOL_PEOPLE = {
    "curator2": (
        Name("Осипова", "Людмила", "Викторовна", True),
        "zam_rukovoditelya",
        {"teaching": 19, "career": 21, "in_post": 9, "category": QualificationCategory.FIRST},
        "",
    ),
}


def _named_specs(
    organization_index: int, people: dict, today: datetime.date
) -> dict[str, TeacherSpec]:
    specs = {}
    for key, (name, position_code, experience, subjects) in people.items():
        if experience["in_post"]:
            hired_on = today - datetime.timedelta(days=365 * experience["in_post"] + 40)
        else:
            hired_on = min(_school_year_start(today), today - datetime.timedelta(days=20))
        specs[key] = TeacherSpec(
            organization_index=organization_index,
            name=name,
            position_code=position_code,
            hired_on=hired_on,
            teaching_years=experience["teaching"],
            career_years=experience["career"],
            category=experience["category"],
            subjects=subjects,
            email=demo_email(name),
            tags={key},
        )
    return specs


def build_teacher_specs(
    organizations: list[dict[str, str]], today: datetime.date
) -> tuple[list[TeacherSpec], dict[str, TeacherSpec]]:
    """All invented employments, in a fixed order, and the named ones by demo username."""
    rng = random.Random(SEED)
    named = {
        **_named_specs(0, FIRST_SCHOOL_PEOPLE, today),
        **_named_specs(1, SECOND_SCHOOL_PEOPLE, today),
    }
    names = NameMaker(rng, taken={normalize(spec.name.full) for spec in named.values()})
    named_posts = Counter((spec.organization_index, spec.position_code) for spec in named.values())
    specs: list[TeacherSpec] = []
    for index, row in enumerate(organizations):
        kind = KIND_BY_CODE[row["kind"]]
        size = STAFF_SIZES[index] if index < len(STAFF_SIZES) else DEFAULT_STAFF_SIZE
        own_named = [spec for spec in named.values() if spec.organization_index == index]
        specs.extend(own_named)
        skip = Counter({code: n for (i, code), n in named_posts.items() if i == index})
        for position_code in _positions_of(kind, row["short_name"], size, rng):
            if skip[position_code]:
                skip[position_code] -= 1
                continue
            leader = position_code in ("rukovoditel", "zam_rukovoditelya", "starshiy_vospitatel")
            young = not leader and rng.random() < YOUNG_SHARE
            newcomer = not young and rng.random() < EXPERIENCED_NEWCOMER_SHARE / (1 - YOUNG_SHARE)
            teaching, career, hired_on = _experience(rng, today, young=young, newcomer=newcomer)
            if leader:
                teaching, career = teaching + 8, career + 8
            subjects = _subjects_for(rng, kind, position_code)
            specs.append(
                TeacherSpec(
                    organization_index=index,
                    name=names.make(female=_female(rng, position_code, subjects)),
                    position_code=position_code,
                    hired_on=hired_on,
                    teaching_years=teaching,
                    career_years=career,
                    category=_category(rng, teaching, leader),
                    subjects=subjects,
                )
            )
    _add_second_jobs(specs, organizations, rng)
    _add_dismissals(specs, rng, today)
    return specs, named


# A few people hold a second job elsewhere: the same person, a second Employment.
SECOND_JOBS = (
    # (position held, kind of the first organization, index of the second org, its position)
    ("uchitel", "физическая культура", 17, "trener_prepodavatel"),
    ("uchitel", "музыка", 18, "prepodavatel"),
    ("uchitel", "информатика", 16, "pedagog_do"),
    ("muz_rukovoditel", "", 18, "koncertmeyster"),
    ("pedagog_psiholog", "", 16, "pedagog_psiholog"),
)


def _add_second_jobs(
    specs: list[TeacherSpec], organizations: list[dict[str, str]], rng: random.Random
) -> None:
    used: set[int] = set()
    for position_code, subjects, second_index, second_position in SECOND_JOBS:
        if second_index >= len(organizations):
            continue
        candidates = [
            i
            for i, spec in enumerate(specs)
            if spec.position_code == position_code
            and (not subjects or spec.subjects == subjects)
            and spec.organization_index != second_index
            and spec.teaching_years >= 4
            and not spec.tags
            and i not in used
        ]
        if not candidates:
            continue
        first = specs[rng.choice(candidates)]
        used.add(specs.index(first))
        first.email = demo_email(first.name)
        first.tags.add("two_jobs")
        specs.append(
            TeacherSpec(
                organization_index=second_index,
                name=first.name,
                position_code=second_position,
                hired_on=first.hired_on + datetime.timedelta(days=rng.randint(100, 700)),
                teaching_years=first.teaching_years,
                career_years=first.career_years,
                category=first.category,
                subjects=rng.choice(SUBJECTS_BY_POSITION.get(second_position, ("",))),
                email=first.email,
                tags={"second_job"},
            )
        )


DISMISSED_COUNT = 6


def _add_dismissals(specs: list[TeacherSpec], rng: random.Random, today: datetime.date) -> None:
    candidates = [
        spec
        for spec in specs
        if not spec.tags and spec.position_code not in ("rukovoditel", "zam_rukovoditelya")
    ]
    for spec in rng.sample(candidates, min(DISMISSED_COUNT, len(candidates))):
        days_ago = rng.randint(15, 330)
        worked = (today - spec.hired_on).days
        if worked > 15:
            spec.dismissed_on = today - datetime.timedelta(days=min(days_ago, worked - 1))
            spec.tags.add("dismissed")


# --- Users -------------------------------------------------------------------------------
@dataclass(frozen=True)
class DemoUser:
    username: str
    role_ru: str  # for the summary and the README
    first_name: str
    last_name: str


DEMO_USERS = (
    DemoUser("regional", "региональный координатор", "Татьяна", "Громова"),
    DemoUser("coordinator", "муниципальный координатор", "Елена", "Мартынова"),
    DemoUser("specialist_school", "специалист комитета (общее образование)", "Ольга", "Лаврова"),
    DemoUser("specialist_preschool", "специалист комитета (дошкольное)", "Марина", "Сафонова"),
    DemoUser("specialist_additional", "специалист комитета (доп. образование)", "Юлия", "Бочарова"),
    DemoUser("head", "руководитель ОО", "Галина", "Корнилова"),
    DemoUser("curator", "куратор", "Ирина", "Светлова"),
    DemoUser("curator2", "куратор (другая школа)", "Людмила", "Осипова"),
    DemoUser("mentor", "наставник", "Надежда", "Зуева"),
    DemoUser("mentee", "наставляемый", "Дарья", "Ковалёва"),
    DemoUser("admin", "администратор", "Сергей", "Администраторов"),
)
# Roles over one organization: (role, index of the organization in organizations.csv).
ORGANIZATION_ROLES = {
    "head": (Role.HEAD, 0),
    "curator": (Role.CURATOR, 0),
    "curator2": (Role.CURATOR, 1),
    "mentor": (Role.MENTOR, 0),
    "mentee": (Role.MENTEE, 0),
}
SPECIALIST_KINDS = {
    "specialist_school": OrganizationKind.GENERAL,
    "specialist_preschool": OrganizationKind.PRESCHOOL,
    "specialist_additional": OrganizationKind.ADDITIONAL,
}


def demo_municipality() -> Municipality:
    return Municipality.objects.get(name=DEMO_MUNICIPALITY)


def demo_organizations() -> list[Organization]:
    """The demo organizations in the order of data/organizations.csv."""
    municipality = demo_municipality()
    by_name = {org.short_name: org for org in municipality.organizations.all()}
    return [by_name[row["short_name"]] for row in read_csv("organizations.csv")]


def first_school() -> Organization:
    return demo_organizations()[0]


def second_school() -> Organization:
    return demo_organizations()[1]


def demo_user(username: str) -> User:
    return User.objects.get(username=username)


# --- Seeding -----------------------------------------------------------------------------
@dataclass
class Created:
    counts: Counter = field(default_factory=Counter)

    def add(self, what: str, created: bool) -> None:
        self.counts[what] += int(created)


def _seed_organizations(municipality: Municipality, rows, created: Created):
    rng = random.Random(SEED)
    organizations = []
    for index, row in enumerate(rows):
        organization, was_created = Organization.objects.get_or_create(
            municipality=municipality,
            short_name=row["short_name"],
            defaults=_organization_defaults(row, index + 1, rng),
        )
        created.add("organizations", was_created)
        organizations.append(organization)
    return organizations


def _seed_teachers(organizations, specs, created: Created) -> dict[str, Employment]:
    positions = {position.code: position for position in Position.objects.all()}
    employments: dict[str, Employment] = {}
    for spec in specs:
        organization = organizations[spec.organization_index]
        position = positions[spec.position_code]
        employment = (
            Employment.objects.filter(
                organization=organization,
                position=position,
                person__search_key=normalize(spec.name.full),
            )
            .select_related("person")
            .first()
        )
        created.add("employments", employment is None)
        if employment is None:
            employment = services.teacher_add(
                organization=organization,
                data=services.TeacherData(
                    last_name=spec.name.last_name,
                    first_name=spec.name.first_name,
                    middle_name=spec.name.middle_name,
                    position=position,
                    hired_on=spec.hired_on,
                    email=spec.email,
                    teaching_years=spec.teaching_years,
                    career_years=spec.career_years,
                    qualification_category=spec.category,
                    subjects=spec.subjects,
                ),
            )
        if spec.dismissed_on and employment.dismissed_on is None:
            services.teacher_dismiss(employment=employment, dismissed_on=spec.dismissed_on)
        for tag in spec.tags:
            employments.setdefault(tag, employment)
    return employments


def _role(user: User, role: str, municipality, created: Created, **scope) -> None:
    _, was_created = RoleAssignment.objects.get_or_create(
        user=user,
        role=role,
        region=scope.get("region"),
        municipality=municipality,
        organization_kind=scope.get("organization_kind", ""),
        organization=scope.get("organization"),
    )
    created.add("roles", was_created)


def _seed_users(municipality, organizations, employments, created: Created) -> None:
    people = {
        "head": employments["head"].person,
        "curator": employments["curator"].person,
        "curator2": employments["curator2"].person,
        "mentor": employments["mentor"].person,
        "mentee": employments["mentee"].person,
    }
    for demo in DEMO_USERS:
        user, was_created = User.objects.get_or_create(
            username=demo.username,
            defaults={
                "first_name": demo.first_name,
                "last_name": demo.last_name,
                "email": f"{demo.username}@demo.example.org",
                "is_staff": demo.username == "admin",
                "is_superuser": demo.username == "admin",
            },
        )
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        created.add("users", was_created)
        person = people.get(demo.username)
        if person is not None and user.person_id != person.pk:
            user.person = person
            user.save(update_fields=["person"])
        if demo.username == "regional":
            _role(user, Role.REGIONAL, None, created, region=municipality.region)
        elif demo.username == "coordinator":
            _role(user, Role.COORDINATOR, municipality, created)
        elif demo.username in SPECIALIST_KINDS:
            kind = SPECIALIST_KINDS[demo.username]
            _role(user, Role.SPECIALIST, municipality, created, organization_kind=kind)
        elif demo.username in ORGANIZATION_ROLES:
            role, index = ORGANIZATION_ROLES[demo.username]
            _role(user, role, municipality, created, organization=organizations[index])


# The demo's second factor: every committee user and the administrator share this authenticator
# key (README: add it to an authenticator app, or run `manage.py demo_totp`), and have these
# recovery codes. Invented, public, for the demo only.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"  # hex of "12345678901234567890"
DEMO_TOTP_BASE32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
DEMO_RECOVERY_CODES = ("11112222", "33334444", "55556666", "77778888", "99990000")
DEMO_SECOND_FACTOR_USERS = ("admin", "regional", "coordinator", *SPECIALIST_KINDS)


def _seed_second_factor(created: Created) -> None:
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for username in DEMO_SECOND_FACTOR_USERS:
        user = demo_user(username)
        _device, was_created = TOTPDevice.objects.get_or_create(
            user=user, name="demo", defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
        )
        created.add("authenticators", was_created)
        recovery, _ = StaticDevice.objects.get_or_create(
            user=user, name="recovery", defaults={"confirmed": True}
        )
        for code in DEMO_RECOVERY_CODES:
            _token, was_created = StaticToken.objects.get_or_create(device=recovery, token=code)
            created.add("recovery codes", was_created)


def _seed_consents(municipality: Municipality, created: Created) -> None:
    """Consents to personal data processing for the demo teachers; a few are missing and one
    is withdrawn, so the staff list and the coordinator's count show what that looks like."""
    recorded_by = demo_user("curator")
    people = (
        Person.objects.filter(employments__organization__municipality=municipality)
        .distinct()
        .order_by("search_key", "pk")
    )
    for index, person in enumerate(people):
        if index % 40 == 7:
            continue  # no consent on record yet
        _consent, was_created = Consent.objects.get_or_create(
            person=person,
            defaults={
                "given_on": person.employments.order_by("hired_on").first().hired_on,
                "document": "Согласие на обработку персональных данных, личное дело",
                "recorded_by": recorded_by,
                "withdrawn_on": (
                    timezone.localdate() - datetime.timedelta(days=30) if index == 13 else None
                ),
            },
        )
        created.add("consents", was_created)


@transaction.atomic
def _seed_attestations(municipality: Municipality, today: datetime.date) -> None:
    """Dates of the last attestation: most categorized teachers were attested years ago, a few
    this year (and two failed), so the needs list proposes them (1.1)."""
    if Person.objects.filter(last_attested_on__isnull=False).exists():
        return
    rng = random.Random(1182)
    jobs = (
        Employment.objects.active()
        .filter(organization__municipality=municipality)
        .exclude(qualification_category=QualificationCategory.NONE)
        .select_related("person")
        .order_by("person__search_key", "pk")
    )
    people = {job.person_id: job.person for job in jobs}.values()
    for index, person in enumerate(people):
        if index % 15 == 0:
            person.last_attested_on = today - datetime.timedelta(days=rng.randint(20, 300))
            person.attestation_result = (
                AttestationResult.FAILED if index % 60 == 0 else AttestationResult.PASSED
            )
        else:
            person.last_attested_on = today - datetime.timedelta(days=rng.randint(400, 1800))
            person.attestation_result = AttestationResult.PASSED
    Person.objects.bulk_update(people, ["last_attested_on", "attestation_result"])


def _seed_region() -> Region:
    region, _created = Region.objects.get_or_create(
        name=DEMO_REGION,
        defaults={
            "authority_name": DEMO_AUTHORITY,
            "head_name": "Н. В. Полякова",
            "head_position": "Министр образования и науки Алтайского края",
            "coordinator_name": "Т. А. Громова",
            "coordinator_position": "Начальник отдела, региональный координатор наставничества",
        },
    )
    return region


def _seed_second_municipality(region: Region, today: datetime.date, created: Created) -> None:
    """A tiny second district: two organizations with a few teachers each, no mentoring yet."""
    municipality, was_created = Municipality.objects.get_or_create(
        name=DEMO_SECOND_MUNICIPALITY,
        defaults={"region": region, "committee_name": DEMO_SECOND_COMMITTEE},
    )
    created.add("municipalities", was_created)
    if not was_created:
        return
    rng = random.Random(SEED + 1)
    names = NameMaker(rng)
    positions = {
        OrganizationKind.GENERAL: Position.objects.get(code="uchitel"),
        OrganizationKind.PRESCHOOL: Position.objects.get(code="vospitatel"),
    }
    for short_name, full_name, kind, settlement in DEMO_SECOND_ORGANIZATIONS:
        organization = Organization.objects.create(
            municipality=municipality,
            kind=kind,
            short_name=short_name,
            full_name=full_name,
            settlement=settlement,
        )
        created.add("organizations", True)
        for _n in range(4):
            name = names.make(female=rng.random() < 0.85)
            services.teacher_add(
                organization=organization,
                data=services.TeacherData(
                    last_name=name.last_name,
                    first_name=name.first_name,
                    middle_name=name.middle_name,
                    position=positions[kind],
                    hired_on=today - datetime.timedelta(days=rng.randint(200, 4000)),
                    email=demo_email(name),
                    teaching_years=rng.randint(0, 25),
                    subjects=_subjects_for(rng, kind, positions[kind].code),
                ),
            )
            created.add("employments", True)


def seed(stdout: TextIO) -> None:
    """Create (or leave as they are) the demo district, organizations, teachers and users."""
    today = timezone.localdate()
    load_positions(Position)
    region = _seed_region()
    municipality, was_created = Municipality.objects.get_or_create(
        name=DEMO_MUNICIPALITY,
        defaults={"region": region, "committee_name": DEMO_COMMITTEE},
    )
    if municipality.region_id is None:
        municipality.region = region
        municipality.save(update_fields=["region"])
    if not municipality.chairman_name:  # the signatories of the municipal documents
        municipality.chairman_name = "А. В. Тарасов"
        municipality.chairman_position = "Председатель комитета по образованию"
        municipality.coordinator_name = "Е. С. Воронцова"
        municipality.coordinator_position = (
            "Заведующий методическим сектором, муниципальный координатор"
        )
        municipality.save()
    created = Created()
    created.add("municipalities", was_created)
    rows = read_csv("organizations.csv")
    organizations = _seed_organizations(municipality, rows, created)
    specs, _named = build_teacher_specs(rows, today)
    employments = _seed_teachers(organizations, specs, created)
    _seed_users(municipality, organizations, employments, created)
    _seed_attestations(municipality, today)
    _seed_consents(municipality, created)
    _seed_second_municipality(region, today, created)
    _seed_second_factor(created)

    staff = Employment.objects.filter(organization__municipality=municipality)
    active = staff.active()
    stdout.write(
        "orgs: {} — {} organizations, {} working teachers ({} young specialists, "
        "{} newcomers), {} dismissed; created now: {}.\n".format(
            municipality.name,
            len(organizations),
            active.count(),
            active.young_specialists(today).count(),
            active.newcomers(today).count(),
            staff.filter(dismissed_on__isnull=False).count(),
            ", ".join(f"{what} {n}" for what, n in sorted(created.counts.items())) or "nothing",
        )
    )
    stdout.write(f"Demo logins (password {DEMO_PASSWORD}):\n")
    for demo in DEMO_USERS:
        stdout.write(f"  {demo.username:<22} {demo.role_ru}\n")
    stdout.write(
        "Second factor of {} (demo only): authenticator key {}, the current code "
        "`manage.py demo_totp`, or a recovery code: {}.\n".format(
            ", ".join(DEMO_SECOND_FACTOR_USERS),
            DEMO_TOTP_BASE32,
            ", ".join(DEMO_RECOVERY_CODES),
        )
    )
