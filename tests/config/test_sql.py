"""config.sql: written statements give the same instances the ORM gives."""

import os
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection
from django.forms.models import model_to_dict
from django.utils import timezone

from config.sql import (
    columns,
    fetch,
    for_update,
    kept_cursor,
    loaded,
    server_binding_cursor,
    write,
)
from quizzes.models import Attempt, Quiz, QuizGrade

pytestmark = pytest.mark.django_db


def fields(instance):  # type: ignore[no-untyped-def]
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


@pytest.fixture
def graded(cast):  # type: ignore[no-untyped-def]
    quiz = Quiz.objects.create(
        title="Kiểm tra — Nghị quyết 4", owner_unit=cast.unit_a, time_limit=1800
    )
    now = timezone.now()
    attempt = Attempt.objects.create(
        quiz=quiz,
        user=cast.learner,
        started_at=now - timedelta(minutes=20),
        deadline=now + timedelta(minutes=10),
        state=Attempt.State.FINISHED,
        score=Decimal("7.5000"),
        max_score=Decimal("10.0000"),
        percent=Decimal("75.0000"),
        passed=True,
    )
    grade = QuizGrade.objects.create(
        user=cast.learner, quiz=quiz, percent=Decimal("75"), passed=True, passed_at=now
    )
    return quiz, attempt, grade


def test_joined_row_becomes_the_instances_the_orm_builds(graded):  # type: ignore[no-untyped-def]
    _quiz, attempt, _grade = graded
    sql = (
        f"SELECT {columns(Attempt, 'a')}, {columns(Quiz, 'q')} FROM quizzes_attempt a "
        "JOIN quizzes_quiz q ON q.id = a.quiz_id WHERE a.id = %s"
    )
    [(got_attempt, got_quiz)] = fetch(sql + for_update(of="a"), [attempt.pk], Attempt, Quiz)
    expected = Attempt.objects.select_related("quiz").get(pk=attempt.pk)
    assert fields(got_attempt) == fields(expected)
    assert fields(got_quiz) == fields(expected.quiz)
    assert isinstance(got_attempt.percent, Decimal) and got_attempt.passed is True
    assert not got_attempt._state.adding and got_attempt._state.db == connection.alias
    got_attempt.save(update_fields=["percent"])  # a real, saved instance


def test_extra_columns_follow_the_instances_and_no_row_is_an_empty_list(graded):  # type: ignore[no-untyped-def]
    quiz, _attempt, grade = graded
    sql = f"SELECT {columns(QuizGrade, 'g')}, 1 + 1 FROM quizzes_quizgrade g WHERE g.quiz_id = %s"
    [(got, two)] = fetch(sql, [quiz.pk], QuizGrade)
    assert two == 2
    assert model_to_dict(got) == model_to_dict(QuizGrade.objects.get(pk=grade.pk))
    assert fetch(sql, [quiz.pk + 1000], QuizGrade) == []


def test_an_id_beyond_64_bits_matches_no_row(graded):  # type: ignore[no-untyped-def]
    """As in the ORM; SQLite's driver would raise OverflowError (a 500) instead."""
    sql = f"SELECT {columns(Quiz, 'q')} FROM quizzes_quiz q WHERE q.id = %s"
    assert fetch(sql, [2**63], Quiz) == [] == fetch(sql, [-(2**63) - 1], Quiz)


def test_start_and_submit_of_an_id_beyond_64_bits_are_not_found(cast, client):  # type: ignore[no-untyped-def]
    client.force_login(cast.learner)
    huge = 10**30
    assert client.post(f"/api/quizzes/{huge}/attempts/").status_code == 404
    assert client.post(f"/api/attempts/{huge}/submit/").status_code == 404
    assert client.get(f"/quizzes/{huge}/").status_code == 404  # frontend:quiz-start
    assert client.post(f"/quizzes/{huge}/start/").status_code == 404  # frontend:quiz-attempt-start


def test_write_inserts_and_updates_as_save_would(graded):  # type: ignore[no-untyped-def]
    quiz, attempt, grade = graded
    other = QuizGrade(
        user=attempt.user, quiz=Quiz.objects.create(title="Bài 2", owner_unit=quiz.owner_unit)
    )
    other.percent, other.passed = Decimal("62.5"), True
    write(other)  # an INSERT: the id back, auto_now set, every column stored
    assert other.pk and other.updated_at is not None and not other._state.adding
    stored = QuizGrade.objects.get(pk=other.pk)
    assert fields(stored) == fields(other) | {"percent": Decimal("62.5000")}

    before = grade.updated_at
    grade.percent, grade.passed = Decimal("40"), False
    write(grade)  # an UPDATE of every column, auto_now again
    grade.refresh_from_db()
    assert (grade.percent, grade.passed) == (Decimal("40.0000"), False)
    assert grade.updated_at > before

    attempt.score, attempt.max_score = Decimal("3"), Decimal("99")
    write(attempt, ("score",))  # only the named fields
    attempt.refresh_from_db()
    assert (attempt.score, attempt.max_score) == (Decimal("3.0000"), Decimal("10.0000"))

    QuizGrade.objects.filter(pk=grade.pk).delete()
    with pytest.raises(DatabaseError):  # as save(update_fields=...) would: no row, no silence
        write(grade, ("percent",))


