"""One permission sweep over every named URL of the portal (pretix's test_permissions idea).

Every URL the resolver knows (Django admin aside) is classified below; a URL added later
without a classification fails `test_every_url_of_the_portal_is_classified`. Each classified
URL is then opened with GET (never POST) by every persona over one world of objects of
school A (tests/world.py):

- anonymous → the sign-in page, for every URL but the public ones;
- the coordinator of another municipality, the curator of school B and the kindergarten
  specialist → 404 on every URL naming an object of school A, except the few objects that are
  municipality-wide by design (`SHARED`, each with its reason);
- a POST-only URL answers 405 to a GET of any signed-in user (it never reads the object);
- the regional coordinator (read-only over the region of school A) opens what it reads and
  gets 403 or 404 on every page that changes something (`CHANGES`); the regional coordinator
  of another region gets 403 or 404 on every URL naming an object of school A;
- nobody ever gets a 500, and each object URL opens (200 or a redirect) for one persona inside
  the scope, so a 404 above means "not yours", not "no such object".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import pass_second_factor
from tests.world import World, build_world

ANONYMOUS = "anonymous"
OUTSIDERS = ("foreign_coordinator", "curator_b", "kindergarten_specialist")
INSIDERS = ("coordinator", "school_specialist", "curator_a", "head_a", "mentor_a", "mentee_a")
REGIONAL = "regional_coordinator"
FOREIGN_REGIONAL = "foreign_regional"
ROLES = (ANONYMOUS, *OUTSIDERS, *INSIDERS, REGIONAL, FOREIGN_REGIONAL)
DENIED = (403, 404)

PUBLIC, PAGE, OBJECT, REFERENCE = "public", "page", "object", "reference"


def no_kwargs(world: World) -> dict:
    return {}


def pk(getter: Callable[[World], object]) -> Callable[[World], dict]:
    return lambda world: {"pk": getter(world).pk}


@dataclass(frozen=True)
class Case:
    """How one URL is opened and what outsiders get there."""

    name: str
    kind: str
    kwargs: Callable[[World], dict] = no_kwargs
    query: Callable[[World], str] | None = None
    label: str = ""
    post_only: bool = False
    # The persona inside the scope that opens it, and with what status.
    opens_for: tuple[str, int] | None = None
    # Outsiders that see the object by design: role → (status, reason).
    shared: dict[str, tuple[int, str]] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return f"{self.name} [{self.label}]" if self.label else self.name

    def url(self, world: World) -> str:
        url = reverse(self.name, kwargs=self.kwargs(world))
        return f"{url}?{self.query(world)}" if self.query else url


def public(name: str, **kwargs) -> Case:
    return Case(name, PUBLIC, **kwargs)


def page(name: str, **kwargs) -> Case:
    """A signed-in page that names no object (lists, forms to add, one's own settings)."""
    return Case(name, PAGE, **kwargs)


def reference(name: str, kwargs: Callable[[World], dict]) -> Case:
    """An object of the region-wide reference, not of an organization."""
    return Case(name, REFERENCE, kwargs=kwargs)


def school_a(name: str, kwargs: Callable[[World], dict], opens_for=("curator_a", 200), **more):
    """A URL naming an object of school A."""
    return Case(name, OBJECT, kwargs=kwargs, opens_for=opens_for, **more)


def post_only(name: str, kwargs: Callable[[World], dict]) -> Case:
    return Case(name, OBJECT, kwargs=kwargs, post_only=True)


def of_school_a(world: World) -> dict:
    return {"pk": world.district.school_a.pk}


def of_school_a_list(kind: str) -> Callable[[World], dict]:
    return lambda world: {"pk": world.district.school_a.pk, "kind": kind}


def of_program(world: World) -> dict:
    return {"pk": world.program.pk}


def of_mentee(world: World) -> dict:
    return {"pair": world.pair.pk, "mentee": world.district.mentee_a.person_id}


def organization_query(world: World) -> str:
    return f"organization={world.district.school_a.pk}"


ORDERS_ARE_MUNICIPAL = (
    "the committee's orders bind the whole municipality: read by all of it, edited by its "
    "coordinator only"
)
BANK_OF_MENTORS = "the bank of mentors is municipal (4.1.5): every school's curator picks from it"
BANK_OF_PRACTICES = "accepted products are the municipal bank of best practices (4.1.4)"
SHARED_MENTOR = {
    "curator_b": (200, BANK_OF_MENTORS),
    "kindergarten_specialist": (200, BANK_OF_MENTORS),
}
SHARED_MENTOR_EDIT = {
    "curator_b": (403, "seen in the municipal bank, edited only by the mentor's own school"),
    "kindergarten_specialist": (403, "seen in the municipal bank, edited by the school only"),
}
SHARED_PRODUCT = {
    "curator_b": (200, BANK_OF_PRACTICES),
    "kindergarten_specialist": (200, BANK_OF_PRACTICES),
}

CASES: list[Case] = [
    # Top level: sign-in and password pages, the health check, the home page.
    page("home"),
    public("login"),
    public("logout"),
    page("password_change"),
    page("password_change_done"),
    page("two_factor"),
    page("two_factor_setup"),
    Case("two_factor_recovery", PAGE, post_only=True),
    public("password_reset"),
    public("password_reset_done"),
    public(
        "password_reset_confirm", kwargs=lambda world: {"uidb64": "MQ", "token": "set-password"}
    ),
    public("password_reset_complete"),
    public("health"),
    # orgs
    page("orgs:organization_list"),
    page("orgs:district_staff"),
    page("orgs:audit_log"),
    page("orgs:link_requests"),
    school_a("orgs:consent_edit", lambda w: {"pk": w.district.teacher_a.person_id}),
    Case(
        "orgs:link_decide",
        OBJECT,
        kwargs=lambda w: {"pk": 1, "decision": "confirm"},
        post_only=True,
    ),
    school_a("orgs:organization_detail", of_school_a),
    school_a("orgs:staff_list", of_school_a),
    school_a("orgs:teacher_add", of_school_a),
    school_a("orgs:staff_import", of_school_a),
    school_a("orgs:staff_import_template", of_school_a),
    # Without the token of one's own upload there is nothing to download.
    school_a("orgs:staff_import_errors", of_school_a, opens_for=("curator_a", 404)),
    *(
        case
        for kind in ("needs", "stage1")
        for case in (
            school_a("orgs:list_import", of_school_a_list(kind), label=kind),
            school_a("orgs:list_import_template", of_school_a_list(kind), label=kind),
            school_a(
                "orgs:list_import_errors",
                of_school_a_list(kind),
                opens_for=("curator_a", 404),
                label=kind,
            ),
        )
    ),
    school_a("orgs:teacher_edit", pk(lambda w: w.district.teacher_a)),
    school_a("orgs:teacher_dismiss", pk(lambda w: w.district.teacher_a)),
    school_a("orgs:person_detail", pk(lambda w: w.district.teacher_a.person)),
    # mentoring
    page("mentoring:mentor_list"),
    page("mentoring:mentor_add"),
    page("mentoring:need_list"),
    page("mentoring:pair_list"),
    page("mentoring:pair_add"),
    page("mentoring:meeting_list"),
    page("mentoring:my_pairs"),
    page("mentoring:my_mentor"),
    school_a("mentoring:mentor_detail", pk(lambda w: w.mentor_profile), shared=SHARED_MENTOR),
    school_a("mentoring:mentor_edit", pk(lambda w: w.mentor_profile), shared=SHARED_MENTOR_EDIT),
    school_a("mentoring:mentor_evidence", pk(lambda w: w.mentor_profile), shared=SHARED_MENTOR),
    school_a("mentoring:needs_organization", of_school_a),
    post_only("mentoring:needs_propose", of_school_a),
    post_only("mentoring:needs_reviewed", of_school_a),
    post_only("mentoring:need_decide", lambda w: {"pk": w.need_entry.pk, "status": "confirmed"}),
    school_a("mentoring:pair_detail", pk(lambda w: w.pair)),
    school_a("mentoring:pair_edit", pk(lambda w: w.pair)),
    post_only("mentoring:pair_activate", pk(lambda w: w.pair)),
    post_only("mentoring:pair_complete", pk(lambda w: w.pair)),
    post_only("mentoring:pair_end_early", pk(lambda w: w.pair)),
    post_only("mentoring:pair_archive", pk(lambda w: w.pair)),
    school_a("mentoring:meeting_add", pk(lambda w: w.pair), opens_for=("mentor_a", 200)),
    school_a("mentoring:meeting_edit", pk(lambda w: w.meeting), opens_for=("mentor_a", 200)),
    post_only("mentoring:meeting_confirm", pk(lambda w: w.meeting)),
    school_a("mentoring:meeting_file", pk(lambda w: w.meeting_file)),
    # programs
    page("programs:program_list"),
    page("programs:route_list"),
    page("programs:route_create"),
    page("programs:bank"),
    page("programs:area_list"),
    page("programs:area_add"),
    reference("programs:area_edit", pk(lambda w: w.area)),
    reference("programs:item_add", lambda w: {"area": w.area.pk}),
    reference("programs:item_edit", lambda w: {"area": w.area.pk, "pk": w.item.pk}),
    school_a("programs:program_detail", of_program),
    school_a("programs:program_create", of_mentee, opens_for=("mentor_a", 302)),
    school_a("programs:program_edit", of_program, opens_for=("mentor_a", 200)),
    post_only("programs:program_approve", of_program),
    post_only("programs:program_start", of_program),
    school_a("programs:program_complete", of_program, opens_for=("mentor_a", 200)),
    school_a("programs:mentee_conclusion", of_program, opens_for=("mentee_a", 200)),
    school_a("programs:activity_add", of_program, opens_for=("mentor_a", 200)),
    school_a("programs:program_pdf", of_program),
    school_a("programs:program_docx", of_program),
    school_a("programs:activity_edit", pk(lambda w: w.activity), opens_for=("mentor_a", 200)),
    school_a("programs:activity_file", pk(lambda w: w.activity)),
    school_a("programs:propose_activity", pk(lambda w: w.activity), opens_for=("mentee_a", 200)),
    school_a("programs:diagnostic_result", of_mentee),
    school_a(
        "programs:diagnostic_fill",
        lambda w: {**of_mentee(w), "stage": w.diagnostic.stage, "respondent": "self"},
        opens_for=("mentee_a", 200),
    ),
    school_a("programs:route_detail", pk(lambda w: w.route)),
    school_a("programs:route_edit", pk(lambda w: w.route)),
    school_a("programs:route_areas", pk(lambda w: w.route)),
    school_a("programs:route_item_add", pk(lambda w: w.route)),
    post_only("programs:route_activate", pk(lambda w: w.route)),
    school_a("programs:route_complete", pk(lambda w: w.route)),
    school_a("programs:route_pdf", pk(lambda w: w.route)),
    school_a("programs:route_docx", pk(lambda w: w.route)),
    school_a("programs:route_item_edit", pk(lambda w: w.route_item)),
    school_a("programs:route_item_file", pk(lambda w: w.route_item)),
    school_a("programs:propose_route_item", pk(lambda w: w.route_item)),
    school_a("programs:product_detail", pk(lambda w: w.proposed_product), label="proposed"),
    school_a("programs:product_file", pk(lambda w: w.proposed_product), label="proposed"),
    school_a(
        "programs:product_detail",
        pk(lambda w: w.accepted_product),
        label="accepted",
        shared=SHARED_PRODUCT,
    ),
    school_a(
        "programs:product_file",
        pk(lambda w: w.accepted_product),
        label="accepted",
        shared=SHARED_PRODUCT,
    ),
    post_only("programs:product_decide", pk(lambda w: w.proposed_product)),
    # matching
    page("matching:suggest"),
    page("matching:pair_health"),
    page("matching:weights"),
    school_a(
        "matching:suggest",
        no_kwargs,
        query=lambda w: f"program={w.program.pk}",
        label="?program=school A",
    ),
    # monitoring
    page("monitoring:dashboard"),
    page("monitoring:drill", kwargs=lambda w: {"metric": "pairs"}),
    page("monitoring:definitions"),
    page("monitoring:act_list"),
    page("monitoring:act_add"),
    page("monitoring:deadlines"),
    page("monitoring:order_list"),
    page("monitoring:order_add"),
    page("monitoring:questions"),
    school_a(
        "monitoring:dashboard",
        no_kwargs,
        query=organization_query,
        label="?organization=school A",
        opens_for=("coordinator", 200),
        shared={
            "curator_b": (302, "a curator is always sent to their own school's dashboard"),
        },
    ),
    school_a(
        "monitoring:drill",
        lambda w: {"metric": "pairs"},
        query=organization_query,
        label="?organization=school A",
    ),
    school_a("monitoring:organization_dashboard", of_school_a),
    page("monitoring:region"),
    school_a(
        "monitoring:region_municipality",
        lambda w: {"pk": w.district.municipality.pk},
        opens_for=(REGIONAL, 200),
    ),
    school_a("monitoring:act_edit", pk(lambda w: w.local_act)),
    post_only("monitoring:act_delete", pk(lambda w: w.local_act)),
    school_a("monitoring:act_file", pk(lambda w: w.local_act)),
    school_a(
        "monitoring:order_edit",
        pk(lambda w: w.committee_order),
        opens_for=("coordinator", 200),
        shared={
            "curator_b": (403, ORDERS_ARE_MUNICIPAL),
            "kindergarten_specialist": (403, ORDERS_ARE_MUNICIPAL),
        },
    ),
    post_only("monitoring:order_archive", pk(lambda w: w.committee_order)),
    school_a("monitoring:program", of_program),
    school_a("monitoring:entry_add", of_program),
    school_a(
        "monitoring:entry_edit",
        lambda w: {"pk": w.program.pk, "entry_pk": w.progress_entry.pk},
    ),
    school_a(
        "monitoring:survey_fill",
        lambda w: {"pk": w.program.pk, "respondent": w.survey.respondent, "stage": w.survey.stage},
        opens_for=("mentee_a", 200),
    ),
    # community: the council of mentors, events, incentives, orders on pairs
    page("community:event_list"),
    page("community:event_add"),
    page("community:nomination_list"),
    page("community:nomination_add"),
    page("community:payment_list"),
    page("community:payment_add"),
    page("community:order_list"),
    school_a("community:council", of_school_a),
    school_a("community:council_meeting_add", of_school_a),
    school_a("community:council_meeting", pk(lambda w: w.council_meeting)),
    school_a("community:protocol_pdf", pk(lambda w: w.council_meeting)),
    school_a("community:protocol_docx", pk(lambda w: w.council_meeting)),
    school_a("community:event_detail", pk(lambda w: w.event)),
    post_only("community:nomination_advance", pk(lambda w: w.nomination)),
    school_a("community:order_new", of_school_a),
    school_a("community:order_detail", pk(lambda w: w.order)),
    school_a("community:order_pdf", pk(lambda w: w.order)),
    school_a("community:order_docx", pk(lambda w: w.order)),
    post_only("community:order_start", pk(lambda w: w.order)),
    # editing and archiving: the curator edits, the head and the members read (403), others 404
    school_a("community:council_meeting_edit", pk(lambda w: w.council_meeting)),
    post_only("community:council_meeting_archive", pk(lambda w: w.council_meeting)),
    school_a("community:event_edit", pk(lambda w: w.event)),
    post_only("community:event_archive", pk(lambda w: w.event)),
    school_a("community:event_document", pk(lambda w: w.event)),
    post_only("community:event_participant_remove", pk(lambda w: w.participant)),
    school_a("community:nomination_edit", pk(lambda w: w.nomination)),
    post_only("community:nomination_archive", pk(lambda w: w.nomination)),
    school_a("community:nomination_document", pk(lambda w: w.nomination)),
    school_a("community:payment_edit", pk(lambda w: w.payment)),
    post_only("community:payment_archive", pk(lambda w: w.payment)),
    school_a("community:order_scan", pk(lambda w: w.order)),
    post_only("community:order_scan_upload", pk(lambda w: w.order)),
    post_only("community:order_reissue", pk(lambda w: w.order)),
    school_a(
        "community:order_version_file",
        lambda w: {"pk": w.order.versions.get().pk, "fmt": "pdf"},
        label="pdf",
    ),
    # public: the «Наставничество» pages open without signing in; their editing does not
    public("public:index"),
    public("public:committee", kwargs=lambda w: {"municipality": w.committee_page.slug}),
    public(
        "public:organization",
        kwargs=lambda w: {
            "municipality": w.committee_page.slug,
            "organization": w.organization_page.slug,
        },
    ),
    school_a("public:organization_edit", of_school_a),
    school_a("public:consents", of_school_a),
    school_a("public:news_edit", pk(lambda w: w.news)),
    post_only("public:news_archive", pk(lambda w: w.news)),
    post_only(
        "public:consent_set",
        lambda w: {"pk": w.district.school_a.pk, "person": w.district.mentor_a.person_id},
    ),
    school_a(
        "public:committee_edit",
        lambda w: {"pk": w.district.municipality.pk},
        opens_for=("coordinator", 200),
        shared={
            "curator_b": (
                403,
                "the committee's page is the municipality's; its coordinator edits it",
            ),
            "kindergarten_specialist": (
                403,
                "the committee's page is edited by the coordinator only",
            ),
        },
    ),
    # reports
    page("reports:list"),
    page("reports:order"),
    page("reports:notifications"),
    page("reports:region"),
    school_a("reports:download", pk(lambda w: w.school_report), label="school A"),
    school_a("reports:download_docx", pk(lambda w: w.school_report), label="school A"),
    school_a("reports:values", pk(lambda w: w.school_report), label="school A"),
    post_only("reports:rebuild", pk(lambda w: w.school_report)),
    page("reports:narrative"),
    school_a(
        "reports:download",
        pk(lambda w: w.municipal_report),
        label="municipal",
        opens_for=("coordinator", 200),
        shared={
            "kindergarten_specialist": (
                200,
                "a specialist reads the municipal reports of their municipality",
            )
        },
    ),
]


# Pages that change something (their GET is the form): the regional coordinator gets 403/404.
CHANGES = {
    "orgs:consent_edit", "orgs:teacher_add", "orgs:staff_import", "orgs:list_import",
    "orgs:teacher_edit", "orgs:teacher_dismiss", "mentoring:mentor_add", "mentoring:pair_add",
    "mentoring:mentor_edit", "mentoring:pair_edit", "mentoring:meeting_add",
    "mentoring:meeting_edit", "programs:route_create", "programs:area_add", "programs:area_edit",
    "programs:item_add", "programs:item_edit", "programs:program_create", "programs:program_edit",
    "programs:program_complete", "programs:mentee_conclusion", "programs:activity_add",
    "programs:activity_edit", "programs:propose_activity", "programs:diagnostic_fill",
    "programs:route_edit", "programs:route_areas", "programs:route_item_add",
    "programs:route_complete", "programs:route_item_edit", "programs:propose_route_item",
    "matching:weights", "monitoring:act_add", "monitoring:act_edit", "monitoring:deadlines",
    "monitoring:questions", "monitoring:entry_add", "monitoring:entry_edit",
    "monitoring:survey_fill", "community:event_add", "community:nomination_add",
    "community:payment_add", "community:council_meeting_add", "community:order_new",
    "public:organization_edit", "public:consents", "public:committee_edit", "reports:order",
    "reports:narrative",
}  # fmt: skip
# What the regional coordinator reads in school A's municipality (a 200 proves the read path).
REGIONAL_READS = {
    name: 200
    for name in (
        "orgs:organization_list", "orgs:organization_detail", "orgs:staff_list",
        "orgs:person_detail", "mentoring:pair_list", "mentoring:pair_detail",
        "mentoring:need_list", "mentoring:meeting_list", "programs:program_list",
        "programs:program_detail", "programs:diagnostic_result", "programs:route_detail",
        "monitoring:organization_dashboard", "monitoring:program", "community:council",
        "community:order_detail", "monitoring:region", "reports:region",
    )
}  # fmt: skip


def url_names(resolver=None, namespace: str = "") -> set[str]:
    """Every named URL pattern, walking includes; `namespace:name` inside a namespace."""
    resolver = resolver or get_resolver()
    names: set[str] = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or ""
            full = ":".join(part for part in (namespace, inner) if part)
            names |= url_names(entry, full)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}:{entry.name}" if namespace else entry.name)
    return names


