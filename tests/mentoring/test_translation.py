"""The mentoring catalogue is complete: every message has a Russian translation."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import translation

PO = (
    Path(__file__).resolve().parents[2]
    / "mentoring"
    / "locale"
    / "ru"
    / "LC_MESSAGES"
    / "django.po"
)


def entries() -> list[tuple[str, str, bool]]:
    result = []
    for block in PO.read_text(encoding="utf-8").split("\n\n")[1:]:
        fuzzy = "#, fuzzy" in block
        msgid = "".join(re.findall(r'"(.*)"', block.split("msgstr")[0].split("msgid", 1)[1]))
        msgstr = "".join(re.findall(r'"(.*)"', block.split("msgstr", 1)[1]))
        result.append((msgid, msgstr, fuzzy))
    return result


def test_every_message_is_translated_and_none_is_fuzzy():
    rows = entries()
    assert len(rows) > 250
    assert [msgid for msgid, msgstr, fuzzy in rows if not msgstr or fuzzy] == []
    assert "#, fuzzy" not in PO.read_text(encoding="utf-8").split("\n\n", 1)[0]


def test_labels_do_not_borrow_translations_of_other_apps():
    """«active» and «dismissed» mean other things in Django's and orgs' catalogues."""
    from mentoring.models import NeedStatus, PairStatus, Topic

    with translation.override("ru"):
        assert str(PairStatus.ACTIVE.label) == "действует"
        assert str(PairStatus.ENDED_EARLY.label) == "завершена досрочно"
        assert str(NeedStatus.DISMISSED.label) == "отклонён"
        assert str(Topic.ADDITIONAL.label) == "дополнительное образование"
