"""A session of unit A's course, inviting unit A, open for check-in now."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from courses import authoring
from training.models import TrainingSession


def make_session(cast, *, starts_in: timedelta = timedelta(minutes=10), hours: int = 2,
                 opens: int = 30, units=None, title: str = "Tập huấn Nghị quyết 4") -> TrainingSession:  # fmt: skip
    course = authoring.create_course(
        actor=cast.trainer_a,
        code=f"TH{TrainingSession.objects.count() + 1}",
        title="Công tác xây dựng Đảng (Nội dung mẫu)",
        owner_unit=cast.unit_a,
    )
    starts: datetime = timezone.now() + starts_in
    session = TrainingSession.objects.create(
        course=course,
        title=title,
        venue="Hội trường Khối",
        starts_at=starts,
        ends_at=starts + timedelta(hours=hours),
        checkin_opens_minutes=opens,
        created_by=cast.trainer_a,
    )
    session.invited_units.set(units if units is not None else [cast.unit_a])
    return session
