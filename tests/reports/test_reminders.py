"""Weekly reminders: who gets what, on hand-made data; an opted-out user gets nothing; every
link is absolute and opens a page of the portal; one letter per user per week, kept in the
database (a cache flush changes nothing), a failed letter sent by the next run. Today is
Tuesday 10.11.2026."""

from __future__ import annotations

import datetime
from urllib.parse import urlparse

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.urls import resolve
from django.utils import timezone

from mentoring.models import Meeting, NeedsList, PairStatus
from monitoring.models import ActType, LocalAct
from programs.models import Activity
from reports import reminders, tasks
from reports.models import ReminderLetter
from tests.monitoring.conftest import make_pair, make_program
from tests.reports.conftest import TODAY

SITE = "https://nastavnik.example.ru"


def days(n: int) -> str:
    return (TODAY + datetime.timedelta(days=n)).strftime("%d.%m.%Y")


@pytest.fixture
def week(district, settings):
    """Hand-made week:
    - mentor_a's pair «Квиет» started 60 days ago, no meeting since → quiet;
      its program has an activity overdue since 01.11 (mentor_a and mentee_a are reminded);
    - mentor_a's second pair had a meeting 5 days ago and ends in 10 days → not quiet, ending;
    - school A: needs list updated 400 days ago, no regulation → stale and late documents;
    - school B: needs list and regulation in order; a pair ending in 20 days, met 3 days
      ago → nothing.
    """
    settings.SITE_URL = SITE
    cache.clear()
    d = district
    mentor, mentee = d.mentor_a.person, d.mentee_a.person
    with time_machine.travel(TODAY, tick=False):
        quiet = make_pair(d.school_a, mentor, [mentee], days(-60), days(120))
        quiet.topic = "Квиет"
        quiet.save()
        program = make_program(quiet, mentee, days(-60), days(120), "in_progress")
        Activity.objects.create(
            program=program, title="Открытый урок", planned_on=TODAY.replace(day=1)
        )
        Activity.objects.create(
            program=program, title="Будущее", planned_on=TODAY + datetime.timedelta(days=5)
        )
        ending = make_pair(d.school_a, mentor, [d.teacher_a.person], days(-90), days(10))
        ending.topic = "Скоро конец"
        ending.save()
        Meeting.objects.create(
            pair=ending, held_at=timezone.now() - datetime.timedelta(days=5), topic="Разбор"
        )
        later = make_pair(
            d.school_b, d.teacher_b.person, [], days(-60), days(20), status=PairStatus.ACTIVE
        )
        Meeting.objects.create(
            pair=later, held_at=timezone.now() - datetime.timedelta(days=3), topic="Разбор"
        )
        NeedsList.objects.create(
            organization=d.school_a,
            academic_year="2025/2026",
            updated_on=TODAY - datetime.timedelta(days=400),
        )
        NeedsList.objects.create(
            organization=d.school_b,
            academic_year="2026/2027",
            updated_on=TODAY - datetime.timedelta(days=30),
        )
        LocalAct.objects.create(organization=d.school_b, type=ActType.REGULATION, number="1",
                                adopted_on=datetime.date(2026, 7, 20), published_on=datetime.date(2026, 8, 1),
                                url="https://school-b.example.ru/mentoring")  # fmt: skip
    return {"quiet": quiet, "ending": ending, "program": program}


def select() -> dict[str, dict[str, list]]:
    with time_machine.travel(datetime.datetime(2026, 11, 10, 9, 0), tick=False):
        digests = reminders.reminders_select()
    return {
        digest.user.username: {key: items for key, items in digest.sections.items()}
        for digest in digests
    }


def texts(items) -> list[str]:
    return [item.text for item in items]


