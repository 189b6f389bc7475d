"""The quiz builder's services: bank filters, adding several, random pools,
order, points, page breaks, the maximum grade, and what an attempt gets."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from quizzes.models import QuestionType, QuizItem, Tag
from quizzes.services import builder as building
from quizzes.services import create_question, ensure_category_path, start_attempt
from quizzes.services.start import forget_draw_sources

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_draws():
    forget_draw_sources()
    yield
    forget_draw_sources()


def _q(cast, category, text, qtype=QuestionType.TRUE_FALSE, tags=None, title=""):
    data = {"answer": True} if qtype == QuestionType.TRUE_FALSE else {"rubric": "r"}
    return create_question(
        actor=cast.trainer_a,
        category=category,
        type=qtype,
        text=text,
        data=data,
        tags=tags,
        title=title,
    )


def _ids(qs):
    return sorted(q.pk for q in qs)


def test_text_search_ignores_diacritics_and_case(cast, bank, make_quiz):
    meeting = _q(cast, bank, "Sinh hoạt chi bộ định kỳ hằng tháng.")
    _q(cast, bank, "Kết nạp đảng viên mới.")
    titled = _q(cast, bank, "Nội dung khác.", title="Đánh giá, xếp loại")
    quiz = make_quiz()
    find = lambda text: _ids(  # noqa: E731
        building.bank_questions(
            user=cast.trainer_a, filters=building.BankFilter(text=text, unused_in=None)
        )
    )
    assert find("sinh hoat") == [meeting.pk]
    assert find("SINH HOẠT chi") == [meeting.pk]
    assert find("dinh ky") == [meeting.pk]  # đ folds to d
    assert find("danh gia") == [titled.pk]  # the title counts too
    assert find("ket nap sinh") == []  # every word must match
    assert quiz.pk


def test_search_follows_an_edited_text(cast, bank):
    from quizzes.services import edit_question

    question = _q(cast, bank, "Câu cũ.")
    edit_question(
        actor=cast.trainer_a,
        question=question,
        type=QuestionType.TRUE_FALSE,
        text="Tự phê bình và phê bình.",
        data={"answer": True},
        points=Decimal(1),
    )
    found = building.bank_questions(
        user=cast.trainer_a, filters=building.BankFilter(text="phe binh")
    )
    assert _ids(found) == [question.pk]


def test_filters_by_category_with_subcategories_tag_type_and_unused(cast, bank, make_quiz):
    child = ensure_category_path(path="Nội dung mẫu/Nghị quyết 4/Nhóm 1", owner_unit=cast.unit_a)
    top = bank.parent
    in_bank = _q(cast, bank, "Một.", tags=["NQ4"])
    in_child = _q(cast, child, "Hai.", tags=["NQ4"])
    essay = _q(cast, child, "Ba.", qtype=QuestionType.ESSAY)
    quiz = make_quiz([in_bank])

    def find(**kw):
        return _ids(building.bank_questions(user=cast.trainer_a, filters=building.BankFilter(**kw)))

    assert find(category=top) == _ids([in_bank, in_child, essay])
    assert find(category=bank, include_subcategories=False) == [in_bank.pk]
    assert find(category=child) == _ids([in_child, essay])
    assert find(tag=Tag.objects.get(name="NQ4")) == _ids([in_bank, in_child])
    assert find(type=QuestionType.ESSAY) == [essay.pk]
    assert find(unused_in=quiz) == _ids([in_child, essay])


def test_trainer_of_another_unit_finds_nothing_of_unit_a(cast, bank):
    _q(cast, bank, "Sinh hoạt chi bộ.")
    found = building.bank_questions(user=cast.trainer_b, filters=building.BankFilter())
    assert list(found) == []


def test_add_several_at_once_in_order_skipping_those_already_there(cast, bank, make_quiz):
    a, b, c = (_q(cast, bank, f"Câu {n}.") for n in "abc")
    quiz = make_quiz([a])
    added = building.add_questions(actor=cast.trainer_a, quiz=quiz, question_ids=[c.pk, a.pk, b.pk])
    assert [i.question_id for i in added] == [c.pk, b.pk]
    assert list(quiz.items.order_by("position").values_list("question_id", flat=True)) == [
        a.pk,
        c.pk,
        b.pk,
    ]


def test_add_refuses_questions_outside_scope_and_other_units_quizzes(cast, bank, make_quiz):
    other = ensure_category_path(path="Đơn vị B", owner_unit=cast.unit_b)
    foreign = create_question(
        actor=cast.trainer_b, category=other, type="truefalse", text="B.", data={"answer": True}
    )
    mine = _q(cast, bank, "A.")
    quiz = make_quiz()
    with pytest.raises(ValidationError):
        building.add_questions(actor=cast.trainer_a, quiz=quiz, question_ids=[mine.pk, foreign.pk])
    assert not quiz.items.exists()  # nothing half-written
    with pytest.raises(PermissionDenied):
        building.add_questions(actor=cast.trainer_b, quiz=quiz, question_ids=[foreign.pk])


def test_random_slot_pool_counts_subcategories_and_tag(cast, bank, make_quiz):
    child = ensure_category_path(path="Nội dung mẫu/Nghị quyết 4/Nhóm 1", owner_unit=cast.unit_a)
    _q(cast, bank, "1.", tags=["khó"])
    _q(cast, bank, "2.")
    _q(cast, child, "3.", tags=["khó"])
    retired = _q(cast, child, "4.", tags=["khó"])
    retired.is_active = False
    retired.save()
    hard = Tag.objects.get(name="khó")
    assert building.pool_size(category=bank) == 3
    assert building.pool_size(category=bank, include_subcategories=False) == 2
    assert building.pool_size(category=bank, tag=hard) == 2
    assert building.pool_size(category=child, tag=hard) == 1
    quiz = make_quiz()
    item = building.add_random(actor=cast.trainer_a, quiz=quiz, category=bank, count=2, tag=hard)
    row = building.summary(quiz).rows[0]
    assert (row.item, row.pool, row.questions) == (item, 2, 2)
    with pytest.raises(ValidationError, match="chỉ có 2 câu"):
        building.add_random(actor=cast.trainer_a, quiz=quiz, category=bank, count=3, tag=hard)


def test_random_slot_draws_from_the_pool_it_shows(cast, bank, make_quiz):
    child = ensure_category_path(path="Nội dung mẫu/Nghị quyết 4/Nhóm 1", owner_unit=cast.unit_a)
    tagged = {_q(cast, child, f"{n}.", tags=["NQ4"]).pk for n in range(3)}
    _q(cast, bank, "không thẻ")
    quiz = make_quiz()
    building.add_random(
        actor=cast.trainer_a, quiz=quiz, category=bank, count=3, tag=Tag.objects.get(name="NQ4")
    )
    attempt = start_attempt(user=cast.trainer_a, quiz=quiz, preview=True)
    assert {s.version.question_id for s in attempt.slots.select_related("version")} == tagged


def test_reorder_and_move(cast, bank, make_quiz):
    a, b, c = (_q(cast, bank, f"Câu {n}.") for n in "abc")
    quiz = make_quiz([a, b, c])
    ia, ib, ic = quiz.items.order_by("position")
    building.reorder(actor=cast.trainer_a, quiz=quiz, item_ids=[ic.pk, ia.pk, ib.pk])
    order = lambda: list(quiz.items.order_by("position").values_list("pk", flat=True))  # noqa: E731
    assert order() == [ic.pk, ia.pk, ib.pk]
    building.move(actor=cast.trainer_a, quiz=quiz, item_id=ib.pk, delta=-1)
    assert order() == [ic.pk, ib.pk, ia.pk]
    building.move(actor=cast.trainer_a, quiz=quiz, item_id=ic.pk, delta=-1)  # already first
    assert order() == [ic.pk, ib.pk, ia.pk]
    with pytest.raises(ValidationError):
        building.reorder(actor=cast.trainer_a, quiz=quiz, item_ids=[ic.pk, ib.pk])
    with pytest.raises(ValidationError):
        building.reorder(actor=cast.trainer_a, quiz=quiz, item_ids=[ic.pk, ib.pk, ib.pk])
    with pytest.raises(PermissionDenied):
        building.reorder(actor=cast.trainer_b, quiz=quiz, item_ids=[ia.pk, ib.pk, ic.pk])


def test_points_page_breaks_and_max_grade_reach_summary_and_attempt(cast, bank, make_quiz):
    a, b, c = (_q(cast, bank, f"Câu {n}.") for n in "abc")
    essay = _q(cast, bank, "Tự luận.", qtype=QuestionType.ESSAY)
    quiz = make_quiz([a, b, c, essay])
    ia, ib, _ic, _ie = quiz.items.order_by("position")
    building.update_item(actor=cast.trainer_a, quiz=quiz, item_id=ia.pk, points=Decimal("2.5"))
    building.update_item(actor=cast.trainer_a, quiz=quiz, item_id=ib.pk, page_break_after=True)
    building.set_max_grade(actor=cast.trainer_a, quiz=quiz, max_grade=Decimal(100))
    s = building.summary(quiz)
    assert (s.questions, s.total_points, s.pages) == (4, Decimal("5.50"), 2)
    assert s.estimated and s.minutes == 3 + 10  # three short questions and an essay
    quiz.refresh_from_db()
    assert quiz.max_grade == 100
    attempt = start_attempt(user=cast.trainer_a, quiz=quiz, preview=True)
    slots = list(attempt.slots.order_by("position"))
    assert [s.max_points for s in slots] == [Decimal("2.5"), 1, 1, 1]
    assert [s.page for s in slots] == [0, 0, 1, 1]
    quiz.time_limit = 90 * 60
    quiz.save()
    s = building.summary(quiz)
    assert (s.minutes, s.estimated) == (90, False)
    with pytest.raises(ValidationError):
        building.update_item(actor=cast.trainer_a, quiz=quiz, item_id=ia.pk, points=Decimal(0))
    with pytest.raises(ValidationError):
        building.set_max_grade(actor=cast.trainer_a, quiz=quiz, max_grade=Decimal(0))


def test_shuffling_keeps_questions_on_their_pages(cast, bank, make_quiz):
    questions = [_q(cast, bank, f"Câu {n}.") for n in range(6)]
    quiz = make_quiz(questions, shuffle_questions=True)
    items = list(quiz.items.order_by("position"))
    building.update_item(
        actor=cast.trainer_a, quiz=quiz, item_id=items[2].pk, page_break_after=True
    )
    first_page = {q.pk for q in questions[:3]}
    for _ in range(5):
        forget_draw_sources()
        attempt = start_attempt(user=cast.trainer_a, quiz=quiz, preview=True)
        slots = list(attempt.slots.select_related("version").order_by("position"))
        assert {s.version.question_id for s in slots if s.page == 0} == first_page
        assert [s.page for s in slots] == [0, 0, 0, 1, 1, 1]
        from quizzes.services import submit_attempt

        submit_attempt(attempt=attempt)


def test_item_of_another_quiz_is_not_found(cast, bank, make_quiz):
    a = _q(cast, bank, "A.")
    quiz, other = make_quiz([a]), make_quiz([a])
    with pytest.raises(ValidationError):
        building.update_item(
            actor=cast.trainer_a,
            quiz=quiz,
            item_id=QuizItem.objects.get(quiz=other).pk,
            points=Decimal(2),
        )
