import re

import pytest
from django.urls import reverse

from quizzes.models import Attempt, QuestionType
from quizzes.services import save_answer

pytestmark = pytest.mark.django_db


def _start(client, quiz):  # type: ignore[no-untyped-def]
    res = client.post(reverse("frontend:quiz-attempt-start", args=[quiz.pk]))
    assert res.status_code == 302
    return Attempt.objects.get(pk=int(res["Location"].rstrip("/").split("/")[-1]))


def test_start_page_shows_rules_and_starts(cast, login, make_questions, make_quiz):
    quiz = make_quiz(
        make_questions(types=[QuestionType.SINGLE]), enrol=[cast.learner], time_limit=900
    )
    client = login(cast.learner)
    page = client.get(quiz.get_absolute_url())
    assert page.status_code == 200
    assert "15 phút" in page.content.decode()
    attempt = _start(client, quiz)
    assert attempt.user == cast.learner and attempt.is_open


def test_attempt_page_has_no_keys_and_shows_saved_answer(cast, login, make_questions, make_quiz):
    quiz = make_quiz(make_questions(), enrol=[cast.learner], time_limit=600)
    client = login(cast.learner)
    attempt = _start(client, quiz)
    slot = attempt.slots.select_related("version").get(version__type="single")
    save_answer(
        user=cast.learner, attempt_id=attempt.pk, slot_id=slot.pk, response={"choice": "b"}, seq=3
    )
    html = client.get(reverse("frontend:quiz-attempt", args=[attempt.pk])).content.decode()
    for secret in ("Chính xác", "Đó là ngày ban hành", "fraction", "Nêu được biện pháp cụ thể"):
        assert secret not in html
    assert 'value="b" checked' in html
    assert 'data-seq="3"' in html
    assert 'id="timer" data-remaining="' in html
    assert "<script>" not in html and "style=" not in html and " onclick" not in html


def test_another_learner_gets_404_on_every_attempt_page(cast, login, make_questions, make_quiz):
    quiz = make_quiz(
        make_questions(types=[QuestionType.SINGLE]), enrol=[cast.learner, cast.other_learner]
    )
    attempt = _start(login(cast.learner), quiz)
    client = login(cast.other_learner)
    for name in ("quiz-attempt", "quiz-summary", "quiz-result"):
        assert client.get(reverse(f"frontend:{name}", args=[attempt.pk])).status_code == 404
    assert client.post(reverse("frontend:quiz-submit", args=[attempt.pk])).status_code == 404
    slot = attempt.slots.first()
    assert (
        client.post(
            reverse("frontend:quiz-flag", args=[attempt.pk, slot.pk]), {"flagged": "1"}
        ).status_code
        == 404
    )
    assert login(cast.learner_b).get(quiz.get_absolute_url()).status_code == 404


def test_flag_summary_submit_and_review(cast, login, make_questions, make_quiz):
    quiz = make_quiz(
        make_questions(types=[QuestionType.SINGLE, QuestionType.MATCHING]), enrol=[cast.learner]
    )
    client = login(cast.learner)
    attempt = _start(client, quiz)
    first = attempt.slots.order_by("position").first()
    assert (
        client.post(
            reverse("frontend:quiz-flag", args=[attempt.pk, first.pk]), {"flagged": "1"}
        ).status_code
        == 204
    )
    save_answer(
        user=cast.learner,
        attempt_id=attempt.pk,
        slot_id=first.pk,
        response={"choice": "a"}
        if first.version.type == "single"
        else {"pairs": {"m1": "r1", "m2": "r2"}},
        seq=1,
    )
    summary = client.get(reverse("frontend:quiz-summary", args=[attempt.pk])).content.decode()
    assert "Đã đánh dấu" in summary and "Còn 1 câu chưa trả lời" in summary
    res = client.post(reverse("frontend:quiz-submit", args=[attempt.pk]), {"confirmed": "1"})
    assert res.status_code == 302 and res["Location"] == reverse(
        "frontend:quiz-result", args=[attempt.pk]
    )
    html = client.get(res["Location"]).content.decode()
    assert "Điểm: 1/2 (50%)" in html
    # The attempt page of a finished attempt goes to the result.
    assert client.get(reverse("frontend:quiz-attempt", args=[attempt.pk])).status_code == 302


