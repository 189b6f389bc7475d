"""DRF endpoints of the quiz engine; mounted by config/urls.py under /api/."""

from .attempts import AttemptViewSet, GradingQueueViewSet, save_answer_view
from .bank import CategoryViewSet, QuestionViewSet
from .quizzes import QuizViewSet

__all__ = [
    "AttemptViewSet",
    "CategoryViewSet",
    "GradingQueueViewSet",
    "QuestionViewSet",
    "QuizViewSet",
    "save_answer_view",
]


def register(router) -> None:  # type: ignore[no-untyped-def]
    router.register("question-categories", CategoryViewSet, basename="question-category")
    router.register("questions", QuestionViewSet, basename="question")
    router.register("quizzes", QuizViewSet, basename="quiz")
    router.register("attempts", AttemptViewSet, basename="attempt")
    router.register("grading", GradingQueueViewSet, basename="grading")
