"""Item analysis against values worked out by hand on a fixed data set.

Six learners, five one-point single-choice questions (1 = right, 0 = wrong
choice "b", - = blank):

          Q1 Q2 Q3 Q4 Q5   total X
    L1     1  1  1  0  1      4
    L2     1  1  1  1  0      4
    L3     1  1  1  0  1      4
    L4     1  1  0  0  0      2
    L5     1  0  0  1  0      2
    L6     1  -  0  0  0      1

Q1: everyone right -> facility 100 %, SD 0, discrimination undefined.

Q2: x = 1,1,1,1,0,0 (mean 2/3); rest = X - x = 3,3,3,1,2,1 (mean 13/6).
    deviations dx = 1/3 (x4), -2/3 (x2); dr = 5/6,5/6,5/6,-7/6,-1/6,-7/6.
    sum dx*dr = 3*(5/18) - 7/18 + 2/18 + 14/18 = 24/18 = 4/3
    sum dx^2 = 4/9 + 8/9 = 4/3;  sum dr^2 = (75 + 49 + 1 + 49)/36 = 29/6
    r = (4/3) / sqrt(4/3 * 29/6) = 1.3333 / 2.5386 = 0.5252 -> 52.52 %
    SD = sqrt((4/3)/5) = sqrt(0.26667) = 0.5164 -> 51.64 %
    efficiency: sorted x = 0,0,1,1,1,1 and sorted rest = 1,1,2,3,3,3 give
    sum = 2*(14/18) - 1/18 + 3*(5/18) = 42/18 = 7/3, so (4/3)/(7/3) = 57.14 %
    options: a 4/6 = 66.67 %, b 1/6 = 16.67 %, c 0 %, blank 1/6 = 16.67 %.

Q4: x = 0,1,0,0,1,0 (mean 1/3); rest = 4,3,4,2,1,1 (mean 2.5).
    sum dx*dr = -0.5 + 1/3 - 0.5 + 1/6 - 1 + 0.5 = -1
    sum dx^2 = 4/3;  sum dr^2 = 4 * 2.25 + 2 * 0.25 = 9.5
    r = -1 / sqrt(4/3 * 9.5) = -1 / 3.5590 = -0.2810 -> -28.10 % (negative)

Alpha: item variances (n - 1) Q1 0, Q2 4/15, Q3 0.3, Q4 4/15, Q5 4/15 -> 1.1;
    totals 4,4,4,2,2,1 (mean 17/6), sum of squared deviations 318/36,
    variance 8.8333/5 = 1.76667;  alpha = 5/4 * (1 - 1.1/1.76667) = 0.4717.
Mean attempt percent: (80+80+80+40+40+20)/6 = 56.67.
"""

import pytest

from quizzes.statistics import analyse, quiz_statistics, review_queue

from .conftest import answers, enrol, take

pytestmark = pytest.mark.django_db

MATRIX = ["11101", "11110", "11101", "11000", "10010", "1-000"]


@pytest.fixture
def fixed(cast, setup, learners):  # type: ignore[no-untyped-def]
    s = setup(questions=5)
    people = learners(6, cast.cell_a1)
    enrol(cast, s.course, people)
    for person, pattern in zip(people, MATRIX, strict=True):
        take(person, s.quiz, answers(pattern))
    return s


def test_statistics_match_hand_computed_values(cast, fixed):
    stats = quiz_statistics(fixed.quiz, viewer=cast.trainer_a)
    assert stats.attempts == 6
    assert stats.mean == pytest.approx(56.67, abs=0.01)
    assert stats.alpha == pytest.approx(0.4717, abs=0.0001)
    q1, q2, q3, q4, q5 = stats.items
    assert (q1.facility, q1.sd, q1.discrimination) == (100.0, 0.0, None)
    assert q2.facility == pytest.approx(66.67, abs=0.01)
    assert q2.sd == pytest.approx(51.64, abs=0.01)
    assert q2.discrimination == pytest.approx(52.52, abs=0.01)
    assert q2.efficiency == pytest.approx(57.14, abs=0.01)
    assert q4.facility == pytest.approx(33.33, abs=0.01)
    assert q4.discrimination == pytest.approx(-28.10, abs=0.01)
    assert q3.discrimination == pytest.approx(89.44, abs=0.01)  # 2/sqrt(5): Q3 = top three
    shares = {o.id: round(o.share, 2) for o in q2.options}
    assert shares == {"a": 66.67, "b": 16.67, "c": 0.0, "__none__": 16.67}
    assert [o.correct for o in q2.options] == [True, False, False, False]
    assert q5.responses == 6


