"""The reports demo simulates attempts through the quiz engine, once."""

import pytest

from accounts import demo as accounts_demo
from accounts.models import Unit, User
from courses import authoring
from courses import demo as courses_demo
from courses.models import Course
from courses.reports import demo
from courses.reports.rollup import unit_rollup
from quizzes.models import Attempt, Quiz, QuizItem
from quizzes.services import create_question, ensure_category_path
from quizzes.statistics import quiz_statistics

from .conftest import single

pytestmark = pytest.mark.django_db


def test_demo_results_fill_the_reports_and_are_loaded_once():
    accounts_demo.load()
    courses_demo.load()
    course = Course.objects.get(code=demo.COURSE_CODE)
    admin = User.objects.get(username="admin")
    bloc = Unit.objects.get(code="DBK")
    bank = ensure_category_path(path="Nội dung mẫu/Kiểm tra", owner_unit=bloc)
    quiz = Quiz.objects.create(title="Kiểm tra mẫu", owner_unit=bloc, attempts_allowed=0)
    for i in range(6):
        question = create_question(
            actor=admin, category=bank, type="single", text=f"Câu {i + 1}", data=single(i + 1)
        )
        QuizItem.objects.create(quiz=quiz, position=i, question=question)
    module = course.modules.order_by("order").first()
    authoring.update_module(actor=admin, module=module, quiz=quiz)

    demo.load()
    attempts = Attempt.objects.filter(quiz=quiz).count()
    assert attempts >= 8
    demo.load()
    assert Attempt.objects.filter(quiz=quiz).count() == attempts
    stats = quiz_statistics(quiz, viewer=admin)
    assert stats.attempts >= 7 and stats.alpha is not None
    rollup = unit_rollup(admin, bloc, course)
    assert rollup.total.graded >= 8 and sum(rollup.distribution) == rollup.total.graded
