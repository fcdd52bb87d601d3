"""Demo data of the programs app on top of the mentoring demo: diagnostics before and after,
programs in every status with road maps, a few routes, products (some accepted in the bank).

Deterministic and idempotent: what exists is left as it is.
"""

from __future__ import annotations

import datetime
import random
from typing import TextIO

from django.core.files.base import ContentFile
from django.utils import timezone

from core.dates import add_months
from mentoring.models import ONGOING, PairMentee, PairStatus, academic_year_of
from orgs.demo import demo_user
from orgs.models import Employment
from programs import services
from programs.models import (
    Activity,
    ActivityStatus,
    Answer,
    Diagnostic,
    DifficultyArea,
    DifficultyItem,
    Product,
    ProductStatus,
    Program,
    ProgramStatus,
    Respondent,
    Route,
    RouteItemKind,
    Stage,
)
from programs.reference import load_difficulty_areas

SEED = 2026
# The products the demo's activities yield, in turn (so the bank is not all lesson plans).
PRODUCT_KINDS = ("lesson", "recommendation", "scenario", "diagnostics", "technology", "project")
DEMO_PDF = b"%PDF-1.4\n% demo product of the mentoring portal\n"
ACTIVITY_TITLES = {
    "nauchno_teor": "Изучение современных теорий обучения: чтение и обсуждение статей",
    "normativ": "Разбор ФГОС и ФОП, составление рабочей программы",
    "predmet": "Подготовка обучающихся к ВПР: разбор типичных ошибок",
    "psih_ped": "Тренинг по разрешению конфликтных ситуаций на уроке",
    "metod": "Посещение уроков наставника и разработка технологической карты урока",
    "ikt": "Создание цифровых учебных материалов на платформе",
    "cifra": "Проведение урока в смешанном формате",
    "vospit": "Подготовка классного часа по программе воспитания",
    "zdorov": "Внедрение здоровьесберегающих пауз на уроках",
}


def _fill(pair, mentee, stage, respondent, scores, day) -> None:
    diagnostic, created = Diagnostic.objects.get_or_create(
        pair=pair, mentee=mentee, stage=stage, respondent=respondent, defaults={"filled_on": day}
    )
    if created:
        Answer.objects.bulk_create(
            Answer(diagnostic=diagnostic, item_id=item_id, score=score)
            for item_id, score in scores.items()
        )


def _scores(rng, items, weak: set[str], bonus: int = 0) -> dict[int, int]:
    result = {}
    for item in items:
        base = rng.choice((1, 2)) if item.area.code in weak else rng.choice((3, 3, 4))
        result[item.pk] = min(4, base + bonus)
    return result


