"""Fill empty entries of the en catalog from a {vi: en} table in a Python file.

Usage: python scripts/translate_en.py TABLE.py   (TABLE.py defines T = {...};
a plural entry maps to a (singular, plural) pair). Prints what is still empty.
"""

import runpy
import sys
from pathlib import Path

import polib

table = runpy.run_path(sys.argv[1])["T"]
path = Path(__file__).resolve().parent.parent / "locale/en/LC_MESSAGES/django.po"
po = polib.pofile(str(path))
for entry in po:
    value = table.get(entry.msgid)
    if entry.msgid_plural:
        if value and not entry.msgstr_plural.get(0):
            single, plural = value if isinstance(value, tuple) else (value, value)
            entry.msgstr_plural = {0: single, 1: plural}
    elif value and not entry.msgstr:
        entry.msgstr = value
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
po.metadata["Language"] = "en"
po.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
po.save()
missing = [e.msgid for e in po if not (e.msgstr or e.msgstr_plural.get(0))]
print(f"{len(missing)} untranslated", *missing, sep="\n  ")
