"""The council of mentors, events, incentives and the orders on pairs."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from community import documents, services
from community.filters import EventFilter, NominationFilter, OrderFilter, PaymentFilter
from community.forms import (
    CouncilMeetingForm,
    DecisionForm,
    EventForm,
    MemberForm,
    NominationEditForm,
    NominationForm,
    NominationStageForm,
    OfficersForm,
    OrderForm,
    OrderScanForm,
    ParticipantForm,
    PaymentForm,
)
from community.models import (
    DecisionKind,
    Event,
    Nomination,
    OrderKind,
    PairOrder,
    PairOrderVersion,
    Payment,
)
from community.permissions import (
    can_add_records,
    can_decide_nomination,
    can_edit_event,
    can_edit_records,
    can_manage_event,
    can_manage_records,
    can_run_council,
    council_for,
    council_meeting_for,
    event_for,
    nomination_for,
    order_for,
    participant_for,
    payment_for,
)
from core.idempotency import add_token
from core.listing import FilteredListView
from core.uploads import ACCEPT, protected_file_response
from core.views import run_action, save_form
from orgs.models import Municipality, Organization, Person, user_scope


def _file_response(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _editable(user, records) -> set[int]:
    """The pks of the listed records the user may edit and archive."""
    return {record.pk for record in records if can_edit_records(user, record.organization_id)}


def _managed_organizations(user):
    scope = user_scope(user)
    qs = Organization.objects.all()
    return qs if scope.is_superuser else qs.filter(pk__in=scope.managed_organizations)


def _record_form(request, form, title: str, back_url: str, archive_url: str = ""):
    """The one page that adds or edits a record (with its file, where it has one)."""
    return render(
        request,
        "community/record_form.html",
        {"form": form, "title": title, "back_url": back_url, "archive_url": archive_url},
    )


def _archive(request, action, message: str, redirect_to):
    run_action(request, action, lambda: message)
    return redirect(redirect_to)


def _edit_record(request, record, form, save, list_name: str, archive_name: str):
    """The edit page of a listed record: `save()` on a valid POST, back to the list; the page
    offers archiving the record."""
    if response := save_form(
        request, form, save, gettext("Changes are saved."), redirect_to=list_name
    ):
        return response
    return _record_form(
        request,
        form,
        str(record),
        reverse(list_name),
        reverse(archive_name, args=[record.pk]),
    )


def _archive_record(request, archive, list_name: str):
    """Archive a listed record through its service, back to the list."""
    return _archive(
        request,
        lambda: archive(user=request.user, today=timezone.localdate()),
        gettext("The record is archived."),
        list_name,
    )


# Council ----------------------------------------------------------------------------------


@login_required
def council(request, pk: int):
    council = council_for(request.user, pk)
    organization = council.organization
    can_run = can_run_council(request.user, organization.pk)
    member_form = MemberForm(
        request.POST if "add_member" in request.POST else None,
        organization=organization,
        initial={"joined_on": timezone.localdate()},
    )
    add_token(member_form)
    officers_form = OfficersForm(
        request.POST if "set_officers" in request.POST else None,
        council=council,
        initial={"head": council.head_id, "secretary": council.secretary_id},
    )
    if request.method == "POST":
        if not can_run:
            raise PermissionDenied
        if "add_member" in request.POST:
            form = member_form
            action = lambda: services.council_member_add(  # noqa: E731
                user=request.user,
                organization=organization,
                person=form.cleaned_data["person"],
                joined_on=form.cleaned_data["joined_on"],
            )
            message = gettext("The mentor joined the council.")
        else:
            form = officers_form
            action = lambda: services.council_set_officers(  # noqa: E731
                user=request.user,
                organization=organization,
                head=form.cleaned_data["head"],
                secretary=form.cleaned_data["secretary"],
            )
            message = gettext("Changes are saved.")
        if response := save_form(request, form, action, message, redirect_to=request.path):
            return response
    members = (
        list(council.members.select_related("person").order_by("person__search_key"))
        if council.pk
        else []
    )
    meetings = (
        list(
            council.meetings.current().prefetch_related("decisions").order_by("-held_on", "-number")
        )
        if council.pk
        else []
    )
    return render(
        request,
        "community/council.html",
        {
            "council": council,
            "organization": organization,
            "members": members,
            "meetings": meetings,
            "can_run": can_run,
            "member_form": member_form,
            "officers_form": officers_form,
        },
    )


def _meeting_form(request, council, meeting=None):
    """The form of a new meeting (a creating form, with its one-time token) or of a recorded
    one being corrected."""
    if meeting is None:
        form = CouncilMeetingForm(
            request.POST or None, council=council, initial={"held_on": timezone.localdate()}
        )
        add_token(form)
        save = partial(services.council_meeting_hold, organization=council.organization)
        message = gettext("The meeting is recorded. Now add its decisions.")
    else:
        form = CouncilMeetingForm(
            request.POST or None, council=council, initial=CouncilMeetingForm.initial_of(meeting)
        )
        save = partial(services.council_meeting_update, meeting=meeting)
        message = gettext("Changes are saved.")
    if response := save_form(
        request, form, lambda: save(user=request.user, data=form.to_data()), message
    ):
        return response
    return render(
        request,
        "community/council_meeting_form.html",
        {
            "form": form,
            "council": council,
            "organization": council.organization,
            "meeting": meeting,
        },
    )


@login_required
def council_meeting_add(request, pk: int):
    return _meeting_form(request, council_for(request.user, pk, run=True))


@login_required
def council_meeting_edit(request, pk: int):
    meeting = council_meeting_for(request.user, pk, run=True)
    return _meeting_form(request, meeting.council, meeting)


@login_required
@require_POST
def council_meeting_archive(request, pk: int):
    meeting = council_meeting_for(request.user, pk, run=True)
    return _archive(
        request,
        lambda: services.council_meeting_archive(
            user=request.user, meeting=meeting, today=timezone.localdate()
        ),
        gettext("The record is archived."),
        meeting.council,
    )


@login_required
def council_meeting(request, pk: int):
    meeting = council_meeting_for(request.user, pk)
    organization = meeting.council.organization
    can_run = can_run_council(request.user, organization.pk)
    form = DecisionForm(request.POST or None, organization=organization)
    add_token(form)
    if request.method == "POST":
        if not can_run:
            raise PermissionDenied
        if response := save_form(
            request,
            form,
            lambda: services.council_decide(
                user=request.user, meeting=meeting, data=form.to_data()
            ),
            gettext("The decision is recorded."),
            redirect_to=meeting,
        ):
            return response
    return render(
        request,
        "community/council_meeting.html",
        {
            "meeting": meeting,
            "organization": organization,
            "attended": list(meeting.attended.order_by("search_key")),
            "decisions": list(
                meeting.decisions.select_related(
                    "program__mentee", "product", "mentor", "mentee", "nomination"
                )
            ),
            "can_run": can_run,
            "form": form,
            "kinds": DecisionKind,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def protocol_pdf(request, pk: int):
    meeting = council_meeting_for(request.user, pk)
    return _file_response(
        documents.protocol_pdf(meeting), "application/pdf", f"protocol-{meeting.number}.pdf"
    )


@login_required
def protocol_docx(request, pk: int):
    meeting = council_meeting_for(request.user, pk)
    return _file_response(
        documents.protocol_docx(meeting),
        documents.DOCX_CONTENT_TYPE,
        f"protocol-{meeting.number}.docx",
    )


# Events -----------------------------------------------------------------------------------


class EventListView(LoginRequiredMixin, FilteredListView):
    template_name = "community/event_list.html"
    list_title = _("Events")
    filterset_class = EventFilter
    export_filename = "events.xlsx"
    export_title = _("Events")
    export_headers = (
        _("Event"),
        _("Kind of event"),
        _("Level"),
        _("Organization"),
        _("Start"),
        _("End"),
        _("Participants"),
        _("Winners and prize-winners"),
    )

    def get_base_queryset(self):
        return Event.objects.visible_to(self.request.user).current().for_list()

    def export_row(self, event):
        rows = event.participant_list
        return (
            event.title,
            event.get_kind_display(),
            event.get_level_display(),
            event.organization.short_name if event.organization else gettext("municipal"),
            event.starts_on,
            event.ends_on,
            len(rows),
            "; ".join(
                f"{row.person.full_name} ({row.get_role_display()})"
                for row in rows
                if row.role in ("winner", "prize_winner")
            ),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scope = user_scope(self.request.user)
        context["can_add"] = can_add_records(self.request.user) or bool(
            scope.coordinated_municipalities
        )
        return context


def _event_organizations(user):
    return _managed_organizations(user).order_by("sort_key")


@login_required
def event_add(request):
    scope = user_scope(request.user)
    allow_municipal = scope.is_superuser or bool(scope.coordinated_municipalities)
    if not (allow_municipal or scope.managed_organizations):
        raise PermissionDenied
    organizations = _event_organizations(request.user)
    form = EventForm(
        request.POST or None,
        request.FILES or None,
        organizations=organizations,
        allow_municipal=allow_municipal,
    )
    add_token(form)
    municipality_id = next(iter(scope.coordinated_municipalities), None)
    if response := save_form(
        request,
        form,
        lambda: services.event_save(
            user=request.user,
            data=form.to_data(),
            organization=form.cleaned_data.get("organization"),
            municipality=(
                None
                if form.cleaned_data.get("organization")
                else Municipality.objects.filter(pk=municipality_id).first()
                or Municipality.objects.first()
            ),
            document=form.cleaned_data.get("document"),
        ),
        gettext("The event is saved. Add its participants."),
    ):
        return response
    return _record_form(request, form, gettext("Add an event"), reverse("community:event_list"))


@login_required
def event_edit(request, pk: int):
    event = event_for(request.user, pk, edit=True)
    form = EventForm(
        request.POST or None, request.FILES or None, initial=EventForm.initial_of(event)
    )
    if response := save_form(
        request,
        form,
        lambda: services.event_save(
            user=request.user,
            data=form.to_data(),
            event=event,
            document=form.cleaned_data.get("document"),
        ),
        gettext("Changes are saved."),
    ):
        return response
    return _record_form(
        request,
        form,
        gettext("Edit the event"),
        event.get_absolute_url(),
        reverse("community:event_archive", args=[event.pk]),
    )


@login_required
@require_POST
def event_archive(request, pk: int):
    event = event_for(request.user, pk, edit=True)
    return _archive_record(
        request, partial(services.event_archive, event=event), "community:event_list"
    )


@login_required
@require_POST
def event_participant_remove(request, pk: int):
    participant = participant_for(request.user, pk)
    services.event_participant_remove(user=request.user, participant=participant)
    messages.success(request, gettext("The participant is removed from the event."))
    return redirect(participant.event)


@login_required
def event_document(request, pk: int):
    event = event_for(request.user, pk)
    return protected_file_response(event.document, event.document_name)


@login_required
def event_detail(request, pk: int):
    event = event_for(request.user, pk)
    can_manage = can_manage_event(request.user, event)
    people = (
        Person.objects.filter(
            employments__organization__municipality_id=event.municipality_id,
            employments__dismissed_on__isnull=True,
        )
        .distinct()
        .order_by("search_key")
    )
    if event.organization_id:
        people = people.filter(employments__organization_id=event.organization_id)
    form = ParticipantForm(request.POST or None, people=people)
    add_token(form)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if response := save_form(
            request,
            form,
            lambda: services.event_participant_add(
                user=request.user,
                event=event,
                person=form.cleaned_data["person"],
                role=form.cleaned_data["role"],
            ),
            gettext("The participant is added."),
            redirect_to=event,
        ):
            return response
    return render(
        request,
        "community/event_detail.html",
        {
            "event": event,
            "can_manage": can_manage,
            "can_edit": can_edit_event(request.user, event),
            "form": form,
        },
    )


# Incentives ------------------------------------------------------------------------------


class NominationListView(LoginRequiredMixin, FilteredListView):
    template_name = "community/nomination_list.html"
    list_title = _("Non-material incentives")
    filterset_class = NominationFilter
    export_filename = "nominations.xlsx"
    export_title = _("Nominations")
    export_headers = (
        _("Teacher"),
        _("Organization"),
        _("Incentive"),
        _("Proposed by"),
        _("Stage"),
        _("Proposed on"),
        _("Supported on"),
        _("Submitted on"),
        _("Decided on"),
    )

    def get_base_queryset(self):
        return Nomination.objects.visible_to(self.request.user).current().for_list()

    def export_row(self, nomination):
        return (
            nomination.person.full_name,
            nomination.organization.short_name,
            nomination.get_kind_display(),
            nomination.get_proposed_by_display(),
            nomination.get_stage_display(),
            nomination.proposed_on,
            nomination.supported_on,
            nomination.submitted_on,
            nomination.decided_on,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = can_add_records(self.request.user)
        context["stage_form"] = NominationStageForm(initial={"on": timezone.localdate()})
        context["deciding"] = {
            nomination.pk
            for nomination in context["object_list"]
            if can_decide_nomination(self.request.user, nomination)
        }
        context["editable"] = _editable(self.request.user, context["object_list"])
        return context


@login_required
def nomination_add(request):
    if not can_add_records(request.user):
        raise PermissionDenied
    organizations = _managed_organizations(request.user).order_by("sort_key")
    form = NominationForm(
        request.POST or None,
        organizations=organizations,
        initial={"proposed_on": timezone.localdate(), "proposed_by": "head"},
    )
    add_token(form)
    if response := save_form(
        request,
        form,
        lambda: services.nomination_propose(
            user=request.user,
            organization=form.cleaned_data["organization"],
            person=form.cleaned_data["person"],
            kind=form.cleaned_data["kind"],
            proposed_by=form.cleaned_data["proposed_by"],
            proposed_on=form.cleaned_data["proposed_on"],
            grounds=form.cleaned_data["grounds"],
        ),
        gettext("The nomination is proposed."),
        redirect_to="community:nomination_list",
    ):
        return response
    return _record_form(
        request,
        form,
        gettext("Propose for an incentive"),
        reverse("community:nomination_list"),
    )


@login_required
def nomination_edit(request, pk: int):
    nomination = nomination_for(request.user, pk, edit=True)
    form = NominationEditForm(
        request.POST or None,
        request.FILES or None,
        initial=NominationEditForm.initial_of(nomination),
    )
    return _edit_record(
        request,
        nomination,
        form,
        lambda: services.nomination_update(
            user=request.user,
            nomination=nomination,
            kind=form.cleaned_data["kind"],
            proposed_by=form.cleaned_data["proposed_by"],
            proposed_on=form.cleaned_data["proposed_on"],
            grounds=form.cleaned_data["grounds"],
            document=form.cleaned_data.get("document"),
        ),
        "community:nomination_list",
        "community:nomination_archive",
    )


@login_required
@require_POST
def nomination_archive(request, pk: int):
    nomination = nomination_for(request.user, pk, edit=True)
    return _archive_record(
        request,
        partial(services.nomination_archive, nomination=nomination),
        "community:nomination_list",
    )


@login_required
def nomination_document(request, pk: int):
    nomination = nomination_for(request.user, pk)
    return protected_file_response(nomination.document, nomination.document_name)


@login_required
@require_POST
def nomination_advance(request, pk: int):
    nomination = nomination_for(request.user, pk)
    if not can_decide_nomination(request.user, nomination):
        raise PermissionDenied
    form = NominationStageForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choose the stage and its date."))
    else:
        run_action(
            request,
            lambda: services.nomination_advance(
                user=request.user,
                nomination=nomination,
                stage=form.cleaned_data["stage"],
                on=form.cleaned_data["on"],
            ),
            lambda: gettext("The nomination moved to the next stage."),
        )
    return redirect("community:nomination_list")


class PaymentListView(LoginRequiredMixin, FilteredListView):
    template_name = "community/payment_list.html"
    list_title = _("Payments for mentoring")
    filterset_class = PaymentFilter
    export_filename = "payments.xlsx"
    export_title = _("Payments for mentoring")
    export_headers = (
        _("Mentor"),
        _("Organization"),
        _("Local act"),
        _("Point of the act"),
        _("Amount, roubles a month"),
        _("Percentage of the salary"),
        _("From"),
        _("Until"),
    )

    def get_base_queryset(self):
        return Payment.objects.visible_to(self.request.user).current().for_list()

    def export_row(self, payment):
        return (
            payment.person.full_name,
            payment.organization.short_name,
            payment.act,
            payment.act_point,
            payment.amount,
            payment.percent,
            payment.starts_on,
            payment.ends_on,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = can_add_records(self.request.user)
        context["editable"] = _editable(self.request.user, context["object_list"])
        return context


@login_required
def payment_add(request):
    if not can_add_records(request.user):
        raise PermissionDenied
    organizations = _managed_organizations(request.user).order_by("sort_key")
    form = PaymentForm(request.POST or None, organizations=organizations)
    add_token(form)
    if response := save_form(
        request,
        form,
        lambda: services.payment_set(
            user=request.user,
            organization=form.cleaned_data["organization"],
            data=form.to_data(),
        ),
        gettext("The payment is recorded."),
        redirect_to="community:payment_list",
    ):
        return response
    return _record_form(
        request, form, gettext("Set a payment for mentoring"), reverse("community:payment_list")
    )


@login_required
def payment_edit(request, pk: int):
    payment = payment_for(request.user, pk, edit=True)
    form = PaymentForm(
        request.POST or None,
        organizations=Organization.objects.filter(pk=payment.organization_id),
        edit=True,
        initial=PaymentForm.initial_of(payment),
    )
    return _edit_record(
        request,
        payment,
        form,
        lambda: services.payment_update(user=request.user, payment=payment, data=form.to_data()),
        "community:payment_list",
        "community:payment_archive",
    )


@login_required
@require_POST
def payment_archive(request, pk: int):
    payment = payment_for(request.user, pk, edit=True)
    return _archive_record(
        request, partial(services.payment_archive, payment=payment), "community:payment_list"
    )


# Orders on pairs ---------------------------------------------------------------------------


class OrderListView(LoginRequiredMixin, FilteredListView):
    template_name = "community/order_list.html"
    filterset_class = OrderFilter
    list_title = _("Orders on pairs")
    export_filename = "orders.xlsx"
    export_title = _("Orders on pairs")
    export_headers = (
        _("Order number"),
        _("Order date"),
        _("Kind of order"),
        _("Organization"),
        _("Pairs and groups"),
    )

    def get_base_queryset(self):
        return (
            PairOrder.objects.visible_to(self.request.user)
            .select_related("organization")
            .annotate(pair_count=Count("pairs"))
            .order_by("-date", "-pk")
        )

    def export_row(self, order):
        return (
            order.number,
            order.date,
            order.get_kind_display(),
            order.organization.short_name,
            order.pair_count,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["organizations"] = _managed_organizations(self.request.user).order_by("sort_key")
        return context


@login_required
def order_new(request, pk: int):
    organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)
    if not can_manage_records(request.user, organization.pk):
        raise PermissionDenied
    kind = request.POST.get("kind") or request.GET.get("kind") or OrderKind.FIXING
    if kind not in OrderKind.values:
        kind = OrderKind.FIXING
    curator = request.user.person if request.user.person_id else None
    form = OrderForm(
        request.POST or None,
        organization=organization,
        kind=kind,
        initial={"date": timezone.localdate(), "responsible": curator.pk if curator else None},
    )
    add_token(form)
    if response := save_form(
        request,
        form,
        lambda: services.pair_order_issue(
            user=request.user, organization=organization, data=form.to_data()
        ),
        gettext("The order is registered on the pairs. Print it for the head's signature."),
    ):
        return response
    return render(
        request,
        "community/order_form.html",
        {"form": form, "organization": organization, "kind": kind, "kinds": OrderKind},
    )


@login_required
def order_detail(request, pk: int):
    order = order_for(request.user, pk)
    context = documents.order_context(order)
    context["can_manage"] = can_manage_records(request.user, order.organization_id)
    context["drafts"] = sum(1 for pair, _m in context["pairs"] if pair.status == "draft")
    context["can_edit"] = can_edit_records(request.user, order.organization_id)
    context["scan_accept"] = ACCEPT
    context["versions"] = list(order.versions.select_related("issued_by").order_by("-version"))
    return render(request, "community/order_detail.html", context)


@login_required
@require_POST
def order_scan_upload(request, pk: int):
    order = order_for(request.user, pk, edit=True)
    form = OrderScanForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("signed_scan", []):
            messages.error(request, error)
        return redirect(order)
    run_action(
        request,
        lambda: services.pair_order_attach_scan(
            user=request.user, order=order, upload=form.cleaned_data["signed_scan"]
        ),
        lambda: gettext("The signed scan of the order is kept."),
    )
    return redirect(order)


@login_required
def order_scan(request, pk: int):
    order = order_for(request.user, pk)
    return protected_file_response(order.signed_scan, order.signed_scan_name)


def _issued(order):
    """The order's last issued version (None for an order issued before versions were kept)."""
    return order.versions.order_by("-version").first()


