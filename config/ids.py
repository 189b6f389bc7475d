"""Database ids from URLs, query strings and form fields."""

from __future__ import annotations

MAX_ID = 2**63 - 1  # a bigint


def parse_id(value: object) -> int | None:
    """The id `value` spells (ASCII digits, within a bigint), or None.

    `str.isdigit()` alone also accepts "²" and other Unicode digits, which
    `int()` then refuses: a 500 where the answer is "not found"."""
    text = "" if value is None else str(value)
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if number <= MAX_ID else None


class IdConverter:
    """`<id:pk>` in URL patterns: `<int:pk>` bounded to a bigint. A longer number
    matches no route (a 404) instead of reaching a query: SQLite's driver raises
    OverflowError on it, and not every ORM lookup (a foreign key's) guards it."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)  # no match
        return number

    def to_url(self, value: int) -> str:
        return str(value)
