"""Schemathesis against /api/schema/, in-process (WSGI), as a learner and as a trainer.

Every operation gets generated input (valid and invalid): never a 5xx, and
documented responses match their schema. Unauthenticated refusal of every
operation is proven in test_access_matrix. Bounded to a few examples per
operation so the suite stays within minutes.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from config.wsgi import application

pytestmark = pytest.mark.django_db

# Loaded at collection: the schema view needs no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)

# Documented responses that do not match what the view returns: reported to the
# owners (see the strict xfail below); only the 5xx check runs for them.
SCHEMA_GAPS: set[str] = set()


# A server error found by this test, reported and proven by a strict xfail below;
# skipped here until fixed so the other operations keep being checked.
KNOWN_SERVER_ERRORS: set[str] = set()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():  # type: ignore[no-untyped-def]
    """In-process WSGI calls fire request_started/finished, whose close_old_connections
    would close the test's transaction-wrapped connection (Django's test client
    disconnects it the same way); on SQLite's in-memory database close() is a no-op."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(cast) -> list[str]:  # type: ignore[no-untyped-def]
    return [Token.objects.get_or_create(user=u)[0].key for u in (cast.learner, cast.trainer_a)]


@schema.parametrize()
@settings(max_examples=3, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_generated_requests_never_fail_on_the_server_and_match_the_schema(case, tokens):
    operation = f"{case.method.upper()} {case.path}"
    if operation in KNOWN_SERVER_ERRORS:
        pytest.skip("known server error, proven by its own strict xfail")
    checks = [not_a_server_error]
    if operation not in SCHEMA_GAPS:
        checks.append(response_schema_conformance)
    for key in tokens:
        case.call_and_validate(headers={"Authorization": f"Token {key}"}, checks=checks)


def test_quiz_list_matches_its_schema_for_learners(api, world):
    results = api(world.cast.learner).get("/api/quizzes/").json()
    rows = results["results"] if isinstance(results, dict) else results
    assert rows and all("owner_unit" in row for row in rows)


def test_answer_save_400_matches_its_schema(api, world):
    attempt, slot = world.attempts["learner"], world.essay_slot()
    body = (
        api(world.cast.learner)
        .put(f"/api/attempts/{attempt.pk}/answers/{slot.pk}/", {}, format="json")
        .json()
    )
    assert "detail" in body


def test_question_import_400_matches_its_schema(api, cast):
    body = api(cast.trainer_a).post("/api/questions/import/", {}, format="multipart").json()
    assert "created" in body


def test_a_malformed_export_id_is_a_404_not_a_server_error(api, cast):
    assert api(cast.trainer_a).get("/api/exports/null,null/download/").status_code == 404
