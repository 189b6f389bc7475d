from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from courses.models import Course
from training import services
from training.models import TrainingSession

from ..courses.conftest import make_course, pass_quiz  # noqa: F401  (fixtures)


@pytest.fixture
def course(make_course):  # type: ignore[no-untyped-def]  # noqa: F811
    return make_course(modules=2, lessons=1)


@pytest.fixture
def make_session(cast, course):  # type: ignore[no-untyped-def]
    """make_session(units=[cast.unit_a], starts_in=timedelta(days=3), hours=2, **fields)."""

    def _make(
        units: list[Any] | None = None,
        starts_in: timedelta = timedelta(days=3),
        hours: float = 2,
        on: Course | None = None,
        actor: Any = None,
        **fields: Any,
    ) -> TrainingSession:
        start = timezone.now().replace(microsecond=0) + starts_in
        fields.setdefault("title", "Nghiệp vụ công tác Đảng")
        fields.setdefault("venue", "Hội trường Khối")
        data = services.SessionData(
            starts_at=start, ends_at=start + timedelta(hours=hours), **fields
        )
        return services.create_session(
            actor=actor or cast.trainer_a,
            course=on or course,
            data=data,
            invited_units=units or [cast.unit_a],
        )

    return _make
