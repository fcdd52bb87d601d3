"""Two confirmations of one staff import at the same moment, against the live server and
PostgreSQL: one set of rows, and a friendly page for both.

It lives with the browser tests for their live server and the reference-data restore after
a transactional test; it needs no browser, only two real HTTP requests in parallel.
"""

from __future__ import annotations

import io
import re
import threading
import urllib.parse
import urllib.request

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import translation
from openpyxl import Workbook

from orgs.models import Employment, PendingImport
from orgs.pending import pending_store


def _session_cookie(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _staff_file() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Фамилия", "Имя", "Должность", "Дата приема"])
    for number in range(200):
        sheet.append([f"Одновременная{number}", "Анна", "учитель", "01.09.2015"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_two_simultaneous_confirmations_import_once_and_both_get_the_result(live_server, district):
    user, school = district.curator_a, district.school_a
    pending = pending_store(
        user=user,
        organization=school,
        kind=PendingImport.Kind.STAFF,
        file_name="staff.xlsx",
        content=_staff_file(),
    )
    url = f"{live_server.url}/organizations/{school.pk}/staff/import/"
    cookie = _session_cookie(user)
    preview = urllib.request.urlopen(
        urllib.request.Request(f"{url}?token={pending.token}", headers={"Cookie": cookie})
    )
    page = preview.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", preview.headers["Set-Cookie"]).group(1)
    csrf_field = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": csrf_field, "token": pending.token, "confirm": "1"}
    ).encode()
    barrier = threading.Barrier(2)
    answers: list[tuple[int, str]] = []

    def confirm():
        request = urllib.request.Request(
            url,
            data=body,
            headers={"Cookie": f"{cookie}; csrftoken={csrf_cookie}", "Referer": url},
        )
        barrier.wait()
        with urllib.request.urlopen(request, timeout=60) as response:
            answers.append((response.status, response.read().decode()))

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)

    assert Employment.objects.filter(person__last_name__startswith="Одновременная").count() == 200
    with translation.override("ru"):
        imported = translation.gettext("The file is imported")
    assert [status for status, _ in answers] == [200, 200]
    for _, text in answers:
        assert imported in text
        assert "200" in text
    assert PendingImport.objects.get().outcome["new_people"] == 200
