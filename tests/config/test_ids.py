"""config.ids.parse_id: ids from URLs and query strings never turn into a 500."""

import pytest

from config.ids import MAX_ID, parse_id

SUPERSCRIPT_TWO = "%C2%B2"  # "²": str.isdigit() says yes, int() says no
HUGE = str(10**30)  # beyond a bigint: SQLite's driver raises OverflowError


@pytest.mark.parametrize(
    ("value", "expected"),
    [("42", 42), (7, 7), (str(MAX_ID), MAX_ID), ("0", 0)],
)
def test_ascii_digits_within_a_bigint_are_ids(value, expected):  # type: ignore[no-untyped-def]
    assert parse_id(value) == expected


@pytest.mark.parametrize(
    "value", [None, "", "²", "١٢", "-3", "+3", " 3", "3.0", "abc", str(MAX_ID + 1)]
)
def test_anything_else_is_no_id(value):  # type: ignore[no-untyped-def]
    assert parse_id(value) is None


@pytest.mark.django_db
@pytest.mark.parametrize("bad", [SUPERSCRIPT_TWO, HUGE])
def test_a_bad_id_in_a_url_or_filter_is_not_a_server_error(cast, client, bad):  # type: ignore[no-untyped-def]
    client.force_login(cast.learner)
    assert client.post(f"/api/quizzes/{bad}/attempts/").status_code == 404
    assert client.post(f"/api/attempts/{bad}/submit/").status_code == 404
    assert client.get(f"/api/attempts/{bad}/review/").status_code == 404
    saved = client.put(
        f"/api/attempts/{bad}/answers/{bad}/",
        {"response": {"choice": "a"}, "seq": 1},
        content_type="application/json",
    )
    assert saved.status_code == 404
    client.force_login(cast.admin)
    assert client.post(f"/api/grading/{bad}/grade/", {"slot": 1}).status_code == 404
    for filtered in (
        f"/api/users/?unit={bad}",
        f"/api/enrollments/?course={bad}",
        f"/api/questions/?category={bad}",
        f"/api/certificates/?unit={bad}&course={bad}",
        f"/users/?unit={bad}",
        f"/bank/?category={bad}",
        f"/certificates/register/?unit={bad}&course={bad}",
    ):
        assert client.get(filtered).status_code == 200, filtered


@pytest.mark.django_db
@pytest.mark.parametrize("bad", [SUPERSCRIPT_TWO, HUGE, "-1"])
def test_a_bad_id_in_a_trainers_query_is_not_found(cast, client, bad):  # type: ignore[no-untyped-def]
    client.force_login(cast.trainer_a)
    report = client.get(f"/api/units/{cast.unit_a.pk}/report/?course={bad}")
    assert report.status_code == 404
    assert client.get(f"/bank/export/gift/?category={bad}").status_code == 404
