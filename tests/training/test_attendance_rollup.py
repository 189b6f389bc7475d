"""Attendance roll-up by unit (invited / registered / present / excused /
absent), its drill-down and its sheet in the unit roll-up export."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from courses.reports.builders import rollup_table
from courses.reports.tables import write_xlsx
from training.models import Registration
from training.rollup import attendance_rollup

from .surveyworld import attend, make_learners, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast, make_course):  # type: ignore[no-untyped-def]
    course = make_course(modules=1, lessons=1)
    extra_a = make_learners(cast, cast.cell_a1, 2, prefix="a")
    past = make_session(course, invited=[cast.bloc], title="Buổi đã qua")
    # A1: learner present, other late, a000 excused, a001 absent on record.
    attend(past, [cast.learner])
    attend(past, [cast.other_learner], status="late")
    attend(past, [extra_a[0]], status="excused")
    attend(past, [extra_a[1]], status="absent")
    # B1: learner_b registered but never checked in (absent once the session ended).
    Registration.objects.create(session=past, user=cast.learner_b, status="registered")
    upcoming = make_session(course, invited=[cast.unit_a], days=5, title="Buổi sắp tới")
    Registration.objects.create(session=upcoming, user=cast.learner, status="registered")
    Registration.objects.create(session=upcoming, user=cast.other_learner, status="declined")
    cancelled = make_session(course, invited=[cast.bloc], title="Buổi bị hủy", status="cancelled")
    Registration.objects.create(session=cancelled, user=cast.learner_b, status="registered")
    return course


def _numbers(stats):  # type: ignore[no-untyped-def]
    return (stats.invited, stats.registered, stats.present, stats.excused, stats.absent)


def test_counts_per_unit_add_up_the_tree(cast, world):
    rollup = attendance_rollup(cast.admin, cast.bloc, world)
    assert [s.title for s in rollup.sessions] == ["Buổi đã qua", "Buổi sắp tới"]
    by_code = {s.unit.code: s for s in rollup.tree}
    # A1: 4 learners invited to both sessions (8); registered 4 + 1 past/upcoming.
    assert _numbers(by_code["A1"]) == (8, 5, 2, 1, 1)
    # B1: invited to the past one only; registered, no record → absent.
    assert _numbers(by_code["B1"]) == (1, 1, 0, 0, 1)
    assert _numbers(rollup.total) == (9, 6, 2, 1, 2)
    assert [s.unit.code for s in rollup.children] == ["A", "B"]


def test_a_trainer_counts_only_their_units(cast, world):
    rollup = attendance_rollup(cast.trainer_b, cast.bloc, world)
    assert _numbers(rollup.total) == (1, 1, 0, 0, 1)


def test_the_roll_up_costs_the_same_queries_for_more_learners(
    cast, world, django_assert_max_num_queries
):
    make_learners(cast, cast.cell_b1, 30, prefix="b")
    with django_assert_max_num_queries(8):
        rollup = attendance_rollup(cast.admin, cast.bloc, world)
    assert rollup.total.invited == 39


def test_the_unit_report_shows_the_roll_up_and_drills_down(cast, login, world):
    page = login(cast.admin).get(f"/reports/units/{cast.bloc.pk}/?course={world.pk}")
    html = page.content.decode()
    assert 'id="attendance-rollup"' in html
    assert f"/reports/units/{cast.unit_a.pk}/attendance/?course={world.pk}" in html
    detail = login(cast.admin).get(f"/reports/units/{cast.unit_a.pk}/attendance/?course={world.pk}")
    text = detail.content.decode()
    assert detail.status_code == 200
    assert "Nguyễn Thị Hồng Nhung" in text and "Bùi Thị Ế" not in text
    assert "Có mặt" in text and "Đến muộn" in text and "Vắng có lý do" in text
    assert (
        login(cast.trainer_b)
        .get(f"/reports/units/{cast.unit_a.pk}/attendance/?course={world.pk}")
        .status_code
        == 404
    )


def test_the_roll_up_export_has_an_attendance_sheet(cast, world):
    table = rollup_table(cast.admin, {"course": world.pk, "unit": cast.bloc.pk}, None)
    out = io.BytesIO()
    write_xlsx(table, out)
    book = load_workbook(io.BytesIO(out.getvalue()))
    assert book.sheetnames == ["Tổng hợp", "Tham dự tập huấn"]
    rows = [[c.value for c in row] for row in book["Tham dự tập huấn"].iter_rows()]
    header = rows.index(["STT", "Đơn vị", "Được mời", "Đăng ký", "Có mặt", "Vắng có lý do", "Vắng"])
    body = rows[header + 1 :]
    assert body[0] == [1, "Đảng bộ Khối", 9, 6, 2, 1, 2]
    assert [r[1] for r in body] == [
        "Đảng bộ Khối",
        "Đảng bộ A",
        "Chi bộ A1",
        "Đảng bộ B",
        "Chi bộ B1",
    ]
    assert body[2][2:] == [8, 5, 2, 1, 1]