@login_required
def order_pdf(request, pk: int):
    order = order_for(request.user, pk)
    if version := _issued(order):
        return protected_file_response(version.pdf, f"{version.file_stem}.pdf")
    return _file_response(documents.order_pdf(order), "application/pdf", f"order-{order.pk}.pdf")


@login_required
def order_docx(request, pk: int):
    order = order_for(request.user, pk)
    if version := _issued(order):
        return protected_file_response(version.docx, f"{version.file_stem}.docx")
    return _file_response(
        documents.order_docx(order), documents.DOCX_CONTENT_TYPE, f"order-{order.pk}.docx"
    )


@login_required
def order_version_file(request, pk: int, fmt: str):
    """An issued version of an order, as it was printed then."""
    if fmt not in ("pdf", "docx"):
        raise Http404
    version = get_object_or_404(PairOrderVersion.objects.visible_to(request.user), pk=pk)
    field = version.pdf if fmt == "pdf" else version.docx
    return protected_file_response(field, f"{version.file_stem}.{fmt}")


@login_required
@require_POST
def order_reissue(request, pk: int):
    order = order_for(request.user, pk, manage=True)
    run_action(
        request,
        lambda: services.pair_order_reissue(
            user=request.user, order=order, reason=request.POST.get("reason", "")
        ),
        lambda: gettext("The order is issued again as a new version; the earlier ones are kept."),
    )
    return redirect(order)


@login_required
@require_POST
def order_start(request, pk: int):
    order = order_for(request.user, pk, manage=True)
    result = {}

    def start():
        result["count"] = services.pair_order_start(
            user=request.user, order=order, today=timezone.localdate()
        )

    run_action(
        request,
        start,
        lambda: gettext("Pairs started: %(count)s.") % {"count": result["count"]},
    )
    return redirect(order)
