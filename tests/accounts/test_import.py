import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from accounts.imports import import_users
from accounts.models import Grant, User

pytestmark = pytest.mark.django_db

HEADER = ["Họ và tên", "Tên đăng nhập", "Email", "Điện thoại", "Đơn vị", "Vai trò", "Ngày bổ nhiệm"]


def xlsx(rows, header=HEADER) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    return data


def csv_file(text: str, encoding: str = "utf-8-sig") -> io.BytesIO:
    return io.BytesIO(text.encode(encoding))


def test_xlsx_import_creates_everyone(cast):
    result = import_users(
        xlsx(
            [
                [
                    "Nguyễn Văn An",
                    "an",
                    "an@example.org",
                    "0901",
                    "A1",
                    "học viên",
                    date(2026, 10, 1),
                ],
                [
                    "Trần Thị Bích",
                    "bich",
                    "",
                    "",
                    "Đảng bộ Khối / Đảng bộ A / Chi bộ A1",
                    "",
                    "15/10/2026",
                ],
                ["Lê Văn Cường", "cuong", "", "", "a", "Báo cáo viên", ""],
            ]
        ),
        actor=cast.admin,
    )
    assert result.problems == [] and result.created == 3
    an = User.objects.get(username="an")
    assert an.unit == cast.cell_a1 and an.appointment_date == date(2026, 10, 1)
    assert User.objects.get(username="bich").appointment_date == date(2026, 10, 15)
    cuong = User.objects.get(username="cuong")
    assert cuong.role == "trainer" and Grant.objects.filter(user=cuong, unit=cast.unit_a).exists()


def test_csv_import_with_semicolons_and_english_headers(cast):
    text = "full_name;username;unit;appointment_date\nPhan Thị Dung;dung;B1;2026-11-01\n"
    result = import_users(csv_file(text), actor=cast.admin)
    assert result.created == 1
    assert User.objects.get(username="dung").unit == cast.cell_b1


def test_dry_run_writes_nothing(cast):
    before = User.objects.count()
    result = import_users(
        xlsx([["Nguyễn Văn An", "an", "", "", "A1", "", ""]]), actor=cast.admin, dry_run=True
    )
    assert result.ok and result.created == 0
    assert User.objects.count() == before


def test_bad_rows_are_all_reported_and_nothing_is_imported(cast):
    before = User.objects.count()
    result = import_users(
        xlsx(
            [
                ["Hợp Lệ", "hople", "", "", "A1", "", ""],
                ["Trùng Tên", "learner", "", "", "A1", "", ""],
                ["Không Đơn Vị", "x1", "", "", "ZZZ", "", ""],
                ["Sai Ngày", "x2", "", "", "A1", "", "31/02/2026"],
                ["Sai Email", "x3", "khong-phai-email", "", "A1", "", ""],
                ["Sai Vai Trò", "x4", "", "", "A1", "giám đốc", ""],
                ["Trùng Trong Tệp", "hople", "", "", "A1", "", ""],
                ["", "x5", "", "", "A1", "", ""],
            ]
        ),
        actor=cast.admin,
    )
    assert result.created == 0
    assert User.objects.count() == before
    lines = {p.line for p in result.problems}
    assert lines == {3, 4, 5, 6, 7, 8, 9}
    messages = " ".join(p.message for p in result.problems)
    assert "đã tồn tại" in messages and "ZZZ" in messages and "31/02/2026" in messages
    assert "trùng với dòng 2" in messages


def test_wrong_columns_are_reported(cast):
    result = import_users(xlsx([["a", "b"]], header=["Tên", "Tuổi"]), actor=cast.admin)
    assert not result.ok
    assert all(p.line == 1 for p in result.problems)
    assert any("Tuổi" in p.message for p in result.problems)
    assert any("Thiếu cột" in p.message for p in result.problems)


@pytest.mark.parametrize(
    "payload", [b"%PDF-1.4 binary\x00\x01", b"PK\x03\x04not really a zip", b""]
)
def test_non_table_files_are_refused(cast, payload):
    result = import_users(io.BytesIO(payload), actor=cast.admin)
    assert not result.ok and result.problems


def test_csv_in_legacy_encoding_is_refused_with_line(cast):
    text = "full_name,username,unit\nNguyễn Văn An,an,A1\n"
    result = import_users(csv_file(text, "utf-16"), actor=cast.admin)
    assert not result.ok and result.created == 0


def test_units_outside_scope_are_unknown(cast):
    from accounts.services import create_user

    admin_a = create_user(
        actor=cast.superuser, username="admin_a", full_name="QT A", unit=cast.unit_a, role="admin"
    )
    result = import_users(xlsx([["X", "x", "", "", "B1", "", ""]]), actor=admin_a)
    assert result.created == 0
    assert "B1" in result.problems[0].message


def test_import_page_previews_then_commits(cast, login):
    client = login(cast.admin)
    upload = SimpleUploadedFile(
        "users.xlsx", xlsx([["Nguyễn Văn An", "an", "", "", "A1", "", ""]]).read()
    )
    preview = client.post("/users/import/", {"file": upload})
    assert preview.status_code == 200
    assert "Nguyễn Văn An" in preview.content.decode()
    assert not User.objects.filter(username="an").exists()
    token = preview.context["token"]
    done = client.post("/users/import/", {"token": token})
    assert done.status_code == 302
    assert User.objects.filter(username="an").exists()


def test_import_page_shows_row_errors(cast, login):
    client = login(cast.admin)
    upload = SimpleUploadedFile("users.xlsx", xlsx([["", "", "", "", "ZZZ", "", ""]]).read())
    page = client.post("/users/import/", {"file": upload}).content.decode()
    assert (
        "import-errors" in page and "ZZZ" in page and "token" not in page.split("import-errors")[1]
    )


def test_forged_import_token_is_refused(cast, login):
    from django.core import signing

    client = login(cast.admin)
    token = signing.dumps("imports/users/999-evil.bin", salt="frontend.user-import")
    response = client.post("/users/import/", {"token": token})
    assert response.status_code == 302
    forged = signing.dumps(
        {"n": "imports/users/x.bin", "u": cast.admin.pk, "k": "users", "m": {}},
        salt="not-the-salt",
    )
    assert client.post("/users/import/", {"token": forged}).status_code == 302


def test_preview_shows_roles_in_vietnamese_and_token_is_bound_to_the_uploader(cast, login):
    from accounts.models import User as U

    other_admin = U.objects.create_user(
        username="admin2", password="x", unit=cast.admin.unit, role=U.Role.ADMIN
    )
    client = login(cast.admin)
    upload = SimpleUploadedFile(
        "users.xlsx", xlsx([["Trần Thị Bình", "binh", "", "", "A1", "Học viên", ""]]).read()
    )
    preview = client.post("/users/import/", {"file": upload})
    page = preview.content.decode()
    assert "<td>Học viên</td>" in page and ">learner<" not in page
    token = preview.context["token"]
    stolen = login(other_admin).post("/users/import/", {"token": token})
    assert stolen.status_code == 302 and not U.objects.filter(username="binh").exists()
    assert login(cast.admin).post("/users/import/", {"token": token}).status_code == 302
    assert U.objects.filter(username="binh").exists()


def test_trainer_cannot_open_import(cast, login):
    assert login(cast.trainer_a).get("/users/import/").status_code == 403
