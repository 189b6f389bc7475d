"""Export a category or a quiz to GIFT and Moodle XML through the pages a
trainer uses, import the file into a fresh bank: the same questions come
back (types, texts, answers, fractions, tolerances, feedback, categories,
tags; points too in XML, which carries them)."""

import io
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from quizzes.imports import run_import
from quizzes.models import Question, QuestionCategory
from quizzes.services import create_question, ensure_category_path

pytestmark = pytest.mark.django_db


def _names(category: QuestionCategory, root: QuestionCategory) -> str:
    out = []
    node: QuestionCategory | None = category
    while node is not None and node.pk != root.pk:
        out.append(node.name)
        node = node.parent
    return "/".join(reversed(out))


def _strip_ids(value):  # type: ignore[no-untyped-def]
    """Choice/pair ids are regenerated; compare what they point to instead."""
    if isinstance(value, dict):
        data = dict(value)
        data.pop("accent_insensitive", None)  # neither GIFT nor Moodle XML can say it
        if "rights" in data:
            rights = {r["id"]: r["text"] for r in data.pop("rights")}
            data["pairs"] = [(p["left"], rights[p["right_id"]]) for p in data["pairs"]]
            data["rights"] = sorted(rights.values())
        for key in ("choices", "items"):
            if key in data:
                data[key] = [{k: v for k, v in c.items() if k != "id"} for c in data[key]]
        return data
    return value


def _dump(root: QuestionCategory, points: bool) -> list[tuple]:
    rows = []
    for q in (
        Question.objects.filter(category__path__startswith=root.path)
        .select_related("current_version", "category")
        .prefetch_related("tags")
        .order_by("title")
    ):
        v = q.current_version
        rows.append(
            (
                _names(q.category, root),
                q.title,
                v.type,
                v.text,
                _strip_ids(v.data),
                v.points if points else None,
                sorted(t.name for t in q.tags.all()),
            )
        )
    return rows


@pytest.fixture
def source(cast, make_questions, bank):  # type: ignore[no-untyped-def]
    """Every type in the bank, and a subcategory whose name holds a slash,
    with the characters GIFT and XML must escape."""
    for n, q in enumerate(make_questions()):
        Question.objects.filter(pk=q.pk).update(title=f"Câu {n + 1:02d}")
    sub = ensure_category_path(
        names=["Nội dung mẫu", "Nghị quyết 4", "Nghị quyết 04-NQ/TW"], owner_unit=cast.unit_a
    )
    create_question(
        actor=cast.trainer_a,
        category=sub,
        type="single",
        title="Câu 99 {khó}",
        text="Dấu = ~ # { } : \\ và <b>thẻ</b> & “ngoặc” có giữ?\nDòng hai.",
        points=Decimal("2.5"),
        tags=["Đặc biệt", "NQ4"],
        data={
            "choices": [
                {"text": "a=b ~ c", "fraction": 1, "feedback": "Đúng #1"},
                {"text": "{x}: y", "fraction": 0.5, "feedback": ""},
                {"text": "Sai <i>hẳn</i>", "fraction": -1 / 3, "feedback": "Không & không"},
            ],
            "feedback": "Chung: 100%",
        },
    )
    create_question(
        actor=cast.trainer_a,
        category=sub,
        type="numeric",
        title="Câu 98 số",
        text="Bao nhiêu?",
        data={
            "answers": [
                {"value": 3.14, "tolerance": 0.005, "fraction": 1, "feedback": "Đúng"},
                {"value": 3, "tolerance": 0.5, "fraction": 0.5, "feedback": "Gần đúng"},
            ],
            "feedback_wrong": "Sai hoàn toàn",
        },
    )
    return bank


@pytest.mark.parametrize("fmt", ["gift", "moodlexml"])
def test_category_export_imports_back_into_a_fresh_bank(cast, login, source, fmt):
    client = login(cast.trainer_a)
    response = client.get(f"/bank/export/{fmt}/?category={source.pk}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    body = response.content
    if fmt == "moodlexml":
        ET.fromstring(body)  # well-formed
        text = body.decode()
        assert 'fraction="-33.33333"' in text and "$course$/top/Nghị quyết 4" in text
        assert "04-NQ//TW" in text  # a slash in a name doubled, as Moodle writes it
    else:
        assert "$CATEGORY: $course$/top/Nghị quyết 4/Nghị quyết 04-NQ//TW" in body.decode()
    report = run_import(
        upload=io.BytesIO(body),
        format=fmt,
        category_path="Khôi phục",
        owner_unit=cast.unit_b,
        actor=cast.trainer_b,
    )
    fresh = QuestionCategory.objects.get(name="Khôi phục", owner_unit=cast.unit_b)
    # The exported category itself comes across under the fresh root.
    copy = QuestionCategory.objects.get(name="Nghị quyết 4", parent=fresh)
    before = _dump(source, points=fmt == "moodlexml")
    if fmt == "gift":
        # GIFT has no ordering questions, and no place for an essay's marking guide.
        before = [row for row in before if row[2] != "ordering"]
        for row in before:
            row[4].pop("rubric", None)
    assert report.created == len(before) > 8
    after = _dump(copy, points=fmt == "moodlexml")
    if fmt == "gift":
        for row in after:
            row[4].pop("rubric", None)
    assert after == before


@pytest.mark.parametrize("fmt", ["gift", "moodlexml"])
def test_quiz_export_holds_its_fixed_questions_only(cast, login, make_questions, make_quiz, fmt):
    questions = make_questions(types=["single", "numeric", "essay"])
    quiz = make_quiz(questions[:2])
    body = login(cast.trainer_a).get(f"/bank/export/{fmt}/?quiz={quiz.pk}").content.decode()
    texts = [q.current_version.text for q in questions]
    assert texts[0].split()[0] in body and texts[1].split()[0] in body
    assert texts[2] not in body
    assert login(cast.trainer_b).get(f"/bank/export/{fmt}/?quiz={quiz.pk}").status_code == 404


@pytest.mark.parametrize("fmt", ["gift", "moodlexml"])
def test_category_export_leaves_out_questions_the_trainer_cannot_see(cast, login, fmt):
    """A bloc-wide category is shared with every trainer under the bloc, but a
    subcategory one unit owns is that unit's: exporting the shared root must
    not hand its questions (and keys) to another unit's trainer."""
    root = ensure_category_path(path="Dùng chung", owner_unit=cast.bloc)
    mine = QuestionCategory.objects.create(name="Của A", parent=root, owner_unit=cast.unit_a)
    theirs = QuestionCategory.objects.create(name="Của B", parent=root, owner_unit=cast.unit_b)
    for category, text, actor in (
        (mine, "Câu hỏi của đơn vị A", cast.trainer_a),
        (theirs, "Câu hỏi riêng của đơn vị B", cast.trainer_b),
    ):
        create_question(
            actor=actor,
            category=category,
            type="truefalse",
            text=text,
            data={"answer": True},
        )
    body = login(cast.trainer_a).get(f"/bank/export/{fmt}/?category={root.pk}").content.decode()
    assert "Câu hỏi của đơn vị A" in body
    assert "riêng của đơn vị B" not in body
