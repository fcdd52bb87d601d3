"""The same form sent twice at once — a double click on a slow connection — against the live
test server and the real PostgreSQL: one row is saved, and both requests end on a friendly
page (the first says it is saved, the second that it had been saved already).

Each request is a real HTTP request from its own thread with the same session, CSRF token and
one-time form token, as a browser sends them; the live server handles them in parallel.
"""

from __future__ import annotations

import datetime
import html
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse
from django.utils import timezone

from mentoring import services as mentoring
from mentoring.models import Meeting, NeedEntry, NeedReason
from orgs.models import Employment, Position
from portal.bench import pass_second_step
from reports.models import Report
from tests.mentoring.conftest import forms, make_mentor  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ALREADY = "Эта форма уже отправлена и сохранена"


@pytest.fixture(autouse=True)
def _blocker(django_db_blocker):
    """Requested so that tests/core/conftest.py can put the reference rows back."""
    return django_db_blocker


@dataclass
class Page:
    status: int
    url: str
    text: str


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


class Browser:
    """A signed-in browser: the session cookie and the CSRF cookie, no redirects lost."""

    def __init__(self, live_server, user):
        self.base = live_server.url
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        pass_second_step(session, user, device_name="test")  # as after entering the code
        session.create()
        self.cookies = {settings.SESSION_COOKIE_NAME: session.session_key}

    def _open(self, path: str, data: dict | None = None) -> Page:
        """GET, or POST `data`; a redirect is followed by hand so that the cookies it sets
        (the messages) go with the next request, as a browser does. Each call keeps its own
        copy of the cookies, so two threads do not mix theirs."""
        cookies = dict(self.cookies)
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        url = self.base + path
        for _hop in range(5):
            request = urllib.request.Request(url, data=body)
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))
            if body is not None:
                request.add_header("Referer", url)
            try:
                response = _OPENER.open(request, timeout=60)
            except urllib.error.HTTPError as error:
                if error.code not in (301, 302, 303):
                    raise
                response = error
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _sep, rest = header.partition("=")
                cookies[name.strip()] = rest.split(";")[0]
            if response.status in (301, 302, 303):
                url = urllib.parse.urljoin(url, response.headers["Location"])
                body = None
                continue
            if data is None:
                self.cookies.update(cookies)
            return Page(response.status, url, response.read().decode())
        raise AssertionError("too many redirects")

    def form(self, path: str) -> dict:
        """Open the page with the form: its CSRF token and one-time token."""
        page = self._open(path)
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        token = re.search(r'name="form_token" value="([^"]+)"', page.text).group(1)
        return {"csrfmiddlewaretoken": csrf, "form_token": token}

    def post_twice_at_once(self, path: str, data: dict) -> list[Page]:
        """Send the same POST from two threads released together; both pages are returned."""
        start = threading.Barrier(2)
        pages: list[Page | BaseException] = [None, None]

        def send(index: int) -> None:
            start.wait()
            try:
                pages[index] = self._open(path, data)
            except BaseException as error:  # a 500 raises HTTPError: keep it for the assert
                pages[index] = error

        threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        for page in pages:
            assert isinstance(page, Page), page
        return pages


def messages_of(page: Page) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page.text)).split())


def assert_one_saved_and_one_already(pages: list[Page], saved: str) -> None:
    assert [page.status for page in pages] == [200, 200]
    texts = [messages_of(page) for page in pages]
    assert sum(saved in text for text in texts) == 1, texts
    assert sum(ALREADY in text for text in texts) == 1, texts


def test_add_teacher_sent_twice_at_once_adds_one_teacher(live_server, district):
    browser = Browser(live_server, district.curator_a)
    path = reverse("orgs:teacher_add", args=[district.school_a.pk])
    data = browser.form(path) | {
        "last_name": "Кленова",
        "first_name": "Дарья",
        "middle_name": "Игоревна",
        "position": Position.objects.order_by("pk").first().pk,
        "hired_on": "01.09.2026",
        "qualification_category": "none",
        "email": "klenova@example.org",
        "save": "Сохранить",
    }

    pages = browser.post_twice_at_once(path, data)

    assert_one_saved_and_one_already(pages, "Кленова Дарья Игоревна добавлен(а)")
    added = Employment.objects.filter(
        organization=district.school_a, person__last_name="Кленова"
    ).count()
    assert added == 1
    assert all(page.url.endswith(f"/organizations/{district.school_a.pk}/staff/") for page in pages)


