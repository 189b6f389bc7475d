"""Moodle's own GIFT and XML files (tests/fixtures/moodle, see its README)
import as Moodle imports them: types, answers, fractions, tolerances,
feedback, categories, tags and embedded files."""

from pathlib import Path

import pytest

from quizzes.imports import ImportFailed, parse, run_import
from quizzes.models import Question, QuestionCategory
from quizzes.scoring import feedback, fraction

pytestmark = pytest.mark.django_db

MOODLE = Path(__file__).parents[1] / "fixtures" / "moodle"


def _parse(name: str, fmt: str):  # type: ignore[no-untyped-def]
    with open(MOODLE / name, "rb") as f:
        result = parse(f, fmt)
    assert result.problems == []
    return result


def test_gift_documentation_examples_all_import():
    result = _parse("examples.gift.txt", "gift")
    by_line = {q.line: q for q in result.questions}
    assert len(result.questions) == 43
    # Multiple choice, missing word: the blank stands where the answers stood.
    assert by_line[10].text == "Grant is _____ in Grant's tomb."
    assert [c["fraction"] for c in by_line[10].data["choices"]] == [0, 1, 0]
    # Short answer, true/false, matching.
    assert by_line[45].type == "short" and by_line[45].text == "Two plus two equals _____."
    assert [a["text"] for a in by_line[45].data["answers"]] == ["four", "4"]
    assert by_line[49].type == "truefalse" and by_line[49].data["answer"] is False
    capitals = by_line[61].data
    assert {
        p["left"]: r["text"]
        for p in capitals["pairs"]
        for r in capitals["rights"]
        if r["id"] == p["right_id"]
    } == {"Canada": "Ottawa", "Italy": "Rome", "Japan": "Tokyo", "India": "New Delhi"}
    # Numeric: exact, tolerance, range, several answers with partial credit.
    assert by_line[70].data["answers"][0] | {"feedback": ""} == {
        "value": 1822,
        "tolerance": 0,
        "fraction": 1.0,
        "feedback": "",
    }
    assert by_line[72].data["answers"][0]["tolerance"] == 0.0005
    assert by_line[74].data["answers"][0]["value"] == pytest.approx(3.1415)
    assert [(a["tolerance"], a["fraction"]) for a in by_line[76].data["answers"]] == [
        (0, 1.0),
        (2, 0.5),
    ]
    # Titles, per-answer feedback, [markdown], percentage weights.
    assert by_line[90].title == "Kanji Origins"
    assert by_line[98].data["choices"][2]["feedback"] == "Very good!"
    assert by_line[108].text == "Who's buried in **Grant's tomb**?"
    assert by_line[113].data["feedback_true"] == "No one is buried in Grant's tomb."
    assert [c["fraction"] for c in by_line[117].data["choices"]] == [0, 0.25, 0.5, 1]
    assert [c["fraction"] for c in by_line[136].data["choices"]] == [-0.5, 0.5, 0.5, -0.5]
    assert by_line[130].type == "multiple"
    # Escaped control characters.
    assert [c["text"] for c in by_line[143].data["choices"]] == ["= 2 + 2", "= 2 + 3", "= 2 + 4"]
    control = by_line[148].data["choices"]
    assert [c["text"] for c in control] == ["~", "=", "#", "{", "}", "\\"]
    assert control[5]["fraction"] == 1 and control[0]["feedback"] == "~ is a control character."
    # Multi-line numeric block with feedback running over two lines.
    grant = by_line[202].data["answers"]
    assert grant[1]["feedback"].startswith("He was born in 1822.")
    assert grant[1]["feedback"].endswith("You get 50% credit for being close.")


