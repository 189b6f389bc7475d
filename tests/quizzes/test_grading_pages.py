"""The grading page and the report's attempt page: every question with the learner's
response beside the key and the mark, automatic marks overridden through htmx."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import AuditLog
from quizzes.models import AttemptSlot, QuestionType, QuizGrade
from quizzes.services import override_slot, save_answer, start_attempt, submit_attempt

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
PAYLOAD = '<img src=x onerror="alert(1)">'


@pytest.fixture
def attempt(cast, make_questions, make_quiz, right_answers):  # type: ignore[no-untyped-def]
    """The learner's submitted attempt at one question of every type: single choice
    wrong (picked 15/5/2016), short answer with markup, the others right, essay waiting."""
    quiz = make_quiz(make_questions(), enrol=[cast.learner])
    attempt = start_attempt(user=cast.learner, quiz=quiz)
    for slot in attempt.slots.select_related("version"):
        response = right_answers[slot.version.type]
        if slot.version.type == QuestionType.SINGLE:
            response = {"choice": "b"}
        elif slot.version.type == QuestionType.SHORT:
            response = {"text": PAYLOAD}
        elif slot.version.type == QuestionType.ESSAY:
            response = {"text": "Sinh hoạt chuyên đề hằng quý."}
        save_answer(
            user=cast.learner, attempt_id=attempt.pk, slot_id=slot.pk, response=response, seq=1
        )
    return submit_attempt(attempt=attempt, user=cast.learner)


def slot_of(attempt, qtype):  # type: ignore[no-untyped-def]
    return attempt.slots.select_related("version").get(version__type=qtype)


def card(html: str, slot) -> str:  # type: ignore[no-untyped-def]
    """The question card of `slot` in a page."""
    start = html.index(f'id="slot-{slot.pk}"')
    return html[start : html.index("</section>", start)]


@pytest.mark.parametrize("page", ["frontend:grading-attempt", "frontend:report-attempt"])
def test_every_question_shows_the_response_beside_the_key_and_the_mark(
    cast, login, attempt, page, django_assert_max_num_queries
):
    client = login(cast.trainer_a)
    client.get(reverse(page, args=[attempt.pk]))  # warm the caches
    with django_assert_max_num_queries(14):
        html = client.get(reverse(page, args=[attempt.pk])).content.decode()
    single = card(html, slot_of(attempt, QuestionType.SINGLE))
    assert "Trả lời của học viên" in single and "15/5/2016" in single
    assert "Đáp án đúng" in single and "30/10/2016" in single
    assert "0/1 điểm" in single and "Chấm tự động" in single and "Sửa điểm câu này" in single
    matching = card(html, slot_of(attempt, QuestionType.MATCHING))
    assert "Nghị quyết 04-NQ/TW → 30/10/2016; Chỉ thị 05-CT/TW → 15/5/2016" in matching
    assert "1/1 điểm" in matching
    numeric = card(html, slot_of(attempt, QuestionType.NUMERIC))
    assert ">27</span>" in numeric
    essay = card(html, slot_of(attempt, QuestionType.ESSAY))
    assert "Sinh hoạt chuyên đề hằng quý." in essay and "Chờ chấm" in essay
    assert "Nêu được biện pháp cụ thể." in essay and "Sửa điểm câu này" not in essay
    assert PAYLOAD not in html and "&lt;img src=x" in html


def test_the_page_costs_the_same_queries_whatever_the_number_of_questions(
    cast, login, make_questions, make_quiz, django_assert_max_num_queries
):
    quiz = make_quiz(make_questions(types=[QuestionType.SINGLE], copies=12), enrol=[cast.learner])
    attempt = submit_attempt(attempt=start_attempt(user=cast.learner, quiz=quiz))
    client = login(cast.trainer_a)
    client.get(reverse("frontend:grading-attempt", args=[attempt.pk]))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("frontend:grading-attempt", args=[attempt.pk]))
    assert response.content.decode().count('class="compare"') == 12


def test_override_through_htmx_answers_with_the_card_and_the_new_totals(cast, login, attempt):
    slot = slot_of(attempt, QuestionType.SINGLE)
    response = login(cast.trainer_a).post(
        reverse("frontend:grading-slot", args=[slot.pk]),
        {"action": "override", f"o{slot.pk}-points": "1", f"o{slot.pk}-reason": "Phúc khảo"},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert f'id="slot-{slot.pk}"' in html and "Đã sửa điểm." in html
    assert "1/1 điểm" in html and "Phúc khảo" in html
    assert "Điểm tự động theo đáp án hiện tại" in html and "Trả về điểm tự động (0)" in html
    assert 'id="attempt-marks"' in html and 'hx-swap-oob="true"' in html
    slot.refresh_from_db()
    assert slot.score == 1 and slot.graded_by == cast.trainer_a
    entry = AuditLog.objects.get(action=AuditLog.Action.GRADE_CHANGED)
    assert entry.reason == "Phúc khảo" and entry.actor == cast.trainer_a


def test_override_without_a_reason_shows_the_error_in_the_card_and_changes_nothing(
    cast, login, attempt
):
    slot = slot_of(attempt, QuestionType.SINGLE)
    response = login(cast.trainer_a).post(
        reverse("frontend:grading-slot", args=[slot.pk]),
        {"action": "override", f"o{slot.pk}-points": "1", f"o{slot.pk}-reason": " "},
        **HTMX,
    )
    html = response.content.decode()
    assert "Cần nêu lý do khi sửa điểm tự động." in html
    assert "<details open>" in html  # the form stays open on its error
    too_many = login(cast.trainer_a).post(
        reverse("frontend:grading-slot", args=[slot.pk]),
        {"action": "override", f"o{slot.pk}-points": "5", f"o{slot.pk}-reason": "Phúc khảo"},
        **HTMX,
    )
    assert "Điểm phải từ 0 đến 1." in too_many.content.decode()
    slot.refresh_from_db()
    assert slot.score == 0 and slot.graded_by is None
    assert not AuditLog.objects.filter(action=AuditLog.Action.GRADE_CHANGED).exists()


def test_giving_the_mark_back_to_the_key_from_the_page(cast, login, attempt):
    slot = slot_of(attempt, QuestionType.SINGLE)
    override_slot(actor=cast.trainer_a, slot=slot, points=Decimal(1), reason="Phúc khảo")
    response = login(cast.trainer_a).post(
        reverse("frontend:grading-slot", args=[slot.pk]),
        {"action": "clear", f"o{slot.pk}-reason": "Nhầm câu"},
        **HTMX,
    )
    assert "Đã trả về điểm tự động." in response.content.decode()
    slot.refresh_from_db()
    assert slot.score == 0 and slot.graded_by is None


def test_without_htmx_the_form_goes_back_to_the_page_it_came_from(cast, login, attempt):
    slot = slot_of(attempt, QuestionType.SINGLE)
    response = login(cast.trainer_a).post(
        reverse("frontend:grading-slot", args=[slot.pk]),
        {
            "back": "report",
            "action": "override",
            f"o{slot.pk}-points": "0,5",
            f"o{slot.pk}-reason": "Phúc khảo",
        },
        follow=True,
    )
    assert response.redirect_chain == [(reverse("frontend:report-attempt", args=[attempt.pk]), 302)]
    assert "Đã sửa điểm." in response.content.decode()
    assert AttemptSlot.objects.get(pk=slot.pk).score == Decimal("0.5")


def test_essay_marking_through_htmx_completes_the_grading(cast, login, attempt):
    essay = slot_of(attempt, QuestionType.ESSAY)
    html = (
        login(cast.trainer_a)
        .post(
            reverse("frontend:grading-slot", args=[essay.pk]),
            {"action": "grade", f"s{essay.pk}-points": "1", f"s{essay.pk}-comment": "Tốt"},
            **HTMX,
        )
        .content.decode()
    )
    assert "Đã lưu điểm." in html and "Chấm tay" in html
    assert "Đã chấm xong: 75%" in html  # 6 of 8 points, out of band
    attempt.refresh_from_db()
    assert not attempt.needs_grading


def test_learners_and_other_units_trainers_cannot_mark(cast, login, attempt):
    slot = slot_of(attempt, QuestionType.SINGLE)
    data = {"action": "override", f"o{slot.pk}-points": "1", f"o{slot.pk}-reason": "x"}
    url = reverse("frontend:grading-slot", args=[slot.pk])
    assert login(cast.learner).post(url, data).status_code == 403
    assert login(cast.trainer_b).post(url, data, **HTMX).status_code == 404
    page = reverse("frontend:grading-attempt", args=[attempt.pk])
    assert login(cast.trainer_b).get(page).status_code == 404
    assert AttemptSlot.objects.get(pk=slot.pk).score == 0


def test_the_learner_and_the_gradebook_see_the_overridden_mark(cast, login, attempt):
    slot = slot_of(attempt, QuestionType.SINGLE)
    essay = slot_of(attempt, QuestionType.ESSAY)
    override_slot(actor=cast.trainer_a, slot=slot, points=Decimal(1), reason="Phúc khảo")
    login(cast.trainer_a).post(
        reverse("frontend:grading-slot", args=[essay.pk]),
        {"action": "grade", f"s{essay.pk}-points": "1"},
    )
    result = login(cast.learner).get(reverse("frontend:quiz-result", args=[attempt.pk]))
    html = card_of_result(result.content.decode(), 1)
    assert "1/1 điểm" in html and "Điểm câu này do người chấm điều chỉnh." in html
    assert "Phúc khảo" not in html  # the reason is for the audit log, not the learner
    assert QuizGrade.objects.get(user=cast.learner).percent == Decimal("87.5")  # 7 of 8
    course = attempt.quiz.module.course
    gradebook = login(cast.trainer_a).get(reverse("frontend:report-gradebook", args=[course.pk]))
    assert "87,5%" in gradebook.content.decode()


def test_the_result_page_and_the_grading_page_word_a_response_alike(
    cast, login, attempt, make_quiz
):
    attempt.quiz.review_answers = "after_submit"
    attempt.quiz.save(update_fields=["review_answers"])
    result = login(cast.learner).get(reverse("frontend:quiz-result", args=[attempt.pk]))
    grading = login(cast.trainer_a).get(reverse("frontend:grading-attempt", args=[attempt.pk]))
    matching = "Nghị quyết 04-NQ/TW → 30/10/2016; Chỉ thị 05-CT/TW → 15/5/2016"
    ordering = "Chỉ thị 05-CT/TW → Nghị quyết 04-NQ/TW"
    for html in (result.content.decode(), grading.content.decode()):
        assert html.count(matching) == 2 and html.count(ordering) == 2  # response and key
        assert "Tư tưởng chính trị; Đạo đức, lối sống" in html


def card_of_result(html: str, position: int) -> str:
    start = html.index(f"Câu {position}</h2>") if f"Câu {position}</h2>" in html else 0
    start = html.index(f"Câu {position}", start)
    return html[start : html.index("</section>", start)]
