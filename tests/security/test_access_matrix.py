"""Who may reach what: every URL and API operation, for every member of the cast.

The expectations live in `urls_table.py`; a new URL or API operation without an
entry there fails `test_every_url_...` / `test_every_api_operation_...`.
"""

import pytest

from .crawl import api_responses, outcome, page_responses, schema_operations, url_names
from .urls_table import API, PAGE_ARGS, PAGES, PUBLIC_BY_DESIGN, ROLES

pytestmark = pytest.mark.django_db


def _expected(codes: str) -> dict[str, str]:
    values = codes.split()
    assert len(values) == len(ROLES), codes
    return dict(zip(ROLES, values, strict=True))


def test_every_url_of_the_site_has_an_expected_outcome_for_each_role():
    api_names = set(schema_operations().values())
    names = {name for _route, name in url_names()} - api_names
    missing = sorted(names - PAGES.keys())
    assert not missing, f"URLs without an entry in tests/security/urls_table.py: {missing}"
    stale = sorted(PAGES.keys() - names)
    assert not stale, f"entries for URLs that no longer exist: {stale}"
    assert PAGES.keys() == PAGE_ARGS.keys()


def test_every_url_under_api_is_documented_in_the_schema_or_listed():
    undocumented = sorted(
        name
        for route, name in url_names()
        if route.startswith("api/")
        and name not in set(schema_operations().values())
        and name not in PAGES
    )
    assert not undocumented, undocumented


def test_every_api_operation_has_an_expected_outcome_for_each_role():
    operations = set(schema_operations())
    assert not sorted(operations - API.keys()), "operations without an entry in API"
    assert not sorted(API.keys() - operations), "entries for operations that no longer exist"


def test_pages_answer_each_role_as_the_matrix_says(world):
    wrong = []
    for method, column in (("get", 0), ("post", 1)):
        for role, name, url, response in page_responses(world, method):
            want = _expected(PAGES[name][column])[role]
            if outcome(response) != want:
                wrong.append(
                    f"{method.upper()} {url} ({name}) as {role}: "
                    f"{outcome(response)}, expected {want}"
                )
    assert not wrong, "\n".join(wrong)


def test_api_operations_answer_each_role_as_the_matrix_says(world):
    wrong = [
        f"{op} ({url}) as {role}: {response.status_code}, expected {_expected(API[op])[role]}"
        for role, op, url, response in api_responses(world)
        if outcome(response) != _expected(API[op])[role]
    ]
    assert not wrong, "\n".join(wrong)


def test_unauthenticated_api_calls_are_refused_except_public_verification(world):
    allowed = {op for op, codes in API.items() if codes.split()[0] not in ("401", "403")}
    assert allowed == {"GET /api/certificates/verify/{code}/", "POST /api/auth/token/"}


def _outsiders(cast, role):  # type: ignore[no-untyped-def]
    """Names a role must never see: people outside its scope."""
    a_learners = [cast.learner.full_name, cast.other_learner.full_name]
    return {
        "learner": [cast.other_learner.full_name, cast.learner_b.full_name],
        "other_learner": [cast.learner.full_name, cast.learner_b.full_name],
        "learner_b": a_learners,
        "trainer_a": [cast.learner_b.full_name],
        "trainer_b": a_learners,
    }.get(role, [])


def _text(response) -> str:  # type: ignore[no-untyped-def]
    if getattr(response, "streaming", False):
        return ""
    content = response.content
    if content[:2] == b"PK":  # XLSX/ZIP: read the cells
        from .xlsx import xlsx_text

        return xlsx_text(content)
    return content.decode("utf-8", "replace")


def test_no_page_or_api_answer_names_people_outside_the_viewers_scope(world):
    leaks = []
    responses = [*page_responses(world), *api_responses(world, writes=False)]
    for role, name, url, response in responses:
        if name in PUBLIC_BY_DESIGN or response.status_code != 200:
            continue
        text = _text(response)
        leaks += [
            f"{url} shows {who!r} to {role}" for who in _outsiders(world.cast, role) if who in text
        ]
    assert not leaks, "\n".join(leaks)
