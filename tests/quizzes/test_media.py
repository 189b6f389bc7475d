"""Images of questions: imported from Moodle XML's base64 <file> elements,
kept as QuestionMedia, shown on the learner's pages through an access-checked
view, kept by edits, refused when not an image, written back on export."""

from __future__ import annotations

import base64
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from quizzes import media
from quizzes.imports import ImportFailed, run_import
from quizzes.imports.export import export_moodle_xml
from quizzes.models import Attempt, Question, QuestionMedia
from quizzes.services import edit_question, submit_attempt

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parents[1] / "fixtures" / "moodle" / "truefalse_with_files.xml"
LOGO = re.search(rb'<file name="logo.jpg" encoding="base64">([^<]+)</file>', FIXTURE.read_bytes())


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    yield
    for stored in QuestionMedia.objects.all():
        stored.file.delete(save=False)


def _import(cast, body: bytes, path: str = "Từ Moodle") -> list[Question]:  # type: ignore[no-untyped-def]
    run_import(
        upload=io.BytesIO(body),
        format="moodlexml",
        category_path=path,
        owner_unit=cast.unit_a,
        actor=cast.trainer_a,
    )
    return list(Question.objects.filter(category__name="TrueFalse").order_by("pk"))


def _start(client, quiz) -> Attempt:  # type: ignore[no-untyped-def]
    res = client.post(reverse("frontend:quiz-attempt-start", args=[quiz.pk]))
    assert res.status_code == 302
    return Attempt.objects.get(pk=int(res["Location"].rstrip("/").split("/")[-1]))


def test_moodle_images_are_stored_and_shown_to_the_learner(cast, login, make_quiz, settings):
    (question,) = _import(cast, FIXTURE.read_bytes())
    assert LOGO is not None
    logo = base64.b64decode(b"".join(LOGO.group(1).split()))
    stored = QuestionMedia.objects.get(question=question)
    # Only the image the question text refers to; the feedback images stay descriptions.
    assert (stored.name, stored.size) == ("logo.jpg", len(logo))
    assert stored.content_type == "image/png"  # from the bytes: Moodle's file is a PNG
    assert stored.file.read() == logo
    # In the private storage (outside what the web server serves), under a generated name.
    assert stored.file.path.startswith(str(settings.MEDIA_ROOT / "private" / "quizzes"))
    assert not stored.file.name.endswith("logo.jpg")
    assert question.current_version.text == (
        "Moodle ![Moodle logo](media:logo.jpg) is an acronym for "
        "Modular Object-Oriented Dynamic Learning Education."
    )

    quiz = make_quiz([question], enrol=[cast.learner, cast.other_learner])
    client = login(cast.learner)
    attempt = _start(client, quiz)
    src = reverse("frontend:quiz-question-media", args=[question.pk, "logo.jpg"])
    page = client.get(reverse("frontend:quiz-attempt", args=[attempt.pk])).content.decode()
    assert f'<img class="question-image" src="{src}" alt="Moodle logo">' in page
    assert "(media:" not in page

    image = client.get(src)
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    assert image["X-Content-Type-Options"] == "nosniff"
    assert b"".join(image.streaming_content) == logo

    # The result page shows it too.
    submit_attempt(attempt=attempt, user=cast.learner)
    result = client.get(reverse("frontend:quiz-result", args=[attempt.pk])).content.decode()
    assert f'src="{src}" alt="Moodle logo"' in result

    # A learner without the question, a trainer of another unit: nothing.
    assert login(cast.other_learner).get(src).status_code == 404
    assert login(cast.trainer_b).get(src).status_code == 404
    # The trainer's preview of the quiz shows it, and the trainer may load it.
    trainer = login(cast.trainer_a)
    assert trainer.get(src).status_code == 200
    preview = trainer.post(reverse("frontend:quiz-preview", args=[quiz.pk]), follow=True)
    assert f'<img class="question-image" src="{src}" alt="Moodle logo">' in preview.content.decode()
    # ...and the grader's view of the learner's attempt.
    graded = trainer.get(reverse("frontend:grading-attempt", args=[attempt.pk]))
    assert f'src="{src}" alt="Moodle logo"' in graded.content.decode()
    missing = reverse("frontend:quiz-question-media", args=[question.pk, "infos.jpg"])
    assert trainer.get(missing).status_code == 404


