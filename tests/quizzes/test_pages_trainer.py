from pathlib import Path

import pytest
from django.urls import reverse

from quizzes.models import Question, QuestionType, Quiz, QuizItem
from quizzes.services import save_answer, start_attempt, submit_attempt

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


def test_bank_pages_are_for_trainers_in_scope(cast, login, make_questions, bank):
    (question,) = make_questions(types=[QuestionType.SINGLE])
    assert login(cast.learner).get(reverse("frontend:quiz-bank")).status_code == 403
    page = login(cast.trainer_a).get(reverse("frontend:quiz-bank") + f"?category={bank.pk}")
    assert page.status_code == 200 and "Nghị quyết Trung ương 4 khóa XII" in page.content.decode()
    other = login(cast.trainer_b)
    assert (
        "Nghị quyết Trung ương 4"
        not in other.get(reverse("frontend:quiz-bank") + f"?category={bank.pk}").content.decode()
    )
    assert other.get(reverse("frontend:quiz-question-edit", args=[question.pk])).status_code == 404


def test_create_question_from_lines_and_edit_used_one_makes_version(cast, login, bank, make_quiz):
    client = login(cast.trainer_a)
    res = client.post(
        reverse("frontend:quiz-question-create"),
        {
            "category": bank.pk,
            "type": "multiple",
            "text": "Nhóm giải pháp nào thuộc Nghị quyết 4?",
            "answers": "* Cơ chế, chính sách\n* Kiểm tra, giám sát, kỷ luật đảng\nTăng biên chế # Không thuộc",
            "points": "2",
            "tags": "Nghị quyết 4",
        },
    )
    assert res.status_code == 302, res.content.decode()
    question = Question.objects.get()
    data = question.current_version.data
    assert [c["fraction"] for c in data["choices"]] == [0.5, 0.5, -0.5]
    assert data["choices"][2]["feedback"] == "Không thuộc"
    quiz = make_quiz([question])
    start_attempt(user=cast.learner, quiz=quiz)
    edit = client.get(
        reverse("frontend:quiz-question-edit", args=[question.pk]) + "?mode=text"
    ).content.decode()
    assert "[50%] Cơ chế, chính sách" in edit
    res = client.post(
        reverse("frontend:quiz-question-edit", args=[question.pk]),
        {
            "category": bank.pk,
            "type": "multiple",
            "text": "Câu hỏi đã sửa?",
            "answers": "* A\n* B\nC",
            "points": "2",
        },
    )
    assert res.status_code == 302
    question.refresh_from_db()
    assert question.current_version.number == 2


def test_question_form_reports_bad_answers(cast, login, bank):
    res = login(cast.trainer_a).post(
        reverse("frontend:quiz-question-create"),
        {
            "category": bank.pk,
            "type": "single",
            "text": "Câu?",
            "answers": "Một\nHai",
            "points": "1",
        },
    )
    assert res.status_code == 200 and "Chưa có phương án đúng." in res.content.decode()
    assert not Question.objects.exists()


def test_import_page_previews_then_imports(cast, login):
    client = login(cast.trainer_a)
    with open(DATA / "loi.gift", "rb") as f:
        res = client.post(
            reverse("frontend:quiz-bank-import"),
            {
                "file": f,
                "format": "gift",
                "category": "Mẫu",
                "owner_unit": cast.unit_a.pk,
            },
        )
    html = res.content.decode()
    assert "Thiếu dấu “}” đóng phần đáp án." in html and not Question.objects.exists()
    with open(DATA / "nghi-quyet-4.gift", "rb") as f:
        res = client.post(
            reverse("frontend:quiz-bank-import"),
            {
                "file": f,
                "format": "gift",
                "category": "Mẫu",
                "owner_unit": cast.unit_a.pk,
            },
        )
    assert res.status_code == 200 and not Question.objects.exists()
    res = client.post(reverse("frontend:quiz-bank-import-confirm"), {"token": res.context["token"]})
    assert res.status_code == 302 and Question.objects.count() == 9
    with open(DATA / "nghi-quyet-4.gift", "rb") as f:
        res = client.post(
            reverse("frontend:quiz-bank-import"),
            {
                "file": f,
                "format": "gift",
                "category": "Mẫu",
                "owner_unit": cast.unit_b.pk,
            },
        )
    assert res.status_code == 200 and Question.objects.count() == 9


def test_export_downloads_gift_and_xlsx(cast, login, make_questions, bank):
    make_questions()
    client = login(cast.trainer_a)
    gift = client.get(reverse("frontend:quiz-bank-export", args=["gift"]) + f"?category={bank.pk}")
    assert gift.status_code == 200 and "attachment" in gift["Content-Disposition"]
    assert "30/10/2016" in gift.content.decode()
    xlsx = client.get(reverse("frontend:quiz-bank-export", args=["xlsx"]) + f"?category={bank.pk}")
    assert xlsx.content[:2] == b"PK"
    assert (
        login(cast.trainer_b)
        .get(reverse("frontend:quiz-bank-export", args=["gift"]) + f"?category={bank.pk}")
        .status_code
        == 404
    )


