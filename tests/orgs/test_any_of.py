"""`organization__any_of`: a scope's organizations as one array parameter, the rows of `__in`."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.lookups import array_text
from orgs.models import Organization
from orgs.visibility import in_organizations


def test_any_of_finds_the_rows_in_finds(district):
    chosen = [district.school_a.pk, district.kindergarten.pk]
    expected = set(Organization.objects.filter(pk__in=chosen).values_list("pk", flat=True))
    for ids in (frozenset(chosen), chosen, set(chosen), tuple(reversed(chosen))):
        found = set(Organization.objects.filter(pk__any_of=ids).values_list("pk", flat=True))
        assert found == expected == {district.school_a.pk, district.kindergarten.pk}


def test_a_set_of_ids_is_one_parameter_written_once(district):
    ids = frozenset(
        Organization.objects.filter(municipality=district.municipality).values_list("pk", flat=True)
    )
    assert array_text(ids) == "{" + ",".join(str(pk) for pk in sorted(ids)) + "}"
    assert array_text(frozenset(ids)) is array_text(ids)  # an equal set: the same text
    with CaptureQueriesContext(connection) as queries:
        rows = list(Organization.objects.filter(in_organizations("pk", ids)))
    assert {row.pk for row in rows} == set(ids)
    assert array_text(ids) in queries[0]["sql"]


def test_no_ids_send_no_query(district):
    with CaptureQueriesContext(connection) as queries:
        assert list(Organization.objects.filter(in_organizations("pk", frozenset()))) == []
    assert len(queries) == 0