def test_an_edit_keeps_the_image(cast, login, make_quiz):
    (question,) = _import(cast, FIXTURE.read_bytes())
    quiz = make_quiz([question], enrol=[cast.learner])
    client = login(cast.learner)
    attempt = _start(client, quiz)  # the first version is now in use: an edit makes a second
    version = edit_question(
        actor=cast.trainer_a,
        question=question,
        type=question.current_version.type,
        text=question.current_version.text + " (sửa)",
        data=question.current_version.data,
        points=Decimal(1),
    )
    assert version.number == 2
    src = reverse("frontend:quiz-question-media", args=[question.pk, "logo.jpg"])
    assert str(media.render(version.text, question.pk)).startswith(
        f'Moodle <img class="question-image" src="{src}" alt="Moodle logo"> is'
    )
    assert QuestionMedia.objects.filter(question=question).count() == 1
    page = client.get(reverse("frontend:quiz-attempt", args=[attempt.pk])).content.decode()
    assert f'src="{src}" alt="Moodle logo"' in page
    assert client.get(src).status_code == 200


def test_a_payload_that_is_not_an_image_is_refused(cast):
    body = FIXTURE.read_bytes().replace(
        LOGO.group(1), base64.b64encode(b"<?php echo 'not an image'; ?>")
    )
    with pytest.raises(ImportFailed) as failed:
        _import(cast, body)
    messages = [p.message for p in failed.value.problems]
    assert messages == ["Tệp “logo.jpg” không phải hình PNG, JPEG, GIF hoặc WebP."]
    assert not Question.objects.exists() and not QuestionMedia.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [b"GIF? no, text", b"<svg onload=alert(1)></svg>", b"\x89PNG but not quite", b"RIFF1234WAVE"],
)
def test_check_image_wants_a_real_signature(payload):
    with pytest.raises(ValidationError):
        media.check_image("x.png", payload)


def test_text_is_escaped_around_images():
    html = media.render('<script>x</script> ![a"b](media:x.png)\nline', 7)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'alt="a&quot;b"' in html and "<br>line" in html
    assert media.render("![Sơ đồ](media:x.png)", None) == "[Hình: Sơ đồ]"
    # A hand-written name with a slash cannot be a media's: its description, not a 500.
    assert media.render("![Sơ đồ](media:a%2Fb.png)", 7) == "[Hình: Sơ đồ]"


def test_export_writes_the_image_back_and_it_round_trips(cast):
    (question,) = _import(cast, FIXTURE.read_bytes())
    original = QuestionMedia.objects.get(question=question).file.read()
    xml = export_moodle_xml([question])
    assert '<img src="@@PLUGINFILE@@/logo.jpg" alt="Moodle logo"' in xml.replace(
        "&lt;", "<"
    ).replace("&gt;", ">").replace("&quot;", '"')
    assert '<file name="logo.jpg" path="/" encoding="base64">' in xml
    Question.objects.all().update(is_active=False)
    run_import(
        upload=io.BytesIO(xml.encode()),
        format="moodlexml",
        category_path="Bản sao",
        owner_unit=cast.unit_a,
        actor=cast.trainer_a,
    )
    copy = Question.objects.exclude(pk=question.pk).get()
    assert copy.current_version.text == question.current_version.text
    again = QuestionMedia.objects.get(question=copy)
    assert again.file.read() == original and again.content_type == "image/png"


