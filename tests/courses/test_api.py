import pytest

from courses import services
from courses.models import Assignment, Course, Enrollment, LessonProgress

from .conftest import lessons_of, modules_of

pytestmark = pytest.mark.django_db


def test_trainer_creates_course_in_scope_and_not_outside(cast, api):
    client = api(cast.trainer_a)
    ok = client.post(
        "/api/courses/",
        {"code": "xd01", "title": "Xây dựng Đảng", "owner_unit": cast.unit_a.pk, "tags": ["a"]},
        format="json",
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["code"] == "XD01" and ok.json()["issuing_unit"] == cast.unit_a.pk
    outside = client.post(
        "/api/courses/", {"code": "xd02", "title": "X", "owner_unit": cast.unit_b.pk}, format="json"
    )
    assert outside.status_code == 403
    duplicate = client.post(
        "/api/courses/", {"code": "XD01", "title": "X", "owner_unit": cast.unit_a.pk}, format="json"
    )
    assert duplicate.status_code == 400 and "code" in duplicate.json()


def test_learner_cannot_write_courses(cast, api):
    response = api(cast.learner).post(
        "/api/courses/", {"code": "A", "title": "A", "owner_unit": cast.unit_a.pk}, format="json"
    )
    assert response.status_code == 403


def test_learner_lists_only_published_courses_they_may_see(cast, api, make_course):
    draft = make_course(publish=False)
    closed = make_course()
    opened = make_course(self_enrol=True)
    mine = make_course()
    services.enrol_user(actor=cast.trainer_a, user=cast.learner, course=mine)
    ids = {c["id"] for c in api(cast.learner).get("/api/courses/").json()["results"]}
    assert ids == {opened.pk, mine.pk}
    assert draft.pk not in ids and closed.pk not in ids


def test_other_units_trainer_cannot_edit_or_see_drafts(cast, api, make_course):
    draft = make_course(publish=False)
    published = make_course()
    client = api(cast.trainer_b)
    assert client.get(f"/api/courses/{draft.pk}/").status_code == 404
    assert client.get(f"/api/courses/{published.pk}/").status_code == 200
    response = client.patch(f"/api/courses/{published.pk}/", {"title": "Sửa"}, format="json")
    assert response.status_code == 403
    module = modules_of(published)[0]
    assert (
        client.patch(f"/api/modules/{module.pk}/", {"title": "x"}, format="json").status_code == 403
    )
    assert client.delete(f"/api/lessons/{lessons_of(published)[0].pk}/").status_code == 403


def test_publish_via_api_needs_modules(cast, api):
    client = api(cast.trainer_a)
    course = client.post(
        "/api/courses/", {"code": "P1", "title": "P", "owner_unit": cast.unit_a.pk}, format="json"
    ).json()
    refused = client.patch(f"/api/courses/{course['id']}/", {"status": "published"}, format="json")
    assert refused.status_code == 400
    module = client.post(f"/api/courses/{course['id']}/modules/", {"title": "HP1"}, format="json")
    assert module.status_code == 201
    lesson = client.post(
        f"/api/modules/{module.json()['id']}/lessons/",
        {"title": "Bài 1", "body": "<script>alert(1)</script>**Đậm**"},
        format="json",
    )
    assert lesson.status_code == 201
    assert "<script" not in lesson.json()["body_html"]
    assert "<strong>Đậm</strong>" in lesson.json()["body_html"]
    done = client.patch(f"/api/courses/{course['id']}/", {"status": "published"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "published"
    listed = client.get(f"/api/courses/{course['id']}/modules/").json()
    assert listed[0]["lessons"][0]["title"] == "Bài 1"


def test_learner_enrols_completes_lesson_and_reads_progress(cast, api, make_course):
    course = make_course(modules=1, lessons=2, self_enrol=True)
    client = api(cast.learner)
    lesson = lessons_of(course)[0]
    assert client.get(f"/api/lessons/{lesson.pk}/").status_code == 404  # not enrolled
    assert client.post(f"/api/courses/{course.pk}/enroll/").status_code == 200
    assert client.get(f"/api/lessons/{lesson.pk}/").status_code == 200
    response = client.post(f"/api/lessons/{lesson.pk}/complete/")
    assert response.status_code == 200
    progress = client.get(f"/api/courses/{course.pk}/progress/").json()
    assert progress["percent"] == 50
    assert progress["modules"][0]["lessons_done"] == 1
    assert progress["next_step"]["kind"] == "lesson"


def test_enrol_in_closed_course_is_refused(cast, api, make_course):
    course = make_course()
    assert api(cast.learner).post(f"/api/courses/{course.pk}/enroll/").status_code == 404
    assert api(cast.trainer_b).post(f"/api/courses/{course.pk}/enroll/").status_code == 403
    assert not Enrollment.objects.exists()


def test_progress_of_course_not_enrolled_is_404(cast, api, make_course):
    course = make_course(self_enrol=True)
    assert api(cast.learner).get(f"/api/courses/{course.pk}/progress/").status_code == 404


def test_locked_lesson_cannot_be_opened_or_completed_by_api(cast, api, make_course):
    course = make_course(modules=2, lessons=1, sequential=True)
    services.enrol_user(actor=cast.trainer_a, user=cast.learner, course=course)
    locked = lessons_of(course)[1]
    client = api(cast.learner)
    assert client.get(f"/api/lessons/{locked.pk}/").status_code == 403
    assert client.post(f"/api/lessons/{locked.pk}/complete/").status_code == 403
    assert not LessonProgress.objects.exists()


def test_admin_assigns_course_to_unit_through_api(cast, api, make_course):
    course = make_course()
    response = api(cast.admin).post(
        "/api/enrollments/",
        {"course": course.pk, "unit": cast.unit_a.pk, "deadline_kind": "relative", "due_days": 30},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert {row["user"] for row in response.json()} == {cast.learner.pk, cast.other_learner.pk}
    assert Assignment.objects.get().due_days == 30


def test_trainer_cannot_assign_and_bad_input_is_400(cast, api, make_course):
    course = make_course()
    payload = {"course": course.pk, "unit": cast.unit_a.pk}
    assert api(cast.trainer_a).post("/api/enrollments/", payload, format="json").status_code == 403
    both = api(cast.admin).post(
        "/api/enrollments/", {**payload, "user": cast.learner.pk}, format="json"
    )
    assert both.status_code == 400
    no_days = api(cast.admin).post(
        "/api/enrollments/", {**payload, "deadline_kind": "relative"}, format="json"
    )
    assert no_days.status_code == 400


def test_enrollment_list_is_scoped(cast, api, make_course):
    course = make_course()
    services.assign_course(actor=cast.admin, course=course, unit=cast.bloc)

    def users(who):  # type: ignore[no-untyped-def]
        return {r["user"] for r in api(who).get("/api/enrollments/").json()["results"]}

    assert users(cast.trainer_a) == {cast.learner.pk, cast.other_learner.pk}
    assert users(cast.trainer_b) == {cast.learner_b.pk}
    assert users(cast.learner) == {cast.learner.pk}
    other = Enrollment.objects.get(user=cast.learner_b)
    assert api(cast.trainer_a).get(f"/api/enrollments/{other.pk}/").status_code == 404
    assert api(cast.trainer_a).delete(f"/api/enrollments/{other.pk}/").status_code == 404


def test_unenrol_through_api_keeps_history(cast, api, make_course):
    course = make_course(modules=1, lessons=2)
    enrollment = services.enrol_user(actor=cast.trainer_a, user=cast.learner, course=course)
    services.mark_lesson_done(user=cast.learner, lesson=lessons_of(course)[0])
    assert api(cast.trainer_a).delete(f"/api/enrollments/{enrollment.pk}/").status_code == 204
    enrollment.refresh_from_db()
    assert enrollment.status == "unenrolled"
    assert LessonProgress.objects.filter(enrollment=enrollment).exists()


def test_edit_of_deleted_module_is_a_clear_404_not_500(cast, api, make_course):
    course = make_course(modules=2, publish=False)
    module = modules_of(course)[0]
    client = api(cast.trainer_a)
    assert client.delete(f"/api/modules/{module.pk}/").status_code == 204
    assert (
        client.patch(f"/api/modules/{module.pk}/", {"title": "x"}, format="json").status_code == 404
    )


def test_module_move_reorders(cast, api, make_course):
    course = make_course(modules=3, publish=False)
    first, second, third = modules_of(course)
    response = api(cast.trainer_a).post(
        f"/api/modules/{third.pk}/move/", {"direction": "up"}, format="json"
    )
    assert response.status_code == 200
    assert [m.pk for m in modules_of(course)] == [first.pk, third.pk, second.pk]


def test_course_with_enrolments_cannot_be_deleted(cast, api, make_course):
    course = make_course()
    services.enrol_user(actor=cast.trainer_a, user=cast.learner, course=course)
    assert api(cast.trainer_a).delete(f"/api/courses/{course.pk}/").status_code == 400
    assert Course.objects.filter(pk=course.pk).exists()


def test_anonymous_gets_401_or_403(api, cast, make_course):
    course = make_course()
    assert api(None).get("/api/courses/").status_code in (401, 403)
    assert api(None).get(f"/api/courses/{course.pk}/progress/").status_code in (401, 403)
