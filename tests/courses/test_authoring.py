import io
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses import authoring, services
from courses.markdown import render_markdown
from courses.models import Course, LessonAttachment, Module

from .conftest import lessons_of, modules_of

pytestmark = pytest.mark.django_db


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, list]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.seen.append((tag, attrs))


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[bấm](javascript:alert(1))",
        '<a href="#" onclick="alert(1)">x</a>',
        "<iframe src='https://evil.example'></iframe>",
    ],
)
def test_script_and_handlers_are_removed_from_lesson_html(source):
    parser = _Tags()
    parser.feed(render_markdown(source + "\n\n" + source.join(["<p>", "</p>"])))
    assert not {"script", "iframe", "img"} & {tag for tag, _attrs in parser.seen}
    for _tag, attrs in parser.seen:
        assert not any(name.startswith("on") for name, _value in attrs)
        assert not any(
            (value or "").strip().lower().startswith("javascript") for _n, value in attrs
        )


def test_markdown_formatting_survives_sanitising():
    html = render_markdown("# Tiêu đề\n\n- **một**\n- [liên kết](https://example.org)")
    assert "<h1>Tiêu đề</h1>" in html and "<strong>một</strong>" in html
    assert 'href="https://example.org"' in html and 'rel="noopener noreferrer nofollow"' in html


def test_trainer_builds_and_publishes_a_course_in_the_browser(cast, login):
    client = login(cast.trainer_a)
    response = client.post(
        reverse("frontend:authoring-course-create"),
        {"code": "sh01", "title": "Sinh hoạt chi bộ", "owner_unit": cast.unit_a.pk, "tags": "a, b"},
    )
    course = Course.objects.get(code="SH01")
    assert response.url == reverse("frontend:authoring-course", args=[course.pk])
    assert course.tags == ["a", "b"] and course.issuing_unit == cast.unit_a
    client.post(reverse("frontend:authoring-module-add", args=[course.pk]), {"title": "HP 1"})
    module = Module.objects.get(course=course)
    client.post(
        reverse("frontend:authoring-lesson-create", args=[course.pk, module.pk]),
        {"title": "Bài 1", "body": "Nội dung"},
    )
    client.post(
        reverse("frontend:authoring-course-status", args=[course.pk]), {"status": "published"}
    )
    course.refresh_from_db()
    assert course.is_published and lessons_of(course)[0].title == "Bài 1"
    assert client.get(reverse("frontend:authoring-course", args=[course.pk])).status_code == 200