def seed(stdout: TextIO) -> None:
    load_difficulty_areas(DifficultyArea, DifficultyItem)
    rng = random.Random(SEED)
    today = timezone.localdate()
    admin = demo_user("admin")
    items = list(DifficultyItem.objects.filter(is_active=True).select_related("area"))
    areas = {area.code: area for area in DifficultyArea.objects.all()}
    rows = list(
        PairMentee.objects.select_related("pair__organization", "person")
        .exclude(pair__status=PairStatus.ENDED_EARLY)
        .order_by("pair_id", "person_id")
    )
    made_programs = made_products = made_routes = 0
    statuses = [
        ProgramStatus.DRAFT,
        ProgramStatus.APPROVED,
        ProgramStatus.IN_PROGRESS,
        ProgramStatus.COMPLETED,
    ]
    for index, row in enumerate(rows):
        pair, mentee = row.pair, row.person
        weak = set(rng.sample(sorted(areas), 2))
        start = pair.planned_start
        _fill(pair, mentee, Stage.START, Respondent.SELF, _scores(rng, items, weak), start)
        if index % 2 == 0:
            _fill(pair, mentee, Stage.START, Respondent.MENTOR, _scores(rng, items, weak), start)
        if pair.status not in ONGOING or Program.objects.filter(pair=pair, mentee=mentee).exists():
            continue
        status = statuses[index % 4]
        ends_on = min(pair.planned_end, add_months(start, 9))
        if ends_on < add_months(start, 3):
            ends_on = add_months(start, 6)
        deficits = [areas[code] for code in sorted(weak)]
        strengths = [areas[c] for c in sorted(areas) if c not in weak][:1]
        program = services.program_create(
            user=admin,
            pair=pair,
            mentee=mentee,
            data=services.ProgramData(
                form=pair.form,
                kind=pair.kind,
                starts_on=start,
                ends_on=ends_on,
                goals=f"Преодоление затруднений: {', '.join(a.name for a in deficits)}",
                directions=pair.topic,
                deficits=deficits,
                strengths=strengths,
            ),
        )
        span = (ends_on - start).days
        # A completed program closes on its end date, or early (today) when that is still
        # ahead: then the activities not yet due are carried over, never marked done ahead.
        completed_on = min(ends_on, today)
        product_kind = PRODUCT_KINDS[index % len(PRODUCT_KINDS)]
        for step in range(4):
            area = deficits[step % len(deficits)]
            planned = start + datetime.timedelta(days=span * (step + 1) // 5)
            done = (status == ProgramStatus.COMPLETED and planned <= completed_on) or (
                status == ProgramStatus.IN_PROGRESS and planned < today and step % 3 != 2
            )
            if done:
                activity_status = ActivityStatus.DONE
            elif status == ProgramStatus.COMPLETED:
                activity_status = ActivityStatus.CARRIED_OVER
            else:
                activity_status = ActivityStatus.PLANNED
            activity = services.activity_add(
                user=admin,
                program=program,
                data=services.ActivityData(
                    title=ACTIVITY_TITLES[area.code]
                    if step < 2
                    else f"Самоанализ урока ({area.name})",
                    planned_on=planned,
                    responsible=rng.choice(("mentor", "mentee", "both")),
                    area=area,
                    status=activity_status,
                    result="Выполнено, продукт обсуждён с наставником" if done else "",
                    product_kind=product_kind if done and step == 0 else "",
                ),
            )
            if done and step == 0:
                activity.file_name = "Технологическая карта урока.pdf"
                activity.file.save("card.pdf", ContentFile(DEMO_PDF), save=True)
                product = services.product_propose(
                    user=admin,
                    activity=activity,
                    data=services.ProductData(
                        title=f"{activity.title}: {mentee.short_name}", kind=product_kind
                    ),
                )
                made_products += 1
                if made_products % 3 != 0:
                    services.product_decide(user=admin, product=product, accept=True)
        made_programs += 1
        if status == ProgramStatus.DRAFT:
            continue
        services.program_approve(user=admin, program=program, today=start)
        if status == ProgramStatus.APPROVED:
            continue
        services.program_start(user=admin, program=program)
        if status == ProgramStatus.COMPLETED:
            _fill(
                pair,
                mentee,
                Stage.END,
                Respondent.SELF,
                _scores(rng, items, weak, bonus=1),
                completed_on,
            )
            services.program_complete(
                user=admin,
                program=program,
                today=completed_on,
                data=services.ClosingData(
                    results={a.pk: "Затруднение преодолено, есть продукт" for a in deficits},
                    mentor_conclusion="Программа выполнена, наставляемый уверенно справляется.",
                    mentee_conclusion="Стало понятнее, как планировать и анализировать уроки.",
                ),
            )
    # A few routes: the demo mentee's and those of the first mentees.
    people = []
    mentee_user = demo_user("mentee")
    if mentee_user.person_id:
        people.append(mentee_user.person)
    people += [row.person for row in rows[:4]]
    for person in people:
        employment = (
            Employment.objects.active().filter(person=person).select_related("organization").first()
        )
        if employment is None or Route.objects.filter(person=person).exists():
            continue
        start = datetime.date(int(academic_year_of(today)[:4]), 9, 1)
        route = services.route_create(
            user=admin,
            person=person,
            organization=employment.organization,
            data=services.RouteData(
                start,
                add_months(start, 48),
                "Педагог-исследователь, который вовлекает детей в проекты и делится опытом с коллегами.",
            ),
        )
        services.route_diagnose(
            user=admin,
            route=route,
            today=start,
            rows=[
                services.RouteAreaData(
                    area_id=areas["predmet"].pk,
                    achievements="Хорошо знаю предмет, победители олимпиад",
                ),
                services.RouteAreaData(
                    area_id=areas["ikt"].pk, deficits="Мало использую цифровые ресурсы"
                ),
            ],
        )
        plan = [
            (RouteItemKind.COURSE, "Курсы «Цифровая образовательная среда»", 72),
            (RouteItemKind.TRIAL, "Серия уроков-исследований в 7 классе", None),
            (RouteItemKind.PROJECT, "Школьный проект «Математика вокруг нас»", None),
            (RouteItemKind.OTHER, "Выступление на районном методическом объединении", None),
        ]
        for number, (kind, title, hours) in enumerate(plan):
            begin = add_months(start, 3 + number * 6)
            services.route_item_save(
                user=admin,
                route=route,
                today=start,
                data=services.RouteItemData(
                    kind=kind,
                    title=title,
                    planned_start=begin,
                    planned_end=add_months(begin, 2),
                    hours=hours,
                    area=areas["ikt"],
                ),
            )
        services.route_activate(user=admin, route=route, today=start)
        made_routes += 1
    stdout.write(
        f"programs: created now — {made_programs} programs, {made_routes} routes, {made_products} products; "
        f"in all {Program.objects.count()} programs, {Activity.objects.count()} activities, "
        f"{Diagnostic.objects.count()} diagnostics, {Product.objects.filter(status=ProductStatus.ACCEPTED).count()} accepted products.\n"
    )
