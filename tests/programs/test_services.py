"""The rules of issue 4, each refused with a clear message and the database unchanged."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

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
    ProgramArea,
    ProgramStatus,
    Respondent,
    Route,
    RouteItem,
    RouteItemKind,
    RouteStatus,
    RouteVersion,
    Stage,
)
from tests.factories import EmploymentFactory, PersonFactory
from tests.programs.conftest import TODAY, activity_data, make_pair, program_data, scores_for

PDF = b"%PDF-1.4 lesson plan"


def snapshot() -> tuple:
    return (
        list(
            Program.objects.values_list("pk", "status", "starts_on", "ends_on", "goals").order_by(
                "pk"
            )
        ),
        list(
            ProgramArea.objects.values_list("program_id", "area_id", "role", "result").order_by(
                "pk"
            )
        ),
        list(
            Activity.objects.values_list("pk", "title", "status", "result", "file").order_by("pk")
        ),
        list(Diagnostic.objects.values_list("pk", "stage", "respondent").order_by("pk")),
        Answer.objects.count(),
        list(Route.objects.values_list("pk", "status", "ends_on", "self_image").order_by("pk")),
        list(RouteItem.objects.values_list("pk", "title", "hours").order_by("pk")),
        RouteVersion.objects.count(),
        list(Product.objects.values_list("pk", "status").order_by("pk")),
    )


def refused(call, field: str | None = None, text: str | None = None, error=ValidationError):
    before = snapshot()
    with pytest.raises(error) as info:
        call()
    assert snapshot() == before, "a refusal must leave the database unchanged"
    if field:
        assert field in info.value.message_dict, info.value
        if text:
            assert any(text in str(m) for m in info.value.message_dict[field]), info.value
    return info.value


# Reference data ----------------------------------------------------------------------------


def test_difficulty_areas_and_items_are_loaded_from_the_csv(db):
    assert DifficultyArea.objects.count() == 9
    assert DifficultyItem.objects.count() == 18
    assert DifficultyArea.objects.get(code="metod").name == "методические"
    assert DifficultyArea.objects.order_by("sort_order").first().code == "nauchno_teor"


def test_only_the_coordinator_edits_areas_and_items(district, areas):
    area = areas["ikt"]
    services.area_save(
        user=district.coordinator, area=area, name="ИКТ", sort_order=6, is_active=True
    )
    assert DifficultyArea.objects.get(pk=area.pk).name == "ИКТ"
    for user in (district.curator_a, district.school_specialist, district.mentee_a):
        refused(
            lambda user=user: services.area_save(
                user=user, area=area, name="Другое", sort_order=1, is_active=True
            ),
            error=PermissionDenied,
        )
    item = services.item_save(
        user=district.coordinator,
        area=area,
        item=None,
        text="работа с ИИ",
        sort_order=9,
        is_active=True,
    )
    assert item.area == area


# Diagnostics -------------------------------------------------------------------------------


def test_self_diagnosis_shows_the_lowest_areas_as_deficits_and_the_highest_as_strengths(
    district, pair, diagnosed
):
    result = services.diagnostic_result(pair, district.mentee_a.person)
    assert [row.area.code for row in result.deficits] == ["metod", "ikt"]
    assert [row.area.code for row in result.strengths] == ["predmet"]


def test_the_end_diagnosis_shows_the_change_per_area(district, pair, diagnosed):
    services.diagnostic_fill(
        user=district.mentee_a,
        pair=pair,
        mentee=district.mentee_a.person,
        stage=Stage.END,
        respondent=Respondent.SELF,
        scores=scores_for(low_codes=(), high_codes=("predmet", "metod")),
        today=TODAY,
    )
    rows = {
        row.area.code: row
        for row in services.diagnostic_result(pair, district.mentee_a.person).areas
    }
    assert rows["metod"].change == 3.0
    assert rows["ikt"].change == 2.0
    assert rows["normativ"].change == 0


def test_only_the_mentee_fills_the_self_assessment_and_only_the_mentor_the_mentors(district, pair):
    mentee = district.mentee_a.person
    for user, respondent in (
        (district.mentor_a, Respondent.SELF),
        (district.curator_a, Respondent.SELF),
        (district.mentee_a, Respondent.MENTOR),
    ):
        refused(
            lambda user=user, respondent=respondent: services.diagnostic_fill(
                user=user,
                pair=pair,
                mentee=mentee,
                stage=Stage.START,
                respondent=respondent,
                scores=scores_for(),
                today=TODAY,
            ),
            error=PermissionDenied,
        )
    services.diagnostic_fill(
        user=district.mentor_a,
        pair=pair,
        mentee=mentee,
        stage=Stage.START,
        respondent=Respondent.MENTOR,
        scores=scores_for(),
        today=TODAY,
    )
    assert Diagnostic.objects.filter(respondent=Respondent.MENTOR).count() == 1


def test_a_diagnosis_with_an_unanswered_item_is_refused(district, pair):
    scores = scores_for()
    missing = next(iter(scores))
    del scores[missing]
    refused(
        lambda: services.diagnostic_fill(
            user=district.mentee_a,
            pair=pair,
            mentee=district.mentee_a.person,
            stage=Stage.START,
            respondent=Respondent.SELF,
            scores=scores,
            today=TODAY,
        ),
        field=f"item_{missing}",
    )


def test_a_score_outside_the_scale_is_refused(district, pair):
    scores = scores_for()
    scores[next(iter(scores))] = 7
    refused(
        lambda: services.diagnostic_fill(
            user=district.mentee_a,
            pair=pair,
            mentee=district.mentee_a.person,
            stage=Stage.START,
            respondent=Respondent.SELF,
            scores=scores,
            today=TODAY,
        ),
    )


def test_the_end_diagnosis_needs_the_start_one(district, pair):
    refused(
        lambda: services.diagnostic_fill(
            user=district.mentee_a,
            pair=pair,
            mentee=district.mentee_a.person,
            stage=Stage.END,
            respondent=Respondent.SELF,
            scores=scores_for(),
            today=TODAY,
        ),
        field="stage",
    )


# Program period and content ----------------------------------------------------------------


@pytest.mark.parametrize(
    "ends_on, allowed",
    [
        (datetime.date(2026, 11, 30), False),  # under 3 months
        (datetime.date(2026, 12, 1), True),  # exactly 3 months
        (datetime.date(2027, 9, 1), True),  # exactly 1 year
        (datetime.date(2027, 9, 2), False),  # over a year
    ],
)
def test_a_program_lasts_from_three_months_to_one_year_inclusive(
    district, pair, areas, ends_on, allowed
):
    def create():
        return services.program_create(
            user=district.mentor_a,
            pair=pair,
            mentee=district.mentee_a.person,
            data=program_data(areas, ends_on=ends_on),
        )

    if allowed:
        assert create().ends_on == ends_on
    else:
        refused(create, field="ends_on", text="3")


def test_a_program_without_a_deficit_or_with_an_area_both_ways_is_refused(district, pair, areas):
    mentee = district.mentee_a.person
    refused(
        lambda: services.program_create(
            user=district.mentor_a, pair=pair, mentee=mentee, data=program_data(areas, deficits=[])
        ),
        field="deficits",
    )
    refused(
        lambda: services.program_create(
            user=district.mentor_a,
            pair=pair,
            mentee=mentee,
            data=program_data(areas, strengths=[areas["metod"]]),
        ),
        field="strengths",
    )


def test_one_program_per_mentee_of_a_pair(district, program, areas):
    refused(
        lambda: services.program_create(
            user=district.mentor_a,
            pair=program.pair,
            mentee=district.mentee_a.person,
            data=program_data(areas),
        ),
        field="mentee",
    )


def test_a_program_is_written_only_for_a_mentee_of_the_pair(district, pair, areas):
    refused(
        lambda: services.program_create(
            user=district.curator_a,
            pair=pair,
            mentee=district.teacher_a.person,
            data=program_data(areas),
        ),
        error=(ValidationError, PermissionDenied),
    )


def test_form_and_kind_default_to_the_pairs(district, pair, areas):
    program = services.program_create(
        user=district.mentor_a, pair=pair, mentee=district.mentee_a.person, data=program_data(areas)
    )
    assert (program.form, program.kind) == (pair.form, pair.kind)
    assert program.status == ProgramStatus.DRAFT


# Who may edit ------------------------------------------------------------------------------


def test_the_mentor_the_mentee_and_the_curator_edit_a_program(district, program, areas):
    for user in (district.mentor_a, district.mentee_a, district.curator_a):
        services.activity_add(
            user=user, program=program, data=activity_data(areas, title=f"Шаг {user.username}")
        )
    assert program.activities.count() == 5


def test_the_coordinator_specialists_the_head_and_other_curators_do_not_edit_a_program(
    district, program, areas
):
    for user in (
        district.coordinator,
        district.school_specialist,
        district.head_a,
        district.curator_b,
        district.foreign_coordinator,
    ):
        refused(
            lambda user=user: services.activity_add(
                user=user, program=program, data=activity_data(areas)
            ),
            error=PermissionDenied,
        )
        refused(
            lambda user=user: services.program_update(
                user=user, program=program, data=program_data(areas, goals="x")
            ),
            error=PermissionDenied,
        )


def test_only_the_curator_of_the_organization_holding_the_pair_edits_its_program(district, areas):
    # The mentee also works at school B, but the pair (and its program) is school A's.
    mentee = PersonFactory(last_name="Гостева")
    EmploymentFactory(person=mentee, organization=district.school_b)
    pair = make_pair(district.school_a, district.mentor_a.person, [mentee])
    with pytest.raises(PermissionDenied):
        services.program_create(
            user=district.curator_b, pair=pair, mentee=mentee, data=program_data(areas)
        )
    program = services.program_create(
        user=district.curator_a, pair=pair, mentee=mentee, data=program_data(areas)
    )
    with pytest.raises(PermissionDenied):
        services.activity_add(user=district.curator_b, program=program, data=activity_data(areas))
    services.activity_add(user=district.curator_a, program=program, data=activity_data(areas))
    assert program.activities.count() == 1


# Statuses ------------------------------------------------------------------------------------


def test_only_the_curator_approves_a_draft(district, program):
    for user in (
        district.mentor_a,
        district.mentee_a,
        district.head_a,
        district.coordinator,
        district.curator_b,
    ):
        refused(
            lambda user=user: services.program_approve(user=user, program=program, today=TODAY),
            error=PermissionDenied,
        )
    approved = services.program_approve(user=district.curator_a, program=program, today=TODAY)
    assert approved.status == ProgramStatus.APPROVED
    assert approved.approved_by == district.curator_a
    assert approved.approved_on == TODAY


def test_a_draft_without_activities_is_not_approved(district, pair, areas):
    program = services.program_create(
        user=district.mentor_a, pair=pair, mentee=district.mentee_a.person, data=program_data(areas)
    )
    refused(
        lambda: services.program_approve(user=district.curator_a, program=program, today=TODAY),
        field="status",
    )


def test_statuses_go_draft_approved_in_progress_completed(district, program):
    refused(lambda: services.program_start(user=district.mentor_a, program=program), field="status")
    services.program_approve(user=district.curator_a, program=program, today=TODAY)
    refused(
        lambda: services.program_approve(user=district.curator_a, program=program, today=TODAY),
        field="status",
    )
    services.program_start(user=district.mentor_a, program=program)
    program.refresh_from_db()
    assert program.status == ProgramStatus.IN_PROGRESS


def test_an_approved_program_is_no_longer_rewritten(district, program, areas):
    services.program_approve(user=district.curator_a, program=program, today=TODAY)
    refused(
        lambda: services.program_update(
            user=district.mentor_a, program=program, data=program_data(areas, goals="Другое")
        )
    )


def test_completion_needs_results_per_deficit_and_both_conclusions(district, program, areas):
    services.program_approve(user=district.curator_a, program=program, today=TODAY)
    services.program_start(user=district.mentor_a, program=program)
    metod, ikt = areas["metod"], areas["ikt"]
    error = refused(
        lambda: services.program_complete(
            user=district.mentor_a,
            program=program,
            today=TODAY,
            data=services.ClosingData(
                results={metod.pk: "Планирует урок сама"},
                mentor_conclusion="",
                mentee_conclusion="Спасибо",
            ),
        ),
    )
    # The road map's two activities are still planned: that is refused too.
    assert set(error.message_dict) == {f"result_{ikt.pk}", "mentor_conclusion", "status"}
    for activity in program.activities.all():
        activity.status = ActivityStatus.DONE
        activity.save(update_fields=["status"])
    done = services.program_complete(
        user=district.mentor_a,
        program=program,
        today=TODAY,
        data=services.ClosingData(
            results={metod.pk: "Планирует урок сама", ikt.pk: "Ведёт электронный журнал"},
            mentor_conclusion="Программа выполнена",
            mentee_conclusion="Стало легче",
        ),
    )
    assert done.status == ProgramStatus.COMPLETED
    assert done.area_rows.get(area=ikt).result == "Ведёт электронный журнал"
    refused(
        lambda: services.activity_add(
            user=district.mentor_a, program=program, data=activity_data(areas)
        )
    )


# Road map --------------------------------------------------------------------------------------


def test_overdue_is_derived_from_the_planned_date_and_never_stored(district, program, areas):
    late = program.activities.get(title="Посещение уроков наставника")  # 15.10.2026
    assert list(Activity.objects.overdue(datetime.date(2026, 10, 16))) == [late]
    assert not Activity.objects.overdue(datetime.date(2026, 10, 15)).exists()
    services.activity_update(
        user=district.mentee_a,
        activity=late,
        data=activity_data(areas, status=ActivityStatus.DONE, result="Посетила 4 урока"),
    )
    assert not Activity.objects.overdue(datetime.date(2026, 10, 16)).exists()
    flags = dict(
        Activity.objects.with_overdue(datetime.date(2026, 10, 21)).values_list(
            "title", "is_overdue"
        )
    )
    assert flags == {
        "Посещение уроков наставника": False,
        "Разработка технологической карты урока": True,
    }
    assert "overdue" not in {f.name for f in Activity._meta.get_fields()}


def test_an_activity_outside_the_period_or_on_a_foreign_deficit_is_refused(
    district, program, areas
):
    refused(
        lambda: services.activity_add(
            user=district.mentor_a,
            program=program,
            data=activity_data(areas, planned_on=datetime.date(2027, 7, 1)),
        ),
        field="planned_on",
    )
    refused(
        lambda: services.activity_add(
            user=district.mentor_a, program=program, data=activity_data(areas, area=areas["zdorov"])
        ),
        field="area",
    )


def test_a_done_activity_needs_its_result(district, program, areas):
    activity = program.activities.first()
    refused(
        lambda: services.activity_update(
            user=district.mentor_a,
            activity=activity,
            data=activity_data(areas, status=ActivityStatus.DONE),
        ),
        field="result",
    )


def test_a_file_that_is_not_what_its_name_says_is_refused(district, program, areas):
    fake = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf")
    refused(
        lambda: services.activity_add(
            user=district.mentor_a, program=program, data=activity_data(areas, file=fake)
        ),
        field="file",
    )


# Routes ----------------------------------------------------------------------------------------


def route_data(**overrides) -> services.RouteData:
    values = {
        "starts_on": datetime.date(2026, 9, 1),
        "ends_on": datetime.date(2030, 8, 31),
        "self_image": "Учитель, который ведёт исследовательские проекты с детьми",
    }
    values.update(overrides)
    return services.RouteData(**values)


def item_data(**overrides) -> services.RouteItemData:
    values = {
        "kind": RouteItemKind.COURSE,
        "title": "Курсы «Функциональная грамотность»",
        "planned_start": datetime.date(2027, 1, 10),
        "planned_end": datetime.date(2027, 2, 10),
        "hours": 72,
    }
    values.update(overrides)
    return services.RouteItemData(**values)


@pytest.fixture
def route(district):
    return services.route_create(
        user=district.mentee_a,
        person=district.mentee_a.person,
        organization=district.school_a,
        data=route_data(),
    )


@pytest.mark.parametrize(
    "ends_on, allowed",
    [
        (datetime.date(2030, 8, 31), False),  # a day under 4 years
        (datetime.date(2030, 9, 1), True),
        (datetime.date(2031, 9, 1), True),  # exactly 5 years
        (datetime.date(2031, 9, 2), False),
    ],
)
def test_a_route_lasts_from_four_to_five_years_inclusive(district, ends_on, allowed):
    def create():
        return services.route_create(
            user=district.mentee_a,
            person=district.mentee_a.person,
            organization=district.school_a,
            data=route_data(ends_on=ends_on),
        )

    if allowed:
        assert create().ends_on == ends_on
    else:
        refused(create, field="ends_on")


def test_a_course_needs_its_hours(district):
    route = services.route_create(
        user=district.mentee_a,
        person=district.mentee_a.person,
        organization=district.school_a,
        data=route_data(ends_on=datetime.date(2030, 9, 1)),
    )
    refused(
        lambda: services.route_item_save(
            user=district.mentee_a, route=route, data=item_data(hours=None), today=TODAY
        ),
        field="hours",
    )


def test_corrections_of_a_route_in_progress_are_dated_versions_with_a_reason(district):
    route = services.route_create(
        user=district.mentee_a,
        person=district.mentee_a.person,
        organization=district.school_a,
        data=route_data(ends_on=datetime.date(2030, 9, 1)),
    )
    item = services.route_item_save(
        user=district.mentee_a, route=route, data=item_data(), today=TODAY
    )
    services.route_item_save(
        user=district.mentee_a, route=route, item=item, data=item_data(hours=36), today=TODAY
    )
    assert not RouteVersion.objects.exists()  # a draft is changed freely
    services.route_activate(user=district.mentee_a, route=route, today=TODAY)
    assert RouteVersion.objects.get().number == 1
    refused(
        lambda: services.route_item_save(
            user=district.mentee_a, route=route, item=item, data=item_data(hours=108), today=TODAY
        ),
        field="reason",
    )
    later = TODAY + datetime.timedelta(days=40)
    services.route_item_save(
        user=district.curator_a,
        route=route,
        item=item,
        data=item_data(hours=108),
        reason="Курс продлён организатором",
        today=later,
    )
    versions = list(RouteVersion.objects.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].changes["items"][0]["hours"] == 36  # version 1 is not overwritten
    assert versions[1].made_on == later
    assert versions[1].reason == "Курс продлён организатором"
    assert versions[1].changes["item"]["before"]["hours"] == 36
    assert versions[1].changes["item"]["after"]["hours"] == 108


def test_a_route_is_closed_with_a_reflection_per_deficit(district, areas):
    route = services.route_create(
        user=district.mentee_a,
        person=district.mentee_a.person,
        organization=district.school_a,
        data=route_data(ends_on=datetime.date(2030, 9, 1)),
    )
    services.route_diagnose(
        user=district.mentee_a,
        route=route,
        today=TODAY,
        rows=[
            services.RouteAreaData(area_id=areas["ikt"].pk, deficits="Не умею делать онлайн-тесты")
        ],
    )
    services.route_item_save(user=district.mentee_a, route=route, data=item_data(), today=TODAY)
    services.route_activate(user=district.mentee_a, route=route, today=TODAY)
    error = refused(
        lambda: services.route_complete(
            user=district.mentee_a, route=route, reflections={}, closing_reflection="", today=TODAY
        )
    )
    assert set(error.message_dict) == {f"reflection_{areas['ikt'].pk}", "closing_reflection"}
    done = services.route_complete(
        user=district.mentee_a,
        route=route,
        today=TODAY,
        reflections={areas["ikt"].pk: "Делаю тесты сама"},
        closing_reflection="Приблизилась к образу",
    )
    assert done.status == RouteStatus.COMPLETED


def test_others_do_not_edit_a_route(district):
    route = services.route_create(
        user=district.curator_a,
        person=district.mentee_a.person,
        organization=district.school_a,
        data=route_data(ends_on=datetime.date(2030, 9, 1)),
    )
    for user in (district.mentor_a, district.coordinator, district.head_a, district.curator_b):
        refused(
            lambda user=user: services.route_item_save(
                user=user, route=route, data=item_data(), today=TODAY
            ),
            error=PermissionDenied,
        )


# The bank -------------------------------------------------------------------------------------


def test_a_product_is_proposed_and_only_the_curator_accepts_it(district, program, areas):
    activity = program.activities.first()
    services.activity_update(
        user=district.mentee_a,
        activity=activity,
        data=activity_data(areas, file=SimpleUploadedFile("Конспект урока.pdf", PDF)),
    )
    activity.refresh_from_db()
    product = services.product_propose(
        user=district.mentee_a,
        activity=activity,
        data=services.ProductData(title="Конспект урока дробей", kind="lesson"),
    )
    assert product.status == ProductStatus.PROPOSED
    assert product.author == district.mentee_a.person
    assert product.organization == district.school_a
    assert product.position.code == "uchitel"
    assert product.file.read() == PDF
    refused(
        lambda: services.product_propose(
            user=district.mentee_a,
            activity=activity,
            data=services.ProductData(title="Ещё раз", kind="lesson"),
        ),
        field="title",
    )
    for user in (district.mentor_a, district.head_a, district.coordinator, district.curator_b):
        refused(
            lambda user=user: services.product_decide(user=user, product=product, accept=True),
            error=PermissionDenied,
        )
    refused(
        lambda: services.product_decide(user=district.curator_a, product=product, accept=False),
        field="decision_note",
    )
    services.product_decide(user=district.curator_a, product=product, accept=True)
    product.refresh_from_db()
    assert product.status == ProductStatus.ACCEPTED
    refused(
        lambda: services.product_decide(
            user=district.curator_a, product=product, accept=False, note="нет"
        ),
        field="status",
    )


def test_an_activity_without_a_file_is_not_proposed(district, program):
    refused(
        lambda: services.product_propose(
            user=district.mentor_a,
            activity=program.activities.first(),
            data=services.ProductData(title="Конспект", kind="lesson"),
        ),
        field="file",
    )


def test_a_program_with_planned_activities_is_not_completed_until_they_are_closed(
    district, program, areas
):
    services.program_approve(user=district.curator_a, program=program, today=TODAY)
    services.program_start(user=district.mentor_a, program=program)
    closing = services.ClosingData(
        results={areas["metod"].pk: "Сама", areas["ikt"].pk: "Журнал"},
        mentor_conclusion="Выполнена",
        mentee_conclusion="Спасибо",
    )
    error = refused(
        lambda: services.program_complete(
            user=district.mentor_a, program=program, today=TODAY, data=closing
        )
    )
    assert set(error.message_dict) == {"status"}
    assert "2" in str(error.message_dict["status"])  # how many are still planned
    first, second = program.activities.order_by("planned_on")
    first.status = ActivityStatus.DONE
    first.save(update_fields=["status"])
    second.status = ActivityStatus.CARRIED_OVER  # explicitly carried over to the next program
    second.save(update_fields=["status"])
    done = services.program_complete(
        user=district.mentor_a, program=program, today=TODAY, data=closing
    )
    assert done.status == ProgramStatus.COMPLETED


def test_a_program_is_not_completed_on_a_future_date(district, program, areas):
    services.program_approve(user=district.curator_a, program=program, today=TODAY)
    services.program_start(user=district.mentor_a, program=program)
    program.activities.update(status=ActivityStatus.DONE)
    error = refused(
        lambda: services.program_complete(
            user=district.mentor_a,
            program=program,
            today=timezone.localdate() + datetime.timedelta(days=1),
            data=services.ClosingData(
                results={areas["metod"].pk: "Сама", areas["ikt"].pk: "Журнал"},
                mentor_conclusion="Выполнена",
                mentee_conclusion="Спасибо",
            ),
        )
    )
    assert set(error.message_dict) == {"status"}


def test_an_activity_is_not_marked_done_with_a_date_in_the_future(district, program, areas):
    future = timezone.localdate() + datetime.timedelta(days=5)
    program.ends_on = future + datetime.timedelta(days=30)
    program.save(update_fields=["ends_on"])
    error = refused(
        lambda: services.activity_add(
            user=district.mentor_a,
            program=program,
            data=activity_data(
                areas, planned_on=future, status=ActivityStatus.DONE, result="Сделано"
            ),
        )
    )
    assert set(error.message_dict) == {"planned_on"}
    # The same activity planned for that date is fine.
    services.activity_add(
        user=district.mentor_a, program=program, data=activity_data(areas, planned_on=future)
    )
