"""Each course sets its own title, signatory and images; only its authors may."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from courses.certificates.models import CertificateSettings
from courses.certificates.services import document_for

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 0, 0)).save(out, "PNG")
    return out.getvalue()


def test_course_author_sets_title_signatory_and_seal(login, cast, course, certificate):
    client = login(cast.trainer_a)
    response = client.post(
        f"/certificates/courses/{course.pk}/",
        {
            "title": "Chứng nhận hoàn thành",
            "place": "Ninh Bình",
            "signatory_title": "T/M Ban Thường vụ\nPhó Bí thư",
            "signatory_name": "Lê Văn Tâm",
            "on_failed_regrade": "revoke",
            "reminder_days": 45,
            "seal": SimpleUploadedFile("seal.png", _png(), "image/png"),
        },
    )
    assert response.status_code == 302
    style = CertificateSettings.objects.get(course=course)
    assert style.seal and style.on_failed_regrade == "revoke"
    doc = document_for(certificate)
    assert doc.title == "Chứng nhận hoàn thành"
    assert doc.signatory_name == "Lê Văn Tâm"
    assert doc.place == "Ninh Bình"
    assert doc.seal.startswith("data:image/png;base64,")


def test_non_images_are_refused_with_a_clear_message(login, cast, course):
    response = login(cast.trainer_a).post(
        f"/certificates/courses/{course.pk}/",
        {
            "on_failed_regrade": "flag",
            "reminder_days": 30,
            "signature": SimpleUploadedFile("sig.png", b"<svg onload=alert(1)>", "image/png"),
        },
    )
    assert response.status_code == 400
    assert not CertificateSettings.objects.filter(course=course).exists()


@pytest.mark.parametrize("who", ["trainer_b", "learner"])
def test_others_cannot_open_a_courses_certificate_settings(login, cast, course, who):
    client = login(getattr(cast, who))
    assert client.get(f"/certificates/courses/{course.pk}/").status_code == 404
    assert client.get(f"/certificates/courses/{course.pk}/preview.pdf").status_code == 404


def test_preview_is_a_pdf(login, cast, course):
    response = login(cast.trainer_a).get(f"/certificates/courses/{course.pk}/preview.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_trainers_find_their_courses_certificate_forms(login, cast, course):
    page = login(cast.trainer_a).get("/certificates/courses/").content.decode()
    assert f"/certificates/courses/{course.pk}/" in page
    assert course.title not in login(cast.trainer_b).get("/certificates/courses/").content.decode()
    assert login(cast.learner).get("/certificates/courses/").status_code == 403
