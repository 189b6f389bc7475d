import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from quizzes.imports import ImportFailed, parse, run_import
from quizzes.models import Question, QuestionCategory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


def _parse(name: str, fmt: str):  # type: ignore[no-untyped-def]
    with open(DATA / name, "rb") as f:
        return parse(f, fmt)


def _by_title(result):  # type: ignore[no-untyped-def]
    return {q.title or q.text: q for q in result.questions}


def test_gift_reads_every_type_as_moodle_does():
    result = _parse("nghi-quyet-4.gift", "gift")
    assert result.problems == []
    q = _by_title(result)
    date = q["NQ4 ngày ban hành"]
    assert date.type == "single" and date.category == "Nghị quyết 4/Khái quát"
    assert [c["fraction"] for c in date.data["choices"]] == [1.0, 0.0, 0.5, 0.0]
    assert date.data["choices"][1]["feedback"] == "Đó là ngày ban hành Chỉ thị 05-CT/TW."
    number = q["NQ4 số biểu hiện"]
    assert number.type == "numeric" and number.data["answers"][0]["value"] == 27
    assert number.data["feedback"] == "Có ba nhóm, mỗi nhóm chín biểu hiện."
    groups = q["Ba nhóm biểu hiện"]
    assert groups.type == "multiple" and groups.data["choices"][3]["fraction"] == -1.0
    tf = q["Nghị quyết 4 đề ra bốn nhóm giải pháp."]
    assert tf.type == "truefalse" and tf.data["answer"] is True
    assert tf.data["feedback_true"] == "Đúng vậy."
    short = q["CT05"]
    assert short.type == "short" and short.text.endswith(" _____.")
    assert short.category == "Chỉ thị 05"
    assert [a["fraction"] for a in short.data["answers"]] == [1.0, 0.5]
    assert q["Ghép văn bản"].type == "matching"
    escaped = q["Tỉ lệ: kiểm tra thoát ký tự"]
    assert escaped.text == "Ký hiệu { và } dùng trong GIFT; dấu = và ~ và # cũng vậy."
    assert escaped.data["choices"][0]["text"] == "Đúng=~ # {}"
    assert q["Tự luận"].type == "essay"
    span = q["Khoảng"].data["answers"][0]
    assert (span["value"], span["tolerance"]) == (2020, 1)


def test_gift_problems_are_reported_by_line():
    result = _parse("loi.gift", "gift")
    lines = sorted({p.line for p in result.problems})
    assert lines == [4, 6, 8, 10]


def test_wrong_encoding_is_reported_and_nothing_imported(cast):
    with open(DATA / "sai-ma.gift", "rb") as f, pytest.raises(ImportFailed) as exc:
        run_import(
            upload=f, format="gift", category_path="X", owner_unit=cast.unit_a, actor=cast.trainer_a
        )
    assert "UTF-8" in exc.value.problems[0].message
    assert not Question.objects.exists()


def test_aiken_and_its_errors():
    good = _parse("chi-thi-05.aiken.txt", "aiken")
    assert good.problems == [] and len(good.questions) == 2
    assert good.questions[0].data["choices"][1]["fraction"] == 1
    bad = _parse("loi.aiken.txt", "aiken")
    assert not bad.questions
    assert [p.line for p in bad.problems] == [1, 8]


def test_moodle_xml_every_type_and_category():
    result = _parse("kiem-tra-giam-sat.moodle.xml", "moodlexml")
    assert result.problems == []
    q = _by_title(result)
    assert set(q) == {
        "Nhóm giải pháp",
        "Hạn chế được nêu",
        "Gần chi bộ",
        "Nhiệm kỳ",
        "Số nhóm giải pháp",
        "Ghép thủ tục",
        "Tự luận",
    }
    first = q["Nhóm giải pháp"]
    assert first.text == "Nhóm giải pháp nào thuộc Nghị quyết 4 khóa XII?"  # HTML stripped
    assert first.points == 2 and first.category == "Kiểm tra, giám sát"
    assert q["Hạn chế được nêu"].type == "multiple"
    matching = q["Ghép thủ tục"].data
    assert len(matching["rights"]) == 3 and len(matching["pairs"]) == 3  # one distractor


