"""Overriding an automatic mark: reason, audit, totals, the quiz grade, the course
completion and certificate, and what a later key fix does with it."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from accounts.models import AuditLog
from courses.certificates.models import Certificate
from courses.models import Completion
from quizzes.models import AttemptSlot, QuestionType, QuizGrade
from quizzes.services import (
    fix_key,
    override_slot,
    regrade_version,
    save_answer,
    start_attempt,
    submit_attempt,
)

from ..security.world import configure

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _certificates(settings, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    configure(settings, tmp_path, monkeypatch)


def taken(cast, quiz, responses, capture, user=None):  # type: ignore[no-untyped-def]
    """`user` (the learner) answers the quiz's slots in order and submits; what the
    grading enqueued (completion, certificate) runs."""
    user = user or cast.learner
    attempt = start_attempt(user=user, quiz=quiz)
    for slot, response in zip(attempt.slots.order_by("position"), responses, strict=True):
        if response is not None:
            save_answer(user=user, attempt_id=attempt.pk, slot_id=slot.pk, response=response, seq=1)
    with capture(execute=True):
        return submit_attempt(attempt=attempt, user=user)


@pytest.fixture
def two_singles(cast, make_questions, make_quiz):  # type: ignore[no-untyped-def]
    """A quiz of two single-choice questions (pass mark 60 %), the learner enrolled in
    its one-module course (no lessons: passing the quiz completes the course)."""
    questions = make_questions(types=[QuestionType.SINGLE], copies=2)
    return make_quiz(questions, enrol=[cast.learner], pass_percent=Decimal(60))


def first_slot(attempt):  # type: ignore[no-untyped-def]
    return attempt.slots.select_related("version").order_by("position").first()


def test_override_replaces_the_mark_regrades_and_is_audited(
    cast, two_singles, django_capture_on_commit_callbacks
):
    attempt = taken(
        cast, two_singles, [{"choice": "b"}, {"choice": "a"}], django_capture_on_commit_callbacks
    )
    assert (attempt.percent, attempt.passed) == (50, False)
    slot = first_slot(attempt)

    with django_capture_on_commit_callbacks(execute=True):
        attempt = override_slot(
            actor=cast.trainer_a,
            slot=slot,
            points=Decimal(1),
            reason="Phúc khảo: đề in sai ngày ở phương án B",
        )

    assert (attempt.score, attempt.percent, attempt.passed) == (2, 100, True)
    slot.refresh_from_db()
    assert slot.score == 1 and slot.graded_by == cast.trainer_a and slot.graded_at is not None
    assert slot.override_reason == "Phúc khảo: đề in sai ngày ở phương án B"
    assert slot.is_overridden and slot.automatic_points() == 0
    entry = AuditLog.objects.filter(action=AuditLog.Action.GRADE_CHANGED).latest("pk")
    assert entry.actor == cast.trainer_a and entry.unit == cast.cell_a1
    assert entry.reason == "Phúc khảo: đề in sai ngày ở phương án B"
    assert entry.data["slot"] == slot.pk and entry.data["override"] == "set"
    assert (entry.data["old_points"], entry.data["new_points"]) == ("0.0000", "1")
    assert (entry.data["old_passed"], entry.data["new_passed"]) == (False, True)
    assert entry.data["automatic_points"] == "0.0000"
    grade = QuizGrade.objects.get(user=cast.learner, quiz=two_singles)
    assert (grade.percent, grade.passed) == (100, True)


def test_a_fail_turned_pass_completes_the_course_and_issues_the_certificate(
    cast, two_singles, django_capture_on_commit_callbacks
):
    attempt = taken(
        cast, two_singles, [{"choice": "b"}, {"choice": "a"}], django_capture_on_commit_callbacks
    )
    assert not Completion.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        override_slot(
            actor=cast.trainer_a, slot=first_slot(attempt), points=Decimal(1), reason="Phúc khảo"
        )
    completion = Completion.objects.get(user=cast.learner)
    assert completion.course == two_singles.module.course
    certificate = Certificate.objects.get(completion=completion)
    assert certificate.status == Certificate.Status.VALID and not certificate.needs_review


def test_a_pass_turned_fail_keeps_the_completion_and_flags_the_certificate(
    cast, two_singles, django_capture_on_commit_callbacks
):
    attempt = taken(
        cast, two_singles, [{"choice": "a"}, {"choice": "a"}], django_capture_on_commit_callbacks
    )
    certificate = Certificate.objects.get(user=cast.learner)
    with django_capture_on_commit_callbacks(execute=True):
        attempt = override_slot(
            actor=cast.trainer_a,
            slot=first_slot(attempt),
            points=Decimal(0),
            reason="Học viên nhờ người khác làm câu 1",
        )
    assert (attempt.percent, attempt.passed) == (50, False)
    assert not QuizGrade.objects.get(user=cast.learner).passed
    # Completions are recorded events: the certificate goes to review (or is revoked
    # where the course says so), as after any regrade below the mark.
    assert Completion.objects.filter(user=cast.learner).exists()
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID and certificate.needs_review


def test_override_needs_a_reason_and_a_mark_within_the_points(
    cast, two_singles, django_capture_on_commit_callbacks
):
    attempt = taken(cast, two_singles, [{"choice": "b"}, None], django_capture_on_commit_callbacks)
    slot = first_slot(attempt)
    with pytest.raises(ValidationError) as error:
        override_slot(actor=cast.trainer_a, slot=slot, points=Decimal(1), reason="  ")
    assert list(error.value.message_dict) == ["reason"]
    with pytest.raises(ValidationError):
        override_slot(actor=cast.trainer_a, slot=slot, points=Decimal("1.5"), reason="Phúc khảo")
    with pytest.raises(ValidationError):
        override_slot(actor=cast.trainer_a, slot=slot, points=Decimal(-1), reason="Phúc khảo")
    with pytest.raises(ValidationError):  # nothing to give back to the key yet
        override_slot(actor=cast.trainer_a, slot=slot, points=None, reason="Phúc khảo")
    slot.refresh_from_db()
    assert slot.score == 0 and slot.graded_by is None and slot.override_reason == ""
    assert not AuditLog.objects.filter(action=AuditLog.Action.GRADE_CHANGED).exists()


def test_only_trainers_in_the_learners_scope_may_override(
    cast, two_singles, django_capture_on_commit_callbacks
):
    attempt = taken(cast, two_singles, [{"choice": "b"}, None], django_capture_on_commit_callbacks)
    slot = first_slot(attempt)
    for outsider in (cast.trainer_b, cast.learner, cast.other_learner):
        with pytest.raises(PermissionDenied):
            override_slot(actor=outsider, slot=slot, points=Decimal(1), reason="Phúc khảo")
    slot.refresh_from_db()
    assert slot.score == 0 and slot.graded_by is None
    for insider in (cast.admin, cast.superuser):
        override_slot(actor=insider, slot=slot, points=Decimal("0.5"), reason="Phúc khảo")


def test_essays_and_open_attempts_cannot_be_overridden(cast, make_questions, make_quiz):
    quiz = make_quiz(
        make_questions(types=[QuestionType.ESSAY, QuestionType.SINGLE]), enrol=[cast.learner]
    )
    attempt = start_attempt(user=cast.learner, quiz=quiz)
    slots = {s.version.type: s for s in attempt.slots.select_related("version")}
    essay, single = slots[QuestionType.ESSAY], slots[QuestionType.SINGLE]
    with pytest.raises(ValidationError):
        override_slot(actor=cast.trainer_a, slot=single, points=Decimal(1), reason="Sớm")
    submit_attempt(attempt=attempt, user=cast.learner)
    with pytest.raises(ValidationError), translation.override("vi"):
        try:
            override_slot(actor=cast.trainer_a, slot=essay, points=Decimal(1), reason="Tự luận")
        except ValidationError as error:
            assert "Câu tự luận không có điểm tự động" in error.messages[0]
            raise


def test_giving_the_mark_back_to_the_key_uses_the_current_key(
    cast, two_singles, django_capture_on_commit_callbacks
):
    attempt = taken(
        cast, two_singles, [{"choice": "b"}, {"choice": "a"}], django_capture_on_commit_callbacks
    )
    slot = first_slot(attempt)
    override_slot(actor=cast.trainer_a, slot=slot, points=Decimal(1), reason="Phúc khảo")
    attempt = override_slot(actor=cast.trainer_a, slot=slot, points=None, reason="Nhầm câu")
    slot.refresh_from_db()
    assert slot.score == 0 and slot.graded_by is None and slot.override_reason == ""
    assert (attempt.percent, attempt.passed) == (50, False)
    entry = AuditLog.objects.filter(action=AuditLog.Action.GRADE_CHANGED).latest("pk")
    assert entry.data["override"] == "cleared" and entry.reason == "Nhầm câu"
    assert QuizGrade.objects.get(user=cast.learner).percent == 50


def test_a_key_fix_keeps_the_override_and_says_so(
    cast, two_singles, learners_of_a, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    overridden = taken(cast, two_singles, [{"choice": "b"}, {"choice": "a"}], capture)
    plain = taken(
        cast, two_singles, [{"choice": "b"}, {"choice": "a"}], capture, user=learners_of_a
    )
    slot = first_slot(overridden)
    override_slot(actor=cast.trainer_a, slot=slot, points=Decimal("0.5"), reason="Phúc khảo")
    version = slot.version
    data = dict(version.data)
    data["choices"] = [dict(c, fraction=1 if c["id"] == "b" else 0) for c in data["choices"]]
    with capture(execute=True):  # the regrade task runs (eager)
        fix_key(actor=cast.trainer_a, version=version, data=data, reason="Đáp án nhập nhầm")

    slot.refresh_from_db()
    overridden.refresh_from_db()
    plain.refresh_from_db()
    assert slot.score == Decimal("0.5") and slot.override_reason == "Phúc khảo"
    assert slot.automatic_points() == 1  # what the fixed key would give
    assert overridden.percent == 75
    assert plain.percent == 100  # nobody overrode this one: the key decides
    kept = AuditLog.objects.get(data__regrade_version=version.pk, data__attempt=overridden.pk)
    assert kept.data["kept_overrides"] == [
        {"slot": slot.pk, "points": "0.5000", "automatic_points": "1.0000"}
    ]
    # Running the regrade again changes nothing and loses nothing.
    report = regrade_version(version_id=version.pk, actor=None, reason="Lần nữa")
    assert [e["attempt"] for e in report] == [overridden.pk]
    assert AttemptSlot.objects.get(pk=slot.pk).score == Decimal("0.5")


@pytest.fixture
def learners_of_a(cast, two_singles):  # type: ignore[no-untyped-def]
    """A second learner of cell A1 enrolled in the same course."""
    from courses import services as course_services

    course_services.enrol_user(
        actor=cast.admin, user=cast.other_learner, course=two_singles.module.course
    )
    return cast.other_learner
