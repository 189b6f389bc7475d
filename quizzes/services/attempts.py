"""Compatibility: the attempt services now live in start, answers and submit."""

from .answers import AttemptClosed, SaveResult, reach_page, save_answer, set_flag
from .start import QuizUnavailable, start_attempt
from .submit import finalise_overdue, submit_attempt

__all__ = [
    "AttemptClosed",
    "QuizUnavailable",
    "SaveResult",
    "finalise_overdue",
    "reach_page",
    "save_answer",
    "set_flag",
    "start_attempt",
    "submit_attempt",
]
