import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import Workbook

from courses import services
from courses.models import Enrollment

pytestmark = pytest.mark.django_db


def xlsx(rows: list[list]) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "ds.xlsx"
    return data


def test_bulk_enrolment_from_xlsx_with_due_dates(cast, make_course):
    course = make_course()
    upload = xlsx([["Tên đăng nhập", "Hạn hoàn thành"], ["learner", "31/12/2026"], ["other", ""]])
    result = services.bulk_enrol(actor=cast.trainer_a, course=course, upload=upload)
    assert result.ok
    rows = dict(Enrollment.objects.values_list("user__username", "due_date"))
    assert rows == {"learner": date(2026, 12, 31), "other": None}
    assert set(Enrollment.objects.values_list("source", flat=True)) == {"bulk"}


def test_bulk_enrolment_is_all_or_nothing_and_scoped(cast, make_course):
    course = make_course()
    upload = xlsx([["Tên đăng nhập"], ["learner"], ["learner_b"], ["khong-co"]])
    result = services.bulk_enrol(actor=cast.trainer_a, course=course, upload=upload)
    assert not result.ok
    assert [p.line for p in result.problems] == [3, 4]
    assert not Enrollment.objects.exists()


def test_bulk_enrolment_reports_bad_dates_and_bad_files(cast, make_course):
    course = make_course()
    bad_date = xlsx([["Tên đăng nhập", "Hạn hoàn thành"], ["learner", "hôm qua"]])
    assert (
        "Ngày không hợp lệ"
        in services.bulk_enrol(actor=cast.trainer_a, course=course, upload=bad_date)
        .problems[0]
        .message
    )
    junk = io.BytesIO(b"\x00\x01\x02 binary")
    assert not services.bulk_enrol(actor=cast.trainer_a, course=course, upload=junk).ok


def test_bulk_enrolment_page_for_admins(cast, make_course, login):
    course = make_course()
    upload = xlsx([["Tên đăng nhập"], ["learner_b"]])
    response = login(cast.admin).post(
        reverse("frontend:course-enrolments", args=[course.pk]),
        {"action": "bulk", "file": upload},
    )
    assert response.status_code == 302
    assert Enrollment.objects.filter(user=cast.learner_b).exists()


def test_assignment_page_for_admins_and_refused_to_trainers(cast, make_course, login):
    course = make_course()
    payload = {
        "action": "assign",
        "unit": cast.unit_b.pk,
        "deadline_kind": "relative",
        "due_days": 60,
    }
    url = reverse("frontend:course-enrolments", args=[course.pk])
    assert login(cast.trainer_b).post(url, payload).status_code == 403
    response = login(cast.admin).post(url, payload)
    assert response.status_code == 302
    assert list(Enrollment.objects.values_list("user__username", flat=True)) == ["learner_b"]
