"""Builders for the survey, attendance sheet and roll-up tests (plain functions)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from accounts.models import Unit, User
from accounts.services import create_user
from courses import services as course_services
from courses.models import Course

PASSWORD = "Mat-khau-dai-2026!"


def make_learners(cast: Any, unit: Unit, n: int, prefix: str = "hv") -> list[User]:
    start = User.objects.filter(username__startswith=prefix).count()
    return [
        create_user(
            actor=cast.superuser,
            username=f"{prefix}{start + i:03d}",
            full_name=f"Học viên {prefix.upper()} {start + i:03d}",
            unit=unit,
            role=User.Role.LEARNER,
            email=f"{prefix}{start + i}@example.org",
            password=PASSWORD,
        )
        for i in range(n)
    ]


def make_session(
    course: Course,
    *,
    invited: list[Unit],
    days: int = -2,
    title: str = "Buổi tập huấn 1",
    **fields: Any,
) -> Any:
    from training.models import TrainingSession

    start = timezone.now().replace(microsecond=0) + timedelta(days=days)
    session = TrainingSession.objects.create(
        course=course,
        title=title,
        venue=fields.pop("venue", "Hội trường Đảng ủy Khối"),
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        **fields,
    )
    session.invited_units.set(invited)
    return session


def attend(session: Any, users: list[User], status: str = "present") -> None:
    from training.models import Attendance, Registration

    for user in users:
        Registration.objects.get_or_create(
            session=session, user=user, defaults={"status": Registration.Status.REGISTERED}
        )
        Attendance.objects.update_or_create(
            session=session,
            user=user,
            defaults={
                "status": status,
                "checked_in_at": session.starts_at if status in ("present", "late") else None,
            },
        )


def enrol(course: Course, users: list[User]) -> None:
    for user in users:
        course_services.enrol_user(actor=course_services_actor(course), user=user, course=course)


def likert_answers(survey: Any, value: int = 4, text: str = "") -> dict[str, Any]:
    data: dict[str, Any] = {}
    for q in survey.questions.all():
        if q.kind == "likert":
            data[f"q{q.pk}"] = value
        elif q.kind == "choice":
            data[f"q{q.pk}"] = 1
        elif text:
            data[f"q{q.pk}"] = text
    return data


def course_services_actor(course: Course) -> User:
    """A superuser may enrol anyone into anything."""
    return User.objects.filter(is_superuser=True).order_by("pk").first()  # type: ignore[return-value]
