"""Demo training sessions of the sample course: one past (attendance taken,
evaluation answered by ten learners), one upcoming (registrations open).

Idempotent: sessions are found by course and title, and nothing is added to
a session that already exists.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Unit, User

PAST_TITLE = "Tập huấn chuyên đề: Nâng cao chất lượng sinh hoạt chi bộ"
NEXT_TITLE = "Tập huấn chuyên đề: Công tác kiểm tra, giám sát của chi bộ"
VENUE = "Hội trường Đảng ủy Khối, tầng 3"

POSITIONS = {
    "hocvien01": "Bí thư chi bộ",
    "hocvien02": "Phó Bí thư chi bộ",
    "hocvien03": "Chi ủy viên",
    "hocvien04": "Bí thư chi bộ",
    "hocvien05": "Chi ủy viên",
    "hocvien06": "Đảng viên",
    "hocvien07": "Bí thư chi bộ",
    "hocvien08": "Phó Bí thư chi bộ",
    "hocvien09": "Chi ủy viên",
    "hocvien10": "Bí thư chi bộ",
    "hocvien11": "Chi ủy viên",
    "hocvien12": "Đảng viên",
}
# Past session: who came (late for one), who was excused, who was absent.
LATE = {"hocvien07"}
EXCUSED = {"hocvien09": "Bận công tác tại cơ sở"}
ABSENT = {"hocvien06"}
COMMENTS = [
    "Đề nghị tăng thời lượng trao đổi, thảo luận tình huống thực tế.",
    "Tài liệu nên gửi trước để nghiên cứu.",
    "Mong có thêm các buổi tập huấn về sinh hoạt chuyên đề.",
]


def _at(day_offset: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=day_offset)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def load() -> list[tuple[str, str, str]]:
    from courses.demo import CODE
    from courses.models import Course

    course = Course.objects.filter(code=CODE).first()
    bloc = Unit.objects.filter(code="DBK").first()
    if course is None or bloc is None:
        return []
    with transaction.atomic():
        for username, position in POSITIONS.items():
            User.objects.filter(username=username, position="").update(position=position)
        _past_session(course, bloc)
        _next_session(course, bloc)
        _course_survey(course)
    return []


def _course_survey(course) -> None:  # type: ignore[no-untyped-def]
    """An end-of-course evaluation, open to every enrolled learner, not yet
    answered (optional: the demo's completions stay as they are)."""
    from training.surveys.models import Survey
    from training.surveys.services import create_survey

    admin = User.objects.filter(username="admin").first()
    if admin is None or Survey.objects.filter(course=course, session=None).exists():
        return
    create_survey(actor=admin, course=course)


def _learners() -> list[User]:
    return list(User.objects.filter(username__in=POSITIONS).order_by("username"))


def _past_session(course, bloc: Unit) -> None:  # type: ignore[no-untyped-def]
    from training.models import Attendance, Registration, TrainingSession
    from training.surveys.models import Survey
    from training.surveys.services import create_survey, submit_response

    if TrainingSession.objects.filter(course=course, title=PAST_TITLE).exists():
        return
    admin = User.objects.filter(username="admin").first()
    module = course.modules.order_by("order", "pk").first()
    session = TrainingSession.objects.create(
        course=course,
        module=module,
        title=PAST_TITLE,
        topic="Quy trình sinh hoạt chi bộ định kỳ; sinh hoạt chuyên đề theo Chỉ thị 05-CT/TW.",
        speakers="Đồng chí Lê Thị Thu Hà",
        venue=VENUE,
        starts_at=_at(-7, 7, 30),
        ends_at=_at(-7, 11, 0),
        capacity=60,
        created_by=admin,
    )
    session.invited_units.add(bloc)
    learners = _learners()
    for user in learners:
        declined = user.username in EXCUSED
        Registration.objects.create(
            session=session,
            user=user,
            status=Registration.Status.DECLINED if declined else Registration.Status.REGISTERED,
            decline_reason=EXCUSED.get(user.username, ""),
        )
        if user.username in EXCUSED:
            status, at = Attendance.Status.EXCUSED, None
        elif user.username in ABSENT:
            status, at = Attendance.Status.ABSENT, None
        elif user.username in LATE:
            status, at = Attendance.Status.LATE, session.starts_at + timedelta(minutes=25)
        else:
            status = Attendance.Status.PRESENT
            at = session.starts_at - timedelta(minutes=random.Random(user.username).randint(2, 20))
        Attendance.objects.create(
            session=session,
            user=user,
            status=status,
            method=Attendance.Method.QR if at else Attendance.Method.MANUAL,
            checked_in_at=at,
            recorded_by=admin,
            note=EXCUSED.get(user.username, ""),
        )
    if admin is None:
        return
    survey = create_survey(actor=admin, course=course, session=session)
    questions = list(survey.questions.all())
    came = [u for u in learners if u.username not in ABSENT and u.username not in EXCUSED]
    for n, user in enumerate(came):
        rng = random.Random(f"survey-{user.username}")
        data: dict[str, object] = {}
        for q in questions:
            if q.kind == "likert":
                data[f"q{q.pk}"] = rng.choice([3, 4, 4, 5, 5])
            elif q.kind == "choice":
                data[f"q{q.pk}"] = rng.choice([0, 1, 1, 2])
            elif n < len(COMMENTS):
                data[f"q{q.pk}"] = COMMENTS[n]
        submit_response(user=user, survey=Survey.objects.get(pk=survey.pk), data=data)


def _next_session(course, bloc: Unit) -> None:  # type: ignore[no-untyped-def]
    from training.models import Registration, TrainingSession

    if TrainingSession.objects.filter(course=course, title=NEXT_TITLE).exists():
        return
    admin = User.objects.filter(username="admin").first()
    modules = list(course.modules.order_by("order", "pk"))
    session = TrainingSession.objects.create(
        course=course,
        module=modules[-1] if modules else None,
        title=NEXT_TITLE,
        topic="Kiểm tra, giám sát theo Quy định của Ban Chấp hành Trung ương; kinh nghiệm ở chi bộ.",
        speakers="Đồng chí Phạm Minh Đức",
        venue=VENUE,
        starts_at=_at(10, 7, 30),
        ends_at=_at(10, 11, 0),
        capacity=40,
        created_by=admin,
    )
    session.invited_units.add(bloc)
    for user in _learners()[:4]:
        Registration.objects.create(
            session=session, user=user, status=Registration.Status.REGISTERED
        )