def test_web_preview_then_import_keeps_the_image_and_refuses_a_fake_one(cast, login):
    client = login(cast.trainer_a)
    with open(FIXTURE, "rb") as f:
        preview = client.post(
            "/bank/import/",
            {
                "file": f,
                "format": "moodlexml",
                "category": "Từ Moodle",
                "owner_unit": cast.unit_a.pk,
            },
        )
    assert preview.status_code == 200 and not QuestionMedia.objects.exists()
    assert "[Hình: Moodle logo]" in preview.content.decode()  # the excerpt names the image
    done = client.post("/bank/import/confirm/", {"token": preview.context["token"]})
    assert done.status_code == 302
    assert QuestionMedia.objects.get().name == "logo.jpg"

    fake = FIXTURE.read_bytes().replace(LOGO.group(1), base64.b64encode(b"GIF? no, text"))
    refused = client.post(
        "/bank/import/",
        {
            "file": SimpleUploadedFile("fake.xml", fake, "text/xml"),
            "format": "moodlexml",
            "category": "Từ Moodle",
            "owner_unit": cast.unit_a.pk,
        },
    )
    assert "Tệp “logo.jpg” không phải hình PNG, JPEG, GIF hoặc WebP." in refused.content.decode()
    assert "token" not in refused.context or not refused.context["token"]


def test_api_import_keeps_the_image(cast, api):
    client = api(cast.trainer_a)
    with open(FIXTURE, "rb") as f:
        res = client.post(
            "/api/questions/import/", {"file": f, "format": "moodlexml", "category": "API"}
        )
    assert res.status_code in (200, 201), res.json()
    stored = QuestionMedia.objects.get()
    assert (stored.name, stored.content_type) == ("logo.jpg", "image/png")


def test_media_view_query_budget(cast, login, make_quiz, django_assert_max_num_queries):
    (question,) = _import(cast, FIXTURE.read_bytes())
    quiz = make_quiz([question], enrol=[cast.learner])
    client = login(cast.learner)
    _start(client, quiz)
    src = reverse("frontend:quiz-question-media", args=[question.pk, "logo.jpg"])
    client.get(src)  # warm the session
    with django_assert_max_num_queries(4):
        assert client.get(src).status_code == 200


def test_the_command_import_keeps_the_image(cast):
    from django.core.management import call_command

    call_command(
        "import_questions",
        str(FIXTURE),
        "--format",
        "moodlexml",
        "--category",
        "KT",
        "--unit",
        cast.unit_a.code,
        stdout=io.StringIO(),
    )
    assert QuestionMedia.objects.get().name == "logo.jpg"


def test_a_failed_import_leaves_no_image_file(cast, settings, monkeypatch):
    from quizzes import services

    body = FIXTURE.read_bytes()
    start, end = body.index(b"<!-- question: 2284"), body.index(b"</quiz>")
    twice = body[:end] + body[start:end] + body[end:]
    real, calls = services.create_question, []

    def failing_second(**kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return real(**kwargs)

    monkeypatch.setattr(services, "create_question", failing_second)
    with pytest.raises(RuntimeError):
        _import(cast, twice)
    assert not Question.objects.exists() and not QuestionMedia.objects.exists()
    folder = settings.MEDIA_ROOT / "private" / "quizzes" / "media"
    assert len(calls) == 2 and (not folder.exists() or not any(folder.iterdir()))


def test_deleting_the_question_deletes_its_image_file(cast, django_capture_on_commit_callbacks):
    (question,) = _import(cast, FIXTURE.read_bytes())
    stored = QuestionMedia.objects.get()
    path = Path(stored.file.path)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        question.delete()
    assert not QuestionMedia.objects.exists() and not path.exists()


def test_the_editor_lists_the_question_images_with_their_code(cast, login):
    (question,) = _import(cast, FIXTURE.read_bytes())
    page = login(cast.trainer_a).get(reverse("frontend:quiz-question-edit", args=[question.pk]))
    html = page.content.decode()
    src = reverse("frontend:quiz-question-media", args=[question.pk, "logo.jpg"])
    assert f'<img class="question-image" src="{src}" alt="logo.jpg">' in html
    assert '<code translate="no">![](media:logo.jpg)</code>' in html
    assert "![Moodle logo](media:logo.jpg)" in html  # the text as written, in the textarea
