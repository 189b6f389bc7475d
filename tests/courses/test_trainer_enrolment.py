"""Trainers enrol learners of their units into the courses they author: one by one
from a search or a whole unit at once, never outside their units nor into another
unit's course; elsewhere the pages say who can."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import User
from accounts.services import create_user
from courses import services
from courses.models import Enrollment

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def course_b(cast):  # type: ignore[no-untyped-def]
    """A published course of unit B (trainer A does not author it)."""
    from courses import authoring

    course = authoring.create_course(
        actor=cast.trainer_b, code="B01", title="Khóa học của đơn vị B", owner_unit=cast.unit_b
    )
    authoring.add_module(actor=cast.trainer_b, course=course, title="Học phần 1")
    return authoring.set_status(actor=cast.trainer_b, course=course, status="published")


def enrolled(course) -> set[str]:  # type: ignore[no-untyped-def]
    return set(
        Enrollment.objects.filter(course=course, status="active").values_list(
            "user__username", flat=True
        )
    )


# ------------------------------------------------------------------ service


def test_trainer_enrols_a_learner_of_their_units_into_their_course(cast, make_course):
    course = make_course()
    enrollment = services.enrol_user(actor=cast.trainer_a, user=cast.learner, course=course)
    assert enrollment.source == "manual" and enrollment.is_active


def test_trainer_cannot_enrol_outside_their_units_nor_into_another_units_course(
    cast, make_course, course_b
):
    course = make_course()
    with pytest.raises(PermissionDenied):
        services.enrol_user(actor=cast.trainer_a, user=cast.learner_b, course=course)
    with pytest.raises(PermissionDenied):
        services.enrol_user(actor=cast.trainer_a, user=cast.learner, course=course_b)
    with pytest.raises(PermissionDenied):
        services.enrol_unit(actor=cast.trainer_a, course=course, unit=cast.unit_b)
    with pytest.raises(PermissionDenied):
        services.enrol_unit(actor=cast.trainer_a, course=course_b, unit=cast.unit_a)
    assert not Enrollment.objects.exists()
    # An organisation admin enrols anyone of their scope into any course they see.
    services.enrol_user(actor=cast.admin, user=cast.learner, course=course_b)


def test_enrolling_a_unit_takes_everyone_now_under_it_once(
    cast, make_course, django_assert_max_num_queries
):
    course = make_course()
    for n in range(12):
        create_user(actor=cast.superuser, username=f"hv{n}", full_name=f"Hv {n}", unit=cast.cell_a1)
    create_user(
        actor=cast.superuser, username="gv", full_name="Gv", unit=cast.cell_a1, role="trainer"
    )
    stopped = services.enrol_user(actor=cast.trainer_a, user=cast.learner, course=course)
    services.unenrol(actor=cast.trainer_a, enrollment=stopped)
    services.enrol_user(actor=cast.trainer_a, user=cast.other_learner, course=course)
    with django_assert_max_num_queries(8):
        done = services.enrol_unit(actor=cast.trainer_a, course=course, unit=cast.unit_a)
    assert (done.enrolled, done.resumed, done.already) == (12, 1, 1)
    assert len(enrolled(course)) == 14 and "gv" not in enrolled(course)
    assert not Enrollment.objects.filter(course=course, assignment__isnull=False).exists()
    # Someone placed in the unit afterwards is not enrolled: nothing was assigned.
    create_user(actor=cast.superuser, username="later", full_name="Sau", unit=cast.cell_a1)
    assert "later" not in enrolled(course)
    again = services.enrol_unit(actor=cast.trainer_a, course=course, unit=cast.cell_a1)
    assert (again.enrolled, again.already) == (1, 14)


# ------------------------------------------------------------------ pages


def test_the_page_finds_learners_of_the_trainers_units_without_accents(cast, login, make_course):
    course = make_course()
    url = reverse("frontend:course-enrolments", args=[course.pk])
    client = login(cast.trainer_a)
    html = client.get(url, {"q": "viet", "part": "people"}, **HTMX).content.decode()
    assert "<html" not in html and 'id="people"' in html
    assert cast.other_learner.full_name in html and cast.learner.full_name not in html
    # "Thị": the learner of A1, the learner of unit B and trainer A herself
    thi = client.get(url, {"q": "Thị", "part": "people"}, **HTMX).content.decode()
    assert cast.learner.full_name in thi
    assert cast.learner_b.full_name not in thi  # unit B is not trainer A's
    assert cast.trainer_a.full_name not in thi  # learners only
    assert "Không tìm thấy" in client.get(url, {"q": "bui"}).content.decode()
    nothing_yet = client.get(url, {"q": "", "part": "people"}, **HTMX).content.decode()
    assert "<tr" not in nothing_yet


def test_enrolling_from_the_search_answers_with_both_lists(cast, login, make_course):
    course = make_course()
    url = reverse("frontend:course-enrolments", args=[course.pk])
    response = login(cast.trainer_a).post(
        url, {"action": "enrol", "user": cast.learner.pk, "q": "nhung"}, **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert f"Đã ghi danh {cast.learner.full_name}." in html
    assert 'id="enrolled"' in html and 'hx-swap-oob="true"' in html
    assert enrolled(course) == {"learner"}


def test_the_page_refuses_learners_outside_the_units_and_other_units_courses(
    cast, login, make_course, course_b
):
    course = make_course()
    client = login(cast.trainer_a)
    outside = client.post(
        reverse("frontend:course-enrolments", args=[course.pk]),
        {"action": "enrol", "user": cast.learner_b.pk},
    )
    assert outside.status_code == 404
    foreign = reverse("frontend:course-enrolments", args=[course_b.pk])
    assert client.post(foreign, {"action": "enrol", "user": cast.learner.pk}).status_code == 403
    assert client.post(foreign, {"action": "unit", "unit": cast.unit_a.pk}).status_code == 403
    unit_b = client.post(
        reverse("frontend:course-enrolments", args=[course.pk]),
        {"action": "unit", "unit": cast.unit_b.pk},
    )
    assert unit_b.status_code == 200 and "Hãy chọn một lựa chọn hợp lệ" in unit_b.content.decode()
    assert not Enrollment.objects.exists()


def test_a_whole_unit_from_the_page(cast, login, make_course):
    course = make_course()
    response = login(cast.trainer_a).post(
        reverse("frontend:course-enrolments", args=[course.pk]),
        {"action": "unit", "unit": cast.cell_a1.pk},
        follow=True,
    )
    assert "Đã ghi danh 2 học viên của Chi bộ A1; 0 người đã ghi danh từ trước." in (
        response.content.decode()
    )
    assert enrolled(course) == {"learner", "other"}


def test_a_trainer_who_cannot_enrol_is_told_who_can(cast, login, course_b):
    html = (
        login(cast.trainer_a)
        .get(reverse("frontend:course-enrolments", args=[course_b.pk]))
        .content.decode()
    )
    assert "Ai ghi danh được vào khóa học này" in html
    assert "Đảng bộ B" in html and cast.admin.full_name in html
    assert f"mailto:{cast.admin.email}" in html
    assert 'name="action" value="enrol"' not in html


def test_pages_where_a_trainer_looks_lead_to_enrolment(cast, login, make_course):
    course = make_course()
    draft = make_course(publish=False)
    client = login(cast.trainer_a)
    url = reverse("frontend:course-enrolments", args=[course.pk])
    for page in (
        reverse("frontend:authoring-list"),
        reverse("frontend:authoring-course", args=[course.pk]),
        reverse("frontend:course-detail", args=[course.pk]),
        reverse("frontend:report-gradebook", args=[course.pk]),
    ):
        assert url in client.get(page).content.decode(), page
    unit_page = client.get(reverse("frontend:unit-detail", args=[cast.cell_a1.pk]))
    assert f"{url}?unit={cast.cell_a1.pk}" in unit_page.content.decode()
    builder = client.get(reverse("frontend:authoring-course", args=[draft.pk])).content.decode()
    assert "Xuất bản khóa học để ghi danh học viên." in builder
    preselected = client.get(url, {"unit": cast.cell_a1.pk}).content.decode()
    assert f'<option value="{cast.cell_a1.pk}" selected>' in preselected


# ------------------------------------------------------------------ API


def test_trainer_enrols_through_the_api_within_scope(cast, api, make_course, course_b):
    course = make_course()
    client = api(cast.trainer_a)
    one = client.post(
        "/api/enrollments/", {"course": course.pk, "user": cast.learner.pk}, format="json"
    )
    assert one.status_code == 201, one.content
    outside = client.post(
        "/api/enrollments/", {"course": course.pk, "user": cast.learner_b.pk}, format="json"
    )
    foreign = client.post(
        "/api/enrollments/", {"course": course_b.pk, "user": cast.other_learner.pk}, format="json"
    )
    assert (outside.status_code, foreign.status_code) == (403, 403)
    unit = client.post(
        f"/api/courses/{course.pk}/enroll-unit/", {"unit": cast.unit_a.pk}, format="json"
    )
    assert unit.status_code == 200 and unit.json() == {"enrolled": 1, "resumed": 0, "already": 1}
    refused = [
        client.post(f"/api/courses/{course.pk}/enroll-unit/", {"unit": cast.unit_b.pk}),
        client.post(f"/api/courses/{course_b.pk}/enroll-unit/", {"unit": cast.unit_a.pk}),
        api(cast.learner).post(f"/api/courses/{course.pk}/enroll-unit/", {"unit": cast.unit_a.pk}),
    ]
    assert [r.status_code for r in refused] == [403, 403, 403]
    assert enrolled(course) == {"learner", "other"} and not enrolled(course_b)
    assert not User.objects.get(username="learner_b").enrollments.exists()


def test_the_search_costs_the_same_queries_however_many_learners(
    cast, login, make_course, django_assert_max_num_queries
):
    course = make_course()
    for n in range(30):
        create_user(
            actor=cast.superuser, username=f"hv{n}", full_name=f"Học viên {n}", unit=cast.cell_a1
        )
    client = login(cast.trainer_a)
    url = reverse("frontend:course-enrolments", args=[course.pk])
    client.get(url, {"q": "hoc vien", "part": "people"}, **HTMX)
    with django_assert_max_num_queries(8):
        html = client.get(url, {"q": "hoc vien", "part": "people"}, **HTMX).content.decode()
    assert html.count("<tr>") == 20 + 1 and "Còn nhiều kết quả khác" in html
