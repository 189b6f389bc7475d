"""Grading of every type, with properties that must hold for any response."""

import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizzes import scoring
from quizzes.validation import check_question

from .conftest import EVERY_TYPE

QUESTIONS = {
    qtype: check_question(qtype, text, data, 1) for qtype, text, data, _right in EVERY_TYPE
}
RIGHT = {qtype: right for qtype, _t, _d, right in EVERY_TYPE}
IDS = st.sampled_from(["a", "b", "c", "r1", "r2", "m1", "m2", "o1", "o2", "zz"])


def responses(qtype: str):  # type: ignore[no-untyped-def]
    return {
        "single": st.fixed_dictionaries({"choice": IDS}),
        "multiple": st.fixed_dictionaries({"choices": st.lists(IDS, unique=True)}),
        "truefalse": st.fixed_dictionaries({"value": st.booleans()}),
        "short": st.fixed_dictionaries({"text": st.text(max_size=30)}),
        "numeric": st.fixed_dictionaries(
            {"value": st.floats(allow_nan=False, allow_infinity=False, width=32)}
        ),
        "matching": st.fixed_dictionaries({"pairs": st.dictionaries(IDS, IDS, max_size=3)}),
        "ordering": st.fixed_dictionaries({"order": st.permutations(["o1", "o2"])}),
        "essay": st.fixed_dictionaries({"text": st.text(max_size=30)}),
    }[qtype]


@pytest.mark.parametrize("qtype", [t for t, *_ in EVERY_TYPE if t != "essay"])
def test_right_answer_earns_full_marks_and_none_earns_zero(qtype):
    data = QUESTIONS[qtype]
    assert scoring.fraction(qtype, data, RIGHT[qtype]) == 1
    assert scoring.fraction(qtype, data, None) == 0
    assert scoring.fraction(qtype, data, scoring.right_answer(qtype, data)) == 1


def test_essay_is_left_for_a_grader():
    assert scoring.fraction("essay", QUESTIONS["essay"], {"text": "Bài làm"}) is None


@settings(max_examples=60, deadline=None)
@given(data=st.data(), qtype=st.sampled_from([t for t, *_ in EVERY_TYPE if t != "essay"]))
def test_score_is_always_between_zero_and_max(data, qtype):
    response = data.draw(responses(qtype))
    share = scoring.fraction(qtype, QUESTIONS[qtype], response)
    assert Decimal(0) <= share <= Decimal(1)
    assert Decimal(0) <= scoring.points(Decimal("2.5"), share) <= Decimal("2.5")


@settings(max_examples=60, deadline=None)
@given(picks=st.lists(st.sampled_from(["a", "b", "c"]), unique=True), seed=st.integers())
def test_shuffling_never_changes_a_grade(picks, seed):
    """Choice order is presentation only: ids, not positions, are graded."""
    data = QUESTIONS["multiple"]
    shuffled = dict(data, choices=random.Random(seed).sample(data["choices"], 3))
    response = {"choices": random.Random(seed + 1).sample(picks, len(picks))}
    assert scoring.fraction("multiple", data, response) == scoring.fraction(
        "multiple", shuffled, response
    )


def test_multiple_response_partial_credit_never_below_zero():
    data = QUESTIONS["multiple"]
    assert scoring.fraction("multiple", data, {"choices": ["a"]}) == Decimal("0.5")
    assert scoring.fraction("multiple", data, {"choices": ["a", "c"]}) == 0
    assert scoring.fraction("multiple", data, {"choices": ["c"]}) == 0


@pytest.mark.parametrize(
    ("given", "accents", "expected"),
    [
        ("  hồ   chí minh ", False, 1),
        ("HỒ CHÍ MINH", False, 1),
        ("ho chi minh", False, 0),
        ("ho chi minh", True, 1),
        ("Hồ Chí Minh".encode().decode(), True, 1),
        ("Ho Chi", True, 0),
    ],
)
def test_short_answer_matching_rules(given, accents, expected):
    data = check_question(
        "short", "?", {"answers": [{"text": "Hồ Chí Minh"}], "accent_insensitive": accents}, 1
    )
    assert scoring.fraction("short", data, {"text": given}) == expected


def test_short_answer_d_matches_dj_when_accent_insensitive():
    data = check_question(
        "short", "?", {"answers": [{"text": "Đảng bộ"}], "accent_insensitive": True}, 1
    )
    assert scoring.fraction("short", data, {"text": "dang bo"}) == 1


def test_short_answer_nfd_input_matches_nfc_key():
    import unicodedata

    data = check_question("short", "?", {"answers": [{"text": "Hồ Chí Minh"}]}, 1)
    nfd = unicodedata.normalize("NFD", "Hồ Chí Minh")
    clean = scoring.validate_response("short", [], {"text": nfd})
    assert scoring.fraction("short", data, clean) == 1


def test_numeric_tolerance_and_partial_answers():
    data = check_question(
        "numeric",
        "?",
        {
            "answers": [
                {"value": 27, "tolerance": 0.5},
                {"value": 30, "tolerance": 0, "fraction": 0.5},
            ]
        },
        1,
    )
    assert scoring.fraction("numeric", data, {"value": 27.4}) == 1
    assert scoring.fraction("numeric", data, {"value": 27.6}) == 0
    assert scoring.fraction("numeric", data, {"value": 30}) == Decimal("0.5")


def test_matching_and_ordering_give_credit_per_item():
    assert scoring.fraction("matching", QUESTIONS["matching"], {"pairs": {"m1": "r1"}}) == Decimal(
        "0.5"
    )
    assert scoring.fraction("ordering", QUESTIONS["ordering"], {"order": ["o2", "o1"]}) == 0
