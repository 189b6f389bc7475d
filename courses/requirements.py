"""Extra course completion requirements, contributed by other apps.

Courses know lessons and quizzes; other apps (in-person training sessions,
evaluation surveys) add requirements of their own without courses importing
them: at start-up each registers a provider here. For a batch of enrolments
(course loaded), a provider returns, per enrolment pk, the extra steps the
learner must also complete, each with a label and whether it is done. A
provider runs a fixed number of queries for the whole batch, whatever its
size, and none at all is better when no course in the batch has rules of its
kind. `courses.progress` folds the steps into progress and completion.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Enrollment


@dataclass
class Step:
    """One extra requirement of one learner's course."""

    key: str  # stable and unique within a course, e.g. "attendance-3"
    label: str  # shown in the progress steps, already translated
    done: bool
    detail: str = ""  # e.g. "1/2 buổi"
    url: str = ""  # where to go to do it, if anywhere
    done_at: datetime | None = None  # when it was met (counts as the last step)


Provider = Callable[[Sequence["Enrollment"]], dict[int, list[Step]]]

_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Add a provider (idempotent: registering the same one twice keeps one)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def providers() -> list[Provider]:
    return list(_providers)


def steps_for(enrollments: Sequence[Enrollment]) -> dict[int, list[Step]]:
    """Every provider's steps, per enrolment pk (enrolments without any are absent)."""
    result: dict[int, list[Step]] = {}
    for provider in _providers:
        for pk, steps in provider(enrollments).items():
            result.setdefault(pk, []).extend(steps)
    return result
