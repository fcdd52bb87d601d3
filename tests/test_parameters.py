"""Every GET parameter of every page, list, dashboard, drill-down and export: a bad value is
ignored (with a message) or answered 400, never a 500.

Two passes over every GET URL of the permission sweep, for a committee, a school and a
mentee persona: an exhaustive table (every known parameter at once with each hostile value),
then Hypothesis with generated names and values. The number of requests is printed.
"""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import pass_second_factor
from tests.test_permission_sweep import CASES
from tests.world import build_world

# Every name a view or filter of the portal reads from the query string.
PARAMETERS = (
    "q", "organization", "organization_kind", "kind", "status", "position", "topic", "subject",
    "qualification_category", "young_specialist", "newcomer", "free", "reason", "form",
    "format", "held_from", "held_to", "area", "academic_year", "year", "municipality", "mentor",
    "mentee", "page", "per_page", "export", "table", "token", "next", "reset", "stage",
)  # fmt: skip
HOSTILE = (
    "abc", "1%00", "1\x00", "-1", "99999999999999999999", "1.5", "", "' OR 1=1 --",
    "=HYPERLINK(\"http://evil\")", "\u202e", "31.02.2026", "//evil.example", "a" * 1001,
)  # fmt: skip
ROLES = ("coordinator", "curator_a", "mentee_a")
TABLE_ROLES = ("coordinator", "curator_a")
counter = {"requests": 0}


def get_urls(world) -> list[str]:
    return [case.url(world) for case in CASES if not case.post_only]


def signed_in(district, role) -> Client:
    client = Client()
    user = getattr(district, role)
    client.force_login(user)
    pass_second_factor(client, user)
    return client


def check(client, url: str, params: dict) -> str | None:
    counter["requests"] += 1
    status, detail = open_query(client, url, params)
    if status >= 500:
        return f"{url} {params!r}: {status} {detail}"
    return None


def open_query(client, url: str, params: dict):
    try:
        response = client.get(url, params)
    except Exception as error:  # noqa: BLE001 - a raising view is the 500 this test looks for
        return 500, f"{type(error).__name__}: {error}"
    if response.streaming:
        b"".join(response.streaming_content)
    return response.status_code, ""


@pytest.mark.parametrize("role", TABLE_ROLES)
def test_every_parameter_of_every_url_with_hostile_values_never_gives_a_500(district, role):
    world = build_world(district)
    client = signed_in(district, role)
    failures = []
    for url in get_urls(world):
        for value in HOSTILE:
            problem = check(client, url, dict.fromkeys(PARAMETERS, value))
            if problem:
                failures.append(problem)
    print(f"\n{role}: {counter['requests']} requests so far")  # noqa: T201
    assert not failures, "\n".join(failures[:20])


names = st.one_of(st.sampled_from(PARAMETERS), st.text(min_size=1, max_size=12))
values = st.one_of(
    st.sampled_from(HOSTILE),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(max_size=40),
    st.dates().map(lambda d: d.strftime("%d.%m.%Y")),
)


@pytest.mark.parametrize("role", ROLES)
def test_generated_parameters_on_every_url_never_give_a_500(district, role):
    world = build_world(district)
    client = signed_in(district, role)
    urls = get_urls(world)

    @settings(
        max_examples=200,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(url=st.sampled_from(urls), params=st.dictionaries(names, values, max_size=4))
    def request_once(url, params):
        problem = check(client, url, params)
        assert problem is None, problem

    request_once()
    print(f"\n{role}: {counter['requests']} requests so far")  # noqa: T201
