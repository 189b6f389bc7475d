"""Source strings are Vietnamese: the vi catalog maps each one to itself.

Run by `make messages` after makemessages, so the vi catalog stays complete.
"""

from pathlib import Path

import polib

path = Path(__file__).resolve().parent.parent / "locale/vi/LC_MESSAGES/django.po"
po = polib.pofile(str(path))
for entry in po:
    if entry.msgid_plural:
        entry.msgstr_plural = {0: entry.msgid}
    else:
        entry.msgstr = entry.msgid
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
po.metadata["Language"] = "vi"
po.save()
