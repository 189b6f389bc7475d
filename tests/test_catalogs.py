"""The Vietnamese catalog is complete and the English one translates everything."""

import re
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_catalog_has_no_empty_or_fuzzy_entry(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES/django.po"))
    empty = [
        e.msgid for e in po if not (e.msgstr or (all(e.msgstr_plural.values()) and e.msgstr_plural))
    ]
    assert empty == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_english_keeps_every_placeholder():
    po = polib.pofile(str(LOCALE / "en/LC_MESSAGES/django.po"))
    for entry in po:
        translations = [entry.msgstr] if entry.msgstr else list(entry.msgstr_plural.values())
        for text in translations:
            assert set(PLACEHOLDER.findall(text)) <= set(
                PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or ""))
            ) | {"%(counter)s"}, entry.msgid
