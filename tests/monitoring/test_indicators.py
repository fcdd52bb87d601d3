"""Each indicator on the hand-made data set of conftest.py; the right answers are counted by
hand in the comments."""

from __future__ import annotations

import datetime

import pytest

from monitoring import indicators as ind
from monitoring.models import Deadline, DeadlineKind, Measure
from tests.monitoring.conftest import PREVIOUS, TODAY, YEAR


@pytest.fixture
def municipality(dataset):
    return ind.Scope(municipality_id=dataset.district.municipality.pk)


def test_coverage_counts_needing_teachers_with_a_working_pair(dataset, municipality):
    # School A: mentee_a (P1) and Ёлкина (P2) are in pairs, «Без пары» is not, the dismissed
    # entry does not count. Last year: Садовая of the kindergarten, in P3.
    result = ind.compare(ind.coverage, municipality, YEAR, TODAY)
    assert (result.current.needing, result.current.covered, result.current.uncovered) == (3, 2, 1)
    assert result.current.percent == 66.7
    assert (result.previous.needing, result.previous.covered) == (1, 1)
    assert result.previous.percent == 100.0


def test_pairs_and_groups_by_form_and_kind_and_inter_organization(dataset, municipality):
    result = ind.compare(ind.pair_counts, municipality, YEAR, TODAY)
    now = result.current
    assert (now.pairs, now.groups, now.inter_organization) == (1, 1, 1)
    assert {(row.kind.lower(), row.pairs, row.groups) for row in now.by_form} == {
        ("наставничество в группе", 0, 1),
        ("традиционное (один на один)", 1, 0),
    }
    before = result.previous
    assert (before.pairs, before.groups, before.inter_organization) == (1, 0, 0)


def test_programs_running_completed_share_and_overdue_activities(dataset, municipality):
    result = ind.compare(ind.program_counts, municipality, YEAR, TODAY)
    # Running: prog1..prog3. Due by today: prog2 (completed) and prog3 (not) → 50 %.
    # Overdue: prog1 on 01.10 and prog3 on 01.11; last year prog4 on 01.03.
    now = result.current
    assert (now.running, now.due, now.completed, now.completed_percent) == (3, 2, 1, 50.0)
    assert now.overdue_activities == 2
    assert (result.previous.running, result.previous.due, result.previous.completed) == (1, 1, 1)
    assert result.previous.overdue_activities == 1


def test_meetings_per_pair_per_month(dataset, municipality):
    # P1 worked 01.09–10.11 (71 days), P2 01.10–10.11 (41 days): 112 days = 3.68 months;
    # 6 meetings → 1.63 a pair a month.
    rate = ind.meeting_rate(municipality, YEAR, TODAY)
    assert rate.meetings == 6
    assert rate.pair_months == 3.68
    assert rate.per_pair_month == 1.63


def test_deficits_closed_by_the_diagnostics_change(dataset, municipality):
    # Methodical 1 → 3 (closed), ICT 2 → 2 (still a deficit), subject 4 → 4 (a strength).
    result = ind.deficits(municipality, YEAR, TODAY)
    assert (result.mentees, result.deficits, result.closed) == (1, 2, 1)
    assert result.closed_percent == 50.0
    assert result.mean_change == 0.67
    assert ind.deficits(municipality, PREVIOUS, TODAY).deficits == 0


def test_stage1_sums_and_averages_the_entries_of_the_year(dataset, municipality):
    s = ind.stage1(municipality, YEAR, TODAY)
    assert (s.entries, s.programs, s.with_risks) == (2, 2, 1)
    assert (s.vpr_passed, s.vpr_total, s.vpr_percent) == (13, 20, 65.0)
    assert s.oge_percent is None
    assert (s.average_mark, s.success_rate) == (4.0, 80.0)
    assert (s.olympiad_participants, s.olympiad_winners, s.projects) == (8, 1, 1)
    assert s.activity_total == 6  # 2 + 1 open lessons, 1 contest, 1 talk, 1 МО task
    assert ind.stage1(municipality, PREVIOUS, TODAY).entries == 0


def test_stage1_dynamics_over_a_program(dataset):
    rows = ind.stage1_dynamics(ind.Scope(program_id=dataset.prog1.pk))
    assert [(year, s.vpr_percent) for year, _period, s in rows] == [(YEAR, 80.0)]


