"""Keep the English catalog honest and fill it from {vi: en} tables.

Usage: python scripts/translate_en.py [TABLE.py ...]   (each TABLE.py defines
T = {...}; a plural entry maps to a (singular, plural) pair, a pgettext entry is keyed
by a (context, msgid) pair). Fuzzy entries
(msgmerge's guesses, usually wrong) are cleared first. Prints what is still
untranslated.
"""

import runpy
import sys
from pathlib import Path

import polib

table: dict = {}
for name in sys.argv[1:]:
    table.update(runpy.run_path(name)["T"])
path = Path(__file__).resolve().parent.parent / "locale/en/LC_MESSAGES/django.po"
po = polib.pofile(str(path))
for entry in po:
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
        entry.msgstr = ""
        entry.msgstr_plural = {0: "", 1: ""} if entry.msgid_plural else {}
        entry.previous_msgid = entry.previous_msgid_plural = None
    # A msgid said in a context (pgettext) is keyed by (context, msgid).
    value = table.get((entry.msgctxt, entry.msgid) if entry.msgctxt else entry.msgid)
    if value is None:
        continue
    if entry.msgid_plural:
        single, plural = value if isinstance(value, tuple) else (value, value)
        entry.msgstr_plural = {0: single, 1: plural}
    else:
        entry.msgstr = value if isinstance(value, str) else value[0]
po.metadata["Language"] = "en"
po.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
po.save()
missing = [e.msgid for e in po if not (e.msgstr or e.msgstr_plural.get(0))]
print(f"{len(missing)} untranslated")
