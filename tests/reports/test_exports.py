"""Exports: scoped content, official layout, CSV with BOM, progress, requester-only, purge."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from courses.reports.exports import purge_expired, start_export
from courses.reports.models import Export

from .conftest import answers, enrol, take

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def course(cast, setup, learners):  # type: ignore[no-untyped-def]
    s = setup(questions=2)
    a = learners(2, cast.cell_a1, "a")
    b = learners(2, cast.cell_b1, "b")
    enrol(cast, s.course, a + b)
    take(a[0], s.quiz, answers("11"))
    take(b[0], s.quiz, answers("10"))
    return s, a, b


def _export(actor, django_capture_on_commit_callbacks, **kw):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        export = start_export(actor=actor, **kw)
    export.refresh_from_db()
    return export


def _sheet_text(export):  # type: ignore[no-untyped-def]
    with export.file.open("rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()))
    return "\n".join(
        " | ".join("" if v is None else str(v) for v in row)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
    ), book


def test_gradebook_xlsx_holds_only_the_requesters_learners_with_an_official_header(
    cast, course, django_capture_on_commit_callbacks
):
    s, a, b = course
    export = _export(
        cast.trainer_a,
        django_capture_on_commit_callbacks,
        kind="gradebook",
        params={"course": s.course.pk},
    )
    assert export.status == Export.Status.DONE and export.percent == 100
    text, book = _sheet_text(export)
    assert a[0].full_name in text and a[1].full_name in text
    assert b[0].full_name not in text and b[1].full_name not in text
    sheet = book.active
    assert sheet["A1"].value == "ĐẢNG BỘ KHỐI"  # the unit above trainer_a's unit A
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "BẢNG ĐIỂM KHÓA HỌC" in text and s.course.title in text
    assert timezone.localdate().strftime("%d/%m/%Y") in text
    assert export.filename.endswith(".xlsx")


def test_trainer_cannot_export_another_unit(cast, course, django_capture_on_commit_callbacks):
    s, _a, _b = course
    with pytest.raises(ValidationError):
        start_export(
            actor=cast.trainer_a,
            kind="rollup",
            params={"course": s.course.pk, "unit": cast.unit_b.pk},
        )
    assert not Export.objects.exists()


def test_rollup_xlsx_lists_the_unit_tree_as_indented_rows(
    cast, course, django_capture_on_commit_callbacks
):
    s, _a, _b = course
    export = _export(
        cast.admin,
        django_capture_on_commit_callbacks,
        kind="rollup",
        params={"course": s.course.pk, "unit": cast.bloc.pk},
    )
    _text, book = _sheet_text(export)
    sheet = book.active
    names = {
        row[1].value: row[1].alignment.indent for row in sheet.iter_rows(min_row=8) if row[1].value
    }
    assert names["Đảng bộ Khối"] == 0
    assert names["Đảng bộ A"] == 2 and names["Chi bộ A1"] == 4
    assert "BÁO CÁO TỔNG HỢP KẾT QUẢ BỒI DƯỠNG" in _text


def test_csv_export_starts_with_a_utf8_bom(cast, course, django_capture_on_commit_callbacks):
    s, a, _b = course
    export = _export(
        cast.trainer_a,
        django_capture_on_commit_callbacks,
        kind="gradebook",
        format="csv",
        params={"course": s.course.pk},
    )
    with export.file.open("rb") as handle:
        raw = handle.read()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert a[0].full_name in raw.decode("utf-8-sig")


def test_only_the_requester_downloads_and_expired_files_are_purged(
    cast, course, login, api, django_capture_on_commit_callbacks
):
    s, _a, _b = course
    export = _export(
        cast.trainer_a,
        django_capture_on_commit_callbacks,
        kind="statistics",
        params={"quiz": s.quiz.pk},
    )
    url = f"/reports/exports/{export.pk}/download/"
    assert login(cast.trainer_b).get(url).status_code == 404
    assert api(cast.trainer_b).get(f"/api/exports/{export.pk}/").status_code == 404
    response = login(cast.trainer_a).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"
    name = export.file.name
    storage = export.file.storage
    assert purge_expired(now=timezone.now()) == 0
    assert purge_expired(now=timezone.now() + timedelta(days=2)) == 1
    assert not storage.exists(name) and not Export.objects.exists()


def test_api_creates_an_export_and_reports_status_and_link(cast, course, api):
    s, _a, _b = course
    client = api(cast.trainer_a)
    response = client.post(
        "/api/exports/", {"kind": "gradebook", "course": s.course.pk}, format="json"
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    status = client.get(f"/api/exports/{pk}/").json()
    assert status["status"] in ("pending", "running", "done")
    bad = client.post(
        "/api/exports/",
        {"kind": "rollup", "course": s.course.pk, "unit": cast.unit_b.pk},
        format="json",
    )
    assert bad.status_code == 400 and "unit" in bad.json()


def test_export_page_polls_until_done(cast, course, login, django_capture_on_commit_callbacks):
    s, _a, _b = course
    client = login(cast.trainer_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/reports/exports/", {"kind": "gradebook", "course": s.course.pk, "format": "xlsx"}
        )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Tải tệp" in page
    export = Export.objects.get()
    assert export.requested_by == cast.trainer_a


def test_certificate_register_export_and_gradebook_show_only_scope(
    cast, setup, learners, django_capture_on_commit_callbacks
):
    from courses.certificates.services import issue_certificate
    from courses.models import Completion
    from courses.reports import gradebook

    s = setup(questions=1)
    a, b = learners(1, cast.cell_a1, "ca")[0], learners(1, cast.cell_b1, "cb")[0]
    enrol(cast, s.course, [a, b])
    for person in (a, b):
        take(person, s.quiz, answers("1"))  # passing the only quiz completes the course
    for completion in Completion.objects.filter(course=s.course):
        issue_certificate(completion_id=completion.pk)
    export = _export(
        cast.trainer_a,
        django_capture_on_commit_callbacks,
        kind="certificates",
        params={"course": s.course.pk},
    )
    text, _book = _sheet_text(export)
    assert a.full_name in text and b.full_name not in text
    assert "SỔ CẤP GIẤY CHỨNG NHẬN" in text
    quizzes = gradebook.course_quizzes(s.course)
    rows = gradebook.build_rows(
        list(gradebook.enrollments(cast.trainer_a, s.course, quizzes)), s.course, quizzes
    )
    assert [r.user for r in rows] == [a]
    assert rows[0].certificate is not None and rows[0].status == "completed"


def _date_cells(book):  # type: ignore[no-untyped-def]
    return [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.is_date
    ]


def test_dates_in_xlsx_exports_are_date_cells_shown_as_dd_mm_yyyy(
    cast, course, django_capture_on_commit_callbacks
):
    from courses.models import Enrollment

    s, _a, _b = course
    Enrollment.objects.filter(course=s.course).update(due_date=date(2026, 12, 31))
    export = _export(
        cast.trainer_a,
        django_capture_on_commit_callbacks,
        kind="gradebook",
        params={"course": s.course.pk},
    )
    _text, book = _sheet_text(export)
    cells = _date_cells(book)
    assert cells, "no date cell in the gradebook"
    assert {c.number_format for c in cells} == {"dd/mm/yyyy"}
    assert any(c.value.date() == date(2026, 12, 31) for c in cells)
    texts = [c.value for row in book.active.iter_rows() for c in row if isinstance(c.value, str)]
    assert "31/12/2026" not in texts
