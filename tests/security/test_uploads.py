"""Uploads are checked by content and size, stored under generated names and
served as attachments only to people who may see them."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses import authoring

from .world import PNG

pytestmark = pytest.mark.django_db


def test_a_script_renamed_to_png_is_refused(world):
    upload = SimpleUploadedFile("anh.png", b"<script>alert(1)</script>", "image/png")
    with pytest.raises(ValidationError):
        authoring.add_attachment(actor=world.cast.trainer_a, lesson=world.lesson, upload=upload)


def test_an_html_page_is_refused_whatever_its_declared_type(world):
    upload = SimpleUploadedFile("bai.pdf", b"<!doctype html><h1>x</h1>", "application/pdf")
    with pytest.raises(ValidationError):
        authoring.add_attachment(actor=world.cast.trainer_a, lesson=world.lesson, upload=upload)


def test_an_oversized_file_is_refused(world, monkeypatch):
    monkeypatch.setattr(authoring, "MAX_ATTACHMENT_BYTES", len(PNG) - 1)
    upload = SimpleUploadedFile("anh.png", PNG, "image/png")
    with pytest.raises(ValidationError):
        authoring.add_attachment(actor=world.cast.trainer_a, lesson=world.lesson, upload=upload)


def test_stored_name_is_generated_not_taken_from_the_upload(world):
    upload = SimpleUploadedFile("../../etc/passwd.png", PNG, "image/png")
    attachment = authoring.add_attachment(
        actor=world.cast.trainer_a, lesson=world.lesson, upload=upload
    )
    assert "passwd" not in attachment.file.name and ".." not in attachment.file.name
    assert "/" not in attachment.original_name


def test_attachments_are_served_as_downloads_with_no_sniffing(world, login):
    response = login(world.cast.learner).get(
        reverse("frontend:attachment-download", args=[world.attachment.pk])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_attachments_are_not_reachable_by_their_storage_url(world, client, settings):
    """Only the access-checked view serves them: the app serves nothing under MEDIA_URL."""
    from pathlib import Path

    location = Path(world.attachment.file.storage.location)
    assert location.name == "private"
    client.force_login(world.cast.learner_b)
    for url in (
        settings.MEDIA_URL + world.attachment.file.name,
        settings.MEDIA_URL + "private/" + world.attachment.file.name,
    ):
        assert client.get(url).status_code == 404
