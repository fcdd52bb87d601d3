"""The Russian catalogue is complete, has no fuzzy entries, and its compiled .mo is current."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(
    path
    for path in ROOT.glob("**/locale/ru/LC_MESSAGES/django.po")
    if ".venv" not in path.parts and "var" not in path.parts
)


def test_there_is_a_russian_catalogue():
    assert CATALOGUES, "no locale/ru catalogue found"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_complete_and_not_fuzzy(path):
    po = polib.pofile(str(path))
    assert [entry.msgid for entry in po.untranslated_entries()] == []
    assert [entry.msgid for entry in po.fuzzy_entries()] == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_compiled_catalogue_matches_the_source(path):
    po = polib.pofile(str(path))
    mo = polib.mofile(str(path.with_suffix(".mo")))
    compiled = {(entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural for entry in mo}
    for entry in po.translated_entries():
        expected = entry.msgstr or {int(k): v for k, v in entry.msgstr_plural.items()}
        got = compiled.get((entry.msgctxt, entry.msgid))
        if isinstance(got, dict):
            got = {int(k): v for k, v in got.items()}
        assert got == expected, entry.msgid


def test_translation_functions_keep_names_makemessages_knows():
    """`gettext as _t` hides every message from makemessages: only `_` or the real name."""
    import re

    alias = re.compile(r"import\s+(?:n|p|np)?gettext(?:_lazy)?\s+as\s+(?!_\b)\w+")
    offenders = [
        str(path.relative_to(ROOT))
        for app in ("config", "orgs", "mentoring", "programs", "monitoring")
        for path in (ROOT / app).rglob("*.py")
        if alias.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_every_message_renders_with_its_own_catalogues_translation():
    """Catalogues are merged, and the app listed first in INSTALLED_APPS (Django's admin
    and auth among them) wins a shared msgid: a word with two senses needs a context."""
    from django.utils import translation

    wrong = []
    with translation.override("ru"):
        for path in CATALOGUES:
            for entry in polib.pofile(str(path)).translated_entries():
                if entry.msgid_plural:
                    continue
                if entry.msgctxt:
                    shown = translation.pgettext(entry.msgctxt, entry.msgid)
                else:
                    shown = translation.gettext(entry.msgid)
                if shown != entry.msgstr:
                    wrong.append(f"{path.relative_to(ROOT)}: {entry.msgid!r} shows {shown!r}")
    assert wrong == []
