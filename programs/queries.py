"""What the programs app shows on the home page: one's program, programs to build or approve."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from mentoring.models import PairMentee, PairStatus
from programs.models import Activity, Program, ProgramStatus

HOME_LIMIT = 20


def home_programs(user) -> dict:
    """For a mentee their programs; for a mentor the programs of their pairs and the mentees
    still without one; for a curator the drafts waiting for approval and the same gaps."""
    scope = user.scope
    today = timezone.localdate()
    result: dict = {}
    if scope.person_id:
        result["own"] = list(
            Program.objects.filter(mentee_id=scope.person_id)
            .exclude(status=ProgramStatus.COMPLETED)
            .for_list(today)
        )
        result["as_mentor"] = list(
            Program.objects.filter(pair__mentor_id=scope.person_id)
            .exclude(status=ProgramStatus.COMPLETED)
            .for_list(today)[:HOME_LIMIT]
        )
    without_program = Q(pair__mentor_id=scope.person_id) if scope.person_id else Q(pk__in=[])
    if scope.managed_organizations:
        without_program |= Q(pair__organization_id__in=scope.managed_organizations)
        # Drafts with a road map: EXISTS, not a join with DISTINCT over every activity. The
        # home page names the mentee and the mentor only (in the programs' own order): no
        # activity counts, no other joins (for_list's would triple the query's planning,
        # ≈ 2.7 ms, on every visit).
        result["to_approve"] = list(
            Program.objects.filter(
                Exists(Activity.objects.filter(program_id=OuterRef("pk"))),
                pair__organization_id__in=scope.managed_organizations,
                status=ProgramStatus.DRAFT,
            ).select_related("mentee", "pair__mentor")[:HOME_LIMIT]
        )
    if scope.person_id or scope.managed_organizations:
        has_program = Program.objects.filter(
            pair_id=OuterRef("pair_id"), mentee_id=OuterRef("person_id")
        )
        result["without_program"] = list(
            PairMentee.objects.filter(without_program, pair__status=PairStatus.ACTIVE)
            .exclude(Exists(has_program))
            .select_related("pair", "person")
            .order_by("pair__planned_start", "pk")[:HOME_LIMIT]
        )
    result["any"] = any(result.values())
    return result
