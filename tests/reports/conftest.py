"""Reports are tested on monitoring's hand-made data set (tests/monitoring/conftest.py),
whose indicators are counted by hand there: school A has 3 teachers on its needs list,
2 of them with a mentor (66,7 %), 1 pair, 1 group and 1 inter-organization pair in 2026/2027.
"""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.monitoring.conftest import PREVIOUS, TODAY, YEAR, dataset  # noqa: F401

COMMITTEE = "Комитет Администрации Змеиногорского района по образованию и делам молодёжи"

__all__ = ["PREVIOUS", "TODAY", "YEAR", "pdf_text"]


def pdf_text(content: bytes) -> str:
    """The PDF's text, whitespace collapsed, so a table row reads as one line."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.fixture
def committee(dataset):  # noqa: F811
    municipality = dataset.district.municipality
    municipality.committee_name = COMMITTEE
    municipality.save()
    return municipality
