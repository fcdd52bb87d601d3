"""The council of mentors' recommendation beside the suggestions: read from the council's
decision (community) by the top layer, shown on the suggestions page (matching)."""

from __future__ import annotations

import datetime

from django.urls import reverse

from community.models import Council, CouncilDecision, CouncilMeeting, DecisionKind
from tests.matching.test_views import world


def recommend(organization, mentor, mentee, *, number=1, text="Рекомендовать пару по теме ОГЭ"):
    council, _created = Council.objects.get_or_create(organization=organization)
    meeting = CouncilMeeting.objects.create(
        council=council, number=number, held_on=datetime.date(2026, 10, 12), agenda="Пары"
    )
    return CouncilDecision.objects.create(
        meeting=meeting,
        kind=DecisionKind.RECOMMEND_PAIR,
        text=text,
        mentor=mentor,
        mentee=mentee,
    )


def test_the_councils_recommendation_is_shown_beside_and_marks_its_mentor(district, client_for):
    mentee, mentors = world(district)
    # The council recommends the fourth of the ranking, who is not among the three shown.
    recommend(district.school_a, mentors[3].person, mentee)
    page = client_for(district.curator_a).get(reverse("matching:suggest"), {"mentee": mentee.pk})
    html = page.content.decode()
    [row] = page.context["recommendations"]
    assert row["recommendation"].mentor_name == mentors[3].person.full_name
    assert "Рекомендация совета наставников" in html
    assert "Рекомендовать пару по теме ОГЭ" in html and "протокол № 1 от 12.10.2026" in html
    assert row["suggestion"].rank == 4 and "место 4 в рейтинге" in html
    # Taking it from the recommendation remembers its rank like any suggestion.
    assert f'href="{row["suggestion"].take_url}" data-testid="take-recommended"' in html.replace(
        "&amp;", "&"
    )
    # Shown in full, the recommended mentor's card carries the mark.
    everyone = client_for(district.curator_a).get(
        reverse("matching:suggest"), {"mentee": mentee.pk, "all": "1"}
    )
    marked = [s for s in everyone.context["suggestions"] if s.recommendation]
    assert [s.mentor.pk for s in marked] == [mentors[3].pk]
    assert everyone.content.decode().count('data-testid="recommended"') == 1


def test_no_recommendation_no_section(district, client_for):
    mentee, _mentors = world(district)
    page = client_for(district.curator_a).get(reverse("matching:suggest"), {"mentee": mentee.pk})
    assert page.context["recommendations"] == []
    assert 'data-testid="council-recommendations"' not in page.content.decode()


def test_a_recommended_teacher_outside_the_bank_is_named_without_a_take_link(district, client_for):
    mentee, _mentors = world(district)
    recommend(district.school_a, district.teacher_a.person, mentee)
    page = client_for(district.curator_a).get(reverse("matching:suggest"), {"mentee": mentee.pk})
    [row] = page.context["recommendations"]
    assert row["suggestion"] is None
    assert "не активный наставник муниципального банка" in page.content.decode()


def test_a_council_the_curator_may_not_see_is_not_read(district, client_for):
    mentee, mentors = world(district)
    # A decision of school B's council about school A's teacher: curator A does not see it.
    recommend(district.school_b, mentors[2].person, mentee)
    page = client_for(district.curator_a).get(reverse("matching:suggest"), {"mentee": mentee.pk})
    assert page.context["recommendations"] == []
