"""Dashboards, drill-down and exports: who sees what, and what a user reads there."""

from __future__ import annotations

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.monitoring.conftest import PREVIOUS, TODAY, YEAR


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)


def dashboard_url(**params):
    from urllib.parse import urlencode

    return reverse("monitoring:dashboard") + ("?" + urlencode(params) if params else "")


def drill_url(metric, **params):
    from urllib.parse import urlencode

    return reverse("monitoring:drill", args=[metric]) + "?" + urlencode({"year": YEAR, **params})


def sheet_rows(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_coordinator_sees_the_municipal_dashboard_with_svg_charts(dataset, client_for):
    client = client_for(dataset.district.coordinator)
    response = client.get(dashboard_url(year=YEAR))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Барановская СОШ" in html and "Детский сад «Ромашка»" in html
    assert "<svg" in html and "<script" not in html.split("<svg", 1)[1].split("</svg>")[0]
    assert drill_url("overdue").replace("&", "&amp;") in html


def test_coordinator_drills_down_from_overdue_activities_to_their_list(dataset, client_for):
    client = client_for(dataset.district.coordinator)
    html = client.get(drill_url("overdue")).content.decode()
    assert "Посещение уроков наставника" in html and "Анализ урока" in html
    assert "Открытый урок" not in html and "Мастер-класс" not in html
    previous = client.get(drill_url("overdue", year=PREVIOUS)).content.decode()
    assert "Мастер-класс" in previous


def test_drill_down_export_holds_exactly_the_rows_behind_the_number(dataset, client_for):
    client = client_for(dataset.district.coordinator)
    rows = sheet_rows(client.get(drill_url("overdue", export="xlsx")))
    assert rows[0][0] == "Мероприятие" or rows[0][0]  # header row
    assert sorted(row[0] for row in rows[1:]) == ["Анализ урока", "Посещение уроков наставника"]


def test_every_dashboard_table_exports_to_excel(dataset, client_for):
    client = client_for(dataset.district.coordinator)
    for table in ("indicators", "forms", "stage1", "dynamics", "stage2", "monthly", "yearly",
                  "compliance"):  # fmt: skip
        response = client.get(dashboard_url(year=YEAR, export="xlsx", table=table))
        assert response.status_code == 200, table
        assert len(sheet_rows(response)) >= 1
    compliance = sheet_rows(client.get(dashboard_url(year=YEAR, export="xlsx", table="compliance")))
    assert {row[0] for row in compliance[1:]} == {
        "Барановская СОШ",
        "Таловская СОШ",
        "Детский сад «Сказка»",
        "Детский сад «Ромашка»",
    }


def test_kindergarten_filter_narrows_the_dashboard_and_its_drill_down(dataset, client_for):
    client = client_for(dataset.district.coordinator)
    html = client.get(dashboard_url(year=PREVIOUS, kind="preschool")).content.decode()
    compliance = html.split('id="table-compliance"')[1]
    assert "Детский сад «Сказка»" in compliance and "Барановская СОШ" not in compliance
    rows = sheet_rows(
        client.get(drill_url("overdue", year=PREVIOUS, kind="preschool", export="xlsx"))
    )
    assert [row[0] for row in rows[1:]] == ["Мастер-класс"]
    rows = sheet_rows(client.get(drill_url("overdue", kind="preschool", export="xlsx")))
    assert rows[1:] == []


def test_dashboard_filters_are_remembered(dataset, client_for):
    client = client_for(dataset.district.coordinator)
    client.get(dashboard_url(year=PREVIOUS, kind="preschool"))
    response = client.get(dashboard_url())
    assert response.status_code == 302
    assert "kind=preschool" in response["Location"]


def test_kindergarten_specialist_sees_only_kindergartens(dataset, client_for):
    client = client_for(dataset.district.kindergarten_specialist)
    html = client.get(dashboard_url(year=YEAR)).content.decode()
    assert "Детский сад «Сказка»" in html and "Барановская СОШ" not in html
    rows = sheet_rows(client.get(drill_url("overdue", export="xlsx")))
    assert rows[1:] == []  # the school's overdue activities are not theirs
    rows = sheet_rows(client.get(drill_url("overdue", year=PREVIOUS, export="xlsx")))
    assert [row[0] for row in rows[1:]] == ["Мастер-класс"]


def test_specialist_asking_for_a_school_gets_404(dataset, client_for):
    client = client_for(dataset.district.kindergarten_specialist)
    school = dataset.district.school_a.pk
    assert client.get(dashboard_url(organization=school)).status_code == 404
    assert client.get(drill_url("overdue", organization=school)).status_code == 404
    url = reverse("monitoring:organization_dashboard", args=[school])
    assert client.get(url).status_code == 404


def test_curator_goes_to_their_organization_dashboard(dataset, client_for):
    client = client_for(dataset.district.curator_a)
    response = client.get(dashboard_url())
    school = dataset.district.school_a.pk
    assert response["Location"] == reverse("monitoring:organization_dashboard", args=[school])
    html = client.get(response["Location"] + f"?year={YEAR}").content.decode()
    assert "Барановская СОШ" in html and "Таловская СОШ" not in html


def test_curator_drill_down_and_export_stay_in_their_organization(dataset, client_for):
    district = dataset.district
    client = client_for(district.curator_b)
    rows = sheet_rows(
        client.get(drill_url("overdue", organization=district.school_b.pk, export="xlsx"))
    )
    assert rows[1:] == []
    rows = sheet_rows(client.get(drill_url("overdue", export="xlsx")))
    assert rows[1:] == []  # without a filter: still only school B
    assert client.get(drill_url("overdue", organization=district.school_a.pk)).status_code == 404
    url = reverse("monitoring:organization_dashboard", args=[district.school_a.pk])
    assert client.get(url).status_code == 404


def test_curator_of_school_a_sees_its_overdue_activities(dataset, client_for):
    district = dataset.district
    client = client_for(district.curator_a)
    rows = sheet_rows(client.get(drill_url("overdue", export="xlsx")))
    assert sorted(row[0] for row in rows[1:]) == ["Анализ урока", "Посещение уроков наставника"]


def test_foreign_coordinator_sees_nothing_of_this_district(dataset, client_for):
    client = client_for(dataset.district.foreign_coordinator)
    html = client.get(dashboard_url(year=YEAR)).content.decode()
    assert "Барановская СОШ" not in html
    school = dataset.district.school_a.pk
    assert client.get(drill_url("overdue", organization=school)).status_code == 404
    rows = sheet_rows(client.get(drill_url("overdue", export="xlsx")))
    assert rows[1:] == []


@pytest.mark.parametrize("persona", ["mentor_a", "mentee_a"])
def test_mentor_and_mentee_have_no_dashboard(dataset, client_for, persona):
    client = client_for(getattr(dataset.district, persona))
    assert client.get(dashboard_url()).status_code == 403
    assert client.get(drill_url("overdue")).status_code == 403
    school = dataset.district.school_a.pk
    url = reverse("monitoring:organization_dashboard", args=[school])
    assert client.get(url).status_code == 403


def test_anonymous_is_sent_to_sign_in(dataset, client):
    for url in (dashboard_url(), drill_url("overdue"), reverse("monitoring:act_list")):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_unknown_metric_is_404(dataset, client_for):
    client = client_for(dataset.district.coordinator)
    assert client.get(reverse("monitoring:drill", args=["nothing"])).status_code == 404


def test_program_page_shows_stage1_dynamics_and_surveys(dataset, client_for):
    client = client_for(dataset.district.mentor_a)
    response = client.get(reverse("monitoring:program", args=[dataset.prog1.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "80" in html and "<svg" in html
    other = client_for(dataset.district.curator_b)
    assert other.get(reverse("monitoring:program", args=[dataset.prog1.pk])).status_code == 404


def test_date_is_frozen_for_views(dataset):
    from django.utils import timezone

    assert timezone.localdate() == TODAY == datetime.date(2026, 11, 10)


def _section(html: str, key: str) -> str:
    return html.split(f'id="table-{key}"', 1)[1].split("</section>", 1)[0]


def test_live_tables_follow_a_change_at_once_and_are_rendered_once_for_their_cells(
    dataset, client_for, monkeypatch
):
    """The deadlines table is read live: a regulation adopted shows at the next view. A view
    with the same cells prints the kept rendering, which equals a fresh one."""
    from monitoring import tables
    from monitoring.models import ActType, LocalAct
    from tests.monitoring.conftest import d

    client = client_for(dataset.district.coordinator)
    first = client.get(dashboard_url(year=YEAR)).content.decode()
    school_b = dataset.district.school_b.short_name
    row_of_school_b = _section(first, "compliance").split(school_b, 1)[1].split("</tr>", 1)[0]
    assert "20.08.2026" not in row_of_school_b
    written = []
    display = tables.Cell.display.fget
    monkeypatch.setattr(
        tables.Cell, "display", property(lambda cell: written.append(cell) or display(cell))
    )
    again = client.get(dashboard_url(year=YEAR)).content.decode()
    assert _section(again, "compliance") == _section(first, "compliance")
    assert _section(again, "health") == _section(first, "health")
    assert written == []  # nothing of the page's tables rendered again
    LocalAct.objects.create(organization=dataset.district.school_b, type=ActType.REGULATION,
                            number="5", adopted_on=d("20.08.2026"))  # fmt: skip
    changed = client.get(dashboard_url(year=YEAR)).content.decode()
    row_of_school_b = _section(changed, "compliance").split(school_b, 1)[1].split("</tr>", 1)[0]
    assert "20.08.2026" in row_of_school_b
    assert written  # the deadlines table, changed, was rendered again
