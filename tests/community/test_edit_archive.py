"""Editing and archiving the community records and the public news: the curator edits, the
head and members read, another school's ids (in the URL or in the POST) change nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from community import services
from community.models import Event, Nomination, Payment
from public import services as public_services
from tests.community.conftest import TODAY

PDF = b"%PDF-1.4 result"


def pdf(name: str = "итоги.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def event(district):
    event = services.event_save(
        user=district.curator_a,
        organization=district.school_a,
        data=services.EventData(
            title="Фестиваль открытых уроков",
            kind="festival",
            level="organization",
            starts_on=TODAY,
        ),
    )
    services.event_participant_add(
        user=district.curator_a, event=event, person=district.mentor_a.person, role="winner"
    )
    return event


@pytest.fixture
def nomination(district):
    return services.nomination_propose(
        user=district.curator_a,
        organization=district.school_a,
        person=district.mentor_a.person,
        kind="badge_honor",
        proposed_by="council",
        proposed_on=TODAY,
    )


@pytest.fixture
def payment(district):
    return services.payment_set(
        user=district.curator_a,
        organization=district.school_a,
        data=services.PaymentData(
            person=district.mentor_a.person,
            act="Положение об оплате труда",
            act_point="4.7",
            starts_on=TODAY,
            ends_on=TODAY + datetime.timedelta(days=200),
            amount=Decimal("3000"),
        ),
    )


def event_post(**overrides) -> dict:
    data = {
        "title": "Фестиваль уроков наставников",
        "kind": "festival",
        "level": "municipal",
        "starts_on": "2026-11-10",
        "ends_on": "2026-11-12",
        "description": "Победитель — наставник.",
    }
    data.update(overrides)
    return data


def test_the_curator_edits_an_event_and_keeps_its_result_document(district, event, client_for):
    client = client_for(district.curator_a)
    response = client.post(
        reverse("community:event_edit", args=[event.pk]), {**event_post(), "document": pdf()}
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.level, event.ends_on) == (
        "Фестиваль уроков наставников",
        "municipal",
        datetime.date(2026, 11, 12),
    )
    assert event.document_name == "итоги.pdf"
    download = client.get(reverse("community:event_document", args=[event.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    # the head of the school reads the document too
    head = client_for(district.head_a)
    assert head.get(reverse("community:event_document", args=[event.pk])).status_code == 200


def test_a_renamed_program_is_refused_as_a_result_document_with_a_russian_message(
    district, event, client_for
):
    fake = SimpleUploadedFile("итоги.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client_for(district.curator_a).post(
        reverse("community:event_edit", args=[event.pk]), {**event_post(), "document": fake}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["document"] == ["«итоги.pdf» на самом деле не файл PDF."]
    event.refresh_from_db()
    assert event.title == "Фестиваль открытых уроков" and not event.document


def test_the_head_reads_an_event_but_may_not_edit_or_archive_it(district, event, client_for):
    client = client_for(district.head_a)
    assert client.get(event.get_absolute_url()).status_code == 200
    assert client.get(reverse("community:event_edit", args=[event.pk])).status_code == 403
    assert (
        client.post(reverse("community:event_edit", args=[event.pk]), event_post()).status_code
        == 403
    )
    assert client.post(reverse("community:event_archive", args=[event.pk])).status_code == 403
    event.refresh_from_db()
    assert event.title == "Фестиваль открытых уроков" and event.archived_on is None


def test_another_schools_curator_gets_404_and_changes_nothing(district, event, client_for):
    client = client_for(district.curator_b)
    participant = event.participants.get()
    assert (
        client.post(reverse("community:event_edit", args=[event.pk]), event_post()).status_code
        == 404
    )
    assert client.post(reverse("community:event_archive", args=[event.pk])).status_code == 404
    assert (
        client.post(
            reverse("community:event_participant_remove", args=[participant.pk])
        ).status_code
        == 404
    )
    event.refresh_from_db()
    assert event.title == "Фестиваль открытых уроков" and event.archived_on is None
    assert event.participants.count() == 1


def test_an_archived_event_leaves_the_list_and_the_counts_but_is_kept(district, event, client_for):
    client = client_for(district.curator_a)
    assert client.post(reverse("community:event_archive", args=[event.pk])).status_code == 302
    event.refresh_from_db()
    assert event.archived_on is not None
    assert Event.objects.filter(pk=event.pk).exists()
    html = client.get(reverse("community:event_list")).content.decode()
    assert "Фестиваль открытых уроков" not in html
    assert client.get(event.get_absolute_url()).status_code == 200


def test_the_curator_removes_a_wrongly_added_participant(district, event, client_for):
    participant = event.participants.get()
    client = client_for(district.curator_a)
    client.post(reverse("community:event_participant_remove", args=[participant.pk]))
    assert event.participants.count() == 0
    assert district.mentor_a.person.__class__.objects.filter(pk=participant.person_id).exists()


def test_a_municipal_event_is_edited_by_the_coordinator_not_by_a_curator(district, client_for):
    event = services.event_save(
        user=district.coordinator,
        municipality=district.municipality,
        data=services.EventData(
            title="Форум наставников", kind="forum", level="municipal", starts_on=TODAY
        ),
    )
    url = reverse("community:event_edit", args=[event.pk])
    assert client_for(district.curator_a).get(url).status_code == 403
    response = client_for(district.coordinator).post(url, event_post(title="Форум молодых"))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Форум молодых"


def test_the_curator_corrects_a_nomination_and_attaches_its_document(
    district, nomination, client_for
):
    client = client_for(district.curator_a)
    response = client.post(
        reverse("community:nomination_edit", args=[nomination.pk]),
        {
            "kind": "badge_youth",
            "proposed_by": "head",
            "proposed_on": "2026-11-09",
            "grounds": "Победитель конкурса",
            "document": pdf("представление.pdf"),
        },
    )
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert (nomination.kind, nomination.proposed_by, nomination.stage) == (
        "badge_youth",
        "head",
        "proposed",
    )
    assert nomination.document_name == "представление.pdf"
    response = client.get(reverse("community:nomination_document", args=[nomination.pk]))
    assert response.status_code == 200


def test_a_nomination_is_archived_by_its_curator_only(district, nomination, client_for):
    url = reverse("community:nomination_archive", args=[nomination.pk])
    assert client_for(district.curator_b).post(url).status_code == 404
    assert client_for(district.head_a).post(url).status_code == 403
    assert Nomination.objects.current().filter(pk=nomination.pk).exists()
    client_for(district.curator_a).post(url)
    assert not Nomination.objects.current().filter(pk=nomination.pk).exists()
    assert Nomination.objects.filter(pk=nomination.pk).exists()


def payment_post(district, **overrides) -> dict:
    data = {
        "person": district.mentor_a.person.pk,
        "act": "Положение об оплате труда, приказ № 45",
        "act_point": "4.8",
        "amount": "",
        "percent": "15",
        "starts_on": "2026-09-01",
        "ends_on": "2027-05-31",
    }
    data.update(overrides)
    return data


def test_the_curator_edits_a_payment(district, payment, client_for):
    response = client_for(district.curator_a).post(
        reverse("community:payment_edit", args=[payment.pk]), payment_post(district)
    )
    assert response.status_code == 302
    payment.refresh_from_db()
    assert (payment.amount, payment.percent, payment.act_point) == (None, Decimal("15"), "4.8")


def test_a_teacher_of_another_school_in_the_post_is_refused_and_nothing_changes(
    district, payment, client_for
):
    response = client_for(district.curator_a).post(
        reverse("community:payment_edit", args=[payment.pk]),
        payment_post(district, person=district.teacher_b.person.pk),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["person"]
    payment.refresh_from_db()
    assert payment.person == district.mentor_a.person and payment.amount == Decimal("3000")


def test_a_payment_of_another_school_is_404_for_edit_and_archive(district, payment, client_for):
    client = client_for(district.curator_b)
    assert (
        client.post(
            reverse("community:payment_edit", args=[payment.pk]), payment_post(district)
        ).status_code
        == 404
    )
    assert client.post(reverse("community:payment_archive", args=[payment.pk])).status_code == 404
    assert Payment.objects.current().filter(pk=payment.pk).exists()


def meeting_post(district, **overrides) -> dict:
    data = {
        "held_on": "2026-11-11",
        "number": "1",
        "agenda": "Корректировка программ\nОтбор практик",
        "minutes": "Заслушали куратора.",
        "attended": [district.mentor_a.person.pk],
    }
    data.update(overrides)
    return data


def test_the_curator_corrects_a_meeting_and_a_taken_number_is_refused(
    district, council_meeting, client_for
):
    client = client_for(district.curator_a)
    url = reverse("community:council_meeting_edit", args=[council_meeting.pk])
    assert client.post(url, meeting_post(district)).status_code == 302
    council_meeting.refresh_from_db()
    assert council_meeting.agenda_items == ["Корректировка программ", "Отбор практик"]
    second = services.council_meeting_hold(
        user=district.curator_a,
        organization=district.school_a,
        data=services.CouncilMeetingData(held_on=TODAY, agenda="Итоги", minutes="", attended=[]),
    )
    response = client.post(
        reverse("community:council_meeting_edit", args=[second.pk]), meeting_post(district)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["number"]
    second.refresh_from_db()
    assert second.number == 2


def test_a_member_reads_the_meeting_but_cannot_edit_or_archive_it(
    district, council_meeting, client_for
):
    client = client_for(district.mentor_a)
    assert client.get(council_meeting.get_absolute_url()).status_code == 200
    url = reverse("community:council_meeting_edit", args=[council_meeting.pk])
    assert client.post(url, meeting_post(district, agenda="Другое")).status_code == 403
    archive = reverse("community:council_meeting_archive", args=[council_meeting.pk])
    assert client.post(archive).status_code == 403
    assert client_for(district.curator_b).post(archive).status_code == 404
    council_meeting.refresh_from_db()
    assert council_meeting.archived_on is None and "Другое" not in council_meeting.agenda


def test_an_archived_meeting_leaves_the_councils_list(district, council_meeting, client_for):
    client = client_for(district.curator_a)
    client.post(reverse("community:council_meeting_archive", args=[council_meeting.pk]))
    html = client.get(reverse("community:council", args=[district.school_a.pk])).content.decode()
    assert council_meeting.get_absolute_url() not in html


def test_the_signed_scan_of_an_order_is_checked_kept_and_downloaded(district, drafts, client_for):
    order = services.pair_order_issue(
        user=district.curator_a,
        organization=district.school_a,
        data=services.OrderData(kind="fixing", number="15-о", date=TODAY, pairs=drafts),
    )
    url = reverse("community:order_scan_upload", args=[order.pk])
    client = client_for(district.curator_a)
    bad = SimpleUploadedFile("приказ.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(url, {"signed_scan": bad}, follow=True)
    assert "«приказ.exe»: принимаются только файлы PDF" in response.content.decode()
    order.refresh_from_db()
    assert not order.signed_scan
    assert client_for(district.curator_b).post(url, {"signed_scan": pdf()}).status_code == 404
    assert client_for(district.head_a).post(url, {"signed_scan": pdf()}).status_code == 403
    client = client_for(district.curator_a)
    client.post(url, {"signed_scan": pdf("приказ 15-о.pdf")})
    order.refresh_from_db()
    assert order.signed_scan_name == "приказ 15-о.pdf"
    download = client.get(reverse("community:order_scan", args=[order.pk]))
    assert b"".join(download.streaming_content) == PDF


def test_news_is_edited_and_archived_by_the_curator_and_leaves_the_public_page(
    district, client, client_for, django_capture_on_commit_callbacks
):
    page = public_services.organization_page(district.school_a)
    committee = public_services.committee_page(district.municipality)
    item = public_services.news_add(
        user=district.curator_a,
        page=page,
        title="Школа наставника",
        body="Текст",
        published_on=TODAY,
    )
    edit = reverse("public:news_edit", args=[item.pk])
    archive = reverse("public:news_archive", args=[item.pk])
    assert client_for(district.curator_b).post(edit, {"title": "x", "body": "y"}).status_code == 404
    assert client_for(district.curator_b).post(archive).status_code == 404
    other = client_for(district.curator_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = other.post(
            edit,
            {
                "title": "Школа молодого педагога",
                "body": "Новый текст",
                "published_on": "2026-11-10",
            },
        )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Школа молодого педагога"
    other.logout()
    public_url = reverse("public:organization", args=[committee.slug, page.slug])
    assert "Школа молодого педагога" in client.get(public_url).content.decode()
    other = client_for(district.curator_a)
    with django_capture_on_commit_callbacks(execute=True):
        other.post(archive)
    other.logout()
    assert "Школа молодого педагога" not in client.get(public_url).content.decode()
    item.refresh_from_db()
    assert item.archived_on is not None


def test_an_issued_order_is_kept_and_issuing_again_makes_a_version_with_its_reason(
    district, drafts, client_for
):
    order = services.pair_order_issue(
        user=district.curator_a,
        organization=district.school_a,
        data=services.OrderData(kind="fixing", number="15-о", date=TODAY, pairs=drafts),
    )
    first = order.versions.get()
    assert (first.version, first.number, first.date, first.reason) == (1, "15-о", TODAY, "")
    first_pdf = first.pdf.read()
    assert first_pdf.startswith(b"%PDF") and first.docx.read().startswith(b"PK")
    client = client_for(district.curator_a)
    reissue = reverse("community:order_reissue", args=[order.pk])
    # without a reason nothing is issued
    page = client.post(reissue, {"reason": "  "}, follow=True)
    assert "Укажите, почему приказ издаётся повторно." in page.content.decode()
    assert order.versions.count() == 1
    # the head's name was corrected in the staff list: the order is issued again
    client.post(reissue, {"reason": "Исправлена фамилия руководителя"})
    versions = list(order.versions.order_by("version"))
    assert [(v.version, v.reason) for v in versions] == [
        (1, ""),
        (2, "Исправлена фамилия руководителя"),
    ]
    # the order's download is the latest version; the first one stays downloadable
    latest = client.get(reverse("community:order_pdf", args=[order.pk]))
    assert latest["Content-Disposition"].endswith("-v2.pdf")
    old = client.get(reverse("community:order_version_file", args=[versions[0].pk, "pdf"]))
    assert b"".join(old.streaming_content) == first_pdf
    word = client.get(reverse("community:order_version_file", args=[versions[0].pk, "docx"]))
    assert b"".join(word.streaming_content).startswith(b"PK")


def test_another_schools_curator_cannot_reissue_nor_download_a_version(
    district, drafts, client_for
):
    order = services.pair_order_issue(
        user=district.curator_a,
        organization=district.school_a,
        data=services.OrderData(kind="fixing", number="15-о", date=TODAY, pairs=drafts),
    )
    client = client_for(district.curator_b)
    version = order.versions.get()
    assert (
        client.get(reverse("community:order_version_file", args=[version.pk, "pdf"])).status_code
        == 404
    )
    response = client.post(reverse("community:order_reissue", args=[order.pk]), {"reason": "x"})
    assert response.status_code == 404
    assert order.versions.count() == 1


def test_the_orders_list_filters_by_kind_and_exports_to_excel(district, drafts, client_for):
    services.pair_order_issue(
        user=district.curator_a,
        organization=district.school_a,
        data=services.OrderData(kind="fixing", number="15-о", date=TODAY, pairs=drafts),
    )
    client = client_for(district.curator_a)
    url = reverse("community:order_list")
    assert "№ 15-о" in client.get(url + "?kind=fixing").content.decode()
    assert "№ 15-о" not in client.get(url + "?kind=ending").content.decode()
    rows = list(
        load_workbook(BytesIO(client.get(url + "?kind=fixing&export=xlsx").content)).active.values
    )
    assert rows[1][0] == "15-о" and rows[1][-1] == 2
    assert (
        "№ 15-о"
        not in client_for(district.curator_b).get(url + "?reset=1", follow=True).content.decode()
    )
