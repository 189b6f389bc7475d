from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import create_user, move_user
from courses import services
from courses.models import Assignment, Enrollment
from quizzes.models import Quiz

from .conftest import lessons_of, modules_of

pytestmark = pytest.mark.django_db


def assign(cast, course, unit, **kw):  # type: ignore[no-untyped-def]
    return services.assign_course(actor=cast.admin, course=course, unit=unit, **kw)


def test_assignment_enrols_every_learner_of_the_subtree_only(cast, make_course):
    course = make_course()
    assign(cast, course, cast.unit_a)
    enrolled = set(Enrollment.objects.values_list("user__username", flat=True))
    assert enrolled == {"learner", "other"}
    assert Enrollment.objects.filter(source="unit").count() == 2


def test_learner_added_later_to_the_subtree_is_enrolled(
    cast, make_course, django_capture_on_commit_callbacks
):
    course = make_course()
    assign(cast, course, cast.unit_a, deadline_kind="relative", due_days=30)
    with django_capture_on_commit_callbacks(execute=True):
        newbie = create_user(
            actor=cast.admin,
            username="moi",
            full_name="Người Mới",
            unit=cast.cell_a1,
            appointment_date=date(2026, 1, 10),
        )
    enrollment = Enrollment.objects.get(user=newbie, course=course)
    assert enrollment.due_date == date(2026, 2, 9)
    assert enrollment.source == Enrollment.Source.UNIT


def test_learner_moved_into_the_subtree_is_enrolled(
    cast, make_course, django_capture_on_commit_callbacks
):
    course = make_course()
    assign(cast, course, cast.unit_a)
    with django_capture_on_commit_callbacks(execute=True):
        move_user(actor=cast.admin, user=cast.learner_b, unit=cast.cell_a1)
    assert Enrollment.objects.filter(user=cast.learner_b, course=course).exists()


def test_fixed_deadline_is_the_same_for_everyone(cast, make_course):
    course = make_course()
    due = timezone.localdate() + timedelta(days=20)
    assign(cast, course, cast.unit_a, deadline_kind="fixed", due_date=due)
    assert set(Enrollment.objects.values_list("due_date", flat=True)) == {due}


def test_relative_deadline_counts_from_appointment_or_enrolment(cast, make_course):
    User.objects.filter(pk=cast.learner.pk).update(appointment_date=date(2026, 3, 1))
    course = make_course()
    assign(cast, course, cast.unit_a, deadline_kind="relative", due_days=45)
    mine = Enrollment.objects.get(user=cast.learner)
    other = Enrollment.objects.get(user=cast.other_learner)
    assert mine.due_date == date(2026, 4, 15)
    assert other.due_date == timezone.localdate(other.enrolled_at) + timedelta(days=45)


def test_changing_the_appointment_date_moves_relative_due_dates(
    cast, make_course, django_capture_on_commit_callbacks
):
    from accounts.services import update_user

    course = make_course()
    assign(cast, course, cast.unit_a, deadline_kind="relative", due_days=30)
    fixed = make_course()
    fixed_due = timezone.localdate() + timedelta(days=9)
    assign(cast, fixed, cast.unit_a, deadline_kind="fixed", due_date=fixed_due)
    with django_capture_on_commit_callbacks(execute=True):
        update_user(actor=cast.admin, user=cast.learner, appointment_date=date(2026, 10, 1))
    assert Enrollment.objects.get(user=cast.learner, course=course).due_date == date(2026, 10, 31)
    assert Enrollment.objects.get(user=cast.learner, course=fixed).due_date == fixed_due


def test_due_date_arithmetic_crosses_month_and_leap_day():
    a = Assignment(deadline_kind="relative", due_days=1)
    user = User(appointment_date=date(2028, 2, 28))
    assert a.due_date_for(user, date(2030, 1, 1)) == date(2028, 2, 29)
    a.due_days = 365
    user.appointment_date = date(2026, 12, 31)
    assert a.due_date_for(user, date(2030, 1, 1)) == date(2027, 12, 31)
    assert Assignment(deadline_kind="none").due_date_for(user, date(2030, 1, 1)) is None


