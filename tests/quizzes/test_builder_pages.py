"""The builder page: the bank panel (filters, previews, query budget), adding,
random slots with pool counts, reordering through htmx, minutes, and the
trainer's preview attempt that never counts."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from quizzes.models import Attempt, QuestionType, Quiz, QuizGrade, QuizItem
from quizzes.services import create_question, save_answer, submit_attempt
from quizzes.services.start import forget_draw_sources

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


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


def builder(quiz, query=""):
    return reverse("frontend:quiz-builder", args=[quiz.pk]) + query


def test_bank_panel_filters_without_accents_and_previews_without_key(
    cast, login, make_questions, make_quiz
):
    make_questions()
    quiz = make_quiz()
    client = login(cast.trainer_a)
    page = client.get(builder(quiz, "?q=BIEU+HIEN+suy+thoai&category=&type=")).content.decode()
    assert "bao nhiêu biểu hiện suy thoái" in page  # numeric question
    assert "ban hành ngày nào" not in page
    # The preview is the learner's question: an input to answer, no key anywhere.
    assert 'id="question-preview-' in page and 'inputmode="decimal"' in page
    single = client.get(builder(quiz, "?q=ban+hanh+ngay+nao&type=single")).content.decode()
    assert "30/10/2016" in single and "Chính xác." not in single and "fraction" not in single
    # htmx asks for the panel only
    fragment = client.get(builder(quiz, "?q=chi+thi"), HTTP_HX_TARGET="bank", **HX)
    body = fragment.content.decode()
    assert "<html" not in body and 'id="bank"' in body and "Chỉ thị 05-CT/TW" in body


def test_bank_listing_queries_do_not_grow_with_the_bank(
    cast, login, make_questions, make_quiz, django_assert_max_num_queries
):
    make_questions(copies=1)
    quiz = make_quiz()
    client = login(cast.trainer_a)
    client.get(builder(quiz))  # warm the session and caches
    with django_assert_max_num_queries(25) as small:
        client.get(builder(quiz, "?q=&category="), HTTP_HX_TARGET="bank", **HX)
    make_questions(copies=4)
    with django_assert_max_num_queries(len(small.captured_queries)):
        res = client.get(builder(quiz, "?q=&category="), HTTP_HX_TARGET="bank", **HX)
    assert res.content.decode().count('name="question"') == 20  # one page


def test_tick_several_and_add_then_not_yet_used_hides_them(cast, login, bank, make_quiz):
    questions = [_tf(cast, bank, f"Sinh hoạt chi bộ {n}.") for n in range(3)]
    quiz = make_quiz()
    client = login(cast.trainer_a)
    res = client.post(
        reverse("frontend:quiz-add-questions", args=[quiz.pk]),
        {"question": [questions[2].pk, questions[0].pk], "back": "q=sinh+hoat&unused=on"},
    )
    assert res.status_code == 302 and res["Location"].endswith("?q=sinh+hoat&unused=on#bank")
    assert list(quiz.items.values_list("question_id", flat=True)) == [
        questions[2].pk,
        questions[0].pk,
    ]
    page = client.get(builder(quiz, "?q=sinh+hoat&unused=on")).content.decode()
    assert f'value="{questions[1].pk}"' in page
    assert f'name="question" value="{questions[0].pk}"' not in page
    # Another address in "back" is never followed.
    res = client.post(
        reverse("frontend:quiz-add-questions", args=[quiz.pk]),
        {"question": [questions[1].pk], "back": "//evil.example/"},
    )
    assert res["Location"] == builder(quiz) + "#bank"


def test_random_slot_pool_count_fragment(cast, login, bank, make_quiz):
    for n in range(3):
        _tf(cast, bank, f"Câu {n}.", tags=["NQ4"] if n else None)
    quiz = make_quiz()
    client = login(cast.trainer_a)
    url = reverse("frontend:quiz-pool", args=[quiz.pk])
    text = client.get(url, {"category": bank.pk, "include_subcategories": "on"}, **HX)
    assert "Kho có 3 câu phù hợp" in text.content.decode()
    tag = bank.questions.first().tags.model.objects.get(name="NQ4")
    short = client.get(url, {"category": bank.pk, "tag": tag.pk, "count": "5"}, **HX)
    assert "Kho chỉ có 2 câu phù hợp, ít hơn 5" in short.content.decode()
    res = client.post(
        reverse("frontend:quiz-add-random", args=[quiz.pk]),
        {"category": bank.pk, "tag": tag.pk, "count": "5"},
        follow=True,
    )
    assert "Kho chỉ có 2 câu" in res.content.decode() and not quiz.items.exists()


def test_htmx_reorder_points_page_break_and_max_grade(cast, login, bank, make_quiz):
    a, b, c = (_tf(cast, bank, f"Câu {n}.") for n in "abc")
    quiz = make_quiz([a, b, c])
    ia, ib, ic = quiz.items.order_by("position")
    client = login(cast.trainer_a)
    res = client.post(
        reverse("frontend:quiz-item-move", args=[quiz.pk, ic.pk]), {"direction": "up"}, **HX
    )
    body = res.content.decode()
    assert "<html" not in body and 'id="slots"' in body
    assert list(quiz.items.order_by("position").values_list("pk", flat=True)) == [
        ia.pk,
        ic.pk,
        ib.pk,
    ]
    client.post(
        reverse("frontend:quiz-reorder", args=[quiz.pk]),
        {"order": f"{ib.pk} {ia.pk} {ic.pk}"},
        **HX,
    )
    assert list(quiz.items.order_by("position").values_list("pk", flat=True)) == [
        ib.pk,
        ia.pk,
        ic.pk,
    ]
    bad = client.post(
        reverse("frontend:quiz-reorder", args=[quiz.pk]), {"order": f"{ib.pk} x"}, **HX
    )
    assert "Thứ tự mới phải gồm đúng" in bad.content.decode()
    res = client.post(
        reverse("frontend:quiz-item-update", args=[quiz.pk, ia.pk]),
        {"points": "2,5", "page_break_after": "1"},
        **HX,
    )
    body = res.content.decode()
    ia.refresh_from_db()
    assert (ia.points, ia.page_break_after) == (Decimal("2.5"), True)
    assert re.search(r"3 câu · tổng 4,5 điểm · 2 trang", body), body
    res = client.post(
        reverse("frontend:quiz-max-grade", args=[quiz.pk]), {"max_grade": "100"}, **HX
    )
    quiz.refresh_from_db()
    assert quiz.max_grade == 100 and "điểm tối đa 100" in res.content.decode()
    # Without htmx: back to the builder.
    res = client.post(reverse("frontend:quiz-item-delete", args=[quiz.pk, ic.pk]))
    assert res.status_code == 302 and not QuizItem.objects.filter(pk=ic.pk).exists()


def test_minutes_everywhere_in_the_settings_form(cast, login, make_quiz):
    quiz = make_quiz(time_limit=5400, expiry=Quiz.Expiry.GRACE, grace_seconds=600)
    client = login(cast.trainer_a)
    form = client.get(reverse("frontend:quiz-edit", args=[quiz.pk])).content.decode()
    assert 'name="time_limit_minutes" value="90"' in form
    assert 'name="grace_minutes" value="10"' in form and "giây" not in form
    page = client.get(builder(quiz)).content.decode()
    assert "1 giờ 30 phút" in page and "ân hạn 10 phút" in page
    listing = client.get(reverse("frontend:quiz-manage")).content.decode()
    assert "1 giờ 30 phút" in listing


def test_preview_attempt_never_counts(cast, login, make_quiz, bank):
    question = _tf(cast, bank, "Nghị quyết 4 nêu 27 biểu hiện.")
    quiz = make_quiz([question], enrol=[cast.learner], attempts_allowed=1, is_published=False)
    client = login(cast.trainer_a)
    res = client.post(reverse("frontend:quiz-preview", args=[quiz.pk]))
    attempt = Attempt.objects.get(user=cast.trainer_a)
    assert attempt.is_preview and res["Location"] == reverse(
        "frontend:quiz-attempt", args=[attempt.pk]
    )
    assert "Lượt xem thử" in client.get(res["Location"]).content.decode()
    slot = attempt.slots.get()
    save_answer(
        user=cast.trainer_a, attempt_id=attempt.pk, slot_id=slot.pk, response={"value": True}, seq=1
    )
    submit_attempt(attempt=attempt, user=cast.trainer_a)
    attempt.refresh_from_db()
    assert attempt.percent == 100 and not QuizGrade.objects.exists()
    # Previews ignore the attempt limit and publication; a second one starts.
    client.post(reverse("frontend:quiz-preview", args=[quiz.pk]))
    assert Attempt.objects.filter(user=cast.trainer_a, is_preview=True).count() == 2
    # Other units' trainers cannot preview it.
    assert (
        login(cast.trainer_b).post(reverse("frontend:quiz-preview", args=[quiz.pk])).status_code
        == 404
    )


def test_preview_attempts_stay_out_of_statistics_and_grading(cast, make_quiz, bank):
    from quizzes.api.attempts import grading_scope
    from quizzes.services import start_attempt
    from quizzes.statistics import analyse

    question = _tf(cast, bank, "Nghị quyết 4 nêu 27 biểu hiện.")
    quiz = make_quiz([question], enrol=[cast.learner])
    for user, preview in ((cast.trainer_a, True), (cast.learner, False)):
        attempt = start_attempt(user=user, quiz=quiz, preview=preview)
        slot = attempt.slots.get()
        save_answer(
            user=user, attempt_id=attempt.pk, slot_id=slot.pk, response={"value": True}, seq=1
        )
        submit_attempt(attempt=attempt)
    assert analyse([quiz.pk])[quiz.pk].attempts == 1
    assert list(QuizGrade.objects.values_list("user", flat=True)) == [cast.learner.pk]

    essay = create_question(
        actor=cast.trainer_a,
        category=bank,
        type=QuestionType.ESSAY,
        text="Nêu một biện pháp.",
        data={"rubric": "r"},
    )
    essay_quiz = make_quiz([essay])
    preview = start_attempt(user=cast.trainer_a, quiz=essay_quiz, preview=True)
    submit_attempt(attempt=preview)
    assert not grading_scope(cast.admin).filter(pk=preview.pk).exists()
