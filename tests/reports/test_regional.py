"""The regional annual report: a chord of one task per municipality's annex and a task that
joins them under the region's summary. Tasks run in-process here (eager), as in demo mode."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from mentoring.models import PairStatus
from monitoring import facts
from reports import regional, tasks
from reports import services as reports
from reports.models import RegionalAnnex, Report, ReportKind, ReportStatus
from tests.factories import EmploymentFactory, OrganizationFactory
from tests.monitoring.conftest import make_pair
from tests.reports.conftest import YEAR, pdf_text


@pytest.fixture
def region(committee):
    """The region of the hand-made data set: its district (Змеиногорский район, school A's)
    and Рубцовский район with one school and one working pair."""
    other = committee.region.municipalities.get(name="Рубцовский район")
    school = OrganizationFactory(municipality=other, short_name="Рубцовская СОШ № 7")
    mentor = EmploymentFactory(organization=school).person
    mentee = EmploymentFactory(organization=school).person
    make_pair(school, mentor, [mentee], "01.09.2026", "31.05.2027", status=PairStatus.ACTIVE)
    region = committee.region
    region.head_name = "Н. В. Полякова"
    region.head_position = "Министр образования и науки"
    region.coordinator_name = "Т. А. Громова"
    region.coordinator_position = "Региональный координатор"
    region.save()
    return region


@pytest.fixture
def travel():
    with time_machine.travel(datetime.datetime(2026, 11, 10, 12, 0, tzinfo=datetime.UTC)):
        yield


def order(user, region, django_capture_on_commit_callbacks, reason=""):
    # The summary's rows read the facts, as the dashboards do: the job refreshes them first.
    facts.refresh_dirty()
    with django_capture_on_commit_callbacks(execute=True):
        report = regional.regional_order(user=user, region=region, year=YEAR, reason=reason)
    return Report.objects.get(pk=report.pk)


def test_the_workflow_builds_the_summary_and_every_annex_into_one_pdf(
    region, dataset, travel, django_capture_on_commit_callbacks
):
    user = dataset.district.regional_coordinator
    report = order(user, region, django_capture_on_commit_callbacks)

    assert report.status == ReportStatus.READY, report.failure_reason
    assert report.kind == ReportKind.REGIONAL and report.parts_total == 2
    assert report.annexes.filter(municipality__isnull=False).count() == 2
    assert report.annexes.filter(municipality__isnull=True).count() == 1  # the summary part
    text = pdf_text(report.file.read())
    # The cover names the region and who approves it; the summary has one row per district.
    assert "Алтайский край" in text[:600]
    assert "Н. В. Полякова" in text[:600]
    assert "Региональный годовой отчёт" in text[:600]
    assert "Муниципалитеты, которым нужно внимание" in text
    # Each annex names its municipality, in the order of the names.
    first = text.index("Приложение 1 к региональному годовому отчёту")
    second = text.index("Приложение 2 к региональному годовому отчёту")
    assert "Змеиногорский район" in text[first:second]
    assert "Рубцовский район" in text[second:]
    # The printed numbers are frozen with the report, row by row.
    rows = {row["name"]: row for row in report.values["municipalities"]}
    assert rows["Змеиногорский район"]["indicators"]["needing"] == 3
    assert rows["Змеиногорский район"]["indicators"]["covered"] == 2
    assert rows["Рубцовский район"]["indicators"]["pairs"] == 1
    assert report.definitions_version
    assert report.docx


def test_progress_counts_the_annexes_built_and_the_page_says_so(
    region, dataset, travel, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    user = dataset.district.regional_coordinator
    monkeypatch.setattr(reports, "enqueue_build", lambda *args, **kwargs: None)
    report = order(user, region, django_capture_on_commit_callbacks)
    assert report.status == ReportStatus.QUEUED
    assert regional.progress(report) == (0, 2)

    first = region.municipalities.order_by("name").first()
    assert regional.annex_build(report.pk, first.pk) is True
    assert regional.annex_build(report.pk, first.pk) is False  # built once
    assert regional.progress(Report.objects.get(pk=report.pk)) == (1, 2)

    page = client_for(user).get(reverse("reports:region"), headers={"HX-Request": "true"})
    html = " ".join(page.content.decode().split())
    assert "собрано 1 из 2 муниципалитетов" in html
    assert "data-hx-trigger" in html  # still building: the table polls itself


def test_a_rebuild_is_version_2_and_the_first_keeps_its_numbers(
    region, dataset, travel, client_for, django_capture_on_commit_callbacks
):
    user = dataset.district.regional_coordinator
    first = order(user, region, django_capture_on_commit_callbacks)
    second = order(user, region, django_capture_on_commit_callbacks, reason="уточнены данные")
    assert first.pk != second.pk and second.status == ReportStatus.READY
    versions = {r.pk: r.version for r in regional.regional_reports(user, region)}
    assert versions == {first.pk: 1, second.pk: 2}
    assert Report.objects.get(pk=first.pk).values == first.values
    html = client_for(user).get(reverse("reports:region")).content.decode()
    assert "уточнены данные" in html


def test_only_the_regional_coordinator_or_the_administrator_orders_it(
    region, dataset, client_for, django_capture_on_commit_callbacks
):
    district = dataset.district
    for outsider in (district.coordinator, district.foreign_regional, district.curator_a):
        with pytest.raises(PermissionDenied):
            regional.regional_order(user=outsider, region=region, year=YEAR)
    # The page and its order form answer 403 to the municipal coordinator, nothing saved.
    response = client_for(district.coordinator).post(reverse("reports:region"), {"year": YEAR})
    assert response.status_code == 403
    assert not Report.objects.filter(kind=ReportKind.REGIONAL).exists()


def test_the_order_form_places_the_order_once_on_a_double_click(
    region, dataset, travel, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(reports, "enqueue_build", lambda *args, **kwargs: None)
    client = client_for(dataset.district.regional_coordinator)
    page = client.get(reverse("reports:region")).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    for _click in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("reports:region"), {"year": YEAR, "form_token": token})
        assert response.status_code == 302
    assert Report.objects.filter(kind=ReportKind.REGIONAL).count() == 1


def test_a_killed_worker_leaves_no_hanging_report_and_built_annexes_are_kept(
    region, dataset, settings, monkeypatch, django_capture_on_commit_callbacks
):
    user = dataset.district.regional_coordinator
    monkeypatch.setattr(reports, "enqueue_build", lambda *args, **kwargs: None)
    report = order(user, region, django_capture_on_commit_callbacks)
    first, second = region.municipalities.order_by("name")

    # The worker starts the build, builds the first annex and is killed on the second.
    monkeypatch.setattr(regional, "workflow_start", lambda *args, **kwargs: None)
    tasks.build_report.apply(args=[report.pk], throw=True)
    assert regional.annex_build(report.pk, first.pk)
    kept = RegionalAnnex.objects.get(report=report, municipality=first)
    stuck = Report.objects.get(pk=report.pk)
    assert stuck.status == ReportStatus.BUILDING and stuck.attempts == 1

    monkeypatch.undo()  # the real queue (in-process) and the real workflow
    later = timezone.now() + datetime.timedelta(seconds=settings.REPORTS_STUCK_AFTER_SECONDS + 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert reports.reports_requeue_stuck(now=later) == [report.pk]

    report = Report.objects.get(pk=report.pk)
    assert report.status == ReportStatus.READY and report.attempts == 2
    annexes = {a.municipality_id: a for a in report.annexes.all()}
    assert set(annexes) == {None, first.pk, second.pk}
    assert annexes[first.pk].built_at == kept.built_at  # not built again
    assert second.name in pdf_text(report.file.read())


def test_the_annex_task_is_acknowledged_late_like_the_municipal_build():
    for task in (tasks.build_regional_annex, tasks.build_regional_summary, tasks.finish_regional):
        assert task.acks_late and task.reject_on_worker_lost


def test_the_regional_report_is_not_a_municipal_one_in_the_list_of_a_coordinator(
    region, dataset, travel, client_for, django_capture_on_commit_callbacks
):
    report = order(
        dataset.district.regional_coordinator, region, django_capture_on_commit_callbacks
    )
    download = reverse("reports:download", args=[report.pk])
    assert client_for(dataset.district.coordinator).get(download).status_code == 404
    assert client_for(dataset.district.foreign_regional).get(download).status_code == 404
    assert client_for(dataset.district.regional_coordinator).get(download).status_code == 200


def _pay_twice(region):
    """A mentor of Рубцовский район with two payments for mentoring in the year: two payments,
    one paid mentor."""
    import decimal

    from community.models import Payment

    other = region.municipalities.get(name="Рубцовский район")
    school = other.organizations.get(short_name="Рубцовская СОШ № 7")
    mentor = EmploymentFactory(organization=school).person
    for starts, ends in (("2026-09-01", "2026-12-31"), ("2027-01-01", "2027-05-31")):
        Payment.objects.create(
            organization=school, person=mentor, act="Положение об оплате",
            amount=decimal.Decimal("3000"), starts_on=starts, ends_on=ends,
        )  # fmt: skip
    return other


def test_the_report_prints_the_numbers_of_the_dashboard_and_the_registry(
    region, dataset, travel, client_for, django_capture_on_commit_callbacks
):
    """Each municipality's row and annex, and the region's row, equal what the regional
    dashboard shows and what the registry computes from the records; the incentive payments
    column is the registry's paid mentors (two payments of one mentor: one)."""
    from monitoring import indicators as ind
    from monitoring import region as region_rows
    from monitoring import registry

    paid_district = _pay_twice(region)
    user = dataset.district.regional_coordinator
    report = order(user, region, django_capture_on_commit_callbacks)
    assert report.status == ReportStatus.READY, report.failure_reason
    today = timezone.localdate()
    dashboard = {
        row.municipality.name: row
        for row in region_rows.municipality_rows(
            region_rows.RegionScope(region_id=region.pk), YEAR, today
        )
    }
    frozen = {row["name"]: row for row in report.values["municipalities"]}
    for name, row in frozen.items():
        scope = ind.Scope(municipality_id=row["municipality_id"])
        for code, value in row["indicators"].items():
            assert value == dashboard[name].value(code), (name, code)
            assert value == registry.get(code).compute(scope, YEAR, today), (name, code)
        paid = registry.get("paid_mentors").compute(scope, YEAR, today)
        assert row["paid_mentors"] == dashboard[name].payments == paid
        # The annex prints the municipal dashboard's indicators, frozen with it.
        annex = report.annexes.get(municipality_id=row["municipality_id"])
        for code, value in annex.values.items():
            assert value == registry.get(code).compute(scope, YEAR, today), (name, code)
    assert frozen[paid_district.name]["paid_mentors"] == 1
    region_scope = region_rows.RegionScope(region_id=region.pk)
    for code, value in report.values["indicators"].items():
        assert value == registry.get(code).compute(region_scope, YEAR, today), code

    # The same number under the same name on the dashboard and in the report.
    name = str(registry.get("paid_mentors").name)
    assert name == "Наставники с выплатой за наставничество"
    page = client_for(user).get(reverse("monitoring:region") + f"?year={YEAR}").content.decode()
    assert name in page
    text = pdf_text(report.file.read())
    assert "Наставники с выплатой" in text and "Стимулирующие выплаты" not in text
    assert "Наставники с выплатой за наставничество 1 0" in text  # the annex of Рубцовский район


def test_the_report_says_how_fresh_its_facts_are(
    region, dataset, travel, django_capture_on_commit_callbacks
):
    user = dataset.district.regional_coordinator
    report = order(user, region, django_capture_on_commit_callbacks)
    text = pdf_text(report.file.read())
    # The facts were counted at 19:00 in Барнаул (12:00 UTC): the cover and every annex say so.
    assert text[:1500].count("Данные на 10.11.2026 19:00") == 1
    assert text.count("Данные на 10.11.2026 19:00") == 3
    assert "не посчитаны" not in text
    assert report.values["facts_as_of"].startswith("2026-11-10T12:00")

    # Records changed after the count: the next report says its numbers leave them out.
    from monitoring import facts as fact_rows
    from orgs.models import Organization

    fact_rows.mark_dirty(
        Organization.objects.filter(municipality__region=region).values_list("pk", flat=True)[:1]
    )
    with django_capture_on_commit_callbacks(execute=True):
        second = regional.regional_order(user=user, region=region, year=YEAR, reason="ещё раз")
    text = pdf_text(Report.objects.get(pk=second.pk).file.read())
    assert "Записи 1 организации изменились после этого и в эти числа не вошли" in text


def test_an_annex_is_one_page_read_from_facts_in_a_few_queries(
    region, dataset, travel, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    from reports.management.commands.bench_reports import pdf_pages

    user = dataset.district.regional_coordinator
    report = order(user, region, django_capture_on_commit_callbacks)
    municipality = region.municipalities.order_by("name").first()
    with django_assert_max_num_queries(7):
        context = regional.annex_context(report, municipality, 1, regional.as_of(report))
    assert context["organizations"] == municipality.organizations.count()
    # The rows by kind read from the organizations' facts are the municipal report's rows,
    # counted from the records.
    from monitoring import indicators as ind

    scope = ind.Scope(municipality_id=municipality.pk)
    today = regional.as_of(report)
    compliance = ind.compliance(scope, YEAR, today)
    counted = reports.kind_rows(reports.organization_rows(scope, YEAR, today, compliance))
    fields = ("kind", "needing", "covered", "pairs", "groups", "due", "due_completed",
              "completed", "drafts", "overdue", "programs", "inter")  # fmt: skip

    def shown(rows):
        return [tuple(getattr(row, name) for name in fields) for row in rows]

    assert shown(context["kinds"]) == shown(counted)
    assert any(row.needing for row in context["kinds"])
    assert [row.name for row in context["attention"]] == [
        row.name
        for row in reports.organization_rows(scope, YEAR, today, compliance)
        if row.attention
    ][: regional.ANNEX_ATTENTION_NAMES]
    for part in report.annexes.filter(municipality__isnull=False):
        assert pdf_pages(part.file.read()) == 1