def test_review_queue_holds_too_easy_and_negative_questions(cast, fixed):
    stats = quiz_statistics(fixed.quiz, viewer=cast.trainer_a)
    flagged = {i.positions[0] + 1: i.flags for i in stats.review}
    assert flagged == {1: ["too_easy"], 4: ["negative"]}
    queue = review_queue(cast.trainer_a)
    assert [(q.pk, i.positions[0] + 1) for q, i in queue] == [
        (fixed.quiz.pk, 1),
        (fixed.quiz.pk, 4),
    ]
    assert review_queue(cast.trainer_a, mine=True) == queue  # trainer_a wrote them


def test_statistics_count_only_learners_in_scope(cast, fixed, learners):
    outsiders = learners(2, cast.cell_b1, prefix="b")
    enrol(cast, fixed.course, outsiders)
    for person in outsiders:
        take(person, fixed.quiz, answers("00000"))
    assert quiz_statistics(fixed.quiz, viewer=cast.trainer_a).attempts == 6
    assert quiz_statistics(fixed.quiz, viewer=cast.admin).attempts == 8


def test_statistics_run_in_constant_queries(cast, setup, learners, django_assert_max_num_queries):
    small, large = setup(questions=3), setup(questions=3)
    few, many = learners(2, cast.cell_a1, "s"), learners(12, cast.cell_a1, "l")
    enrol(cast, small.course, few)
    enrol(cast, large.course, many)
    for person in few:
        take(person, small.quiz, answers("101"))
    for i, person in enumerate(many):
        take(person, large.quiz, answers(["111", "100", "010"][i % 3]))
    for s in (small, large):
        trainer = type(cast.trainer_a).objects.get(pk=cast.trainer_a.pk)  # fresh grant cache
        with django_assert_max_num_queries(3):
            analyse([s.quiz.pk], viewer=trainer)


def test_distractor_shares_for_multiple_choice_and_true_false(cast, learners):
    """Four learners. Multiple choice (a, b right; c wrong): picks {a,b}, {a,c},
    {a}, blank -> a 3/4 = 75 %, b 1/4 = 25 %, c 1/4 = 25 %, blank 25 %.
    True/false (answer true): true, true, false, blank -> 50 %, 25 %, 25 %."""
    from quizzes.models import AttemptSlot, Quiz, QuizItem
    from quizzes.services import (
        create_question,
        ensure_category_path,
        save_answer,
        start_attempt,
        submit_attempt,
    )

    bank = ensure_category_path(path="Nội dung mẫu/Phương án", owner_unit=cast.unit_a)
    multiple = create_question(
        actor=cast.trainer_a, category=bank, type="multiple", text="Nhóm biểu hiện suy thoái?",
        data={"choices": [
            {"id": "a", "text": "Tư tưởng chính trị", "fraction": 0.5},
            {"id": "b", "text": "Đạo đức, lối sống", "fraction": 0.5},
            {"id": "c", "text": "Thể thao", "fraction": -0.5},
        ]},
    )  # fmt: skip
    truefalse = create_question(
        actor=cast.trainer_a, category=bank, type="truefalse",
        text="Nghị quyết 4 nêu 27 biểu hiện suy thoái.", data={"answer": True},
    )  # fmt: skip
    quiz = Quiz.objects.create(title="Phương án", owner_unit=cast.unit_a, shuffle_choices=False)
    QuizItem.objects.create(quiz=quiz, position=0, question=multiple)
    QuizItem.objects.create(quiz=quiz, position=1, question=truefalse)
    picks = [(["a", "b"], True), (["a", "c"], True), (["a"], False), (None, None)]
    for person, (many, value) in zip(learners(4, cast.cell_a1, "d"), picks, strict=True):
        attempt = start_attempt(user=person, quiz=quiz)
        first, second = AttemptSlot.objects.filter(attempt=attempt).order_by("position")
        if many is not None:
            save_answer(user=person, attempt_id=attempt.pk, slot_id=first.pk,
                        response={"choices": many}, seq=1)  # fmt: skip
            save_answer(user=person, attempt_id=attempt.pk, slot_id=second.pk,
                        response={"value": value}, seq=1)  # fmt: skip
        submit_attempt(attempt=attempt)
    stats = quiz_statistics(quiz, viewer=cast.trainer_a)
    m, t = stats.items
    assert {o.id: o.share for o in m.options} == {"a": 75.0, "b": 25.0, "c": 25.0, "__none__": 25.0}
    assert {o.id: o.share for o in t.options} == {"true": 50.0, "false": 25.0, "__none__": 25.0}
