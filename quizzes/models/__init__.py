from .attempts import Attempt, AttemptSlot, QuizGrade
from .bank import Question, QuestionCategory, QuestionMedia, QuestionType, QuestionVersion, Tag
from .quiz import Quiz, QuizItem, QuizOverride, ReviewWhen

__all__ = [
    "Attempt",
    "AttemptSlot",
    "Question",
    "QuestionCategory",
    "QuestionMedia",
    "QuestionType",
    "QuestionVersion",
    "Quiz",
    "QuizGrade",
    "QuizItem",
    "QuizOverride",
    "ReviewWhen",
    "Tag",
]