def test_moodle_xml_refuses_entities_and_reports_bad_questions():
    bomb = _parse("bom.moodle.xml", "moodlexml")
    assert bomb.problems and not bomb.questions
    bad = _parse("loi.moodle.xml", "moodlexml")
    assert [p.line for p in bad.problems] == [3]
    assert [(s.line, s.type) for s in bad.skipped] == [(8, "Câu tính toán (Calculated)")]


def test_xlsx_template_and_its_errors():
    good = _parse("ngan-hang.xlsx", "xlsx")
    assert good.problems == []
    types = [q.type for q in good.questions]
    assert types == [
        "single",
        "multiple",
        "truefalse",
        "short",
        "numeric",
        "matching",
        "ordering",
        "essay",
    ]
    assert good.questions[1].tags == ["Nghị quyết 4", "Nhóm 1"]
    assert good.questions[3].data["accent_insensitive"] is True
    assert good.questions[7].category == "Tự luận"
    bad = _parse("loi.xlsx", "xlsx")
    assert [p.line for p in bad.problems] == [2, 3, 4, 5]


def test_import_is_all_or_nothing(cast):
    with open(DATA / "loi.gift", "rb") as f, pytest.raises(ImportFailed):
        run_import(
            upload=f,
            format="gift",
            category_path="Lỗi",
            owner_unit=cast.unit_a,
            actor=cast.trainer_a,
        )
    assert not Question.objects.exists() and not QuestionCategory.objects.exists()


def test_import_creates_categories_below_the_given_path(cast):
    with open(DATA / "nghi-quyet-4.gift", "rb") as f:
        report = run_import(
            upload=f,
            format="gift",
            category_path="Ngân hàng mẫu",
            owner_unit=cast.unit_a,
            actor=cast.trainer_a,
        )
    assert report.created == 9 == Question.objects.count()
    names = {c.full_name() for c in QuestionCategory.objects.all()}
    assert "Ngân hàng mẫu / Nghị quyết 4 / Khái quát" in names
    assert "Ngân hàng mẫu / Chỉ thị 05" in names


def test_trainer_cannot_import_into_another_unit(cast):
    from django.core.exceptions import PermissionDenied

    with open(DATA / "chi-thi-05.aiken.txt", "rb") as f, pytest.raises(PermissionDenied):
        run_import(
            upload=f,
            format="aiken",
            category_path="X",
            owner_unit=cast.unit_b,
            actor=cast.trainer_a,
        )


def test_import_command_dry_run_and_real(cast):
    out = io.StringIO()
    path = str(DATA / "kiem-tra-giam-sat.moodle.xml")
    call_command(
        "import_questions",
        path,
        "--format",
        "moodlexml",
        "--category",
        "KT",
        "--unit",
        "A",
        "--dry-run",
        "--skip-unsupported",
        stdout=out,
    )
    assert "7" in out.getvalue() and not Question.objects.exists()
    err = io.StringIO()
    with pytest.raises(CommandError):  # a description: not imported unless agreed
        call_command(
            "import_questions",
            path,
            "--format",
            "moodlexml",
            "--category",
            "KT",
            "--unit",
            "A",
            stdout=out,
            stderr=err,
        )
    assert "Description" in err.getvalue() and not Question.objects.exists()
    call_command(
        "import_questions",
        path,
        "--format",
        "moodlexml",
        "--category",
        "KT",
        "--unit",
        "A",
        "--skip-unsupported",
        stdout=out,
    )
    assert Question.objects.count() == 7
    with pytest.raises(CommandError):
        call_command(
            "import_questions",
            str(DATA / "loi.gift"),
            "--format",
            "gift",
            "--category",
            "KT",
            stdout=out,
            stderr=io.StringIO(),
        )
    assert Question.objects.count() == 7


