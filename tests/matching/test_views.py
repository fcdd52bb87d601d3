"""The pages: suggestions with reasons, the take link that remembers the rank, the mentor
list that never says «-1», the coordinator's weights, the health list, the home page."""

from __future__ import annotations

import datetime
from urllib.parse import parse_qs, urlparse

from django.urls import reverse
from django.utils import timezone

from matching.models import MatchWeights
from mentoring.models import MentoringForm, Pair, Topic
from tests.matching.conftest import bank_mentor, diagnose, teacher
from tests.programs.conftest import make_pair


def forms():
    return {form.code: form for form in MentoringForm.objects.all()}


def world(district):
    mentee = teacher(district.school_a, last_name="Новикова", years=1)
    diagnose(mentee, district.school_a, low=("metod", "ikt", "psih_ped"))
    mentors = [
        bank_mentor(
            district.school_a, last_name="Аксёнова", topics=(Topic.METHODS, Topic.PSYCHOLOGY)
        ),
        bank_mentor(district.school_a, last_name="Борисова", topics=(Topic.METHODS,)),
        bank_mentor(district.school_b, last_name="Васильева", topics=(Topic.PSYCHOLOGY,)),
        bank_mentor(district.school_b, last_name="Григорьева", subjects="химия"),
    ]
    return mentee, mentors


def test_the_curator_sees_three_ranked_suggestions_with_reasons(district, client_for):
    mentee, _mentors = world(district)
    page = client_for(district.curator_a).get(reverse("matching:suggest"), {"mentee": mentee.pk})
    assert page.status_code == 200
    shown = page.context["suggestions"]
    assert [s.mentor.person.last_name for s in shown] == ["Аксёнова", "Борисова", "Васильева"]
    html = page.content.decode()
    assert html.count('data-testid="suggestion"') == 3
    assert "силён в 2 из 3" in html
    everyone = client_for(district.curator_a).get(
        reverse("matching:suggest"), {"mentee": mentee.pk, "all": "1"}
    )
    assert len(everyone.context["suggestions"]) == 4


def test_taking_the_second_suggestion_records_its_rank_on_the_pair(district, client_for):
    mentee, mentors = world(district)
    client = client_for(district.curator_a)
    page = client.get(reverse("matching:suggest"), {"mentee": mentee.pk})
    take = page.context["suggestions"][1].take_url
    query = parse_qs(urlparse(take).query)
    assert query["rank"] == ["2"] and query["mentor"] == [str(mentors[1].pk)]
    form = client.get(take).context["form"]
    data = {
        name: form[name].value()
        for name in (
            "organization",
            "mentor",
            "form",
            "kind",
            "suggested_mentor",
            "suggestion_rank",
        )
    }
    data.update(
        mentees=[mentee.pk],
        topic="Методика урока",
        planned_start="2026-09-01",
        planned_end="2027-05-31",
        agreed_on="2026-08-25",
    )
    assert client.post(reverse("mentoring:pair_add"), data).status_code == 302
    assert Pair.objects.get(mentor=mentors[1].person).suggestion_rank == 2


def test_choosing_another_mentor_than_the_suggested_one_records_no_rank(district, client_for):
    mentee, mentors = world(district)
    client = client_for(district.curator_a)
    data = {
        "organization": district.school_a.pk,
        "mentor": mentors[3].pk,
        "suggested_mentor": mentors[1].pk,
        "suggestion_rank": 2,
        "mentees": [mentee.pk],
        "form": forms()["pedagog_pedagog"].pk,
        "kind": forms()["tradicionnoe"].pk,
        "topic": "Методика урока",
        "planned_start": "2026-09-01",
        "planned_end": "2027-05-31",
        "agreed_on": "2026-08-25",
    }
    assert client.post(reverse("mentoring:pair_add"), data).status_code == 302
    assert Pair.objects.get(mentor=mentors[3].person).suggestion_rank is None


def test_a_full_mentor_is_last_in_the_pair_form_and_says_why(district, client_for):
    full = bank_mentor(district.school_a, last_name="Абрамова", max_mentees=1)
    make_pair(district.school_a, full.person, [teacher(district.school_a, last_name="Уже")])
    make_pair(district.school_a, full.person, [teacher(district.school_a, last_name="Ещё")])
    bank_mentor(district.school_a, last_name="Яковлева")
    form = client_for(district.curator_a).get(reverse("mentoring:pair_add")).context["form"]
    labels = [label for _value, label in form.fields["mentor"].choices][1:]
    assert "Яковлева" in labels[0]
    assert "Абрамова" in labels[-1]
    assert "-1" not in labels[-1]
    assert "нет свободных мест (занято 2 из 1)" in labels[-1]


def test_a_mentee_of_another_school_cannot_be_asked_about(district, client_for):
    world(district)
    page = client_for(district.curator_a).get(
        reverse("matching:suggest"), {"mentee": district.teacher_b.person_id}
    )
    assert page.context["result"] is None
    assert page.context["form"].errors["mentee"]


def test_the_coordinator_adjusts_the_weights_and_a_curator_may_not(district, client_for):
    names = ["deficit", "subject", "position_group", "organization_kind", "experience",
             "category", "free_capacity", "form_fit", "same_organization"]  # fmt: skip
    data = dict.fromkeys(names, 10) | {"deficit": 50}
    client = client_for(district.coordinator)
    assert client.get(reverse("matching:weights")).status_code == 200
    assert client.post(reverse("matching:weights"), data).status_code == 302
    assert MatchWeights.objects.get(municipality=district.municipality).deficit == 50
    client.post(reverse("matching:weights"), {"restore": "1"})
    assert not MatchWeights.objects.exists()
    assert client_for(district.curator_a).get(reverse("matching:weights")).status_code == 403


def _quiet_pair(district, days: int) -> Pair:
    pair = make_pair(district.school_a, district.mentor_a.person, [district.mentee_a.person])
    pair.planned_start = timezone.localdate() - datetime.timedelta(days=days)
    pair.planned_end = timezone.localdate() + datetime.timedelta(days=200)
    pair.save()
    return pair


def test_the_health_list_filters_by_status(district, client_for):
    quiet = _quiet_pair(district, 25)
    fresh = make_pair(district.school_a, district.mentor_a.person, [district.teacher_a.person])
    fresh.planned_start = timezone.localdate() - datetime.timedelta(days=3)
    fresh.planned_end = timezone.localdate() + datetime.timedelta(days=200)
    fresh.save()
    client = client_for(district.curator_a)
    check = client.get(reverse("matching:pair_health"), {"health": "check"})
    assert list(check.context["object_list"]) == [quiet]
    ok = client.get(reverse("matching:pair_health"), {"health": "ok"})
    assert list(ok.context["object_list"]) == [fresh]
    assert (
        client_for(district.curator_b)
        .get(reverse("matching:pair_health"), {"reset": ""}, follow=True)
        .context["object_list"]
        == []
    )


def test_home_shows_the_curator_the_counts_and_the_mentor_their_own_pair(district, client_for):
    _quiet_pair(district, 25)
    curator_home = client_for(district.curator_a).get(reverse("home"))
    counts = {row["key"]: row["count"] for row in curator_home.context["home_health"]["counts"]}
    assert counts["check"] == 1
    mentor_home = client_for(district.mentor_a).get(reverse("home"))
    own = mentor_home.context["home_health"]["own"]
    assert [pair.health for pair in own] == ["check"]