def test_module_reorder_with_htmx_returns_the_structure_fragment(cast, make_course, login):
    course = make_course(modules=2, publish=False)
    first, second = modules_of(course)
    response = login(cast.trainer_a).post(
        reverse("frontend:authoring-module-move", args=[course.pk, second.pk]),
        {"direction": "up"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and 'id="structure"' in body
    assert [m.pk for m in modules_of(course)] == [second.pk, first.pk]


def test_stale_reorder_of_a_deleted_module_gives_a_message_not_a_500(cast, make_course, login):
    course = make_course(modules=2, publish=False)
    gone = modules_of(course)[0]
    authoring.delete_module(actor=cast.trainer_a, module=gone)
    response = login(cast.trainer_a).post(
        reverse("frontend:authoring-module-move", args=[course.pk, gone.pk]),
        {"direction": "down"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "không còn tồn tại" in response.content.decode()


def test_edit_of_a_deleted_module_redirects_with_a_message(cast, make_course, login):
    course = make_course(modules=2, publish=False)
    gone = modules_of(course)[0]
    authoring.delete_module(actor=cast.trainer_a, module=gone)
    client = login(cast.trainer_a)
    response = client.post(
        reverse("frontend:authoring-module-edit", args=[course.pk, gone.pk]),
        {"title": "x"},
        follow=True,
    )
    assert "không còn tồn tại" in response.content.decode()


def test_stale_reorder_list_is_refused(cast, make_course):
    course = make_course(modules=3, publish=False)
    ids = [m.pk for m in modules_of(course)]
    with pytest.raises(authoring.ValidationError):
        authoring.reorder_modules(actor=cast.trainer_a, course=course, ids=ids[:2])


def test_other_units_trainer_cannot_open_the_builder(cast, make_course, login):
    course = make_course(publish=False)
    client = login(cast.trainer_b)
    assert client.get(reverse("frontend:authoring-course", args=[course.pk])).status_code == 404
    assert login(cast.learner).get(reverse("frontend:authoring-list")).status_code == 403


def test_attaching_a_quiz_to_a_module(cast, make_course, login):
    from quizzes.models import Quiz

    course = make_course(modules=1, publish=False)
    module = modules_of(course)[0]
    quiz = Quiz.objects.create(title="Kiểm tra", owner_unit=cast.unit_a)
    foreign = Quiz.objects.create(title="Khác", owner_unit=cast.unit_b)
    authoring.update_module(actor=cast.trainer_a, module=module, quiz=quiz)
    module.refresh_from_db()
    assert module.quiz == quiz
    with pytest.raises(authoring.PermissionDenied):
        authoring.update_module(actor=cast.trainer_a, module=module, quiz=foreign)


def _pdf(name: str = "nghi-quyet.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_pdf_attachment_is_stored_under_a_generated_name(cast, make_course, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    course = make_course(modules=1, lessons=1)
    lesson = lessons_of(course)[0]
    attachment = authoring.add_attachment(actor=cast.trainer_a, lesson=lesson, upload=_pdf())
    assert attachment.content_type == "application/pdf"
    assert "nghi-quyet" not in attachment.file.name and attachment.file.name.endswith(".pdf")
    assert attachment.original_name == "nghi-quyet.pdf"


def test_wrong_type_is_refused_by_content_not_name(cast, make_course, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    course = make_course(modules=1, lessons=1)
    lesson = lessons_of(course)[0]
    with pytest.raises(authoring.ValidationError):
        authoring.add_attachment(
            actor=cast.trainer_a, lesson=lesson, upload=_pdf("virus.pdf", b"MZ\x90\x00 not a pdf")
        )
    with pytest.raises(authoring.ValidationError):
        authoring.add_attachment(
            actor=cast.trainer_a, lesson=lesson, upload=_pdf("x.pdf", b"<html><script>")
        )
    assert not LessonAttachment.objects.exists()


def test_oversized_attachment_is_refused(cast, make_course, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(authoring, "MAX_ATTACHMENT_BYTES", 10)
    course = make_course(modules=1, lessons=1)
    with pytest.raises(authoring.ValidationError):
        authoring.add_attachment(actor=cast.trainer_a, lesson=lessons_of(course)[0], upload=_pdf())


def test_attachment_is_served_only_to_enrolled_learners_and_trainers(
    cast, make_course, login, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    course = make_course(modules=1, lessons=1)
    attachment = authoring.add_attachment(
        actor=cast.trainer_a, lesson=lessons_of(course)[0], upload=_pdf()
    )
    url = attachment.get_absolute_url()
    assert login(cast.learner).get(url).status_code == 404
    services.enrol_user(actor=cast.trainer_a, user=cast.learner, course=course)
    response = login(cast.learner).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF
    assert login(cast.trainer_a).get(url).status_code == 200
    assert str(tmp_path / "private") not in (settings.MEDIA_URL or "")


def test_attachment_upload_page_reports_refusal(cast, make_course, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    course = make_course(modules=1, lessons=1)
    lesson = lessons_of(course)[0]
    response = login(cast.trainer_a).post(
        reverse("frontend:authoring-attachment-add", args=[course.pk, lesson.pk]),
        {"file": io.BytesIO(b"GIF89a not allowed")},
        follow=True,
    )
    assert "Loại tệp không được phép" in response.content.decode()
    assert not LessonAttachment.objects.exists()
