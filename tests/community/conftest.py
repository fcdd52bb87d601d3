"""Community fixtures: the council of school A with the mentor as member, a draft pair."""

from __future__ import annotations

import datetime

import pytest

from community import services
from mentoring.models import PairStatus
from tests.programs.conftest import make_pair

TODAY = datetime.date(2026, 11, 10)


@pytest.fixture
def council_meeting(district):
    services.council_member_add(
        user=district.curator_a,
        organization=district.school_a,
        person=district.mentor_a.person,
        joined_on=TODAY,
    )
    return services.council_meeting_hold(
        user=district.curator_a,
        organization=district.school_a,
        data=services.CouncilMeetingData(
            held_on=TODAY,
            agenda="Анализ входной диагностики\nОтбор продуктов в банк",
            minutes="Доложили наставники.",
            attended=[district.mentor_a.person],
        ),
    )


@pytest.fixture
def drafts(district):
    """Two draft pairs of school A waiting for the head's order."""
    return [
        make_pair(
            district.school_a,
            district.mentor_a.person,
            [district.mentee_a.person],
            status=PairStatus.DRAFT,
        ),
        make_pair(
            district.school_a,
            district.mentor_a.person,
            [district.teacher_a.person],
            status=PairStatus.DRAFT,
            topic="Классное руководство",
        ),
    ]


from tests.programs.conftest import areas, pair, program  # noqa: E402,F401 - shared fixtures
