import pytest

pytestmark = pytest.mark.django_db


def test_login_page_is_vietnamese_by_default(client):
    page = client.get("/accounts/login/").content.decode()
    assert '<html lang="vi">' in page
    assert "Đăng nhập" in page and "Tên đăng nhập" in page


def test_language_switch_to_english_and_back(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    page = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in page and "Log in" in page
    client.post("/i18n/setlang/", {"language": "vi", "next": "/accounts/login/"})
    assert '<html lang="vi">' in client.get("/accounts/login/").content.decode()


def test_login_with_wrong_password_gives_one_message(cast, client):
    wrong = client.post(
        "/accounts/login/", {"username": "learner", "password": "sai"}
    ).content.decode()
    unknown = client.post(
        "/accounts/login/", {"username": "khong-co", "password": "sai"}
    ).content.decode()
    message = "Tên đăng nhập hoặc mật khẩu không đúng."
    assert message in wrong and message in unknown


def test_login_and_dashboard(cast, client):
    response = client.post(
        "/accounts/login/", {"username": "learner", "password": "Mat-khau-an-toan-2026"}
    )
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert "Nguyễn Thị Hồng Nhung" in page


def test_anonymous_dashboard_redirects_to_login(client):
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_healthz_reports_database_and_broker(db, client):
    data = client.get("/healthz").json()
    assert data["database"] == "ok"
    assert data["broker"] in ("ok", "eager")
    assert data["status"] == "ok"


def test_navigation_depends_on_role(cast, login):
    learner_page = login(cast.learner).get("/").content.decode()
    assert 'href="/users/"' not in learner_page
    admin_page = login(cast.admin).get("/").content.decode()
    assert 'href="/users/"' in admin_page and 'href="/units/"' in admin_page


def test_csrf_header_set_once_on_body(cast, login):
    page = login(cast.learner).get("/").content.decode()
    assert page.count("hx-headers") == 1 and "X-CSRFToken" in page


def test_user_list_fragment_for_htmx(cast, login):
    client = login(cast.trainer_a)
    response = client.get("/users/?q=Nhung", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and 'id="results"' in body
    assert "Nguyễn Thị Hồng Nhung" in body and "Bùi Thị Ế" not in body


def test_trainer_pages_are_scoped(cast, login):
    client = login(cast.trainer_a)
    assert client.get(f"/units/{cast.unit_b.pk}/").status_code == 404
    assert client.get(f"/units/{cast.unit_a.pk}/").status_code == 200
    assert "Bùi Thị Ế" not in client.get("/users/").content.decode()
    assert client.get(f"/users/{cast.learner.pk}/edit/").status_code == 403


@pytest.mark.parametrize("url", ["/units/", "/users/", "/users/new/", "/units/new/"])
def test_learner_cannot_open_admin_pages(cast, login, url):
    assert login(cast.learner).get(url).status_code == 403


def test_admin_moves_learner_through_the_form(cast, login):
    client = login(cast.admin)
    response = client.post(
        f"/users/{cast.learner.pk}/edit/",
        {
            "full_name": "Nguyễn Thị Hồng Nhung",
            "username": "learner",
            "email": "learner@example.org",
            "phone": "",
            "unit": cast.cell_b1.pk,
            "role": "learner",
            "appointment_date": "",
        },
    )
    assert response.status_code == 302, response.content.decode()
    cast.learner.refresh_from_db()
    assert cast.learner.unit == cast.cell_b1


def test_admin_creates_unit_through_the_form(cast, login):
    client = login(cast.admin)
    response = client.post(
        "/units/new/",
        {"name": "Chi bộ A2", "code": "a2", "kind": "cell", "parent": cast.unit_a.pk, "place": ""},
    )
    assert response.status_code == 302
    duplicate = client.post(
        "/units/new/", {"name": "Khác", "code": "A2", "kind": "cell", "parent": cast.unit_a.pk}
    )
    assert "Mã đơn vị đã tồn tại." in duplicate.content.decode()


def test_admin_deactivates_user(cast, login):
    client = login(cast.admin)
    assert client.post(f"/users/{cast.learner.pk}/deactivate/").status_code == 302
    cast.learner.refresh_from_db()
    assert not cast.learner.is_active


def test_user_text_is_escaped(cast, login):
    from accounts.services import update_user

    update_user(actor=cast.admin, user=cast.learner, full_name="<script>alert(1)</script>")
    page = login(cast.admin).get("/users/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
