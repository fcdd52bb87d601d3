"""Signing in, changing a forgotten or known password."""

from __future__ import annotations

import re

from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from tests.factories import DEFAULT_PASSWORD, UserFactory

NEW_PASSWORD = "Novyi-parol-2025!"


def sign_in(client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_sign_in_with_a_wrong_password_shows_an_error_and_starts_no_session(db, client):
    user = UserFactory(username="ivanova")

    response = sign_in(client, user.username, "wrong-password")

    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert errors
    assert escape(errors[0]) in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_in_with_the_right_password_opens_the_portal(db, client):
    user = UserFactory(username="ivanova")

    response = sign_in(client, user.username, DEFAULT_PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_sign_out_is_a_post_that_leads_to_sign_in(db, client_for):
    client = client_for(UserFactory())

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == reverse("login")
    assert "_auth_user_id" not in client.session


def test_password_change_replaces_the_password(db, client_for):
    user = UserFactory(username="ivanova")
    client = client_for(user)
    assert client.get(reverse("password_change")).status_code == 200

    response = client.post(
        reverse("password_change"),
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_change_with_a_wrong_current_password_changes_nothing(db, client_for):
    user = UserFactory(username="ivanova")
    client = client_for(user)

    response = client.post(
        reverse("password_change"),
        {"old_password": "not-it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_password_change_needs_sign_in(db, client):
    response = client.get(reverse("password_change"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_password_reset_sends_one_letter_whose_link_sets_a_new_password(db, client):
    user = UserFactory(username="ivanova", email="ivanova@example.ru")
    UserFactory(username="petrova", email="petrova@example.ru")
    assert client.get(reverse("password_reset")).status_code == 200

    response = client.post(reverse("password_reset"), {"email": "IVANOVA@example.ru"})

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.to == ["ivanova@example.ru"]
    assert "\n" not in letter.subject
    assert "ivanova" in letter.body
    link = re.search(r"https?://testserver(/\S+)", letter.body).group(1)

    # The link leads to the form (Django first moves the token into the session).
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"]
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_password_url,
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert done.redirect_chain[-1][0] == reverse("password_reset_complete")

    client.logout()
    assert sign_in(client, "ivanova", DEFAULT_PASSWORD).status_code == 200  # old one no more
    assert sign_in(client, "ivanova", NEW_PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_used_reset_link_does_not_work_twice(db, client):
    UserFactory(username="ivanova", email="ivanova@example.ru")
    client.post(reverse("password_reset"), {"email": "ivanova@example.ru"})
    link = re.search(r"https?://testserver(/\S+)", mail.outbox[0].body).group(1)
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    again = client.get(link, follow=True)

    assert not again.context["validlink"]
    assert reverse("password_reset") in again.content.decode()


def test_password_reset_for_an_unknown_email_sends_nothing_and_says_the_same(db, client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.ru"})

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []
