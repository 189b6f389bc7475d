"""The foundation's pages in a real browser: login, language, user import, CSP, a11y, phone."""

import io
import re

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from accounts.models import User

from ..conftest import PASSWORD
from .conftest import assert_accessible, assert_no_horizontal_scroll, assert_page_basics, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def users_xlsx(tmp_path) -> str:
    book = Workbook()
    sheet = book.active
    sheet.append(["Họ và tên", "Tên đăng nhập", "Đơn vị", "Ngày bổ nhiệm"])
    sheet.append(["Nguyễn Văn Mới", "moi01", "A1", "01/11/2026"])
    sheet.append(["Trần Thị Hai", "moi02", "B1", "05/11/2026"])
    path = tmp_path / "nguoi-dung.xlsx"
    data = io.BytesIO()
    book.save(data)
    path.write_bytes(data.getvalue())
    return str(path)


def test_admin_imports_users_from_xlsx_with_preview(cast, page, tmp_path):
    log_in(page, "admin", PASSWORD)
    assert_accessible(page)
    page.get_by_role("link", name="Người dùng").first.click()
    assert_page_basics(page)
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.get_by_role("link", name="Nhập từ tệp XLSX/CSV").click()
    page.get_by_label("Tệp XLSX hoặc CSV").set_input_files(users_xlsx(tmp_path))
    page.get_by_role("button", name="Xem trước").click()
    rows = page.locator("#import-rows tbody tr")
    assert rows.count() == 2
    assert not User.objects.filter(username="moi01").exists()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Xác nhận nhập 2")).click()
    page.get_by_text("Đã nhập 2 người dùng.").wait_for()
    assert User.objects.get(username="moi02").unit == cast.cell_b1


def test_import_errors_are_listed_by_line(cast, page, tmp_path):
    path = tmp_path / "sai.csv"
    path.write_text(
        "Họ và tên,Tên đăng nhập,Đơn vị\nA,learner,A1\nB,x2,KHONGCO\n", encoding="utf-8"
    )
    log_in(page, "admin", PASSWORD)
    page.goto("/users/import/")
    page.get_by_label("Tệp XLSX hoặc CSV").set_input_files(str(path))
    page.get_by_role("button", name="Xem trước").click()
    errors = page.locator("#import-errors tbody tr")
    assert errors.count() == 2
    assert "đã tồn tại" in errors.nth(0).inner_text() and "KHONGCO" in errors.nth(1).inner_text()
    assert page.get_by_role("button", name=re.compile("Xác nhận")).count() == 0


def test_language_switch_to_english_and_back(cast, page):
    page.goto("/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.get_by_role("button", name="English").click()
    page.get_by_role("heading", name="Log in").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Đăng nhập" not in page.locator("main").inner_text()
    page.get_by_role("button", name="Tiếng Việt").click()
    page.get_by_role("heading", name="Đăng nhập").wait_for()
    assert page.locator("html").get_attribute("lang") == "vi"


def test_wrong_password_shows_one_message(cast, page):
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("learner")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("Tên đăng nhập hoặc mật khẩu không đúng.").wait_for()
    assert_accessible(page)


def test_pages_raise_no_csp_violation(cast, new_page):
    page = new_page()  # the site's real Content-Security-Policy applies
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    log_in(page, "admin", PASSWORD)
    for url in ["/", "/users/", "/units/", "/users/import/"]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
    page.goto("/users/")
    page.get_by_label("Tìm theo tên, tên đăng nhập, email").fill("Nhung")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results tbody tr")).to_contain_text("Nguyễn Thị Hồng Nhung")
    assert violations == []
