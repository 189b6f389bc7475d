"""Invisible format characters (zero-width, bidi overrides, BOM) never reach storage.

They make "Nguy\u200bễn" look like "Nguyễn" while matching nothing, and U+202E turns
the rest of a line around on screen. Names and titles drop them on input, from
forms, services and imports alike, and stay NFC.
"""

import io
import unicodedata

import pytest

from accounts.imports import import_users
from accounts.models import User
from accounts.services import create_unit, create_user
from courses import authoring
from quizzes.imports import run_import
from quizzes.models import Question

from .test_import import xlsx

pytestmark = pytest.mark.django_db

SNEAKY = "Nguy\u200bễn Văn\u2060 \u202eAn\ufeff"
CLEAN = "Nguyễn Văn An"


def _decomposed(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_user_names_drop_format_characters_and_stay_nfc(cast):
    user = create_user(
        actor=cast.admin, username="an", full_name=_decomposed(SNEAKY), unit=cast.cell_a1
    )
    user.refresh_from_db()
    assert user.full_name == CLEAN


def test_people_search_ignores_accents_and_hidden_characters(cast, login):
    create_user(actor=cast.admin, username="an", full_name=SNEAKY, unit=cast.cell_a1)
    page = login(cast.admin).get("/users/", {"q": "nguyen van"}).content.decode()
    assert CLEAN in page


def test_unit_and_course_titles_drop_format_characters(cast):
    unit = create_unit(
        actor=cast.admin, parent=cast.unit_a, name="Chi bộ\u200b A2\u202e", code="A2", kind="cell"
    )
    assert unit.name == "Chi bộ A2"
    course = authoring.create_course(
        actor=cast.trainer_a,
        code="ZW1",
        title="Sinh hoạt\u200b chi bộ\u202d",
        owner_unit=cast.unit_a,
    )
    course.refresh_from_db()
    assert course.title == "Sinh hoạt chi bộ"


def test_imports_drop_format_characters(cast):
    result = import_users(xlsx([[SNEAKY, "an2", "", "", "A1", "học viên", ""]]), actor=cast.admin)
    assert result.problems == []
    assert User.objects.get(username="an2").full_name == CLEAN
    gift = "::Câu\u200b 1:: Nghị quyết\u202e 4 ban hành năm 2016. {T}\n".encode()
    run_import(
        upload=io.BytesIO(gift),
        format="gift",
        category_path="Nhập",
        owner_unit=cast.unit_a,
        actor=cast.trainer_a,
    )
    question = Question.objects.get()
    assert "\u200b" not in question.title and "\u202e" not in question.current_version.text
