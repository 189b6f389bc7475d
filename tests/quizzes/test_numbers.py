"""One number format: decimal comma in Vietnamese, point in English, no useless zeros."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.text import format_number
from quizzes.models import QuestionType

from .test_pages_learner import _reviewed

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "places", "vi", "en"),
    [
        (Decimal("8.50"), 2, "8,5", "8.5"),
        (Decimal("9.00"), 2, "9", "9"),
        (Decimal("94.4444"), 2, "94,44", "94.44"),
        (2016.0, 6, "2016", "2016"),
        (Decimal("93.30"), 1, "93,3", "93.3"),
        ("87.50", 2, "87,5", "87.5"),
        (None, 2, "", ""),
    ],
)
def test_format_number(value, places, vi, en):
    with translation.override("vi"):
        assert format_number(value, places) == vi
    with translation.override("en"):
        assert format_number(value, places) == en


@pytest.mark.parametrize(
    ("language", "line"), [("vi", "Điểm: 2,5/3 (83,33%)"), ("en", "Score: 2.5/3 (83.33%)")]
)
def test_result_page_shows_the_languages_format(
    cast, login, make_questions, make_quiz, language, line
):
    quiz = make_quiz(
        make_questions(types=[QuestionType.MULTIPLE, QuestionType.NUMERIC, QuestionType.SINGLE]),
        enrol=[cast.learner],
        review_answers="after_submit",
    )
    client = login(cast.learner)
    client.cookies["django_language"] = language
    answers = {
        "multiple": {"choices": ["a"]},
        "numeric": {"value": 27.0},
        "single": {"choice": "a"},
    }
    attempt = _reviewed(client, cast, quiz, answers)
    html = client.get(reverse("frontend:quiz-result", args=[attempt.pk])).content.decode()
    assert line in html
    assert "27,0" not in html and "27.0<" not in html
