"""The order on pairs and the council's protocol as PDF (core.pdf) and Word (.docx)."""

from __future__ import annotations

from io import BytesIO

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from community.models import CouncilMeeting, OrderKind, PairOrder
from core.pdf import render_pdf
from programs.services import head_of

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def order_context(order: PairOrder) -> dict:
    pairs = list(
        order.pairs.select_related("mentor", "form", "kind").prefetch_related("memberships__person")
    )
    people = {}
    for pair in pairs:
        people[pair.mentor_id] = pair.mentor
        for row in pair.memberships.all():
            people[row.person_id] = row.person
    if order.responsible:
        people[order.responsible_id] = order.responsible
    return {
        "order": order,
        "organization": order.organization,
        "is_fixing": order.kind == OrderKind.FIXING,
        "pairs": [(pair, [row.person for row in pair.memberships.all()]) for pair in pairs],
        "head": head_of(order.organization),
        "acquainted": sorted(people.values(), key=lambda person: person.search_key),
    }


def order_pdf(order: PairOrder) -> bytes:
    return render_pdf("community/pdf/order.html", order_context(order))


def protocol_context(meeting: CouncilMeeting) -> dict:
    council = meeting.council
    return {
        "meeting": meeting,
        "council": council,
        "organization": council.organization,
        "attended": list(meeting.attended.order_by("search_key")),
        "members": council.members.count(),
        "decisions": list(
            meeting.decisions.select_related("program__mentee", "product", "mentor", "mentee")
        ),
    }


def protocol_pdf(meeting: CouncilMeeting) -> bytes:
    return render_pdf("community/pdf/protocol.html", protocol_context(meeting))


def _document():
    from docx import Document
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    return document


def _centered(document, text: str, *, bold: bool = False):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(text).bold = bold
    return paragraph


def _table(document, headers: list[str], rows: list[list[str]]):
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = header
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = value
    return table


def _save(document) -> bytes:
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def order_docx(order: PairOrder) -> bytes:
    """The same order as Word, for the head's office to sign and register."""
    with translation.override(settings.LANGUAGE_CODE):
        context = order_context(order)
        document = _document()
        _centered(document, order.organization.full_name, bold=True)
        _centered(document, _("ORDER"), bold=True)
        document.add_paragraph(
            _("%(date)s    No. %(number)s")
            % {"date": f"{order.date:%d.%m.%Y}", "number": order.number}
        )
        title = (
            _("On fixing mentoring pairs and groups")
            if context["is_fixing"]
            else _("On ending mentoring pairs and groups early")
        )
        _centered(document, title, bold=True)
        document.add_paragraph(preamble(order))
        document.add_paragraph(_("I ORDER:"))
        for number, text in enumerate(order_points(order, context), start=1):
            document.add_paragraph(f"{number}. {text}")
            if number == 1:
                _table(
                    document,
                    [_("No."), _("Mentor"), _("Mentees"), _("Form"), _("Kind"), _("Period")],
                    [
                        [
                            str(index),
                            pair.mentor.full_name,
                            ", ".join(person.full_name for person in mentees),
                            str(pair.form),
                            str(pair.kind),
                            f"{pair.planned_start:%d.%m.%Y} – {pair.planned_end:%d.%m.%Y}",
                        ]
                        for index, (pair, mentees) in enumerate(context["pairs"], start=1)
                    ],
                )
        document.add_paragraph()
        document.add_paragraph(
            f"{_('Head')}    ____________    {context['head'] or '____________'}"
        )
        document.add_paragraph(_("The following have read the order:"))
        for person in context["acquainted"]:
            document.add_paragraph(f"{person.short_name}    ____________    «___» ________ 20__")
        return _save(document)


def preamble(order: PairOrder) -> str:
    return _(
        "In accordance with the Regulation on the system of mentoring of pedagogical workers "
        "of %(organization)s and for the purpose of professional support of teachers,"
    ) % {"organization": order.organization.full_name}


def order_points(order: PairOrder, context: dict) -> list[str]:
    """The points of the order, in the words the PDF and the .docx share."""
    if context["is_fixing"]:
        points = [
            _("To fix the mentoring pairs and groups listed below."),
            _(
                "The mentors are to draw up the personalized mentoring programs with their "
                "mentees within two weeks and submit them to the curator for approval."
            ),
        ]
        if order.payment_point:
            points.append(order.payment_point)
    else:
        points = [
            _("To end early the mentoring pairs and groups listed below. Reason: %(reason)s.")
            % {"reason": order.end_reason}
        ]
    # Initials end with a dot; the sentence adds its own.
    responsible = order.responsible.short_name.rstrip(".") if order.responsible else "________"
    points.append(
        _("To appoint %(name)s responsible for organizing and monitoring the mentoring.")
        % {"name": responsible}
    )
    points.append(_("I reserve control over the execution of this order."))
    return points


def protocol_docx(meeting: CouncilMeeting) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        context = protocol_context(meeting)
        document = _document()
        _centered(document, meeting.council.organization.full_name, bold=True)
        _centered(document, _("PROTOCOL No. %(number)s") % {"number": meeting.number}, bold=True)
        _centered(document, _("of the meeting of the council of mentors"))
        document.add_paragraph(f"{meeting.held_on:%d.%m.%Y}")
        document.add_paragraph(
            _("Present: %(present)s of %(members)s members: %(names)s.")
            % {
                "present": len(context["attended"]),
                "members": context["members"],
                # Initials end with a dot already.
                "names": ", ".join(p.short_name for p in context["attended"]).rstrip("."),
            }
        )
        document.add_paragraph(_("Agenda:"))
        for number, item in enumerate(meeting.agenda_items, start=1):
            document.add_paragraph(f"{number}. {item}")
        if meeting.minutes:
            document.add_paragraph(_("Heard:"))
            document.add_paragraph(meeting.minutes)
        document.add_paragraph(_("Decided:"))
        for number, decision in enumerate(context["decisions"], start=1):
            document.add_paragraph(f"{number}. {decision_line(decision)}")
        council = meeting.council
        document.add_paragraph()
        document.add_paragraph(
            f"{_('Head of the council')}    ____________    "
            f"{council.head.short_name if council.head else '____________'}"
        )
        document.add_paragraph(
            f"{_('Secretary')}    ____________    "
            f"{council.secretary.short_name if council.secretary else '____________'}"
        )
        return _save(document)


def decision_line(decision) -> str:
    """A decision in one line, naming what it decided."""
    subject = ""
    if decision.program_id:
        subject = str(decision.program)
    elif decision.product_id:
        subject = decision.product.title
    elif decision.mentor_id and decision.mentee_id:
        subject = f"{decision.mentor.short_name} — {decision.mentee.short_name}"
    elif decision.mentee_id:
        subject = decision.mentee.short_name
    head = f"{decision.get_kind_display()}" + (f" ({subject})" if subject else "")
    return f"{head}: {decision.text}"