def test_submit_without_the_confirmation_step_submits_nothing(
    cast, login, make_questions, make_quiz
):
    quiz = make_quiz(make_questions(types=[QuestionType.SINGLE]), enrol=[cast.learner])
    client = login(cast.learner)
    attempt = _start(client, quiz)
    res = client.post(reverse("frontend:quiz-submit", args=[attempt.pk]))
    summary = reverse("frontend:quiz-summary", args=[attempt.pk])
    assert res.status_code == 302 and res["Location"] == summary + "?confirm=1"
    attempt.refresh_from_db()
    assert attempt.is_open


@pytest.mark.parametrize(
    ("answered", "flagged", "language", "text"),
    [
        (1, 1, "vi", "Còn 2 câu chưa trả lời và 1 câu đã đánh dấu. Bạn chắc chắn muốn nộp bài?"),
        (1, 0, "vi", "Còn 2 câu chưa trả lời. Bạn chắc chắn muốn nộp bài?"),
        (3, 2, "vi", "Bạn đã trả lời tất cả các câu; 2 câu đang được đánh dấu để xem lại."),
        (3, 0, "vi", "Bạn đã trả lời tất cả các câu. Bạn chắc chắn muốn nộp bài?"),
        (2, 1, "en", "1 question is still unanswered and 1 question is flagged for review."),
        (0, 2, "en", "3 questions are still unanswered and 2 questions are flagged for review."),
    ],
)
def test_confirmation_step_counts_unanswered_and_flagged_questions(
    cast, login, make_questions, make_quiz, right_answers, answered, flagged, language, text
):
    quiz = make_quiz(
        make_questions(types=[QuestionType.SINGLE, QuestionType.TRUE_FALSE, QuestionType.SHORT]),
        enrol=[cast.learner],
    )
    client = login(cast.learner)
    client.cookies["django_language"] = language
    attempt = _start(client, quiz)
    slots = list(attempt.slots.select_related("version").order_by("position"))
    for slot in slots[:answered]:
        save_answer(
            user=cast.learner,
            attempt_id=attempt.pk,
            slot_id=slot.pk,
            response=right_answers[slot.version.type],
            seq=1,
        )
    attempt.slots.filter(pk__in=[s.pk for s in slots[:flagged]]).update(flagged=True)
    url = reverse("frontend:quiz-summary", args=[attempt.pk])

    # Without JavaScript the step is the summary page again, the final submit on it.
    assert 'id="submit-confirm"' not in client.get(url).content.decode()
    page = client.get(url + "?confirm=1").content.decode()
    assert text in page and 'id="submit-confirm"' in page
    assert 'name="confirmed" value="1"' in page
    # quiz.js fetches the same step for its dialog.
    fragment = client.get(url + "?confirm=1", HTTP_HX_REQUEST="true").content.decode()
    assert text in fragment and "<html" not in fragment and 'id="confirm-title"' in fragment


def test_attempt_page_holds_every_page_and_shows_the_asked_one(
    cast, login, make_questions, make_quiz
):
    quiz = make_quiz(
        make_questions(types=[QuestionType.SINGLE, QuestionType.TRUE_FALSE, QuestionType.SHORT]),
        enrol=[cast.learner],
        per_page=1,
    )
    client = login(cast.learner)
    attempt = _start(client, quiz)
    html = client.get(reverse("frontend:quiz-attempt", args=[attempt.pk]) + "?page=1").content
    sections = re.findall(
        r'<section class="quiz-page" id="page-(\d)"[^>]*?( hidden)?>', html.decode()
    )
    assert sections == [("0", " hidden"), ("1", ""), ("2", " hidden")]
    assert html.decode().count('<fieldset class="card question"') == 3


