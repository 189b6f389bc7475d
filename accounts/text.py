"""Vietnamese text helpers: NFC storage, accent folding and collation."""

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db.models import F
from django.db.models.functions import Collate
from django.utils import formats

VI_COLLATION = "vi-x-icu"  # PostgreSQL's, from ICU
SQLITE_VI_COLLATION = "vi"  # SQLite's, vi_compare below


# Unicode's format characters (category Cf): zero-width spaces and joiners, bidi
# embeddings, overrides and isolates, the BOM, soft hyphens... Invisible, they make
# "Nguy\u200bễn" look like "Nguyễn" but never match it, and U+202E turns text around.
FORMAT_CHARACTERS = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f]"
)


def nfc(value: str | None) -> str:
    """Return text in NFC, without format characters, trimmed ('' for None)."""
    if not value:
        return ""
    return FORMAT_CHARACTERS.sub("", unicodedata.normalize("NFC", str(value))).strip()


def format_number(value: Any, places: int = 2) -> str:
    """A score, percent or answer as people write it in the active language.

    At most `places` decimals, no useless zeros, integers as integers, and the
    language's decimal mark: "8,5" and "94,44" in Vietnamese, "8.5" in English,
    "2016" never "2016,0". '' for None or what is not a number.
    """
    if value is None or value == "" or isinstance(value, bool):
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    number = number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize()
    return formats.number_format(number, use_l10n=True)


def collapse_spaces(value: str) -> str:
    return " ".join(value.split())


def fold(value: str | None) -> str:
    """Lower-case, accent-free form for matching and search: 'Đặng' -> 'dang'."""
    text = unicodedata.normalize("NFD", nfc(value).lower().replace("đ", "d"))
    return collapse_spaces("".join(ch for ch in text if unicodedata.category(ch) != "Mn"))


# Vietnamese alphabetical order: Ă, Â, Đ, Ê, Ô, Ơ, Ư are letters of their own
# (a < ă < â < b ...); tones only break ties, in the order ICU gives them.
VI_LETTER_MARKS = {"\u0306": 1, "\u0302": 2, "\u031b": 3}  # breve, circumflex, horn
VI_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


@lru_cache(maxsize=8192)  # SQLite asks for two keys per comparison, n log n of them
def vi_key(value: str | None) -> tuple[tuple[tuple[str, int], ...], tuple[int, ...], str]:
    """A sort key for Vietnamese order: letters first, then tones, then case.

    sorted(["Nguyễn", "Đặng", "Bùi", "Ánh"], key=vi_key) gives
    ["Ánh", "Bùi", "Đặng", "Nguyễn"].
    """
    letters: list[tuple[str, int]] = []
    tones: list[int] = []
    for char in unicodedata.normalize("NFD", nfc(value).lower()):
        if char in VI_LETTER_MARKS and letters:
            letters[-1] = (letters[-1][0], VI_LETTER_MARKS[char])
        elif char in VI_TONES and tones:
            tones[-1] = VI_TONES[char]
        elif char == "đ":
            letters.append(("d", 1))
            tones.append(0)
        elif unicodedata.category(char) != "Mn":
            letters.append((char, 0))
            tones.append(0)
    return tuple(letters), tuple(tones), nfc(value)


def vi_compare(left: str | None, right: str | None) -> int:
    """cmp() in Vietnamese order, the collation SQLite is given."""
    a, b = vi_key(left), vi_key(right)
    return (a > b) - (a < b)


def vi_order(field: str) -> Collate:
    """Order by `field` in Vietnamese alphabetical order.

    PostgreSQL uses ICU's Vietnamese collation; SQLite (the demo database)
    uses `vi_compare`, registered on every connection by AccountsConfig.
    """
    return Collate(F(field), VI_COLLATION if settings.IS_POSTGRES else SQLITE_VI_COLLATION)


def register_sqlite_collation(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Give each new SQLite connection the Vietnamese collation (connection_created)."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_VI_COLLATION, vi_compare)


def format_duration(seconds: int | None) -> str:
    """A duration as people say it: "45 phút", "1 giờ", "1 giờ 30 phút" ('' for None).

    Stored durations are seconds; whole minutes are shown (rounded up, so a
    limit is never shown shorter than it is), hours once there are 60 of them.
    """
    from django.utils.translation import gettext

    if seconds is None:
        return ""
    minutes = -(-int(seconds) // 60)
    hours, rest = divmod(minutes, 60)
    if not hours:
        return gettext("%(m)s phút") % {"m": rest}
    if not rest:
        return gettext("%(h)s giờ") % {"h": hours}
    return gettext("%(h)s giờ %(m)s phút") % {"h": hours, "m": rest}
