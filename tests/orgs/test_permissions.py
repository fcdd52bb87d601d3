"""The permission matrix: every orgs URL × role × own/foreign object.

Anonymous → sign-in page; an object outside the role's scope → 404; inside the scope
without the capability → 403.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

ROLES = [
    "coordinator",
    "school_specialist",
    "kindergarten_specialist",
    "curator_a",
    "curator_b",
    "head_a",
    "mentor_a",
    "mentee_a",
    "foreign_coordinator",
]

# URL name, how to get its argument from the district, expected status per role.
MATRIX = {
    "organization_detail": (
        lambda d: d.school_a.pk,
        [200, 200, 404, 200, 404, 200, 200, 200, 404],
    ),
    "staff_list": (lambda d: d.school_a.pk, [200, 200, 404, 200, 404, 200, 403, 403, 404]),
    "teacher_add": (lambda d: d.school_a.pk, [403, 403, 404, 200, 404, 200, 403, 403, 404]),
    "staff_import": (lambda d: d.school_a.pk, [403, 403, 404, 200, 404, 200, 403, 403, 404]),
    "staff_import_template": (
        lambda d: d.school_a.pk,
        [200, 200, 404, 200, 404, 200, 403, 403, 404],
    ),
    "teacher_edit": (lambda d: d.teacher_a.pk, [403, 403, 404, 200, 404, 200, 404, 404, 404]),
    "teacher_dismiss": (lambda d: d.teacher_a.pk, [403, 403, 404, 200, 404, 200, 404, 404, 404]),
    "person_detail": (
        lambda d: d.teacher_a.person_id,
        [200, 200, 404, 200, 404, 200, 404, 404, 404],
    ),
}

CASES = [
    pytest.param(name, role, expected, id=f"{name}-{role}")
    for name, (_, statuses) in MATRIX.items()
    for role, expected in zip(ROLES, statuses, strict=True)
]


@pytest.mark.parametrize(("url_name", "role", "expected"), CASES)
def test_role_gets_expected_status(district, client_for, url_name, role, expected):
    argument = MATRIX[url_name][0](district)
    url = reverse(f"orgs:{url_name}", args=[argument])
    response = client_for(getattr(district, role)).get(url)
    assert response.status_code == expected


@pytest.mark.parametrize("url_name", list(MATRIX))
def test_anonymous_is_sent_to_sign_in(district, client, url_name):
    url = reverse(f"orgs:{url_name}", args=[MATRIX[url_name][0](district)])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_kindergarten_teacher_is_visible_to_the_kindergarten_specialist_only(district, client_for):
    url = reverse("orgs:person_detail", args=[district.teacher_kindergarten.person_id])
    assert client_for(district.kindergarten_specialist).get(url).status_code == 200
    assert client_for(district.school_specialist).get(url).status_code == 404


def test_state_changes_are_post_only_and_refused_to_read_only_roles(district, client_for):
    url = reverse("orgs:teacher_dismiss", args=[district.teacher_a.pk])
    response = client_for(district.coordinator).post(url, {"dismissed_on": "01.09.2026"})
    assert response.status_code == 403
    district.teacher_a.refresh_from_db()
    assert district.teacher_a.dismissed_on is None


@pytest.mark.parametrize(
    ("role", "visible", "hidden"),
    [
        ("coordinator", ["Барановская СОШ", "Таловская СОШ", "Детский сад «Сказка»"], []),
        (
            "kindergarten_specialist",
            ["Детский сад «Сказка»", "Детский сад «Ромашка»"],
            ["Барановская СОШ", "Таловская СОШ"],
        ),
        ("school_specialist", ["Барановская СОШ", "Таловская СОШ"], ["Детский сад «Сказка»"]),
        ("curator_a", ["Барановская СОШ"], ["Таловская СОШ", "Детский сад «Сказка»"]),
        ("foreign_coordinator", [], ["Барановская СОШ", "Таловская СОШ"]),
    ],
)
def test_organization_list_shows_exactly_the_role_scope(
    district, client_for, role, visible, hidden
):
    page = client_for(getattr(district, role)).get(reverse("orgs:organization_list")).content
    text = page.decode()
    for name in visible:
        assert name in text
    for name in hidden:
        assert name not in text


def test_curator_cannot_export_another_school_staff(district, client_for):
    url = reverse("orgs:staff_list", args=[district.school_b.pk]) + "?export=xlsx"
    assert client_for(district.curator_a).get(url).status_code == 404