def test_every_url_of_the_portal_is_classified():
    portal = {name for name in url_names() if not name.startswith("admin:")}
    classified = {case.name for case in CASES}
    problems = [f"unclassified URL: {name}" for name in sorted(portal - classified)]
    problems += [f"classified but gone: {name}" for name in sorted(classified - portal)]
    assert not problems, "\n".join(problems)


def expected_for(case: Case, role: str) -> int | tuple[int, ...] | None:
    """The status (or one of the statuses) `role` must get, or None when only "no 500" is
    required."""
    if case.kind == PUBLIC:
        return None
    if role == ANONYMOUS:
        return 302
    if case.post_only:
        return 405
    if role == FOREIGN_REGIONAL and case.kind == OBJECT:
        return DENIED
    if role == REGIONAL:
        if case.name in CHANGES:
            return DENIED
        return REGIONAL_READS.get(case.title)
    if case.kind == OBJECT and role in OUTSIDERS:
        return case.shared.get(role, (404, ""))[0]
    if case.opens_for and case.opens_for[0] == role:
        return case.opens_for[1]
    return None


def open_url(client: Client, url: str):
    """(status, Location) of a GET, or (500, the error) when the view raises."""
    try:
        response = client.get(url)
    except Exception as error:  # noqa: BLE001 - a raising view is the 500 the sweep reports
        return 500, f"{type(error).__name__}: {error}"
    if response.streaming:  # read to the end, so the client closes the file
        b"".join(response.streaming_content)
    return response.status_code, response.get("Location", "")


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_persona_as_its_scope_says(district, role):
    world = build_world(district)
    client = Client()
    if role != ANONYMOUS:
        client.force_login(getattr(district, role))
        pass_second_factor(client, getattr(district, role))
    sign_in = reverse("login")
    failures = []
    for case in CASES:
        url = case.url(world)
        status, detail = open_url(client, url)
        expected = expected_for(case, role)
        if status >= 500:
            failures.append(f"{case.title} {url}: {status} {detail}")
        elif expected is None:
            continue
        elif status not in (expected if isinstance(expected, tuple) else (expected,)):
            failures.append(f"{case.title} {url}: {status}, expected {expected} {detail}")
        elif role == ANONYMOUS and not detail.startswith(sign_in):
            failures.append(f"{case.title} {url}: redirected to {detail}, not to sign-in")
    assert not failures, f"{role}:\n" + "\n".join(failures)


def test_every_object_url_has_a_persona_inside_the_scope_who_opens_it():
    missing = [
        case.title
        for case in CASES
        if case.kind == OBJECT and not case.post_only and case.opens_for is None
    ]
    assert not missing, missing


def test_each_exception_for_outsiders_is_written_down_with_its_reason():
    for case in CASES:
        for role, (status, reason) in case.shared.items():
            assert role in OUTSIDERS and reason and status != 404, case.title
