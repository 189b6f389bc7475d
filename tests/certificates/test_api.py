"""The certificates API: every endpoint scoped; revocation for admins only."""

import pytest

from accounts.models import AuditLog
from courses.certificates.models import Certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(cast, course, complete):  # type: ignore[no-untyped-def]
    """A certificate in unit A (learner) and one in unit B (learner_b)."""
    complete(cast.learner, course)
    complete(cast.learner_b, course)
    return (
        Certificate.objects.get(user=cast.learner),
        Certificate.objects.get(user=cast.learner_b),
    )


def _ids(response):  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


def test_learners_list_only_their_own(api, cast, two):
    mine, _theirs = two
    assert _ids(api(cast.learner).get("/api/certificates/")) == {mine.pk}
    assert _ids(api(cast.other_learner).get("/api/certificates/")) == set()


def test_trainers_and_admins_list_their_units(api, cast, two):
    mine, theirs = two
    assert _ids(api(cast.trainer_a).get("/api/certificates/")) == {mine.pk}
    assert _ids(api(cast.trainer_b).get("/api/certificates/")) == {theirs.pk}
    assert _ids(api(cast.admin).get("/api/certificates/")) == {mine.pk, theirs.pk}


def test_register_filters(api, cast, two):
    mine, theirs = two
    client = api(cast.admin)
    assert _ids(client.get("/api/certificates/", {"unit": cast.unit_b.pk})) == {theirs.pk}
    assert _ids(client.get("/api/certificates/", {"q": "Nhung"})) == {mine.pk}
    assert _ids(client.get("/api/certificates/", {"state": "revoked"})) == set()
    course = {"course": mine.course_id}
    assert _ids(client.get("/api/certificates/", course)) == {mine.pk, theirs.pk}
    assert _ids(client.get("/api/certificates/", {"course": mine.course_id + 1000})) == set()
    assert _ids(client.get("/api/certificates/", {"unit": 0})) == set()
    assert _ids(api(cast.trainer_a).get("/api/certificates/", {"unit": cast.unit_b.pk})) == set()


@pytest.mark.parametrize("suffix", ["", "pdf/", "credential/"])
def test_objects_outside_scope_are_404(api, cast, two, suffix):
    mine, theirs = two
    assert api(cast.learner).get(f"/api/certificates/{mine.pk}/{suffix}").status_code == 200
    assert api(cast.learner).get(f"/api/certificates/{theirs.pk}/{suffix}").status_code == 404
    assert api(cast.other_learner).get(f"/api/certificates/{mine.pk}/{suffix}").status_code == 404
    assert api(cast.trainer_b).get(f"/api/certificates/{mine.pk}/{suffix}").status_code == 404
    assert api(cast.trainer_a).get(f"/api/certificates/{mine.pk}/{suffix}").status_code == 200


def test_anonymous_gets_nothing_but_verification(api, two):
    mine, _ = two
    anon = api(None)
    assert anon.get("/api/certificates/").status_code in (401, 403)
    assert anon.get(f"/api/certificates/{mine.pk}/pdf/").status_code in (401, 403)
    assert anon.post(f"/api/certificates/{mine.pk}/revoke/", {"reason": "x"}).status_code in (
        401,
        403,
    )


def test_pdf_download(api, cast, two):
    mine, _ = two
    response = api(cast.learner).get(f"/api/certificates/{mine.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert mine.serial in response["Content-Disposition"]


def test_admin_revokes_with_reason_and_it_is_audited(api, cast, two):
    mine, _ = two
    response = api(cast.admin).post(
        f"/api/certificates/{mine.pk}/revoke/", {"reason": "Gian lận khi làm bài"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["state"] == "revoked"
    log = AuditLog.objects.get(action=AuditLog.Action.CERTIFICATE_REVOKED)
    assert log.reason == "Gian lận khi làm bài"
    assert log.actor == cast.admin
    assert log.unit == cast.cell_a1


def test_revoke_needs_a_reason(api, cast, two):
    mine, _ = two
    response = api(cast.admin).post(f"/api/certificates/{mine.pk}/revoke/", {"reason": " "})
    assert response.status_code == 400
    assert "lý do" in str(response.json())
    mine.refresh_from_db()
    assert mine.status == "valid"


def test_revoking_twice_is_a_clear_400(api, cast, two):
    mine, _ = two
    client = api(cast.admin)
    assert client.post(f"/api/certificates/{mine.pk}/revoke/", {"reason": "a"}).status_code == 200
    again = client.post(f"/api/certificates/{mine.pk}/revoke/", {"reason": "b"})
    assert again.status_code == 400


def test_only_admins_in_scope_may_revoke(api, cast, two):
    mine, _theirs = two
    assert (
        api(cast.learner).post(f"/api/certificates/{mine.pk}/revoke/", {"reason": "x"}).status_code
        == 403
    )
    assert (
        api(cast.trainer_a)
        .post(f"/api/certificates/{mine.pk}/revoke/", {"reason": "x"})
        .status_code
        == 403
    )
    assert (
        api(cast.trainer_b)
        .post(f"/api/certificates/{mine.pk}/revoke/", {"reason": "x"})
        .status_code
        == 404
    )
    mine.refresh_from_db()
    assert mine.status == "valid"


def test_list_query_count_does_not_grow_with_rows(
    api, cast, course, complete, django_assert_max_num_queries
):
    for user in (cast.learner, cast.other_learner, cast.learner_b):
        complete(user, course)
    client = api(cast.admin)
    with django_assert_max_num_queries(6):
        assert len(client.get("/api/certificates/").json()["results"]) == 3