def test_gift_fixture_of_moodles_importer_tests():
    q = {(x.title, x.line): x for x in _parse("questions.gift.txt", "gift").questions}
    assert q["Q8", 2].type == "essay"
    match = q["Moodle activities", 5]
    # [html] question text reduced to text; per-part [html]/[moodle]/[plain]/[markdown]
    # markers removed; "= -> Chat" is an extra wrong right-hand answer.
    assert match.text == "Match the activity to the description."
    assert [p["left"] for p in match.data["pairs"]][:2] == [
        "An activity supporting asynchronous discussions.",
        "A teacher asks a question and specifies a choice of multiple responses.",
    ]
    assert [r["text"] for r in match.data["rights"]] == [
        "Forum",
        "Choice",
        "Database",
        "Wiki",
        "Chat",
    ]
    colours = q["Q2", 14].data["choices"]
    assert [(c["text"], c["feedback"]) for c in colours] == [
        ("yellow", "right; good!"),
        ("red", "wrong, it's yellow"),
        ("blue", "wrong, it's yellow"),
    ]
    multi = q["colours", 22]
    assert multi.type == "multiple" and [c["fraction"] for c in multi.data["choices"]] == [
        0.5,
        -1.0,
        0.5,
        -1.0,
    ]
    numeric = q["Q5", 31]
    assert numeric.type == "numeric" and numeric.data["feedback_wrong"] == "Completely wrong"
    assert numeric.data["answers"][0] | {"feedback": ""} == {
        "value": 3,
        "tolerance": 2,
        "fraction": 1.0,
        "feedback": "",
    }
    short = q["Shortanswer", 34].data
    assert [(a["text"], a["fraction"]) for a in short["answers"]] == [
        ("Frog", 1.0),
        ("Cat", 0.5),
        ("*", 0.0),
    ]
    # Moodle's "*": any other answer, with its feedback.
    assert feedback("short", short, {"text": "Dog"}) == ["Completely wrong"]
    assert fraction("short", short, {"text": "cat"}) == pytest.approx(0.5)
    tf = q["Q1", 41].data
    assert tf["answer"] is False and tf["feedback_true"] == "42 is the Ultimate Answer."
    assert tf["feedback_false"] == "You gave the right answer."
    assert tf["feedback"] == "This is, of course, a Hitchiker's Guide to the Galaxy reference."
    assert q["2-08 TSL", 46].data["answer"] is True and q["2-08 TSL", 49].data["answer"] is True


def test_gift_category_lines_create_the_categories(cast):
    with open(MOODLE / "questions_in_category.gift.txt", "rb") as f:
        report = run_import(
            upload=f,
            format="gift",
            category_path="Moodle",
            owner_unit=cast.unit_a,
            actor=cast.trainer_a,
        )
    assert report.created == 4
    cat = QuestionCategory.objects.get(name="Default for New Features")
    assert cat.parent is not None and cat.parent.name == "Moodle"
    greeting = Question.objects.get(title="Greeting").current_version
    assert greeting.text == "Listen to this greeting:\nWhat language is being spoken?"
    assert greeting.data["choices"][1] | {"id": ""} == {
        "id": "",
        "text": "French",
        "fraction": 1.0,
        "feedback": "Yes, well done!",
    }
    acronym = Question.objects.get(title="Moodle acronym").current_version
    assert acronym.text == (
        "Moodle is an acronym for Modular Object-Oriented Dynamic Learning Environment."
    )


def test_moodle_xml_every_type_from_moodles_fixtures():
    multi = _parse("multichoice.testquestion.moodle.xml", "moodlexml").questions[0]
    assert multi.type == "multiple" and multi.category == "Default for C1"
    assert [(c["text"], c["fraction"]) for c in multi.data["choices"]] == [
        ("Tokyo", 0),
        ("Spain", 0),
        ("London", 0.5),
        ("Barcelona", 0),
        ("Paris", 0.5),
    ]
    assert multi.data["feedback"] == "Berlin, Paris and London"
    match = _parse("match.testquestion.moodle.xml", "moodlexml").questions[0]
    rights = {r["id"]: r["text"] for r in match.data["rights"]}
    assert [(p["left"], rights[p["right_id"]]) for p in match.data["pairs"]] == [
        ("frog", "amphibian"),
        ("cat", "mammal"),
        ("newt", "amphibian"),
        ("", "insect"),
    ]
    short = _parse("shortanswer.testquestion.moodle.xml", "moodlexml").questions[0]
    assert [(a["text"], a["fraction"], a["feedback"]) for a in short.data["answers"]] == [
        ("frog", 1.0, "Frog is a very good answer."),
        ("toad", 0.8, "Toad is an OK good answer."),
        ("*", 0.0, "That is a bad answer."),
    ]
    tf = _parse("truefalse.testquestion.moodle.xml", "moodlexml").questions[0]
    assert tf.data == {
        "feedback": "You should have selected true.",
        "answer": True,
        "feedback_true": "This is the right answer.",
        "feedback_false": "This is the wrong answer.",
    }
    essay = _parse("essay.testquestion.moodle.xml", "moodlexml").questions[0]
    assert essay.type == "essay" and essay.text == "Write an essay with 500 words."