def test_each_user_is_reminded_of_exactly_their_own_matters(district, week):
    got = select()
    mentor = got["mentor_a"]
    # «Квиет»'s program started 60 days ago: its start survey is due to both participants.
    assert set(mentor) == {"quiet_pairs", "overdue_activities", "surveys_due"}
    assert len(mentor["surveys_due"]) == 1
    assert [text.split(",")[0] for text in texts(mentor["quiet_pairs"])] == ["Квиет"]
    assert [text.split(" — ")[0] for text in texts(mentor["overdue_activities"])] == [
        "Открытый урок"
    ]
    assert set(got["mentee_a"]) == {"overdue_activities", "surveys_due"}
    for official in ("curator_a", "head_a"):
        # «Квиет» has had no meeting for 60 days: past 30 (curator) and 45 (head).
        assert set(got[official]) == {
            "quiet_pairs",
            "stale_needs",
            "ending_pairs",
            "late_documents",
        }
        assert [text.split(",")[0] for text in texts(got[official]["quiet_pairs"])] == ["Квиет"]
        assert len(got[official]["ending_pairs"]) == 1
        assert "Скоро конец" in got[official]["ending_pairs"][0].text
        assert got[official]["late_documents"][0].text.startswith("Барановская СОШ:")
    # The coordinator hears of every organization late with its documents, school B is not.
    late = texts(got["coordinator"]["late_documents"])
    assert any(text.startswith("Барановская СОШ:") for text in late)
    assert not any(text.startswith("Таловская СОШ:") for text in late)
    assert set(got["coordinator"]) == {"late_documents"}
    assert "curator_b" not in got  # in order: needs list fresh, regulation in time
    assert "school_specialist" not in got


def test_opted_out_user_gets_nothing(district, week):
    district.curator_a.email_reminders = False
    district.curator_a.save()
    assert "curator_a" not in select()
    with time_machine.travel(datetime.datetime(2026, 11, 10, 9, 0), tick=False):
        reminders.reminders_send()
    assert district.curator_a.email not in [to for message in mail.outbox for to in message.to]
    assert district.head_a.email in [to for message in mail.outbox for to in message.to]
    assert not ReminderLetter.objects.filter(user=district.curator_a).exists()
    assert ReminderLetter.objects.filter(user=district.head_a).exists()


def test_links_are_absolute_and_open_portal_pages(district, week):
    for sections in select().values():
        for items in sections.values():
            for item in items:
                parsed = urlparse(item.url)
                assert f"{parsed.scheme}://{parsed.netloc}" == SITE
                resolve(parsed.path)  # a page of the portal, or Resolver404
    urls = [item.url for item in select()["mentor_a"]["quiet_pairs"]]
    assert urls == [SITE + week["quiet"].get_absolute_url()]


def test_one_letter_per_user_per_week_with_links_and_the_way_to_turn_it_off(district, week):
    with time_machine.travel(datetime.datetime(2026, 11, 10, 9, 0), tick=False):
        sent = reminders.reminders_send()
        again = reminders.reminders_send()  # the same week: nothing more
    assert sent == len(mail.outbox) == len({m.to[0] for m in mail.outbox})
    assert again == 0
    letter = next(m for m in mail.outbox if m.to == [district.mentor_a.email])
    assert SITE + week["quiet"].get_absolute_url() in letter.body
    assert SITE + week["program"].get_absolute_url() in letter.body
    assert SITE + "/reports/notifications/" in letter.body
    with time_machine.travel(datetime.datetime(2026, 11, 17, 9, 0), tick=False):
        assert reminders.reminders_send() > 0  # next week: again


def test_notification_settings_turn_reminders_off_and_on(district, client_for):
    client = client_for(district.mentor_a)
    page = client.get("/reports/notifications/")
    assert page.status_code == 200 and page.context["form"].initial["email_reminders"] is True
    assert client.post("/reports/notifications/", {}).status_code == 302
    district.mentor_a.refresh_from_db()
    assert district.mentor_a.email_reminders is False
    client.post("/reports/notifications/", {"email_reminders": "on"})
    district.mentor_a.refresh_from_db()
    assert district.mentor_a.email_reminders is True


TUESDAY = datetime.datetime(2026, 11, 10, 9, 0)
MONDAY = datetime.date(2026, 11, 9)


def send_at(moment: datetime.datetime) -> int:
    with time_machine.travel(moment, tick=False):
        return reminders.reminders_send()


def recipients_of(messages) -> list[str]:
    return sorted(to for message in messages for to in message.to)


