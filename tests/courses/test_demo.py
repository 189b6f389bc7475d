from datetime import timedelta

import pytest

from accounts import demo as accounts_demo
from courses import demo
from courses.models import Course, Enrollment, Lesson

pytestmark = pytest.mark.django_db


def test_demo_course_is_sample_labelled_assigned_and_idempotent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        accounts_demo.load()
    demo.load()
    demo.load()
    course = Course.objects.get(code=demo.CODE)
    assert course.is_published and "Nội dung mẫu" in course.description
    assert course.modules.count() == 5
    assert all("Nội dung mẫu" in body for body in Lesson.objects.values_list("body", flat=True))
    enrollments = Enrollment.objects.filter(course=course).select_related("user")
    assert enrollments.count() == 12
    for e in enrollments:
        assert e.due_date == e.user.appointment_date + timedelta(days=90)
    assert Course.objects.count() == 1


def test_demo_does_nothing_without_the_accounts_demo(db):
    assert demo.load() == []
    assert not Course.objects.exists()
