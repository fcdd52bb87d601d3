"""Every indicator of the registry against a query written here, independently, in SQL, on
the hand-made edge data set — numbers and, for the row-set indicators, the very rows their
drill-down lists show. A formula mistake at a boundary (a pair ended early last year, «≥ 2.5»
turned «> 2.5», ЕГЭ counted from ОГЭ, completions counted by the planned end) fails here."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from monitoring import drill, registry
from monitoring import indicators as ind
from tests.reconciliation.conftest import EMPTY_YEAR, PREVIOUS, TODAY, YEAR

pytestmark = pytest.mark.django_db

SCOPED_PAIRS = """
    SELECT p.id FROM mentoring_pair p JOIN orgs_organization o ON o.id = p.organization_id
    WHERE o.municipality_id = %(m)s
"""
WORKING = (
    SCOPED_PAIRS
    + """ AND p.status IN ('active', 'completed', 'ended_early')
    AND p.planned_start <= %(end)s AND COALESCE(p.ended_on, p.planned_end) >= %(start)s"""
)
SCOPED_PROGRAMS = f"SELECT g.id FROM programs_program g WHERE g.pair_id IN ({SCOPED_PAIRS})"

SQL_IDS = {
    "needing": """SELECT e.id FROM mentoring_needentry e
        JOIN mentoring_needslist l ON l.id = e.needs_list_id
        JOIN orgs_organization o ON o.id = l.organization_id
        WHERE o.municipality_id = %(m)s AND l.academic_year = %(year)s
        AND e.status <> 'dismissed'""",
    "covered": """SELECT e.id FROM mentoring_needentry e
        JOIN mentoring_needslist l ON l.id = e.needs_list_id
        JOIN orgs_organization o ON o.id = l.organization_id
        WHERE o.municipality_id = %(m)s AND l.academic_year = %(year)s
        AND e.status <> 'dismissed' AND e.person_id IN (
            SELECT pm.person_id FROM mentoring_pairmentee pm WHERE pm.pair_id IN ("""
    + WORKING
    + "))",
    "pairs": f"""SELECT w.id FROM ({WORKING}) w
        WHERE (SELECT COUNT(*) FROM mentoring_pairmentee pm WHERE pm.pair_id = w.id) <= 1""",
    "groups": f"""SELECT w.id FROM ({WORKING}) w
        WHERE (SELECT COUNT(*) FROM mentoring_pairmentee pm WHERE pm.pair_id = w.id) >= 2""",
    "programs_running": f"""SELECT g.id FROM programs_program g
        WHERE g.id IN ({SCOPED_PROGRAMS}) AND g.status <> 'draft'
        AND g.starts_on <= %(end)s AND g.ends_on >= %(start)s""",
    "programs_drafts": f"""SELECT g.id FROM programs_program g
        WHERE g.id IN ({SCOPED_PROGRAMS}) AND g.status = 'draft'
        AND g.starts_on <= %(end)s AND g.ends_on >= %(start)s""",
    "programs_due": f"""SELECT g.id FROM programs_program g
        WHERE g.id IN ({SCOPED_PROGRAMS}) AND g.ends_on BETWEEN %(start)s AND %(cutoff)s""",
    "programs_completed": f"""SELECT g.id FROM programs_program g
        WHERE g.id IN ({SCOPED_PROGRAMS}) AND g.status = 'completed'
        AND g.completed_on BETWEEN %(start)s AND %(cutoff)s""",
    "overdue": f"""SELECT a.id FROM programs_activity a
        WHERE a.program_id IN ({SCOPED_PROGRAMS}) AND a.status = 'planned'
        AND a.planned_on < %(today)s AND a.planned_on BETWEEN %(start)s AND %(end)s""",
    "meetings": f"""SELECT x.id FROM mentoring_meeting x
        WHERE x.pair_id IN ({SCOPED_PAIRS})
        AND (x.held_at AT TIME ZONE 'Asia/Barnaul')::date BETWEEN %(start)s AND %(cutoff)s""",
    "surveys": f"""SELECT s.id FROM monitoring_survey s
        WHERE s.program_id IN ({SCOPED_PROGRAMS}) AND s.filled_on BETWEEN %(start)s AND %(end)s""",
}

# The drill-down list behind each indicator, and how one of its rows names its record.
DRILL_OF = {
    "needing": "needing",
    "covered": "covered",
    "pairs": "pairs",
    "groups": "groups",
    "programs_running": "programs",
    "programs_drafts": "programs_drafts",
    "programs_due": "programs_due",
    "programs_completed": "programs_completed",
    "overdue": "overdue",
    "meetings": "meetings",
    "surveys": "surveys",
}

DEFICITS = f"""
WITH scoped AS (
    SELECT dg.pair_id, dg.mentee_id, i.area_id, dg.stage, a.score
    FROM programs_answer a
    JOIN programs_diagnostic dg ON dg.id = a.diagnostic_id
    JOIN programs_difficultyitem i ON i.id = a.item_id
    WHERE dg.pair_id IN ({SCOPED_PAIRS}) AND EXISTS (
        SELECT 1 FROM programs_diagnostic e
        WHERE e.pair_id = dg.pair_id AND e.mentee_id = dg.mentee_id AND e.stage = 'end'
        AND e.filled_on BETWEEN %(start)s AND %(end)s)
), means AS (
    SELECT pair_id, mentee_id, area_id,
        AVG(score) FILTER (WHERE stage = 'start') AS s,
        AVG(score) FILTER (WHERE stage = 'end') AS e
    FROM scoped GROUP BY pair_id, mentee_id, area_id
)
SELECT COUNT(DISTINCT (pair_id, mentee_id)),
       COUNT(*) FILTER (WHERE s < 2.5),
       COUNT(*) FILTER (WHERE s < 2.5 AND e >= 2.5)
FROM means WHERE s IS NOT NULL AND e IS NOT NULL
"""

STAGE1_SUMS = f"""
SELECT COUNT(*), COUNT(DISTINCT program_id), COALESCE(SUM(vpr_passed), 0),
    COALESCE(SUM(vpr_total), 0), COALESCE(SUM(oge_passed), 0), COALESCE(SUM(oge_total), 0),
    COALESCE(SUM(ege_passed), 0), COALESCE(SUM(ege_total), 0),
    COALESCE(SUM(olympiad_participants), 0), COALESCE(SUM(olympiad_winners), 0),
    COALESCE(SUM(projects), 0), COUNT(*) FILTER (WHERE risks <> '')
FROM monitoring_progressentry WHERE academic_year = %(year)s AND program_id IN ({SCOPED_PROGRAMS})
"""
STAGE1_CODES = (
    "entries", "programs", "vpr_passed", "vpr_total", "oge_passed", "oge_total", "ege_passed",
    "ege_total", "olympiad_participants", "olympiad_winners", "projects", "with_risks",
)  # fmt: skip

PLANS = f"""
SELECT COUNT(DISTINCT CASE WHEN s.respondent = 'mentee' THEN g.mentee_id ELSE p.mentor_id END)
FROM monitoring_surveyanswer a
JOIN monitoring_survey s ON s.id = a.survey_id
JOIN monitoring_surveyquestion q ON q.id = a.question_id
JOIN programs_program g ON g.id = s.program_id
JOIN mentoring_pair p ON p.id = g.pair_id
WHERE g.id IN ({SCOPED_PROGRAMS}) AND s.stage = 'end' AND a.value = 1
AND q.measure = %(measure)s AND s.filled_on BETWEEN %(start)s AND %(end)s
"""


def params(municipality_id: int, year: str) -> dict:
    start, end = ind.year_bounds(year)
    return {
        "m": municipality_id,
        "year": year,
        "start": start,
        "end": end,
        "cutoff": min(end, TODAY),
        "today": TODAY,
    }


def fetch(sql: str, values: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        return cursor.fetchall()


def sql_ids(code: str, values: dict) -> set[int]:
    return {row[0] for row in fetch(SQL_IDS[code], values)}


def _drill_ids(metric: str, scope, year: str) -> set[int]:
    rows = drill.METRICS[metric].rows(scope, year, TODAY)
    return {row.pk for row in rows}


@pytest.mark.parametrize("year", [YEAR, PREVIOUS, EMPTY_YEAR])
def test_every_row_set_indicator_and_its_drill_down_rows_match_independent_sql(edge, year):
    municipality = edge.base.district.municipality
    scope = ind.Scope(municipality_id=municipality.pk)
    values = params(municipality.pk, year)
    problems = []
    for code, metric in DRILL_OF.items():
        expected = sql_ids(code, values)
        computed = registry.get(code).compute(scope, year, TODAY)
        rows = _drill_ids(metric, scope, year)
        if computed != len(expected):
            problems.append(f"{code}: registry {computed}, SQL {len(expected)}")
        if rows != expected:
            problems.append(f"{code}: drill rows {sorted(rows)}, SQL rows {sorted(expected)}")
    assert not problems, "\n".join(problems)


def test_the_edge_data_has_the_boundaries_it_claims(edge):
    """The numbers the boundaries produce, written down by hand: if the data drifted, the
    SQL comparison above would prove less."""
    municipality = edge.base.district.municipality
    now = params(municipality.pk, YEAR)
    before = params(municipality.pk, PREVIOUS)
    assert edge.p5.pk not in sql_ids("pairs", now)  # ended early last year
    assert edge.p5.pk in sql_ids("pairs", before)
    assert sql_ids("programs_completed", now) == {
        edge.base.prog2.pk,  # on time
        edge.prog6.pk,  # early: its planned end is next May
        edge.prog7.pk,  # late: due last year
    }
    assert edge.prog7.pk not in sql_ids("programs_due", now)
    assert edge.base.prog3.pk in sql_ids("programs_due", now)  # due, not completed
    assert not any(sql_ids(code, params(municipality.pk, EMPTY_YEAR)) for code in SQL_IDS)
    mentees, deficits, closed = fetch(DEFICITS, now)[0]
    # mentee_a: метод 1→3 closed, ИКТ 2→2 not; Ёлкина: ИКТ 2→2.5 closed, предметные 2.5 no deficit
    assert (mentees, deficits, closed) == (2, 3, 2)


@pytest.mark.parametrize("year", [YEAR, PREVIOUS])
def test_deficit_indicators_match_independent_sql(edge, year):
    municipality = edge.base.district.municipality
    scope = ind.Scope(municipality_id=municipality.pk)
    mentees, deficits, closed = fetch(DEFICITS, params(municipality.pk, year))[0]
    computed = {
        code: registry.get(code).compute(scope, year, TODAY)
        for code in ("diagnosed", "deficits", "deficits_closed", "deficits_closed_percent")
    }
    assert computed == {
        "diagnosed": mentees,
        "deficits": deficits,
        "deficits_closed": closed,
        "deficits_closed_percent": ind.share(closed, deficits),
    }
    drilled = drill.METRICS["deficits_closed"].rows(scope, year, TODAY)
    assert len(drilled) == closed


def test_stage1_indicators_match_independent_sql(edge):
    municipality = edge.base.district.municipality
    scope = ind.Scope(municipality_id=municipality.pk)
    row = fetch(STAGE1_SUMS, params(municipality.pk, YEAR))[0]
    expected = dict(zip(STAGE1_CODES, row, strict=True))
    computed = {code: registry.get(code).compute(scope, YEAR, TODAY) for code in STAGE1_CODES}
    assert computed == expected
    assert registry.get("ege_percent").compute(scope, YEAR, TODAY) == ind.share(
        expected["ege_passed"], expected["ege_total"]
    )
    assert registry.get("oge_percent").compute(scope, YEAR, TODAY) == ind.share(
        expected["oge_passed"], expected["oge_total"]
    )
    assert expected["ege_percent" if False else "ege_passed"] != expected["oge_passed"]


def test_planning_indicators_match_independent_sql(edge):
    municipality = edge.base.district.municipality
    scope = ind.Scope(municipality_id=municipality.pk)
    for code, measure in (("plans_mentor", "plans_mentor"), ("plans_mentee", "plans_mentee")):
        expected = fetch(PLANS, {**params(municipality.pk, YEAR), "measure": measure})[0][0]
        assert registry.get(code).compute(scope, YEAR, TODAY) == expected, code


def test_coverage_share_is_covered_over_needing(edge):
    municipality = edge.base.district.municipality
    scope = ind.Scope(municipality_id=municipality.pk)
    values = params(municipality.pk, YEAR)
    needing, covered = len(sql_ids("needing", values)), len(sql_ids("covered", values))
    assert registry.get("coverage_percent").compute(scope, YEAR, TODAY) == ind.share(
        covered, needing
    )
    assert registry.get("uncovered").compute(scope, YEAR, TODAY) == needing - covered


def test_every_registry_indicator_is_checked_by_this_suite():
    checked = (
        set(DRILL_OF)
        | set(STAGE1_CODES)
        | {"diagnosed", "deficits", "deficits_closed", "deficits_closed_percent"}
        | {"plans_mentor", "plans_mentee", "coverage_percent", "uncovered"}
        | {"ege_percent", "oge_percent"}
    )
    # Shares and means computed from the numbers above, checked through the channels suite.
    derived = {
        "inter", "programs_completed_percent", "meeting_rate", "mean_change", "vpr_percent",
        "average_mark", "success_rate", "open_lessons", "contests", "publications", "talks",
        "methodical_work",
    }  # fmt: skip
    assert set(registry.BY_CODE) == checked | derived
    assert datetime.date(2026, 11, 10) == TODAY
