"""Workflows of the quiz engine; views, API, tasks and commands all call these."""

from .answers import AttemptClosed, SaveResult, reach_page, save_answer, set_flag
from .bank import create_category, create_question, edit_question, ensure_category_path
from .grades import grade_slot, override_grade, override_slot, refresh_grade
from .regrade import fix_key, regrade_version
from .start import QuizUnavailable, quiz_for_start, start_attempt
from .submit import finalise_overdue, submit_attempt

__all__ = [
    "AttemptClosed",
    "QuizUnavailable",
    "SaveResult",
    "create_category",
    "create_question",
    "edit_question",
    "ensure_category_path",
    "finalise_overdue",
    "fix_key",
    "grade_slot",
    "override_grade",
    "override_slot",
    "quiz_for_start",
    "reach_page",
    "refresh_grade",
    "regrade_version",
    "save_answer",
    "set_flag",
    "start_attempt",
    "submit_attempt",
]
