import pytest
from django.urls import reverse

from courses import services
from courses.models import Enrollment, LessonProgress

from .conftest import lessons_of

pytestmark = pytest.mark.django_db


def test_learner_dashboard_shows_my_courses_with_due_date_and_overdue(cast, make_course, login):
    from datetime import timedelta

    from django.utils import timezone

    course = make_course(title="Sinh hoạt chi bộ")
    services.enrol_user(
        actor=cast.trainer_a,
        user=cast.learner,
        course=course,
        due_date=timezone.localdate() - timedelta(days=2),
    )
    page = login(cast.learner).get(reverse("frontend:dashboard")).content.decode()
    assert "Khóa học của tôi" in page
    assert "Sinh hoạt chi bộ" in page
    assert "badge bad" in page  # overdue highlighted


@pytest.mark.parametrize("size", [1, 6])
def test_dashboard_runs_constant_queries(
    cast, make_course, login, size, django_assert_max_num_queries
):
    for _ in range(size):
        course = make_course(modules=size, lessons=size, quiz=True)
        services.enrol_user(actor=cast.trainer_a, user=cast.learner, course=course)
        services.mark_lesson_done(user=cast.learner, lesson=lessons_of(course)[0])
    client = login(cast.learner)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("frontend:dashboard")).status_code == 200


@pytest.mark.parametrize("size", [1, 8])
def test_course_page_runs_constant_queries(
    cast, make_course, login, size, django_assert_max_num_queries
):
    course = make_course(modules=size, lessons=size, quiz=True, sequential=True)
    services.enrol_user(actor=cast.trainer_a, user=cast.learner, course=course)
    services.mark_lesson_done(user=cast.learner, lesson=lessons_of(course)[0])
    client = login(cast.learner)
    # + the training sessions section and the attendance rules (courses.requirements).
    with django_assert_max_num_queries(12):
        response = client.get(course.get_absolute_url())
    assert response.status_code == 200
    assert "Chưa mở" in response.content.decode() or size == 1


def test_course_page_shows_module_states_and_next_step(cast, make_course, login):
    course = make_course(modules=2, lessons=1, sequential=True)
    services.enrol_user(actor=cast.trainer_a, user=cast.learner, course=course)
    first, second = lessons_of(course)
    page = login(cast.learner).get(course.get_absolute_url()).content.decode()
    assert "Chưa mở" in page
    assert first.get_absolute_url() in page
    assert second.get_absolute_url() not in page  # locked module: no link


def test_lesson_page_marks_done_with_htmx_fragment(cast, make_course, login):
    course = make_course(modules=1, lessons=2)
    services.enrol_user(actor=cast.trainer_a, user=cast.learner, course=course)
    first, second = lessons_of(course)
    client = login(cast.learner)
    page = client.get(first.get_absolute_url())
    assert page.status_code == 200
    response = client.post(reverse("frontend:lesson-done", args=[first.pk]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and 'id="lesson-status"' in body
    assert second.get_absolute_url() in body  # the next step
    assert LessonProgress.objects.filter(lesson=first).exists()


def test_lesson_done_without_htmx_redirects_to_next_step(cast, make_course, login):
    course = make_course(modules=1, lessons=2)
    services.enrol_user(actor=cast.trainer_a, user=cast.learner, course=course)
    first, second = lessons_of(course)
    response = login(cast.learner).post(reverse("frontend:lesson-done", args=[first.pk]))
    assert response.status_code == 302 and response.url == second.get_absolute_url()


def test_learner_cannot_open_lessons_of_courses_not_enrolled(cast, make_course, login):
    course = make_course(modules=1, lessons=1)
    lesson = lessons_of(course)[0]
    assert login(cast.learner).get(lesson.get_absolute_url()).status_code == 404


def test_learner_cannot_open_locked_module_lessons(cast, make_course, login):
    course = make_course(modules=2, lessons=1, sequential=True)
    services.enrol_user(actor=cast.trainer_a, user=cast.learner, course=course)
    locked = lessons_of(course)[1]
    client = login(cast.learner)
    response = client.get(locked.get_absolute_url())
    assert response.status_code == 302 and response.url == course.get_absolute_url()
    response = client.post(reverse("frontend:lesson-done", args=[locked.pk]))
    assert not LessonProgress.objects.exists()


def test_learner_self_enrols_in_open_course_from_catalogue(cast, make_course, login):
    course = make_course(self_enrol=True, title="Khóa mở")
    client = login(cast.learner)
    assert "Khóa mở" in client.get(reverse("frontend:course-list")).content.decode()
    client.post(reverse("frontend:course-enrol", args=[course.pk]))
    assert Enrollment.objects.filter(user=cast.learner, course=course, source="self").exists()


def test_draft_course_is_hidden_from_learners(cast, make_course, login):
    course = make_course(publish=False, self_enrol=True)
    assert login(cast.learner).get(course.get_absolute_url()).status_code == 404


def test_trainer_previews_course_as_a_learner(cast, make_course, login):
    course = make_course(modules=1, lessons=1, publish=False)
    client = login(cast.trainer_a)
    page = client.get(course.get_absolute_url() + "?preview=1").content.decode()
    assert "Xem trước như học viên" in page
    lesson_page = client.get(lessons_of(course)[0].get_absolute_url())
    assert lesson_page.status_code == 200
    assert "không ghi nhận tiến độ" in lesson_page.content.decode()


@pytest.mark.parametrize(
    ("url", "embed"),
    [
        (
            "https://www.youtube.com/watch?v=abcDEF12345",
            "https://www.youtube-nocookie.com/embed/abcDEF12345",
        ),
        ("https://youtu.be/abcDEF12345", "https://www.youtube-nocookie.com/embed/abcDEF12345"),
        ("https://vimeo.com/123456", "https://player.vimeo.com/video/123456"),
        ("https://example.org/video.mp4", ""),
        ("javascript:alert(1)", ""),
    ],
)
def test_video_links_become_privacy_friendly_players(url, embed):
    from courses.models import Lesson

    assert Lesson(video_url=url).video_embed_url == embed


def test_archived_course_stays_readable_to_enrolled_learners_only(cast, make_course, login):
    from courses import authoring

    course = make_course(modules=1, lessons=1)
    services.enrol_user(actor=cast.trainer_a, user=cast.learner, course=course)
    authoring.set_status(actor=cast.trainer_a, course=course, status="archived")
    lesson = lessons_of(course)[0]
    client = login(cast.learner)
    assert client.get(course.get_absolute_url()).status_code == 200
    page = client.get(lesson.get_absolute_url()).content.decode()
    assert "đã lưu trữ" in page
    client.post(reverse("frontend:lesson-done", args=[lesson.pk]))
    assert not LessonProgress.objects.exists()
    assert login(cast.other_learner).get(course.get_absolute_url()).status_code == 404