def test_api_import_preview_and_errors(cast, api):
    client = api(cast.trainer_a)
    with open(DATA / "nghi-quyet-4.gift", "rb") as f:
        res = client.post(
            "/api/questions/import/",
            {"file": f, "format": "gift", "category": "Mẫu", "dry_run": "true"},
        )
    body = res.json()
    assert res.status_code == 200 and (body["created"], body["errors"]) == (9, [])
    assert {q["type_label"] for q in body["questions"]} >= {"Một lựa chọn", "Số", "Ghép đôi"}
    assert not Question.objects.exists()
    # Import from the preview by its token, without sending the file again;
    # nobody else may use the token.
    stolen = api(cast.trainer_b).post("/api/questions/import/confirm/", {"token": body["token"]})
    assert stolen.status_code == 400 and not Question.objects.exists()
    done = client.post("/api/questions/import/confirm/", {"token": body["token"]})
    assert done.status_code == 200 and done.json()["created"] == 9
    assert Question.objects.count() == 9
    again = client.post("/api/questions/import/confirm/", {"token": body["token"]})
    assert again.status_code == 400 and Question.objects.count() == 9
    with open(DATA / "loi.gift", "rb") as f:
        res = client.post(
            "/api/questions/import/", {"file": f, "format": "gift", "category": "Mẫu"}
        )
    assert res.status_code == 400
    assert [e["line"] for e in res.json()["errors"]] == [4, 6, 8, 10]
    with open(DATA / "loi.gift", "rb") as f:
        res = api(cast.learner).post(
            "/api/questions/import/", {"file": f, "format": "gift", "category": "Mẫu"}
        )
    assert res.status_code == 403


def test_xlsx_malformed_weight_names_the_expected_form_once():
    from quizzes.imports.xlsx import RowError, _choice_data

    with pytest.raises(RowError) as caught:
        _choice_data([("A", "Một"), ("B", "Hai")], "A:50%, B=50", multiple=True)
    assert "“A:50%”" in str(caught.value) and "%%" not in str(caught.value)


def test_gift_numeric_answers_as_moodle_reads_them():
    result = _parse("moodle/numeric.gift", "gift")
    assert result.problems == []
    q = _by_title(result)
    assert {t: q[t].type for t in q} == dict.fromkeys(q, "numeric")
    assert q["Pi tolerance"].data["answers"][0] | {"feedback": ""} == {
        "value": 3.14159,
        "tolerance": 0.0005,
        "fraction": 1.0,
        "feedback": "",
    }
    pi_range = q["Pi range"].data["answers"][0]
    assert pi_range["value"] == pytest.approx(3.1415) and pi_range["tolerance"] == (
        pytest.approx(0.0005)
    )
    grant = q["Grant"].data["answers"]
    assert [(a["value"], a["tolerance"], a["fraction"]) for a in grant] == [
        (1822, 0, 1.0),
        (1822, 2, 0.5),
    ]
    assert grant[1]["feedback"] == "He was born in 1822. Half credit for being close."
    wrong = q["Sai hoàn toàn"].data
    assert [(a["value"], a["tolerance"]) for a in wrong["answers"]] == [(3, 2)]
    assert wrong["feedback_wrong"] == "Sai hoàn toàn"
    lines = q["Nhiều dòng"].data
    assert [a["fraction"] for a in lines["answers"]] == [1.0, 0.5]
    assert lines["feedback_wrong"].startswith("Chưa đúng")


def test_numeric_wrong_answer_feedback_is_shown_for_other_values():
    from quizzes.scoring import feedback

    data = _by_title(_parse("moodle/numeric.gift", "gift"))["Sai hoàn toàn"].data
    assert feedback("numeric", data, {"value": 9}) == ["Sai hoàn toàn"]
    assert "Sai hoàn toàn" not in feedback("numeric", data, {"value": 4})


def test_aiken_options_without_a_space_as_moodle_accepts():
    result = _parse("moodle/no-space.aiken.txt", "aiken")
    assert result.problems == []
    assert [c["text"] for c in result.questions[0].data["choices"]] == ["Bộ Chính trị", "Quốc hội"]
    assert [c["text"] for c in result.questions[1].data["choices"]] == ["2016", "2017"]


def test_numeric_gift_round_trip_keeps_tolerances_partial_credit_and_wrong_feedback(cast):
    from quizzes.imports.export import export_gift

    with open(DATA / "moodle/numeric.gift", "rb") as f:
        run_import(
            upload=f,
            format="gift",
            category_path="Gốc",
            owner_unit=cast.unit_a,
            actor=cast.trainer_a,
        )
    exported = export_gift(Question.objects.order_by("pk").select_related("current_version"))
    again = parse(io.BytesIO(exported.encode()), "gift")
    assert again.problems == []
    before = {q.title: q.current_version.data for q in Question.objects.all()}
    assert {q.title: q.data for q in again.questions} == before
