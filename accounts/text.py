"""Vietnamese text helpers: NFC storage, accent folding and collation."""

import unicodedata

from django.conf import settings
from django.db.models import F
from django.db.models.functions import Collate

VI_COLLATION = "vi-x-icu"


def nfc(value: str | None) -> str:
    """Return text in NFC with surrounding whitespace trimmed ('' for None)."""
    if not value:
        return ""
    return unicodedata.normalize("NFC", str(value)).strip()


def collapse_spaces(value: str) -> str:
    return " ".join(value.split())


def fold(value: str | None) -> str:
    """Lower-case, accent-free form for matching and search: 'Đặng' -> 'dang'."""
    text = unicodedata.normalize("NFD", nfc(value).lower().replace("đ", "d"))
    return collapse_spaces("".join(ch for ch in text if unicodedata.category(ch) != "Mn"))


def vi_order(field: str) -> Collate | F:
    """Order by `field` in Vietnamese collation where the database has it.

    PostgreSQL with ICU sorts Ă, Â, Đ... correctly; SQLite (the demo
    database) falls back to code-point order.
    """
    if settings.IS_POSTGRES:
        return Collate(F(field), VI_COLLATION)
    return F(field)
