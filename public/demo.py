"""Demo: the committee's and every organization's public page, the first school's filled in,
and consents to publication of some of its mentors."""

from __future__ import annotations

import datetime
from typing import TextIO

from django.utils import timezone

from community.models import CouncilMember, EventParticipant, Nomination
from mentoring.models import MentorProfile
from orgs.demo import demo_municipality, demo_organizations, demo_user, first_school
from public import services
from public.models import NewsItem, PublicationConsent, PublicPage


def seed(stdout: TextIO) -> None:
    today = timezone.localdate()
    admin = demo_user("admin")
    municipality = demo_municipality()
    created = not PublicPage.objects.filter(municipality=municipality).exists()
    committee = services.committee_page(municipality)
    for organization in demo_organizations():
        services.organization_page(organization)
    if created:
        services.page_update(
            user=admin,
            page=committee,
            data=services.PageData(
                intro="Система наставничества педагогических работников образовательных "
                "организаций района действует с 2022 года. Здесь — документы, наставники, "
                "лучшие практики и мероприятия.",
                documents="Приказ комитета по образованию № 182 от 12.05.2022 «О внедрении "
                "системы наставничества» — https://zmeinogorsk-edu.example.org/nastavnichestvo/"
                "prikaz-182.pdf\nПоложение о системе наставничества педагогических работников — "
                "https://zmeinogorsk-edu.example.org/nastavnichestvo/polozhenie.pdf",
                contacts="Муниципальный координатор: методический сектор комитета по "
                "образованию, тел. 8 (38587) 2-00-00, nastavnik@zmeinogorsk-edu.example.org",
            ),
        )
        school = first_school()
        page = services.organization_page(school)
        services.page_update(
            user=admin,
            page=page,
            data=services.PageData(
                intro="В школе работает совет наставников; каждый молодой педагог получает "
                "наставника и персонализированную программу.",
                documents="",
                contacts="Куратор наставничества: заместитель директора по УВР, "
                "тел. 8 (38587) 2-11-11, school1@zmeinogorsk-edu.example.org",
            ),
        )
        services.news_add(
            user=admin,
            page=page,
            title="Фестиваль открытых уроков молодых педагогов",
            body="Молодые педагоги школы провели открытые уроки вместе с наставниками.",
            published_on=today - datetime.timedelta(days=10),
        )
        people = set(
            MentorProfile.objects.filter(organization=school)
            .order_by("person__search_key")
            .values_list("person_id", flat=True)[:4]
        )
        people |= set(CouncilMember.objects.values_list("person_id", flat=True)[:3])
        people |= set(
            Nomination.objects.filter(stage="awarded").values_list("person_id", flat=True)[:1]
        )
        people |= set(
            EventParticipant.objects.filter(role="winner").values_list("person_id", flat=True)
        )
        PublicationConsent.objects.bulk_create(
            [
                PublicationConsent(
                    person_id=person_id,
                    given_on=today - datetime.timedelta(days=30),
                    recorded_by=admin,
                )
                for person_id in sorted(people)
            ],
            ignore_conflicts=True,
        )
        services.bump_version()
    stdout.write(
        f"public: {PublicPage.objects.count()} public pages, {NewsItem.objects.count()} news, "
        f"{PublicationConsent.objects.active().count()} consents to publication; "
        f"the committee's page: /public/{committee.slug}/\n"
    )
