"""The Russian catalogue is complete, has no fuzzy entries, and its compiled .mo is current."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
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


# A Russian msgstr without a Cyrillic letter is an English one left in place, unless it is
# only placeholders and punctuation, or one of these names that Russian keeps in Latin.
LATIN_IN_RUSSIAN = {"Excel", "PDF", "Word"}
PLACEHOLDERS = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|[\W\d_]")
CYRILLIC = re.compile("[А-Яа-яЁё]")


def test_every_russian_message_is_written_in_russian():
    latin = []
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)).translated_entries():
            texts = [entry.msgstr] if not entry.msgid_plural else entry.msgstr_plural.values()
            for text in texts:
                if CYRILLIC.search(text) or text in LATIN_IN_RUSSIAN:
                    continue
                if PLACEHOLDERS.sub("", text):
                    latin.append(f"{path.relative_to(ROOT)}: {entry.msgid!r} → {text!r}")
    assert latin == []


def _catalogue_root(path: Path) -> Path:
    return path.parent.parent.parent.parent  # <root>/locale/ru/LC_MESSAGES/django.po


def _extracted_messages(root: Path, tmp_path: Path) -> set[tuple[str, str]]:
    """What `makemessages` finds in the code of one catalogue's root, run on a copy so the
    real catalogue is not touched: (context, msgid) pairs."""
    apps = {_catalogue_root(path) for path in CATALOGUES} - {ROOT}
    skipped = {".venv", "var", "tests", "locale", "static", "node_modules", ".git"}
    if root == ROOT:
        skipped |= {app.name for app in apps}
    copy = tmp_path / root.name
    shutil.copytree(
        root,
        copy,
        ignore=lambda folder, names: [
            name
            for name in names
            if (Path(folder) == root and name in skipped)
            or (not name.endswith((".py", ".html", ".txt")) and not (Path(folder) / name).is_dir())
        ],
    )
    (copy / "locale").mkdir()
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "ru", "--no-wrap"],
        cwd=copy,
        env=environment,
        check=True,
        capture_output=True,
    )
    po = polib.pofile(str(copy / "locale/ru/LC_MESSAGES/django.po"))
    return {(entry.msgctxt or "", entry.msgid) for entry in po}


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="makemessages needs GNU gettext")
@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_of_the_code_is_in_its_catalogue(path, tmp_path):
    """A message in a template or in Python that `make messages` was not run for shows in
    English; the catalogue must already hold every message its code uses."""
    catalogue = {(entry.msgctxt or "", entry.msgid) for entry in polib.pofile(str(path))}
    missing = _extracted_messages(_catalogue_root(path), tmp_path) - catalogue
    assert sorted(missing) == []