def test_assignment_outside_scope_is_refused(cast, make_course):
    course = make_course()
    with pytest.raises(PermissionDenied):
        services.assign_course(actor=cast.trainer_b, course=course, unit=cast.unit_b)
    with pytest.raises(ValidationError):
        assign(cast, course, cast.unit_a, deadline_kind="relative")
    assert not Assignment.objects.exists()


def test_assigning_a_draft_course_is_refused(cast, make_course):
    course = make_course(publish=False)
    with pytest.raises(ValidationError):
        assign(cast, course, cast.unit_a)


def test_self_enrolment_only_in_open_published_courses(cast, make_course):
    closed = make_course()
    opened = make_course(self_enrol=True)
    with pytest.raises(PermissionDenied):
        services.self_enrol(user=cast.learner, course=closed)
    assert services.self_enrol(user=cast.learner, course=opened).source == "self"


def test_learner_may_take_module_quiz_only_when_enrolled_and_unlocked(
    cast, make_course, django_assert_max_num_queries
):
    course = make_course(modules=3, lessons=2, quiz=True, sequential=True)
    first, second, _third = (m.quiz for m in modules_of(course))
    assert not services.learner_may_take(cast.learner, first)
    services.enrol_user(actor=cast.trainer_a, user=cast.learner, course=course)
    with django_assert_max_num_queries(5):
        assert services.learner_may_take(cast.learner, first)
    assert not services.learner_may_take(cast.learner, second)
    assert not services.learner_may_take(cast.learner_b, first)
    open_course = make_course(modules=2, lessons=1, quiz=True)
    services.enrol_user(actor=cast.trainer_a, user=cast.learner, course=open_course)
    second_open = modules_of(open_course)[1].quiz
    with django_assert_max_num_queries(1):
        assert services.learner_may_take(cast.learner, second_open)
    stray = Quiz.objects.create(title="Không gắn", owner_unit=cast.unit_a)
    assert not services.learner_may_take(cast.learner, stray)


def test_learner_may_take_final_exam_after_modules_in_sequential_mode(cast, make_course, pass_quiz):
    exam = Quiz.objects.create(title="Cuối khóa", owner_unit=cast.unit_a)
    course = make_course(modules=1, lessons=1, sequential=True, final_exam=exam)
    services.enrol_user(actor=cast.trainer_a, user=cast.learner, course=course)
    assert not services.learner_may_take(cast.learner, exam)
    services.mark_lesson_done(user=cast.learner, lesson=lessons_of(course)[0])
    assert services.learner_may_take(cast.learner, exam)


def test_grade_change_rolls_back_with_the_grading_transaction(cast, make_course, pass_quiz):
    course = make_course(modules=1, lessons=0, quiz=True)
    services.enrol_user(actor=cast.trainer_a, user=cast.learner, course=course)
    with pytest.raises(RuntimeError), transaction.atomic():
        pass_quiz(cast.learner, modules_of(course)[0].quiz)
        raise RuntimeError
    assert Enrollment.objects.get(user=cast.learner).completed_at is None


def test_assignment_adopts_existing_enrolments_and_leaves_unenrolled_alone(cast, make_course):
    course = make_course()
    own = services.enrol_user(actor=cast.trainer_a, user=cast.learner, course=course)
    gone = services.enrol_user(actor=cast.trainer_a, user=cast.other_learner, course=course)
    services.unenrol(actor=cast.trainer_a, enrollment=gone)
    assign(cast, course, cast.unit_a, deadline_kind="relative", due_days=10)
    own.refresh_from_db()
    gone.refresh_from_db()
    assert own.assignment is not None and own.due_date is not None
    assert gone.status == "unenrolled"
    assert Enrollment.objects.filter(course=course).count() == 2


def test_assigning_a_large_unit_runs_a_constant_number_of_queries(
    cast, make_course, django_assert_max_num_queries
):
    for n in range(30):
        User.objects.create(username=f"hv{n}", full_name=f"Học viên {n}", unit=cast.cell_b1)
    course = make_course()
    with django_assert_max_num_queries(12):
        assign(cast, course, cast.unit_b, deadline_kind="fixed", due_date=date(2027, 1, 1))
    assert Enrollment.objects.filter(course=course).count() == 31
