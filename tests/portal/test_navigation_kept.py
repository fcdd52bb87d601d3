"""The navigation bar is rendered once per page, language and set of the scope's flags
(`nav_key`) and kept for every user with the same flags: that is right only if two users with
the same key always see the same bar. Every persona, on pages where different links are
active: rendered afresh, one key never gives two bars; kept, each user sees the bar rendered
for them afresh."""

from __future__ import annotations

import dataclasses

import pytest
from django.core.cache import cache
from django.urls import reverse

from orgs.models import Role, User
from tests.factories import RoleFactory, UserFactory

PAGES = ["home", "mentoring:pair_list", "programs:program_list", "community:event_list"]


def _bar(html: str) -> str:
    return html.split('<ul class="navbar-nav me-auto">', 1)[1].split("</ul>\n      <ul", 1)[0]


def personas(district) -> dict:
    people = {
        field.name: getattr(district, field.name)
        for field in dataclasses.fields(district)
        if isinstance(getattr(district, field.name), User)
    }
    mentor_and_curator = district.curator_b
    RoleFactory(user=mentor_and_curator, role=Role.MENTOR, organization=district.school_b)
    people["superuser"] = UserFactory(username="root", is_superuser=True, is_staff=True)
    return people


@pytest.mark.django_db
def test_one_key_one_bar_and_every_user_sees_their_own(district, client_for):
    people = personas(district)
    assert len(people) >= 10
    fresh: dict[tuple[str, str], str] = {}
    keys: dict[str, str] = {}
    for name, user in people.items():
        client = client_for(user)
        for page in PAGES:
            cache.clear()
            response = client.get(reverse(page))
            assert response.status_code == 200, (name, page)
            bar = _bar(response.content.decode())
            key = (response.context["nav_key"], response.request["PATH_INFO"])
            assert fresh.setdefault(key, bar) == bar, (name, page, "another bar under this key")
            keys[f"{name} {page}"] = bar
    assert len(set(keys.values())) > len(PAGES)  # the flags do change the bar
    cache.clear()
    for name, user in people.items():
        client = client_for(user)
        for page in PAGES:
            kept = _bar(client.get(reverse(page)).content.decode())
            assert kept == keys[f"{name} {page}"], (name, page)