def test_second_run_in_the_week_sends_nothing_even_after_the_cache_is_flushed(district, week):
    # Selected before sending: an alert about a quiet pair goes into one letter only.
    with time_machine.travel(TUESDAY, tick=False):
        digests = {digest.user.username: digest.count for digest in reminders.reminders_select()}
    sent = send_at(TUESDAY)
    letters = {letter.user.username: letter for letter in ReminderLetter.objects.all()}
    assert sent == len(letters) == len(mail.outbox) > 0
    assert {letter.week for letter in letters.values()} == {MONDAY}
    assert {name: letter.items for name, letter in letters.items()} == digests
    cache.clear()
    assert send_at(datetime.datetime(2026, 11, 15, 9, 0)) == 0  # Sunday of the same week
    assert len(mail.outbox) == sent
    assert ReminderLetter.objects.count() == sent


def test_the_next_week_sends_again(district, week):
    first = send_at(TUESDAY)
    assert send_at(datetime.datetime(2026, 11, 16, 8, 0)) > 0  # Monday of the next week
    assert set(recipients_of(mail.outbox[:first])) <= set(recipients_of(mail.outbox[first:]))
    weeks = ReminderLetter.objects.filter(user=district.mentor_a).values_list("week", flat=True)
    assert sorted(weeks) == [MONDAY, datetime.date(2026, 11, 16)]


def test_an_alert_about_a_quiet_pair_is_in_one_letter_only(district, week):
    send_at(TUESDAY)
    first = next(m for m in mail.outbox if m.to == [district.curator_a.email])
    assert "Квиет, " in first.body and " 60 " in first.body
    mail.outbox.clear()
    send_at(datetime.datetime(2026, 11, 17, 9, 0))
    again = next(m for m in mail.outbox if m.to == [district.curator_a.email])
    assert "Квиет" not in again.body


def test_user_with_reminders_off_gets_no_letter_and_no_row_week_after_week(district, week):
    district.mentor_a.email_reminders = False
    district.mentor_a.save()
    send_at(TUESDAY)
    send_at(datetime.datetime(2026, 11, 17, 9, 0))
    assert district.mentor_a.email not in recipients_of(mail.outbox)
    assert not ReminderLetter.objects.filter(user=district.mentor_a).exists()
    assert ReminderLetter.objects.filter(user=district.mentee_a).count() == 2


@pytest.fixture
def mail_server_refuses(monkeypatch, district):
    """The mail server refuses letters to mentor_a until `.recover()`."""

    class Refusing:
        down = True

        def recover(self):
            self.down = False

    state = Refusing()
    real = reminders.send_mail

    def send_mail(subject, body, sender, to, **kwargs):
        if state.down and district.mentor_a.email in to:
            raise ConnectionRefusedError("SMTP down")
        return real(subject, body, sender, to, **kwargs)

    monkeypatch.setattr(reminders, "send_mail", send_mail)
    return state


def test_a_letter_that_failed_leaves_no_row_and_the_next_run_sends_only_it(
    district, week, mail_server_refuses
):
    with pytest.raises(reminders.LettersNotSent) as failure:
        send_at(TUESDAY)
    assert failure.value.failed == 1
    others = recipients_of(mail.outbox)
    assert others and district.mentor_a.email not in others  # the others were not held up
    assert not ReminderLetter.objects.filter(user=district.mentor_a).exists()
    assert ReminderLetter.objects.count() == failure.value.sent == len(others)

    mail_server_refuses.recover()
    assert send_at(datetime.datetime(2026, 11, 10, 10, 0)) == 1
    assert mail.outbox[-1].to == [district.mentor_a.email]
    assert ReminderLetter.objects.filter(user=district.mentor_a, week=MONDAY).count() == 1


def test_weekly_job_retries_a_failed_letter_without_sending_the_others_twice(
    district, week, mail_server_refuses, monkeypatch
):
    calls = []
    send = reminders.reminders_send

    def send_and_recover(*args, **kwargs):
        calls.append(1)
        try:
            return send(*args, **kwargs)
        finally:
            mail_server_refuses.recover()

    monkeypatch.setattr(reminders, "reminders_send", send_and_recover)
    with time_machine.travel(TUESDAY, tick=False):
        result = tasks.send_weekly_reminders.apply(throw=False)
    assert len(calls) == 2 and result.get() == 1
    everyone = recipients_of(mail.outbox)
    assert district.mentor_a.email in everyone
    assert len(everyone) == len(set(everyone)) == ReminderLetter.objects.count()