def test_needs_entry_sent_twice_at_once_is_one_entry(live_server, district):
    browser = Browser(live_server, district.curator_a)
    path = reverse("mentoring:needs_organization", args=[district.school_a.pk])
    data = browser.form(path) | {
        "person": district.teacher_a.person.pk,
        "reason": NeedReason.values[-1],
        "note": "после аттестации",
    }

    pages = browser.post_twice_at_once(path, data)

    assert_one_saved_and_one_already(pages, "Педагог добавлен в список")
    assert NeedEntry.objects.filter(person=district.teacher_a.person).count() == 1


def test_meeting_logged_twice_at_once_is_one_meeting(live_server, district, forms):  # noqa: F811
    make_mentor(district.mentor_a.person, district.school_a)
    pair = mentoring.pair_register(
        curator=district.curator_a,
        organization=district.school_a,
        data=mentoring.PairData(
            mentor=district.mentor_a.person,
            mentees=[district.mentee_a.person],
            form=forms["pedagog_pedagog"],
            kind=forms["tradicionnoe"],
            topic="Методика урока",
            planned_start=timezone.localdate() - datetime.timedelta(days=30),
            planned_end=timezone.localdate() + datetime.timedelta(days=200),
            order_number="45-о",
            order_date=timezone.localdate() - datetime.timedelta(days=31),
        ),
    )
    mentoring.pair_activate(user=district.curator_a, pair=pair, today=timezone.localdate())
    browser = Browser(live_server, district.mentor_a)
    path = reverse("mentoring:meeting_add", args=[pair.pk])
    held_at = timezone.localtime() - datetime.timedelta(days=1)
    data = browser.form(path) | {
        "held_at": held_at.strftime("%Y-%m-%dT%H:%M"),
        "format": "in_person",
        "duration_minutes": "45",
        "topic": "Разбор открытого урока",
        "attended": [district.mentee_a.person.pk],
    }

    pages = browser.post_twice_at_once(path, data)

    assert_one_saved_and_one_already(pages, "Встреча записана")
    assert Meeting.objects.filter(pair=pair).count() == 1


def test_report_ordered_twice_at_once_is_one_order(live_server, district, monkeypatch):
    from reports import services as reports

    sent = []
    monkeypatch.setattr(reports, "enqueue_build", lambda pk, **kwargs: sent.append(pk))
    browser = Browser(live_server, district.coordinator)
    form = browser.form(reverse("reports:list"))
    year = re.search(r'<option value="(\d{4}/\d{4})" selected', browser._open("/reports/").text)
    data = form | {"kind": "municipal", "year": year.group(1)}

    pages = browser.post_twice_at_once(reverse("reports:order"), data)

    assert_one_saved_and_one_already(pages, "заказан")
    assert Report.objects.count() == 1
    assert sent == [Report.objects.get().pk]


def test_two_curators_ordering_the_same_report_at_once_get_the_one_order(
    live_server, district, monkeypatch
):
    """Two forms (two tokens): the one active build per scope and year shows the first."""
    from reports import services as reports

    monkeypatch.setattr(reports, "enqueue_build", lambda pk, **kwargs: None)
    first, second = (
        Browser(live_server, district.coordinator),
        Browser(live_server, district.coordinator),
    )
    year = re.search(r'<option value="(\d{4}/\d{4})" selected', first._open("/reports/").text)
    data = {"kind": "municipal", "year": year.group(1)}
    pages = []
    for browser in (first, second):
        pages.append(browser._open(reverse("reports:order"), browser.form("/reports/") | data))

    assert Report.objects.count() == 1
    assert "уже заказан" in messages_of(pages[1])