def test_builder_creates_timed_quiz_with_random_draw(cast, login, make_questions, bank):
    make_questions()
    client = login(cast.trainer_a)
    res = client.post(
        reverse("frontend:quiz-create"),
        {
            "title": "Kiểm tra cuối khóa",
            "owner_unit": cast.unit_a.pk,
            "is_published": "on",
            "time_limit_minutes": "20",
            "expiry": "auto_submit",
            "grace_minutes": "0",
            "attempts_allowed": "1",
            "grading_method": "highest",
            "pass_percent": "70",
            "shuffle_choices": "on",
            "navigation": "free",
            "per_page": "5",
            "review_score": "after_submit",
            "review_correctness": "after_submit",
            "review_answers": "after_close",
            "review_feedback": "after_submit",
        },
    )
    assert res.status_code == 302, res.content.decode()
    quiz = Quiz.objects.get()
    assert quiz.time_limit == 1200  # entered in minutes, stored in seconds
    page = client.get(reverse("frontend:quiz-builder", args=[quiz.pk])).content.decode()
    assert "20 phút" in page and "giây" not in page
    res = client.post(
        reverse("frontend:quiz-add-random", args=[quiz.pk]),
        {"category": bank.pk, "count": "5", "include_subcategories": "on"},
    )
    assert res.status_code == 302
    item = QuizItem.objects.get(quiz=quiz)
    assert (item.kind, item.count) == ("random", 5)
    client.post(reverse("frontend:quiz-item-delete", args=[quiz.pk, item.pk]))
    assert not QuizItem.objects.filter(quiz=quiz).exists()
    # (login() re-uses one client: the other trainer comes last)
    assert (
        login(cast.trainer_b).get(reverse("frontend:quiz-builder", args=[quiz.pk])).status_code
        == 404
    )


def test_grading_queue_scoped_hides_names_and_grades(cast, login, make_questions, make_quiz):
    quiz = make_quiz(make_questions(types=[QuestionType.ESSAY]))
    attempt = start_attempt(user=cast.learner, quiz=quiz)
    slot = attempt.slots.get()
    save_answer(
        user=cast.learner,
        attempt_id=attempt.pk,
        slot_id=slot.pk,
        response={"text": "<script>alert(1)</script> Sinh hoạt chuyên đề"},
        seq=1,
    )
    submit_attempt(attempt=attempt)
    client = login(cast.trainer_a)
    queue = client.get(reverse("frontend:grading-queue") + "?hide=1").content.decode()
    assert cast.learner.full_name not in queue and f"Bài #{attempt.pk}" in queue
    assert cast.learner.full_name in client.get(reverse("frontend:grading-queue")).content.decode()
    page = client.get(reverse("frontend:grading-attempt", args=[attempt.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    res = client.post(
        reverse("frontend:grading-slot", args=[slot.pk]),
        {"back": "grading-hidden", f"s{slot.pk}-points": "0.5", f"s{slot.pk}-comment": "Được"},
    )
    assert res["Location"] == reverse("frontend:grading-attempt", args=[attempt.pk]) + "?hide=1"
    attempt.refresh_from_db()
    assert attempt.percent == 50 and not attempt.needs_grading
    other = login(cast.trainer_b)
    assert "Bài #" not in other.get(reverse("frontend:grading-queue")).content.decode()
    assert other.get(reverse("frontend:grading-attempt", args=[attempt.pk])).status_code == 404


def test_fix_key_page_regrades(
    cast, login, make_questions, make_quiz, django_capture_on_commit_callbacks
):
    (question,) = make_questions(types=[QuestionType.SINGLE])
    quiz = make_quiz([question])
    attempt = start_attempt(user=cast.learner, quiz=quiz)
    slot = attempt.slots.get()
    save_answer(
        user=cast.learner, attempt_id=attempt.pk, slot_id=slot.pk, response={"choice": "b"}, seq=1
    )
    submit_attempt(attempt=attempt)
    client = login(cast.trainer_a)
    page = client.get(
        reverse("frontend:quiz-question-fix-key", args=[question.pk])
    ).content.decode()
    assert "* 30/10/2016" in page
    with django_capture_on_commit_callbacks(execute=True):
        res = client.post(
            reverse("frontend:quiz-question-fix-key", args=[question.pk]),
            {
                "version": question.current_version_id,
                "answers": "30/10/2016\n* 15/5/2016\n01/01/2017",
                "reason": "Đáp án nhập nhầm",
            },
        )
    assert res.status_code == 302
    attempt.refresh_from_db()
    assert attempt.percent == 100
    history = client.get(res["Location"]).content.decode()
    assert "Đáp án nhập nhầm" in history and "100.0000%" in history


def test_override_gives_one_learner_extra_time_within_scope(cast, login, make_questions, make_quiz):
    from quizzes.models import QuizOverride

    quiz = make_quiz(make_questions(types=[QuestionType.SINGLE]), time_limit=600)
    client = login(cast.trainer_a)
    url = reverse("frontend:quiz-override", args=[quiz.pk])
    client.post(url, {"username": "learner_b", "extra_minutes": "10", "extra_attempts": "0"})
    assert not QuizOverride.objects.exists()
    client.post(url, {"username": "learner", "extra_minutes": "10", "extra_attempts": "1"})
    override = QuizOverride.objects.get()
    assert (override.user, override.extra_seconds, override.extra_attempts) == (
        cast.learner,
        600,
        1,
    )
    attempt = start_attempt(user=cast.learner, quiz=quiz)
    assert (attempt.deadline - attempt.started_at).total_seconds() == 1200