def test_loaded_instances_behave_as_the_orms(graded):  # type: ignore[no-untyped-def]
    """`loaded` skips Model.__init__: what it builds must still save, compare,
    refresh and follow relations as what the ORM builds."""
    _quiz, attempt, _grade = graded
    names = [f.attname for f in Attempt._meta.concrete_fields]
    values = [getattr(attempt, name) for name in names]
    built = loaded(Attempt, names, values)
    assert fields(built) == fields(attempt) and built == attempt
    assert not built._state.adding and built._state.db == connection.alias
    assert built.quiz.title == "Kiểm tra — Nghị quyết 4"  # the foreign key, read lazily
    built.percent = Decimal("80")
    built.save(update_fields=["percent"])  # an UPDATE, not an INSERT
    assert Attempt.objects.get(pk=attempt.pk).percent == Decimal("80")
    with pytest.raises(ValueError):  # a short row is refused, not half-built
        loaded(Attempt, names, values[:-1])


def test_a_model_with_init_receivers_still_goes_through_init(graded):  # type: ignore[no-untyped-def]
    from django.db.models.signals import post_init

    _quiz, attempt, _grade = graded
    seen: list[int] = []

    def receiver(sender, instance, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(instance.pk)

    post_init.connect(receiver, sender=Attempt)
    try:
        names = [f.attname for f in Attempt._meta.concrete_fields]
        loaded(Attempt, names, [getattr(attempt, name) for name in names])
    finally:
        post_init.disconnect(receiver, sender=Attempt)
    assert seen == [attempt.pk]


@pytest.mark.postgres
def test_the_hot_statements_are_prepared_and_djangos_own_are_not(graded):  # type: ignore[no-untyped-def]
    """Parsing and planning the save's statement at every save was most of its
    PostgreSQL CPU: the hot statements (server-side binding) are prepared once
    per connection; the ORM's queries (parameters inlined) never are."""
    _quiz, attempt, _grade = graded
    with server_binding_cursor() as cursor:
        for _ in range(2):
            cursor.execute("SELECT id FROM quizzes_attempt WHERE id = %s", [attempt.pk])
            assert cursor.fetchone() == (attempt.pk,)
    assert Attempt.objects.filter(pk=attempt.pk).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert "SELECT id FROM quizzes_attempt WHERE id = $1" in prepared
    assert not any("LIMIT 1" in statement for statement in prepared)  # the ORM's exists()


def test_database_prepared_false_turns_preparing_off() -> None:
    """Behind a PgBouncer without max_prepared_statements (README, capacity guide)."""
    import subprocess
    import sys

    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'; "
        "from django.conf import settings; "
        "print(settings.DATABASES['default']['OPTIONS'].get('prepare_threshold', 'unset'))"
    )
    url = "postgres://u@127.0.0.1:5432/x"

    def threshold(**env: str) -> str:
        environment = {**os.environ, "DATABASE_URL": url, **env}
        return subprocess.run(
            [sys.executable, "-c", code], env=environment, capture_output=True, text=True,
            check=True,
        ).stdout.strip()  # fmt: skip

    assert threshold() == "0"
    assert threshold(DATABASE_PREPARED="False") == "None"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_kept_cursor_lives_as_long_as_its_connection(django_assert_num_queries):  # type: ignore[no-untyped-def]
    """The answer save's cursor is opened once per connection, and its
    statements are still counted as Django counts its own."""

    def one(value: int):  # type: ignore[no-untyped-def]
        cursor = kept_cursor()
        cursor.execute("SELECT %s::int", [value])
        assert cursor.fetchone() == (value,)
        return cursor.cursor

    with django_assert_num_queries(2):
        first, second = one(1), one(2)
    assert first is second
    first.close()  # closed: a new one
    third = one(3)
    assert third is not first
    connection.close()  # a new connection: a new cursor on it
    fourth = one(4)
    assert fourth is not third and fourth.connection is connection.connection
