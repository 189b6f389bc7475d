import pytest

pytestmark = pytest.mark.django_db


def ids(response):
    return {row["id"] for row in response.json()["results"]}


def test_anonymous_is_refused_everywhere(cast, api):
    for url in ["/api/me/", "/api/units/", "/api/users/", f"/api/users/{cast.learner.pk}/"]:
        assert api(None).get(url).status_code in (401, 403)


def test_token_flow(cast, client):
    response = client.post(
        "/api/auth/token/", {"username": "learner", "password": "Mat-khau-an-toan-2026"}
    )
    assert response.status_code == 200
    token = response.json()["token"]
    me = client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.status_code == 200 and me.json()["username"] == "learner"
    assert client.get("/api/me/", HTTP_AUTHORIZATION="Token wrong").status_code == 401


def test_token_refused_with_same_message_for_unknown_and_wrong_password(cast, client):
    wrong = client.post("/api/auth/token/", {"username": "learner", "password": "sai"})
    unknown = client.post("/api/auth/token/", {"username": "khongco", "password": "sai"})
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.json() == unknown.json()


@pytest.mark.parametrize(
    ("who", "units", "users"),
    [
        ("learner", {"A1"}, {"learner"}),
        ("trainer_a", {"A", "A1"}, {"learner", "other", "trainer_a"}),
        ("trainer_b", {"B", "B1"}, {"learner_b", "trainer_b"}),
        (
            "admin",
            {"BLOC", "A", "A1", "B", "B1"},
            {"admin", "trainer_a", "trainer_b", "learner", "other", "learner_b"},
        ),
    ],
)
def test_lists_are_scoped(cast, api, who, units, users):
    client = api(getattr(cast, who))
    got_units = {u["code"] for u in client.get("/api/units/").json()["results"]}
    got_users = {u["username"] for u in client.get("/api/users/").json()["results"]}
    assert got_units == units
    assert got_users == users


def test_trainer_asking_outside_grants_gets_404(cast, api):
    client = api(cast.trainer_a)
    assert client.get(f"/api/users/{cast.learner_b.pk}/").status_code == 404
    assert client.get(f"/api/units/{cast.unit_b.pk}/").status_code == 404
    assert client.get(f"/api/users/{cast.learner.pk}/").status_code == 200


def test_learner_cannot_read_other_learner(cast, api):
    assert api(cast.learner).get(f"/api/users/{cast.other_learner.pk}/").status_code == 404


@pytest.mark.parametrize("who", ["learner", "trainer_a"])
def test_writes_are_for_admins_only(cast, api, who):
    client = api(getattr(cast, who))
    assert (
        client.post("/api/units/", {"name": "X", "code": "X", "parent": cast.unit_a.pk}).status_code
        == 403
    )
    assert client.patch(f"/api/users/{cast.learner.pk}/", {"full_name": "Đổi"}).status_code in (
        403,
        404,
    )
    cast.learner.refresh_from_db()
    assert cast.learner.full_name == "Nguyễn Thị Hồng Nhung"


def test_admin_creates_unit_and_user_within_scope(cast, api):
    client = api(cast.admin)
    unit = client.post(
        "/api/units/", {"name": "Chi bộ A2", "code": "A2", "kind": "cell", "parent": cast.unit_a.pk}
    )
    assert unit.status_code == 201, unit.content
    assert unit.json()["parent_id"] == cast.unit_a.pk
    user = client.post(
        "/api/users/",
        {
            "username": "moi",
            "full_name": "Người Mới",
            "unit": unit.json()["id"],
            "role": "learner",
            "password": "Mat-khau-an-toan-2026",
        },
    )
    assert user.status_code == 201, user.content
    assert api(cast.trainer_a).get(f"/api/users/{user.json()['id']}/").status_code == 200


def test_unit_admin_scoped_to_subtree_cannot_reach_outside(cast, api):
    from accounts.services import create_user

    sub_admin = create_user(
        actor=cast.superuser,
        username="admin_a",
        full_name="Quản trị A",
        unit=cast.unit_a,
        role="admin",
    )
    client = api(sub_admin)
    assert (
        client.post(
            "/api/units/", {"name": "X", "code": "XB", "parent": cast.unit_b.pk}
        ).status_code
        == 400
    )
    assert client.patch(f"/api/users/{cast.learner_b.pk}/", {"full_name": "X"}).status_code == 404
    moved = client.patch(f"/api/users/{cast.learner.pk}/", {"unit": cast.cell_b1.pk})
    assert moved.status_code == 400
    cast.learner.refresh_from_db()
    assert cast.learner.unit == cast.cell_a1


def test_delete_user_deactivates(cast, api):
    assert api(cast.admin).delete(f"/api/users/{cast.learner.pk}/").status_code == 204
    cast.learner.refresh_from_db()
    assert not cast.learner.is_active


def test_me_shows_grants(cast, api):
    data = api(cast.trainer_a).get("/api/me/").json()
    assert data["role"] == "trainer"
    assert [g["code"] for g in data["granted_units"]] == ["A"]


def test_schema_is_valid_openapi(cast, client):
    import yaml
    from drf_spectacular.validation import validate_schema

    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)
    assert "/api/units/" in schema["paths"] and "/api/auth/token/" in schema["paths"]
