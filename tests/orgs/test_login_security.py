"""Sign-in protection: lockout after wrong passwords, the second factor, short committee sessions."""

from __future__ import annotations

import logging

from axes.models import AccessAttempt
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import DEFAULT_PASSWORD, UserFactory

LOGIN = "/accounts/login/"


def sign_in(client: Client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_fifty_wrong_passwords_lock_the_account_from_that_address(district, caplog):
    user = district.curator_a
    client = Client()
    with caplog.at_level(logging.WARNING, logger="axes"):
        statuses = [sign_in(client, user.username, "wrong").status_code for _ in range(50)]
    assert statuses[:4] == [200] * 4  # the form again, with its error
    assert set(statuses[5:]) == {429}
    # Then the right password does not get in either, and the page says why, in Russian.
    response = sign_in(client, user.username, DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert "Вход заблокирован" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The lockout is in the log.
    assert any("Locking out" in record.getMessage() for record in caplog.records)
    # Another address is not locked (a colleague in another school keeps working)...
    assert sign_in(Client(), user.username, DEFAULT_PASSWORD, "10.0.0.2").status_code == 302


def test_the_administrator_unlocks_an_account(district):
    user = district.curator_a
    for _ in range(5):
        sign_in(Client(), user.username, "wrong")
    assert sign_in(Client(), user.username, DEFAULT_PASSWORD).status_code == 429
    # /admin/ lists the attempts; deleting them is the unlock.
    assert AccessAttempt in admin.site._registry
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    admin_client = Client()
    admin_client.force_login(root)
    TOTPDevice.objects.create(user=root, name="t", confirmed=True)
    from tests.factories import pass_second_factor

    pass_second_factor(admin_client, root)
    attempts = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert attempts.status_code == 200 and user.username in attempts.content.decode()
    attempt = AccessAttempt.objects.get(username=user.username)
    admin_client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert not AccessAttempt.objects.exists()
    assert sign_in(Client(), user.username, DEFAULT_PASSWORD).status_code == 302


def test_the_coordinator_needs_a_second_factor_and_sets_it_up_on_first_sign_in(district):
    client = Client()
    response = sign_in(client, "coordinator", DEFAULT_PASSWORD)
    assert response.status_code == 302
    # Every page sends her to the second step, which has her set up an authenticator.
    response = client.get("/monitoring/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/")
    setup = client.get(reverse("two_factor_setup"))
    assert "Второй фактор" in setup.content.decode()
    device = TOTPDevice.objects.get(user=district.coordinator, confirmed=False)
    assert client.post(reverse("two_factor_setup"), {"token": "000000"}).status_code == 200
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code makes the next try wait a second; skip the wait
    done = client.post(reverse("two_factor_setup"), {"token": current_code(device)})
    codes = done.context["codes"]
    assert len(codes) == 10
    assert client.get("/monitoring/").status_code == 200
    # Next time: password, then a recovery code (each works once).
    client = Client()
    sign_in(client, "coordinator", DEFAULT_PASSWORD)
    assert client.get("/monitoring/").status_code == 302
    client.post(reverse("two_factor"), {"token": codes[0]})
    assert client.get("/monitoring/").status_code == 200
    client = Client()
    sign_in(client, "coordinator", DEFAULT_PASSWORD)
    client.post(reverse("two_factor"), {"token": codes[0]})
    assert client.get("/monitoring/").status_code == 302


def test_a_curator_may_go_without_a_second_factor(district):
    client = Client()
    sign_in(client, "curator_a", DEFAULT_PASSWORD)
    assert client.get(reverse("orgs:staff_list", args=[district.school_a.pk])).status_code == 200


def test_a_committee_session_ends_after_a_working_day_and_a_schools_does_not(district):
    client = Client()
    sign_in(client, "specialist_general", DEFAULT_PASSWORD)
    assert client.session.get_expiry_age() <= 9 * 60 * 60
    client = Client()
    sign_in(client, "curator_a", DEFAULT_PASSWORD)
    assert client.session.get_expiry_age() == 12 * 60 * 60
