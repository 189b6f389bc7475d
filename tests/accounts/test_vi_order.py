"""Names sort in Vietnamese alphabetical order on both databases.

Ă, Â, Đ, Ê, Ô, Ơ, Ư are letters of their own and tones only break ties, so
"Đặng" comes after "Dũng" and before "Nguyễn", never after "Zô" as in code-point
order. PostgreSQL sorts with ICU; SQLite, the demo's database, with vi_compare.
"""

import pytest

from accounts.models import User
from accounts.text import vi_key, vi_order

VIETNAMESE_ORDER = [
    "an",
    "Ánh",
    "ăn",
    "ân",
    "Bùi Thị Ế",
    "Dũng",
    "Đặng Quốc Việt",
    "Đức",
    "Nguyễn Thị Hồng Nhung",
    "Ôn",
    "Ơn",
    "Uy",
    "Ưng",
]


def test_the_key_puts_the_letters_of_the_alphabet_in_their_order() -> None:
    assert sorted(reversed(VIETNAMESE_ORDER), key=vi_key) == VIETNAMESE_ORDER


def test_tones_only_break_ties_in_the_order_people_learn_them() -> None:
    assert sorted(["bạ", "bá", "bã", "bả", "bà", "ba"], key=vi_key) == [
        "ba",
        "bà",
        "bả",
        "bã",
        "bá",
        "bạ",
    ]
    # Letters first over the whole name, tones after: "Bá A" before "Ba B".
    assert sorted(["Ba B", "Bá A"], key=vi_key) == ["Bá A", "Ba B"]


@pytest.mark.django_db
def test_the_database_orders_names_the_same_way() -> None:
    for number, name in enumerate(reversed(VIETNAMESE_ORDER)):
        User.objects.create(username=f"u{number}", full_name=name)
    names = list(User.objects.order_by(vi_order("full_name")).values_list("full_name", flat=True))
    assert names == VIETNAMESE_ORDER
