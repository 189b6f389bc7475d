"""Script pushed through every user-provided text stays inert on every page.

The payload tries each way in: a script element, an event handler, a
`javascript:` link, and htmx attributes that would make the browser fetch or
run something. Each is stored through the fields people fill in, then every
page of the access matrix is rendered for every role and searched for the
payload as live markup (escaped text is fine).
"""

import io
from decimal import Decimal

import pytest

from accounts.models import Unit, User
from courses.certificates.models import Certificate
from courses.models import Course, Lesson, Module
from quizzes.imports import run_import
from quizzes.models import AttemptSlot, QuestionType
from quizzes.services import create_question, grade_slot

from .crawl import page_responses
from .markup import live_markup

pytestmark = pytest.mark.django_db

PAYLOAD = (
    "<script>alert(1)</script><img src=x onerror=alert(2)>"
    '<a href="javascript:alert(3)">x</a><div hx-get="/evil" hx-trigger="load">y</div>'
    '<b hx-on:click="alert(4)">z</b>'
)
MARKDOWN = PAYLOAD + "\n\n[bấm vào đây](javascript:alert(5)) ![ảnh](x onerror=alert(6))"


def poison(world) -> None:  # type: ignore[no-untyped-def]
    cast = world.cast
    User.objects.filter(pk=cast.learner.pk).update(full_name="Nguyễn " + PAYLOAD)
    Unit.objects.filter(pk=cast.cell_a1.pk).update(name="Chi bộ " + PAYLOAD)
    Course.objects.filter(pk=world.course.pk).update(title="Khóa " + PAYLOAD, description=MARKDOWN)
    Module.objects.filter(pk=world.module.pk).update(title="Học phần " + PAYLOAD)
    Lesson.objects.filter(pk=world.lesson.pk).update(title="Bài " + PAYLOAD, body=MARKDOWN)
    Certificate.objects.filter(pk=world.certificate.pk).update(
        learner_name="Nguyễn " + PAYLOAD, course_title="Khóa " + PAYLOAD
    )
    create_question(
        actor=cast.trainer_a,
        category=world.single.category,
        type=QuestionType.SINGLE,
        text=MARKDOWN,
        data={
            "choices": [
                {"id": "a", "text": PAYLOAD, "fraction": 1, "feedback": PAYLOAD},
                {"id": "b", "text": "Không", "fraction": 0},
            ]
        },
    )
    gift = (
        "::Nhập <script>alert(7)</script>::<img src=x onerror=alert(8)> câu hỏi nhập? "
        '{=<a href="javascript:alert(9)">đúng</a> ~sai}\n'
    ).encode()
    run_import(
        upload=io.BytesIO(gift),
        format="gift",
        category_path="Nhập",
        owner_unit=cast.unit_a,
        actor=cast.trainer_a,
    )
    essay = world.essay_slot()
    AttemptSlot.objects.filter(pk=essay.pk).update(response={"text": PAYLOAD})
    grade_slot(actor=cast.trainer_a, slot=essay, points=Decimal(1), comment=PAYLOAD)
    poison_training(world)


def poison_training(world) -> None:  # type: ignore[no-untyped-def]
    from training.models import Registration, SessionMaterial, TrainingSession

    TrainingSession.objects.filter(pk=world.session.pk).update(
        title="Buổi " + PAYLOAD, topic=PAYLOAD, speakers=PAYLOAD, venue="Hội trường " + PAYLOAD
    )
    SessionMaterial.objects.filter(pk=world.material.pk).update(title="Tài liệu " + PAYLOAD)
    SessionMaterial.objects.create(
        session=world.session, title="Liên kết " + PAYLOAD, url="javascript:alert(10)"
    )
    Registration.objects.create(
        session=world.session,
        user=world.cast.other_learner,
        status=Registration.Status.DECLINED,
        decline_reason=PAYLOAD,
    )


def test_payloads_in_every_user_field_render_inert_on_every_page(world):
    poison(world)
    live = []
    seen = 0
    for role, name, url, response in page_responses(world):
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        if getattr(response, "streaming", False):
            continue
        html = response.content.decode()
        seen += "alert(" in html
        live += [f"{url} ({name}) as {role}: {found}" for found in live_markup(html)]
    assert seen > 20, "the payload should reach many pages (as text)"
    assert not live, "\n".join(sorted(set(live)))


def test_certificate_pdf_markup_escapes_names_and_titles(world):
    """The PDF is rendered from HTML by WeasyPrint: live markup there could fetch URLs."""
    from html.parser import HTMLParser

    from courses.certificates.pdf import render_html
    from courses.certificates.services import document_for

    fetch = (
        '<img src="http://169.254.169.254/latest/meta-data/"><link rel=stylesheet href="http://x/">'
    )
    Certificate.objects.filter(pk=world.certificate.pk).update(
        learner_name="Nguyễn <script>alert(1)</script>" + fetch, course_title=PAYLOAD
    )
    world.certificate.refresh_from_db()
    html = render_html(document_for(world.certificate))
    assert not live_markup(html)
    remote = []

    class Remote(HTMLParser):
        def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
            remote.extend(v for k, v in attrs if k in ("src", "href") and v and "://" in v)

    Remote().feed(html)
    assert not remote, remote
