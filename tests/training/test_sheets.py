"""The attendance sheet (Danh sách học viên tham dự): XLSX and PDF in the
official layout, through the pages trainers click."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import User

from .surveyworld import attend, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(cast, make_course):  # type: ignore[no-untyped-def]
    course = make_course(modules=1, lessons=1, title="Khóa bồi dưỡng cấp ủy viên")
    session = make_session(
        course,
        invited=[cast.unit_a, cast.unit_b],
        title="Sinh hoạt chi bộ",
        venue="Hội trường tầng 3",
    )
    User.objects.filter(pk=cast.learner.pk).update(position="Bí thư chi bộ")
    attend(session, [cast.learner])
    attend(session, [cast.learner_b], status="late")
    attend(session, [cast.other_learner], status="absent")
    return session


def _rows(ws):  # type: ignore[no-untyped-def]
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_the_xlsx_sheet_has_the_official_layout(cast, login, session):
    response = login(cast.trainer_a).get(f"/sessions/{session.pk}/attendance-sheet.xlsx")
    assert response.status_code == 200
    assert "danh-sach-tham-du-sinh-hoat-chi-bo" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = _rows(ws)
    flat = [v for row in rows for v in row if v is not None]
    assert "DANH SÁCH HỌC VIÊN THAM DỰ" in flat
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in flat
    assert "Sinh hoạt chi bộ" in flat and "Khóa bồi dưỡng cấp ủy viên" in flat
    assert "Hội trường tầng 3" in flat
    # The day is a real date cell, shown dd/mm/yyyy.
    day_cell = next(c for row in ws.iter_rows() for c in row if getattr(c, "is_date", False))
    assert day_cell.value.date() == timezone.localdate(session.starts_at)
    assert day_cell.number_format == "dd/mm/yyyy"
    header = rows.index(["STT", "Họ và tên", "Chức vụ", "Đơn vị", "Ký tên"])
    body = rows[header + 1 : header + 4]
    # Ordered by unit (A1 before B1), then name; the signature column is blank.
    assert [r[1] for r in body] == ["Đặng Quốc Việt", "Nguyễn Thị Hồng Nhung", "Bùi Thị Ế"]
    assert body[1][2] == "Bí thư chi bộ"
    assert [r[3] for r in body] == ["Chi bộ A1", "Chi bộ A1", "Chi bộ B1"]
    assert [r[0] for r in body] == [1, 2, 3]
    assert all(r[4] is None for r in body)
    assert rows[header + 4][0] == "Tổng số: 3 học viên; có mặt: 2; vắng: 1"


def test_a_name_that_looks_like_a_formula_stays_text(cast, login, session):
    User.objects.filter(pk=cast.learner.pk).update(full_name='=HYPERLINK("x")')
    content = login(cast.trainer_a).get(f"/sessions/{session.pk}/attendance-sheet.xlsx").content
    ws = load_workbook(io.BytesIO(content)).active
    cell = next(c for row in ws.iter_rows() for c in row if c.value == '=HYPERLINK("x")')
    assert cell.data_type == "s"


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_the_pdf_sheet_reads_back_the_same_list(cast, login, session, tmp_path):
    response = login(cast.trainer_a).get(f"/sessions/{session.pk}/attendance-sheet.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "sheet.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-layout", str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    for expected in (
        "DANH SÁCH HỌC VIÊN THAM DỰ",
        "Sinh hoạt chi bộ",
        "Hội trường tầng 3",
        timezone.localdate(session.starts_at).strftime("%d/%m/%Y"),
        "Họ và tên",
        "Chức vụ",
        "Ký tên",
        "Nguyễn Thị Hồng Nhung",
        "Bí thư chi bộ",
        "Bùi Thị Ế",
        "Tổng số: 3 học viên; có mặt: 2; vắng: 1",
    ):
        assert expected in text, expected


def test_the_sheet_is_for_trainers_of_the_sessions_scope_only(cast, login, session, client):
    for user in (cast.learner, cast.other_learner):
        assert login(user).get(f"/sessions/{session.pk}/attendance-sheet.xlsx").status_code == 404
    client.logout()
    assert login(cast.admin).get(f"/sessions/{session.pk}/attendance-sheet.pdf").status_code == 200