def test_stage2_means_by_measure_and_teachers_planning(dataset, municipality):
    result = ind.stage2(municipality, YEAR, TODAY)
    motivation = result.row("mentee", Measure.MOTIVATION)
    assert (motivation.start, motivation.end, motivation.change) == (2.5, 4.5, 2.0)
    assert result.surveys == 3
    # The mentee and the mentor both plan to become mentors; the mentor plans to be a mentee.
    assert (result.planning_mentors, result.planning_mentees) == (2, 1)


def test_a_kind_scope_leaves_the_other_kinds_out(dataset):
    kindergartens = ind.Scope(municipality_id=dataset.district.municipality.pk, kind="preschool")
    assert ind.pair_counts(kindergartens, YEAR, TODAY).total == 0
    assert ind.pair_counts(kindergartens, PREVIOUS, TODAY).pairs == 1
    assert ind.program_counts(kindergartens, PREVIOUS, TODAY).overdue_activities == 1


def test_an_organization_and_a_program_scope(dataset):
    school_b = ind.Scope(organization_id=dataset.district.school_b.pk)
    assert ind.pair_counts(school_b, YEAR, TODAY).total == 0
    program = ind.Scope(program_id=dataset.prog3.pk)
    assert ind.program_counts(program, YEAR, TODAY).overdue_activities == 1
    assert ind.stage1(program, YEAR, TODAY).vpr_percent == 50.0


def _states(rows):
    return {
        row.organization.short_name: {c.kind: (c.state, c.days_late) for c in row.checks}
        for row in rows
    }


def test_compliance_shows_who_met_each_deadline_and_who_is_late(dataset, municipality):
    states = _states(ind.compliance(municipality, YEAR, TODAY))
    school_a = states["Барановская СОШ"]
    assert school_a[DeadlineKind.REGULATION_ADOPTED] == ("met", 0)
    assert school_a[DeadlineKind.REGULATION_PUBLISHED] == ("late", 4)  # 10.08 against 06.08
    assert school_a[DeadlineKind.SYSTEM_WORKING] == ("met", 0)
    assert school_a[DeadlineKind.NEEDS_UPDATED] == ("met", 0)
    school_b = states["Таловская СОШ"]
    assert school_b[DeadlineKind.REGULATION_ADOPTED] == ("missing", 101)  # since 01.08
    assert school_b[DeadlineKind.REGULATION_PUBLISHED] == ("missing", 96)
    assert school_b[DeadlineKind.SYSTEM_WORKING] == ("missing", 70)  # only a draft pair
    assert school_b[DeadlineKind.NEEDS_UPDATED] == ("missing", 0)  # never
    skazka = states["Детский сад «Сказка»"]
    assert skazka[DeadlineKind.REGULATION_ADOPTED] == ("met", 0)
    assert skazka[DeadlineKind.SYSTEM_WORKING] == ("met", 0)
    assert skazka[DeadlineKind.NEEDS_UPDATED] == ("missing", 56)  # 15.09.2025 + 365 days
    romashka = states["Детский сад «Ромашка»"]
    assert romashka[DeadlineKind.REGULATION_ADOPTED] == ("late", 14)


def test_deadlines_set_by_the_coordinator_replace_the_order_defaults(dataset, municipality):
    Deadline.objects.create(
        municipality=dataset.district.municipality,
        academic_year=YEAR,
        kind=DeadlineKind.REGULATION_ADOPTED,
        due_on=datetime.date(2026, 7, 15),
    )
    states = _states(ind.compliance(municipality, YEAR, TODAY))
    assert states["Барановская СОШ"][DeadlineKind.REGULATION_ADOPTED] == ("late", 5)


def test_trends_by_month_and_year(dataset, municipality):
    months = {row["month"]: row for row in ind.monthly_trend(municipality, YEAR, TODAY)}
    assert months[datetime.date(2026, 9, 1)]["meetings"] == 2
    assert months[datetime.date(2026, 10, 1)]["meetings"] == 3
    assert months[datetime.date(2026, 10, 1)]["pairs_started"] == 1
    years = {row["year"]: row for row in ind.yearly_trend(municipality, YEAR, TODAY)}
    assert years[YEAR]["pairs_started"] == 2
    assert years[PREVIOUS]["pairs_started"] == 1
    assert years[PREVIOUS]["meetings"] == 1
    assert years[PREVIOUS]["programs_completed"] == 1
    assert years[YEAR]["programs_completed"] == 1
