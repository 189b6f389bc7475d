import pytest

from quizzes.models import Question, Quiz
from quizzes.services import start_attempt

pytestmark = pytest.mark.django_db


def _load_all() -> None:
    from accounts import demo as accounts_demo
    from courses import demo as courses_demo
    from quizzes import demo

    accounts_demo.load()
    courses_demo.load()
    demo.load()
    demo.load()  # idempotent


def test_demo_attaches_a_quiz_to_every_module_and_a_timed_final_exam():
    from courses.demo import CODE
    from courses.models import Course

    _load_all()
    course = Course.objects.get(code=CODE)
    modules = list(course.modules.select_related("quiz"))
    assert modules and all(m.quiz is not None for m in modules)
    for m in modules:
        assert 8 <= m.quiz.items.count() <= 10
        assert m.quiz.title.startswith("Nội dung mẫu")
    final = course.final_exam
    assert final.time_limit and final.items.filter(kind="random").count() == len(modules)
    assert Quiz.objects.count() == len(modules) + 1
    types = set(Question.objects.values_list("current_version__type", flat=True))
    assert types == {
        "single",
        "multiple",
        "truefalse",
        "short",
        "numeric",
        "matching",
        "ordering",
        "essay",
    }
    learner = course.enrollments.first().user
    attempt = start_attempt(user=learner, quiz=final)
    assert attempt.slots.count() == 3 * len(modules)
    assert attempt.deadline is not None
