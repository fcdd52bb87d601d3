"""Sign-in with a second factor, and the Content-Security-Policy on every page of the sweep.

The CSP check opens every GET page of the permission sweep (tests/test_permission_sweep.py)
for a committee and a school persona in real Chromium and collects what the console says: a
blocked inline script or style, eval, or anything else the policy refuses would show there.
"""

from __future__ import annotations

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD
from tests.test_permission_sweep import CASES
from tests.world import build_world

DEMO_KEY = "3132333435363738393031323334353637383930"


def test_the_coordinator_signs_in_with_a_code_from_the_authenticator(
    district, live_server, page, screenshot
):
    device = TOTPDevice.objects.create(
        user=district.coordinator, name="phone", key=DEMO_KEY, confirmed=True
    )
    page.goto(f"{live_server.url}/monitoring/")
    page.fill("#id_username", "coordinator")
    page.fill("#id_password", DEFAULT_PASSWORD)
    page.locator("form:has(#id_username) [type=submit]").click()
    # The password alone is not enough: the second step asks for the code, in Russian.
    expect(page.locator("h1")).to_have_text("Второй шаг входа")
    screenshot("two_factor_step")
    page.fill("#id_token", "000000")
    page.locator("form:has(#id_token) [type=submit]").click()
    expect(page.locator(".invalid-feedback, .text-danger").first).to_contain_text("Код неверный")
    device.refresh_from_db()
    device.throttle_reset()
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.fill("#id_token", f"{code:06d}")
    page.locator("form:has(#id_token) [type=submit]").click()
    # Then she lands where she was going.
    expect(page).to_have_url(f"{live_server.url}/monitoring/")
    expect(page.locator("#table-indicators")).to_be_visible()
    screenshot("two_factor_done")


def test_no_page_of_the_sweep_breaks_the_content_security_policy(
    district, live_server, page, sign_in
):
    world = build_world(district)
    urls = [case.url(world) for case in CASES if not case.post_only]
    messages: list[str] = []
    page.on(
        "console",
        lambda message: (
            messages.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    opened = 0
    for persona in (district.coordinator, district.curator_a, district.mentee_a):
        page.context.clear_cookies()
        sign_in(persona)
        for url in urls:
            try:
                response = page.goto(f"{live_server.url}{url}")
            except Exception:  # noqa: BLE001 - a file download is not a page
                continue
            if response is not None and "text/html" in response.headers.get("content-type", ""):
                page.wait_for_load_state("load")
                opened += 1
                csp = response.headers.get("content-security-policy", "")
                assert (
                    "script-src 'self'" in csp and "unsafe-inline" not in csp.split("style-src")[0]
                ), url
    print(f"\nCSP check: {opened} pages opened, {len(messages)} violations")  # noqa: T201
    assert opened > 100
    assert messages == []
