"""Certificate fixtures: a published course of unit A and a way to complete it."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from courses import authoring
from courses import services as course_services
from courses.certificates import services as certificate_services
from courses.certificates.models import Certificate
from courses.models import Completion, Course

_TEST_KEY = (
    Ed25519PrivateKey.generate()
    .private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    .decode()
)
_real_render_pdf = certificate_services.render_pdf


@pytest.fixture(autouse=True)
def _certificate_settings(settings, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CERTIFICATE_SIGNING_KEY = _TEST_KEY
    settings.SITE_URL = "http://testserver"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # WeasyPrint takes a while per page; the tests about the PDF itself ask for `real_pdf`.
    monkeypatch.setattr(certificate_services, "render_pdf", lambda doc: b"%PDF-1.7 test\n")


@pytest.fixture
def real_pdf(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(certificate_services, "render_pdf", _real_render_pdf)


@pytest.fixture
def course(cast) -> Course:  # type: ignore[no-untyped-def]
    """A published two-lesson course issued by unit A, valid for 24 months."""
    course = authoring.create_course(
        actor=cast.trainer_a,
        code="XDD01",
        title="Nghiệp vụ công tác xây dựng Đảng",
        owner_unit=cast.unit_a,
        validity_months=24,
    )
    module = authoring.add_module(actor=cast.trainer_a, course=course, title="Học phần 1")
    for i in (1, 2):
        authoring.add_lesson(actor=cast.trainer_a, module=module, title=f"Bài {i}", body="Nội dung")
    authoring.set_status(actor=cast.trainer_a, course=course, status="published")
    course.refresh_from_db()
    return course


def complete_course(user: Any, course: Course, actor: Any) -> Completion:
    """Enrol and finish every lesson through the courses services."""
    course_services.enrol_user(actor=actor, user=user, course=course)
    for module in course.modules.all():
        for lesson in module.lessons.all():
            course_services.mark_lesson_done(user=user, lesson=lesson)
    return Completion.objects.get(user=user, course=course)


@pytest.fixture
def complete(cast, django_capture_on_commit_callbacks) -> Callable[..., Completion]:  # type: ignore[no-untyped-def]
    """complete(user, course) -> Completion; its on-commit work (issuing) runs."""

    def _complete(user: Any, course: Course) -> Completion:
        with django_capture_on_commit_callbacks(execute=True):
            return complete_course(user, course, cast.admin)

    return _complete


@pytest.fixture
def certificate(cast, course, complete) -> Iterator[Certificate]:  # type: ignore[no-untyped-def]
    """The learner's certificate for `course` (issued through the real hook)."""
    complete(cast.learner, course)
    yield Certificate.objects.get(user=cast.learner, course=course)
