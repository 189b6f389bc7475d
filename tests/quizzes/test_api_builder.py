"""The builder through the API: scoped to quizzes the trainer may edit."""

from decimal import Decimal

import pytest

from quizzes.models import Attempt, QuestionType, QuizGrade
from quizzes.services import create_question
from quizzes.services.start import forget_draw_sources

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_draws():
    forget_draw_sources()
    yield
    forget_draw_sources()


def _tf(cast, category, text, tags=None):
    return create_question(
        actor=cast.trainer_a,
        category=category,
        type=QuestionType.TRUE_FALSE,
        text=text,
        data={"answer": True},
        tags=tags,
    )


def test_bank_search_without_accents_and_preview_without_key(
    cast, api, bank, make_quiz, make_questions
):
    make_questions(types=[QuestionType.SINGLE])
    meeting = _tf(cast, bank, "Sinh hoạt chi bộ định kỳ.", tags=["Chi bộ"])
    quiz = make_quiz([meeting])
    client = api(cast.trainer_a)
    res = client.get(f"/api/quizzes/{quiz.pk}/bank/", {"q": "dinh ky"})
    assert res.status_code == 200
    assert [r["id"] for r in res.data["results"]] == [meeting.pk]
    assert res.data["results"][0]["used"] is True
    res = client.get(f"/api/quizzes/{quiz.pk}/bank/", {"type": "single", "unused": "1"})
    (single,) = res.data["results"]
    assert [c["text"] for c in single["preview"]["choices"]] == [
        "30/10/2016",
        "15/5/2016",
        "01/01/2017",
    ]
    assert "fraction" not in str(single) and "Chính xác" not in str(single)
    res = client.get(f"/api/quizzes/{quiz.pk}/bank/", {"tag": "Chi bộ"})
    assert res.data["count"] == 1


def test_add_random_reorder_points_and_summary(cast, api, bank, make_quiz):
    a, b = _tf(cast, bank, "A."), _tf(cast, bank, "B.")
    _tf(cast, bank, "C.", tags=["NQ4"])
    quiz = make_quiz()
    client = api(cast.trainer_a)
    res = client.post(
        f"/api/quizzes/{quiz.pk}/add-questions/", {"questions": [b.pk, a.pk]}, format="json"
    )
    assert res.status_code == 201, res.data
    assert [row["question"] for row in res.data["items"]] == [b.pk, a.pk]
    pool = client.get(f"/api/quizzes/{quiz.pk}/pool/", {"category": bank.pk, "tag": "NQ4"})
    assert pool.data == {"size": 1}
    res = client.post(
        f"/api/quizzes/{quiz.pk}/random-slots/",
        {"category": bank.pk, "tag": "NQ4", "count": 1, "points": "3"},
        format="json",
    )
    assert res.status_code == 201 and res.data["items"][2]["pool"] == 1
    too_many = client.post(
        f"/api/quizzes/{quiz.pk}/random-slots/",
        {"category": bank.pk, "tag": "NQ4", "count": 2},
        format="json",
    )
    assert too_many.status_code == 400
    ids = [row["id"] for row in res.data["items"]]
    res = client.post(f"/api/quizzes/{quiz.pk}/reorder/", {"items": ids[::-1]}, format="json")
    assert [row["id"] for row in res.data["items"]] == ids[::-1]
    assert (
        client.post(
            f"/api/quizzes/{quiz.pk}/reorder/", {"items": ids[:1]}, format="json"
        ).status_code
        == 400
    )
    res = client.patch(
        f"/api/quizzes/{quiz.pk}/items/{ids[-1]}/",  # now first: the random slot
        {"points": "2", "page_break_after": True},
        format="json",
    )
    assert res.status_code == 200
    assert (res.data["questions"], Decimal(res.data["total_points"]), res.data["pages"]) == (
        3,
        Decimal(4),
        2,
    )
    res = client.patch(f"/api/quizzes/{quiz.pk}/", {"max_grade": "100"}, format="json")
    assert res.status_code == 200 and Decimal(res.data["max_grade"]) == 100


def test_builder_api_is_scoped(cast, api, bank, make_quiz):
    a = _tf(cast, bank, "A.")
    quiz = make_quiz([a])
    item = quiz.items.get()
    other = make_quiz()
    for user, read, write in ((cast.trainer_b, 404, 404), (cast.learner, 403, 403)):
        client = api(user)
        assert client.get(f"/api/quizzes/{quiz.pk}/bank/").status_code == read
        assert client.get(f"/api/quizzes/{quiz.pk}/summary/").status_code == read
        res = client.post(
            f"/api/quizzes/{quiz.pk}/add-questions/", {"questions": [a.pk]}, format="json"
        )
        assert res.status_code == write
        assert client.post(f"/api/quizzes/{quiz.pk}/preview/").status_code == write
    # An item of another quiz is not found through this one.
    res = api(cast.trainer_a).patch(
        f"/api/quizzes/{other.pk}/items/{item.pk}/", {"points": "2"}, format="json"
    )
    assert res.status_code == 404


def test_preview_through_the_api_never_counts(cast, api, bank, make_quiz):
    quiz = make_quiz([_tf(cast, bank, "A.")], is_published=False)
    client = api(cast.trainer_a)
    res = client.post(f"/api/quizzes/{quiz.pk}/preview/")
    assert res.status_code == 201
    attempt = Attempt.objects.get(pk=res.data["id"])
    assert attempt.is_preview
    slot = res.data["slots"][0]
    client.put(
        f"/api/attempts/{attempt.pk}/answers/{slot['id']}/",
        {"response": {"value": True}, "seq": 1},
        format="json",
    )
    assert client.post(f"/api/attempts/{attempt.pk}/submit/").status_code == 200
    attempt.refresh_from_db()
    assert attempt.percent == 100 and not QuizGrade.objects.exists()
