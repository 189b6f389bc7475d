"""Issuing: after commit, once per completion, with serial, code, expiry and notice."""

import re
from datetime import date, timedelta

import pytest
from celery import shared_task
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from courses.certificates import codes, services
from courses.certificates.models import Certificate, add_months
from courses.models import Completion, Notice

from .conftest import complete_course

pytestmark = pytest.mark.django_db


def test_completing_a_course_issues_a_certificate_after_commit(cast, course, complete):
    completion = complete(cast.learner, course)
    certificate = Certificate.objects.get(completion=completion)
    assert certificate.status == "valid"
    assert certificate.learner_name == "Nguyễn Thị Hồng Nhung"
    assert certificate.course_title == course.title
    assert certificate.issuing_unit == course.issuing_unit == cast.unit_a
    assert certificate.issuing_unit_name == "Đảng bộ A"
    assert re.fullmatch(r"BD-A-\d{4}-\d{6}", certificate.serial)
    assert codes.normalize(certificate.code) == certificate.code
    assert certificate.expires_on == add_months(certificate.completed_on, 24)
    assert certificate.pdf.name.endswith(".pdf")
    assert certificate.notified_at is not None


def test_nothing_is_enqueued_before_the_completion_commits(
    cast, course, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        complete_course(cast.learner, course, cast.trainer_a)
    assert Certificate.objects.count() == 0
    assert len(callbacks) >= 1


def test_a_rolled_back_completion_issues_nothing(cast, course, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        complete_course(cast.learner, course, cast.trainer_a)
        raise RuntimeError("the request failed after completing")
    assert callbacks == []
    assert Completion.objects.count() == 0
    assert Certificate.objects.count() == 0


def test_issuing_twice_gives_the_same_certificate(cast, course, complete):
    completion = complete(cast.learner, course)
    first = Certificate.objects.get(completion=completion)
    again = services.deliver(completion_id=completion.pk)
    assert again == first
    assert Certificate.objects.filter(completion=completion).count() == 1
    assert Notice.objects.filter(user=cast.learner, url="/certificates/").count() == 1
    assert len(mail.outbox) == 1


def test_the_database_refuses_a_second_valid_certificate_for_a_completion(cast, certificate):
    twin = Certificate(
        completion=certificate.completion,
        user=certificate.user,
        course=certificate.course,
        issuing_unit=certificate.issuing_unit,
        serial="BD-2026-999999",
        code=codes.generate(),
        learner_name="x",
        course_title="x",
        issuing_unit_name="x",
        completed_on=certificate.completed_on,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_serials_count_up_per_issuing_unit_and_year(cast, course, complete):
    complete(cast.learner, course)
    complete(cast.other_learner, course)
    serials = sorted(Certificate.objects.values_list("serial", flat=True))
    year = date.today().year
    assert serials == [f"BD-A-{year}-000001", f"BD-A-{year}-000002"]


def test_name_is_taken_as_it_stands_at_issue_time(cast, course, complete):
    cast.learner.full_name = "Nguye\u0302\u0303n Thi\u0323 Ho\u0302\u0300ng Nhung"  # typed as NFD
    cast.learner.save()
    completion = complete(cast.learner, course)
    certificate = Certificate.objects.get(completion=completion)
    assert certificate.learner_name == "Nguyễn Thị Hồng Nhung"
    cast.learner.full_name = "Nguyễn Thị Hồng Nhung Mới"
    cast.learner.save()
    certificate.refresh_from_db()
    assert certificate.learner_name == "Nguyễn Thị Hồng Nhung"


def test_a_course_without_validity_period_gives_no_expiry(cast, course, complete):
    course.validity_months = None
    course.save()
    completion = complete(cast.learner, course)
    assert Certificate.objects.get(completion=completion).expires_on is None


def test_broker_down_does_not_fail_the_completion_and_the_sweeper_issues_later(
    cast, course, complete, monkeypatch
):
    from courses.certificates import tasks

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ConnectionError("Redis is down")

    with monkeypatch.context() as patch:
        patch.setattr(tasks.issue_certificate, "apply_async", refuse)
        completion = complete(cast.learner, course)
    assert Certificate.objects.count() == 0
    assert services.missing_completions(older_than_seconds=0) == [completion.pk]

    result = services.sweep(older_than_seconds=0)
    assert result["completions"] == 1
    assert Certificate.objects.filter(completion=completion, status="valid").count() == 1
    assert services.sweep(older_than_seconds=0) == {"completions": 0, "pdfs": 0}


def test_sweeper_waits_from_when_the_completion_was_recorded(cast, course, complete, monkeypatch):
    from courses.certificates import tasks

    with monkeypatch.context() as patch:
        patch.setattr(tasks.issue_certificate, "apply_async", lambda *a, **k: None)  # still queued
        completion = complete(cast.learner, course)
    Completion.objects.filter(pk=completion.pk).update(
        completed_at=timezone.now() - timedelta(hours=1)  # dated at the learner's last step
    )
    assert services.missing_completions() == []  # its task may still be on its way
    Completion.objects.filter(pk=completion.pk).update(
        recorded_at=timezone.now() - timedelta(seconds=61)
    )
    assert services.missing_completions() == [completion.pk]


def test_sweeper_task_renders_missing_pdfs(cast, certificate):
    from courses.certificates.tasks import sweep_certificates

    Certificate.objects.filter(pk=certificate.pk).update(pdf="")
    assert sweep_certificates.delay().get() == {"completions": 0, "pdfs": 1}
    certificate.refresh_from_db()
    assert certificate.pdf


def test_add_months_clamps_to_month_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2026, 11, 15), 24) == date(2028, 11, 15)


def test_pdf_rendering_can_go_to_a_queue_of_its_own(settings, monkeypatch):
    from courses.certificates import tasks

    sent = []
    monkeypatch.setattr(tasks.issue_certificate, "apply_async", lambda **kw: sent.append(kw))
    monkeypatch.setattr(tasks.render_certificate_pdf, "apply_async", lambda **kw: sent.append(kw))
    settings.CERTIFICATES_QUEUE = "certificates"
    settings.CERTIFICATES_RENDER_QUEUE = "pdf"
    assert services.enqueue("issue", 1) and services.enqueue("render", 2)
    assert [(s["args"], s["queue"]) for s in sent] == [([1], "certificates"), ([2], "pdf")]


def _publishing(monkeypatch):  # type: ignore[no-untyped-def]
    """Record the certificate tasks published instead of running them."""
    from courses.certificates import tasks

    sent = []
    for name in ("issue_certificate", "render_certificate_pdf"):
        task = getattr(tasks, name)
        monkeypatch.setattr(task, "apply_async", lambda *a, _n=name, **kw: sent.append(_n))
    return sent


_TASK_BODIES: list = []  # type: ignore[type-arg]


@shared_task(name="tests.certificates.run_in_a_task")
def _run_in_a_task() -> None:
    _TASK_BODIES.pop()()


def _in_a_task(call, capture):  # type: ignore[no-untyped-def]
    """Run `call` as the body of a Celery task (eager, as a worker would), its
    on-commit callbacks run at its end, inside the task, as at a real commit."""

    def body() -> None:
        with capture(execute=True):
            call()

    _TASK_BODIES.append(body)
    _run_in_a_task.apply().get()


def test_a_completion_in_a_task_issues_in_the_same_invocation(
    cast, course, monkeypatch, django_capture_on_commit_callbacks
):
    """Issue 20: the completion task issues the row itself (no second task to
    publish and run); only the PDF goes to a task of its own."""
    sent = _publishing(monkeypatch)
    _in_a_task(
        lambda: complete_course(cast.learner, course, cast.trainer_a),
        django_capture_on_commit_callbacks,
    )
    certificate = Certificate.objects.get(user=cast.learner)
    assert certificate.status == "valid" and not certificate.pdf
    assert sent == ["render_certificate_pdf"]


def test_a_completion_outside_a_task_publishes_the_issue_task(
    cast, course, settings, monkeypatch, django_capture_on_commit_callbacks
):
    sent = _publishing(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(cast.learner, course, cast.trainer_a)  # a request, not a task
    assert sent == ["issue_certificate"]
    assert not Certificate.objects.exists()


def test_with_an_issuing_queue_a_task_publishes_the_issue_task(
    cast, course, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.CERTIFICATES_QUEUE = "certificates"
    sent = _publishing(monkeypatch)
    _in_a_task(
        lambda: complete_course(cast.learner, course, cast.trainer_a),
        django_capture_on_commit_callbacks,
    )
    assert sent == ["issue_certificate"]
    assert not Certificate.objects.exists()


def test_if_issuing_in_the_task_fails_the_issue_task_is_published(
    cast, course, monkeypatch, django_capture_on_commit_callbacks
):
    sent = _publishing(monkeypatch)

    def broken(**kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "deliver", broken)
    _in_a_task(
        lambda: complete_course(cast.learner, course, cast.trainer_a),
        django_capture_on_commit_callbacks,
    )
    assert sent == ["issue_certificate"]
    assert Completion.objects.filter(user=cast.learner).count() == 1


@pytest.mark.parametrize("counter", ["new", "existing"])
def test_issuing_runs_constant_queries(
    counter, cast, course, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    """The completion, any certificate it has, the serial counter (one upsert that
    creates or increments it, issue 20) and the insert; plus the savepoints
    around the insert and this test's transaction."""
    if counter == "existing":
        services._next_serial(course.issuing_unit, timezone.localdate().year)
    with django_capture_on_commit_callbacks(execute=False):
        completion = complete_course(cast.learner, course, cast.trainer_a)
    with django_assert_max_num_queries(8):
        certificate = services.issue_certificate(completion_id=completion.pk)
    assert certificate is not None and certificate.serial.endswith(
        "000002" if counter == "existing" else "000001"
    )
