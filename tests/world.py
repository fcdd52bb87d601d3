"""One object of every kind the portal's URLs take, all in school A of the `district` personas.

Built from the suite's own helpers (mentoring, programs and monitoring conftests and the
services), so the objects are the ones the app itself makes. Used by the permission sweep.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mentoring import services as mentoring_services
from mentoring.models import (
    Meeting,
    MeetingFile,
    MentorProfile,
    NeedEntry,
    NeedsList,
    Pair,
    PairStatus,
)
from monitoring.models import ActType, LocalAct, Measure, ProgressEntry, Survey
from programs import services as programs_services
from programs.models import (
    Activity,
    Diagnostic,
    DifficultyArea,
    DifficultyItem,
    Product,
    Program,
    Respondent,
    Route,
    RouteItem,
    RouteItemKind,
    Stage,
)
from reports.models import Report, ReportKind, ReportStatus
from tests.mentoring.conftest import make_mentor
from tests.monitoring.conftest import survey
from tests.programs.conftest import TODAY, activity_data, make_pair, program_data, scores_for

PDF = b"%PDF-1.4 sweep"
YEAR = "2026/2027"


@dataclass
class World:
    district: object
    mentor_profile: MentorProfile
    pair: Pair
    meeting: Meeting
    meeting_file: MeetingFile
    needs_list: NeedsList
    need_entry: NeedEntry
    program: Program
    activity: Activity
    diagnostic: Diagnostic
    route: Route
    route_item: RouteItem
    proposed_product: Product
    accepted_product: Product
    local_act: LocalAct
    progress_entry: ProgressEntry
    survey: Survey
    school_report: Report
    municipal_report: Report
    area: DifficultyArea
    item: DifficultyItem
    # Council of mentors, events, incentives, orders (community) and the public pages.
    council_meeting: object = None
    event: object = None
    nomination: object = None
    order: object = None
    payment: object = None
    participant: object = None
    committee_page: object = None
    organization_page: object = None
    news: object = None
    committee_order: object = None  # an order of the committee with a deadline (monitoring)


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def ready_report(**fields) -> Report:
    report = Report.objects.create(
        academic_year=YEAR, status=ReportStatus.READY, size=len(PDF), **fields
    )
    report.file.save("report.pdf", ContentFile(PDF), save=False)
    report.docx.save("report.docx", ContentFile(b"PK docx"), save=False)
    report.values = {"indicators": {"needing": 0}}
    report.save()
    return report


def build_world(district) -> World:
    d = district
    areas = {area.code: area for area in DifficultyArea.objects.all()}

    profile = make_mentor(d.mentor_a.person, d.school_a)
    profile.evidence.save("evidence.pdf", ContentFile(PDF), save=False)
    profile.evidence_name = "Диплом.pdf"
    profile.save()

    pair = make_pair(d.school_a, d.mentor_a.person, [d.mentee_a.person])
    meeting = mentoring_services.meeting_log(
        user=d.mentor_a,
        pair=pair,
        data=mentoring_services.MeetingData(
            held_at=timezone.now() - datetime.timedelta(days=1),
            format="in_person",
            topic="Разбор открытого урока",
            attended=[d.mentee_a.person],
        ),
        files=[pdf("Протокол.pdf")],
    )

    needs_list = NeedsList.objects.create(
        organization=d.school_a, academic_year=YEAR, updated_on=TODAY
    )
    need_entry = NeedEntry.objects.create(
        needs_list=needs_list, person=d.teacher_a.person, reason="newcomer"
    )

    diagnostic = programs_services.diagnostic_fill(
        user=d.mentee_a,
        pair=pair,
        mentee=d.mentee_a.person,
        stage=Stage.START,
        respondent=Respondent.SELF,
        scores=scores_for(),
        today=TODAY,
    )
    program = programs_services.program_create(
        user=d.mentor_a, pair=pair, mentee=d.mentee_a.person, data=program_data(areas)
    )
    activity = programs_services.activity_add(
        user=d.mentor_a,
        program=program,
        data=activity_data(areas, file=pdf("Конспект.pdf")),
    )

    route = programs_services.route_create(
        user=d.mentee_a,
        person=d.mentee_a.person,
        organization=d.school_a,
        data=programs_services.RouteData(
            datetime.date(2026, 9, 1), datetime.date(2030, 9, 1), "Учитель-исследователь"
        ),
    )
    route_item = programs_services.route_item_save(
        user=d.mentee_a,
        route=route,
        today=TODAY,
        data=programs_services.RouteItemData(
            kind=RouteItemKind.TRIAL,
            title="Урок-исследование",
            planned_start=datetime.date(2027, 1, 10),
            planned_end=datetime.date(2027, 2, 10),
            file=pdf("урок.pdf"),
        ),
    )

    proposed = programs_services.product_propose(
        user=d.mentee_a,
        activity=activity,
        data=programs_services.ProductData(title="Технологическая карта урока", kind="lesson"),
    )
    accepted = programs_services.product_propose(
        user=d.mentee_a,
        route_item=route_item,
        data=programs_services.ProductData(title="Урок-исследование", kind="lesson"),
    )
    accepted = programs_services.product_decide(user=d.curator_a, product=accepted, accept=True)

    local_act = LocalAct.objects.create(
        organization=d.school_a,
        type=ActType.REGULATION,
        number="12",
        adopted_on=datetime.date(2026, 7, 20),
        file_name="Положение.pdf",
    )
    local_act.file.save("act.pdf", ContentFile(PDF), save=True)

    progress_entry = ProgressEntry.objects.create(
        program=program,
        academic_year=YEAR,
        period="q1",
        vpr_passed=8,
        vpr_total=10,
        entered_as="mentor",
        entered_by=d.mentor_a,
    )
    filled = survey(program, "mentee", "start", "05.09.2026", {Measure.MOTIVATION: [2, 3]})

    area = areas["metod"]
    world = World(
        district=d,
        mentor_profile=profile,
        pair=pair,
        meeting=meeting,
        meeting_file=meeting.files.get(),
        needs_list=needs_list,
        need_entry=need_entry,
        program=program,
        activity=activity,
        diagnostic=diagnostic,
        route=route,
        route_item=route_item,
        proposed_product=proposed,
        accepted_product=accepted,
        local_act=local_act,
        progress_entry=progress_entry,
        survey=filled,
        school_report=ready_report(
            kind=ReportKind.ORGANIZATION, municipality=d.municipality, organization=d.school_a
        ),
        municipal_report=ready_report(kind=ReportKind.MUNICIPAL, municipality=d.municipality),
        area=area,
        item=area.items.order_by("pk").first(),
    )
    add_community(world)
    world.committee_order = _committee_order(d)
    return world


def _committee_order(district):
    from monitoring.models import DeadlineKind, Order, OrderPoint

    order = Order.objects.create(
        municipality=district.municipality,
        number="182",
        signed_on=datetime.date(2022, 5, 12),
        title="Об утверждении Положения о наставничестве",
    )
    OrderPoint.objects.create(
        order=order, kind=DeadlineKind.REGULATION_ADOPTED, due_on=datetime.date(2022, 8, 1)
    )
    return order


def add_community(world: World) -> None:
    """One council meeting, event, nomination and order of school A, and the public pages."""
    from community import services as community_services
    from public import services as public_services

    d = world.district
    community_services.council_member_add(
        user=d.curator_a, organization=d.school_a, person=d.mentor_a.person, joined_on=TODAY
    )
    world.council_meeting = community_services.council_meeting_hold(
        user=d.curator_a,
        organization=d.school_a,
        data=community_services.CouncilMeetingData(
            held_on=TODAY, agenda="Корректировка программ", minutes="", attended=[d.mentor_a.person]
        ),
    )
    world.event = community_services.event_save(
        user=d.curator_a,
        organization=d.school_a,
        data=community_services.EventData(
            title="Фестиваль открытых уроков",
            kind="festival",
            level="organization",
            starts_on=TODAY,
        ),
        document=pdf("итоги.pdf"),
    )
    world.nomination = community_services.nomination_propose(
        user=d.curator_a,
        organization=d.school_a,
        person=d.mentor_a.person,
        kind="badge_honor",
        proposed_by="council",
        proposed_on=TODAY,
    )
    draft = make_pair(d.school_a, d.mentor_a.person, [d.teacher_a.person], status=PairStatus.DRAFT)
    world.order = community_services.pair_order_issue(
        user=d.curator_a,
        organization=d.school_a,
        data=community_services.OrderData(kind="fixing", number="7-о", date=TODAY, pairs=[draft]),
    )
    community_services.nomination_update(
        user=d.curator_a,
        nomination=world.nomination,
        kind="badge_honor",
        proposed_by="council",
        proposed_on=TODAY,
        document=pdf("представление.pdf"),
    )
    community_services.pair_order_attach_scan(
        user=d.curator_a, order=world.order, upload=pdf("приказ-скан.pdf")
    )
    world.payment = community_services.payment_set(
        user=d.curator_a,
        organization=d.school_a,
        data=community_services.PaymentData(
            person=d.mentor_a.person,
            act="Положение об оплате труда",
            act_point="4.7",
            starts_on=TODAY,
            ends_on=TODAY + datetime.timedelta(days=200),
            amount=Decimal("3000"),
        ),
    )
    world.participant = community_services.event_participant_add(
        user=d.curator_a, event=world.event, person=d.mentor_a.person, role="winner"
    )
    world.committee_page = public_services.committee_page(d.municipality)
    world.organization_page = public_services.organization_page(d.school_a)
    world.news = public_services.news_add(
        user=d.curator_a,
        page=world.organization_page,
        title="Школа наставника",
        body="Открылась школа наставника.",
        published_on=TODAY,
    )
