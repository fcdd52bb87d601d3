"""The council of mentors, nominations, payments and the orders on pairs: who may do what and
what each write leaves behind."""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from community import documents, services
from community.models import DecisionKind, NominationStage, OrderKind
from mentoring.models import PairStatus
from programs.models import ProductStatus
from tests.community.conftest import TODAY


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def docx_text(content: bytes) -> str:
    document = Document(BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return " ".join([paragraph.text for paragraph in document.paragraphs] + cells)


def test_only_the_curator_runs_the_council_and_the_head_reads_it(
    district, council_meeting, client_for
):
    with pytest.raises(PermissionDenied):
        services.council_member_add(
            user=district.head_a,
            organization=district.school_a,
            person=district.teacher_a.person,
            joined_on=TODAY,
        )
    client = client_for(district.head_a)
    url = reverse("community:council", args=[district.school_a.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert district.mentor_a.person.full_name in page.content.decode()
    assert (
        client.get(
            reverse("community:council_meeting_add", args=[district.school_a.pk])
        ).status_code
        == 403
    )


def test_a_member_of_the_council_reads_its_protocol_and_cannot_record_decisions(
    district, council_meeting, client_for
):
    client = client_for(district.mentor_a)
    url = reverse("community:council_meeting", args=[council_meeting.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"kind": "other", "text": "x"}).status_code == 403


def test_a_council_decision_corrects_the_program_citing_the_protocol(
    district, council_meeting, program, client_for
):
    decision = services.council_decide(
        user=district.curator_a,
        meeting=council_meeting,
        data=services.DecisionData(
            kind=DecisionKind.CORRECT_PROGRAM,
            text="Добавить посещение уроков наставника",
            program=program,
        ),
    )
    correction = program.corrections.get()
    assert decision.correction == correction
    assert correction.basis == "по решению МО наставников, протокол № 1 от 10.11.2026"
    page = client_for(district.mentor_a).get(program.get_absolute_url()).content.decode()
    assert "протокол № 1 от 10.11.2026" in page
    assert "Добавить посещение уроков наставника" in page


def test_a_decision_about_a_program_of_another_school_is_refused(
    district, council_meeting, program
):
    program.pair.organization = district.school_b
    program.pair.save()
    with pytest.raises(ValidationError):
        services.council_decide(
            user=district.curator_a,
            meeting=council_meeting,
            data=services.DecisionData(
                kind=DecisionKind.CORRECT_PROGRAM, text="x", program=program
            ),
        )
    assert not program.corrections.exists()


def test_a_council_decision_accepts_a_product_into_the_bank(
    district, council_meeting, program, areas
):
    from programs import services as programs_services
    from tests.programs.conftest import activity_data
    from tests.world import pdf

    activity = programs_services.activity_add(
        user=district.mentor_a, program=program, data=activity_data(areas, file=pdf("Карта.pdf"))
    )
    product = programs_services.product_propose(
        user=district.mentee_a,
        activity=activity,
        data=programs_services.ProductData(title="Технологическая карта", kind="lesson"),
    )
    services.council_decide(
        user=district.curator_a,
        meeting=council_meeting,
        data=services.DecisionData(
            kind=DecisionKind.ACCEPT_PRODUCT, text="Принять", product=product
        ),
    )
    product.refresh_from_db()
    assert product.status == ProductStatus.ACCEPTED


def test_a_nomination_passes_its_stages_in_order_and_only_the_committee_moves_it(district):
    nomination = services.nomination_propose(
        user=district.curator_a,
        organization=district.school_a,
        person=district.mentor_a.person,
        kind="award_state",
        proposed_by="head",
        proposed_on=TODAY,
    )
    with pytest.raises(ValidationError):
        services.nomination_advance(
            user=district.coordinator,
            nomination=nomination,
            stage=NominationStage.AWARDED,
            on=TODAY,
        )
    with pytest.raises(PermissionDenied):
        services.nomination_advance(
            user=district.curator_a,
            nomination=nomination,
            stage=NominationStage.SUPPORTED,
            on=TODAY,
        )
    with pytest.raises(PermissionDenied):
        services.nomination_advance(
            user=district.kindergarten_specialist,
            nomination=nomination,
            stage=NominationStage.SUPPORTED,
            on=TODAY,
        )
    for stage in (NominationStage.SUPPORTED, NominationStage.SUBMITTED, NominationStage.AWARDED):
        nomination = services.nomination_advance(
            user=district.coordinator, nomination=nomination, stage=stage, on=TODAY
        )
    assert nomination.stage == NominationStage.AWARDED
    assert nomination.supported_on == nomination.submitted_on == nomination.decided_on == TODAY
    with pytest.raises(ValidationError):
        services.nomination_advance(
            user=district.coordinator,
            nomination=nomination,
            stage=NominationStage.NOT_AWARDED,
            on=TODAY,
        )


def test_a_payment_has_either_an_amount_or_a_percentage(district):
    data = dict(
        person=district.mentor_a.person,
        act="Положение об оплате труда",
        act_point="4.7",
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2027, 5, 31),
    )
    with pytest.raises(ValidationError):
        services.payment_set(
            user=district.curator_a,
            organization=district.school_a,
            data=services.PaymentData(**data),
        )
    payment = services.payment_set(
        user=district.curator_a,
        organization=district.school_a,
        data=services.PaymentData(**data, percent=Decimal("10")),
    )
    assert str(payment.size).startswith("10")


def test_the_order_registers_its_number_on_the_chosen_pairs_and_starts_them(district, drafts):
    order = services.pair_order_issue(
        user=district.curator_a,
        organization=district.school_a,
        data=services.OrderData(
            kind=OrderKind.FIXING,
            number="15-о",
            date=TODAY,
            pairs=drafts,
            responsible=district.mentor_a.person,
        ),
    )
    for pair in drafts:
        pair.refresh_from_db()
        assert (pair.order_number, pair.order_date, pair.status) == (
            "15-о",
            TODAY,
            PairStatus.DRAFT,
        )
    assert services.pair_order_start(user=district.curator_a, order=order, today=TODAY) == 2
    assert {pair.status for pair in order.pairs.all()} == {PairStatus.ACTIVE}


def test_an_order_fixing_pairs_refuses_active_pairs_and_other_schools(district, drafts):
    drafts[0].status = PairStatus.ACTIVE
    drafts[0].save()
    with pytest.raises(ValidationError) as error:
        services.pair_order_issue(
            user=district.curator_a,
            organization=district.school_a,
            data=services.OrderData(kind=OrderKind.FIXING, number="1", date=TODAY, pairs=drafts),
        )
    assert "pairs" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.pair_order_issue(
            user=district.curator_b,
            organization=district.school_a,
            data=services.OrderData(
                kind=OrderKind.FIXING, number="1", date=TODAY, pairs=drafts[1:]
            ),
        )


def test_an_order_ending_pairs_early_needs_a_reason_and_ends_them(district, drafts):
    data = dict(kind=OrderKind.ENDING, number="20-о", date=TODAY, pairs=drafts)
    with pytest.raises(ValidationError) as error:
        services.pair_order_issue(
            user=district.curator_a, organization=district.school_a, data=services.OrderData(**data)
        )
    assert "reason_code" in error.value.message_dict
    services.pair_order_issue(
        user=district.curator_a,
        organization=district.school_a,
        data=services.OrderData(**data, end_reason_code="mentee_left"),
    )
    for pair in drafts:
        pair.refresh_from_db()
        assert pair.status == PairStatus.ENDED_EARLY
        assert "20-о" in pair.end_reason


def test_the_order_prints_every_part_an_official_signs(district, drafts):
    order = services.pair_order_issue(
        user=district.curator_a,
        organization=district.school_a,
        data=services.OrderData(
            kind=OrderKind.FIXING,
            number="15-о",
            date=TODAY,
            pairs=drafts,
            responsible=district.mentor_a.person,
            payment_point="Установить доплату наставникам.",
        ),
    )
    for text in (pdf_text(documents.order_pdf(order)), docx_text(documents.order_docx(order))):
        flat = " ".join(text.split())
        assert "ПРИКАЗ" in flat
        assert "15-о" in flat and "10.11.2026" in flat
        assert "Положени" in flat
        assert "Контроль исполнения приказа оставляю за собой" in flat
        assert "С приказом ознакомлены" in flat
        assert "Установить доплату наставникам." in flat
        for person in (
            district.mentor_a.person,
            district.mentee_a.person,
            district.teacher_a.person,
        ):
            assert person.last_name in flat


def test_the_protocol_prints_agenda_attendance_and_decisions(district, council_meeting, program):
    services.council_decide(
        user=district.curator_a,
        meeting=council_meeting,
        data=services.DecisionData(
            kind=DecisionKind.CORRECT_PROGRAM, text="Скорректировать карту", program=program
        ),
    )
    for text in (
        pdf_text(documents.protocol_pdf(council_meeting)),
        docx_text(documents.protocol_docx(council_meeting)),
    ):
        flat = " ".join(text.split())
        assert "ПРОТОКОЛ № 1" in flat
        assert "Анализ входной диагностики" in flat
        assert district.mentor_a.person.last_name in flat
        assert "Скорректировать карту" in flat
        assert "Секретарь" in flat


def test_the_protocol_downloads_as_pdf_and_word_for_the_head(district, council_meeting, client_for):
    client = client_for(district.head_a)
    pdf = client.get(reverse("community:protocol_pdf", args=[council_meeting.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    docx = client.get(reverse("community:protocol_docx", args=[council_meeting.pk]))
    assert docx.content.startswith(b"PK")
