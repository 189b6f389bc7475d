"""A question's image in a real browser, under the site's own CSP (no bypass):
it loads (same origin, img-src 'self'), keeps its alt text and fits a phone."""

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from quizzes.imports import run_import
from quizzes.models import Question
from tests.browser.conftest import (  # noqa: F401  (fixtures)
    AXE,
    CHROMIUM,
    assert_no_horizontal_scroll,
    browser,
    log_in,
    new_page,
    size,
)
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM or not AXE.exists(), reason="needs chromium and axe-core"),
]

FIXTURE = Path(__file__).parents[1] / "fixtures" / "moodle" / "truefalse_with_files.xml"


def test_the_learner_sees_the_imported_image_under_the_csp(
    cast,
    make_quiz,
    new_page,  # noqa: F811
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    run_import(
        upload=io.BytesIO(FIXTURE.read_bytes()),
        format="moodlexml",
        category_path="Từ Moodle",
        owner_unit=cast.unit_a,
        actor=cast.trainer_a,
    )
    quiz = make_quiz(list(Question.objects.all()), enrol=[cast.learner])
    tab = new_page()  # the site's CSP applies
    violations: list[str] = []
    tab.on("console", lambda m: violations.append(m.text) if "Content Security" in m.text else None)
    log_in(tab, "learner", PASSWORD)
    tab.goto(quiz.get_absolute_url())
    tab.get_by_role("button", name="Bắt đầu làm bài").click()
    tab.wait_for_url(re.compile(r"/attempts/\d+/$"))
    image = tab.get_by_role("img", name="Moodle logo")
    expect(image).to_be_visible()
    tab.wait_for_function(
        "() => { const i = document.querySelector('img.question-image');"
        " return i && i.complete && i.naturalWidth > 0; }"
    )
    assert image.evaluate("i => i.naturalWidth") == 16
    assert violations == []
    assert_no_horizontal_scroll(tab)