def test_sequential_attempt_page_leaves_out_pages_left_behind_and_moves_on_when_told(
    cast, login, make_questions, make_quiz
):
    quiz = make_quiz(
        make_questions(types=[QuestionType.SINGLE, QuestionType.TRUE_FALSE, QuestionType.SHORT]),
        enrol=[cast.learner],
        per_page=1,
        navigation="sequential",
    )
    client = login(cast.learner)
    attempt = _start(client, quiz)
    reach = reverse("frontend:quiz-page", args=[attempt.pk])
    assert client.post(reach, {"page": "7"}).status_code == 400
    assert client.post(reach, {"page": "x"}).status_code == 400
    assert client.post(reach, {"page": "1"}).status_code == 204
    assert client.post(reach, {"page": "0"}).status_code == 204  # never back
    attempt.refresh_from_db()
    assert attempt.current_page == 1
    html = client.get(reverse("frontend:quiz-attempt", args=[attempt.pk])).content.decode()
    assert re.findall(r'id="page-(\d)"', html) == ["1", "2"]
    assert 'data-sequential data-page-url="' + reach + '"' in html
    assert login(cast.other_learner).post(reach, {"page": "2"}).status_code == 404


def test_start_page_for_closed_and_used_up_quiz(cast, login, make_questions, make_quiz):
    from datetime import timedelta

    from django.utils import timezone

    quiz = make_quiz(
        make_questions(types=[QuestionType.SINGLE]),
        enrol=[cast.learner],
        open_at=timezone.now() + timedelta(hours=1),
    )
    html = login(cast.learner).get(quiz.get_absolute_url()).content.decode()
    assert 'id="quiz-countdown"' in html and "Bắt đầu làm bài" not in html
    res = login(cast.learner).post(
        reverse("frontend:quiz-attempt-start", args=[quiz.pk]), follow=True
    )
    assert "Bài kiểm tra hiện không mở." in res.content.decode()


def test_dashboard_offers_to_resume_an_open_attempt(cast, login, make_questions, make_quiz):
    quiz = make_quiz(make_questions(types=[QuestionType.SINGLE]), enrol=[cast.learner])
    client = login(cast.learner)
    assert "Bài kiểm tra đang làm dở" not in client.get("/").content.decode()
    attempt = _start(client, quiz)
    html = client.get("/").content.decode()
    assert "Bài kiểm tra đang làm dở" in html
    assert reverse("frontend:quiz-attempt", args=[attempt.pk]) in html


def _reviewed(client, cast, quiz, responses):  # type: ignore[no-untyped-def]
    attempt = _start(client, quiz)
    for slot in attempt.slots.select_related("version"):
        save_answer(
            user=cast.learner,
            attempt_id=attempt.pk,
            slot_id=slot.pk,
            response=responses[slot.version.type],
            seq=1,
        )
    client.post(reverse("frontend:quiz-submit", args=[attempt.pk]), {"confirmed": "1"})
    return attempt


@pytest.mark.parametrize(
    ("language", "given", "right", "marking"),
    [
        ("vi", "Sai", "Đúng", "Trả lời sai"),
        ("en", "False", "True", "Incorrect"),
    ],
)
def test_true_false_review_never_reads_like_its_marking(
    cast, login, make_questions, make_quiz, language, given, right, marking
):
    quiz = make_quiz(
        make_questions(types=[QuestionType.TRUE_FALSE]),
        enrol=[cast.learner],
        review_answers="after_submit",
    )
    client = login(cast.learner)
    client.cookies["django_language"] = language
    attempt = _reviewed(client, cast, quiz, {"truefalse": {"value": False}})
    html = client.get(reverse("frontend:quiz-result", args=[attempt.pk])).content.decode()
    answer = html.split("Bài làm của bạn:" if language == "vi" else "Your answer:")[1]
    given_text, right_text = (
        part.split("</span>")[0].split(">", 1)[1].strip() for part in answer.split("<span")[1:3]
    )
    assert (given_text, right_text) == (given, right)
    assert f">{marking}</span>" in html


def test_review_lists_picked_choices_without_a_stray_separator(
    cast, login, make_questions, make_quiz
):
    quiz = make_quiz(make_questions(types=[QuestionType.MULTIPLE]), enrol=[cast.learner])
    client = login(cast.learner)
    attempt = _reviewed(client, cast, quiz, {"multiple": {"choices": ["a"]}})
    html = client.get(reverse("frontend:quiz-result", args=[attempt.pk])).content.decode()
    assert re.search(r">\s*Tư tưởng chính trị\s*</span>", html)