def test_moodle_xml_nested_categories_are_created(cast):
    with open(MOODLE / "nested_categories_with_questions.xml", "rb") as f:
        report = run_import(
            upload=f,
            format="moodlexml",
            category_path="Nhập",
            owner_unit=cast.unit_a,
            actor=cast.trainer_a,
        )
    assert report.created == 5
    lam = Question.objects.get(title="Lambda Question").category
    names = []
    node = lam
    while node is not None:
        names.append(node.name)
        node = node.parent
    assert names == ["Lambda", "Kappa", "Iota", "Nhập"]
    assert Question.objects.get(title="Kappa Essay Question").category.name == "Kappa"
    assert Question.objects.get(title="Mu Question").category.parent.name == "Iota"


def test_moodle_xml_embedded_files_tags_and_feedback():
    q = _parse("truefalse_with_files.xml", "moodlexml").questions[0]
    assert q.data["answer"] is False
    # The question text's image is kept (a media token); feedback images stay descriptions.
    assert q.text.startswith("Moodle ![Moodle logo](media:logo.jpg) is an acronym")
    assert q.data["feedback_false"] == "[Hình: Thumb up] Your answer is correct."
    assert q.tags == ["moodle", "acronym"]
    assert sorted(q.files) == ["logo.jpg"]  # only what the question text shows
    assert all(data.startswith(b"\x89PNG") for data in q.files.values())


def test_unsupported_types_are_listed_and_skipped_only_when_chosen(cast):
    result = _parse("sample_questions_with_old_image_tag.xml", "moodlexml")
    assert [(s.line, s.type, s.title) for s in result.skipped] == [
        (16, "Câu điền nhiều chỗ trống (Cloze (multianswer))", "cloze question with image")
    ]
    assert [q.title for q in result.questions] == ["mcq with image"]
    assert list(result.questions[0].files) == ["moodle.png"]

    def run(skip: bool):  # type: ignore[no-untyped-def]
        with open(MOODLE / "sample_questions_with_old_image_tag.xml", "rb") as f:
            return run_import(
                upload=f,
                format="moodlexml",
                category_path="Ảnh",
                owner_unit=cast.unit_a,
                actor=cast.trainer_a,
                skip_unsupported=skip,
            )

    with pytest.raises(ImportFailed) as refused:
        run(False)
    assert [p.line for p in refused.value.problems] == [16]
    assert "Cloze" in refused.value.problems[0].message
    assert not Question.objects.exists()
    assert run(True).created == 1
    assert list(Question.objects.values_list("title", flat=True)) == ["mcq with image"]


def test_moodle_xml_options_the_editor_knows_are_read_and_written():
    """Case-sensitive short answers, a numeric question's unit and an essay's
    response template come across both ways (the editor stores them)."""
    import io as _io

    from quizzes.imports.moodlexml import parse_moodle_xml

    xml = """<?xml version="1.0" encoding="UTF-8"?><quiz>
    <question type="shortanswer"><name><text>S</text></name>
      <questiontext format="html"><text>Tên?</text></questiontext><usecase>1</usecase>
      <answer fraction="100"><text>Hà Nội</text></answer></question>
    <question type="numerical"><name><text>N</text></name>
      <questiontext format="html"><text>Dài?</text></questiontext>
      <answer fraction="100"><text>2</text><tolerance>0</tolerance></answer>
      <units><unit><multiplier>1</multiplier><unit_name>m</unit_name></unit>
      <unit><multiplier>100</multiplier><unit_name>cm</unit_name></unit></units></question>
    <question type="essay"><name><text>E</text></name>
      <questiontext format="html"><text>Viết</text></questiontext>
      <responsetemplate format="html"><text>&lt;p&gt;Mở bài:&lt;/p&gt;</text></responsetemplate>
    </question></quiz>""".encode()
    short, numeric, essay = parse_moodle_xml(_io.BytesIO(xml)).questions
    assert short.data["case_sensitive"] is True
    assert numeric.data["unit"] == "m"
    assert essay.data["response_template"] == "Mở bài:"
