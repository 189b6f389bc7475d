"""The per-type question editor: every type created, shown and saved again field for field,
rows added and removed with and without htmx, errors per field, the first category made
in place, and the notice before a used question becomes a new version."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.urls import reverse

from quizzes.models import AttemptSlot, Question, QuestionCategory, QuestionType
from quizzes.scoring import fraction
from quizzes.services import start_attempt

pytestmark = pytest.mark.django_db
CREATE = "frontend:quiz-question-create"


class _FormValues(HTMLParser):
    """What a browser would post from the editor form (without pressing a row button)."""

    def __init__(self) -> None:
        super().__init__()
        self.pairs: list[tuple[str, str]] = []
        self.inside = False
        self.textarea: str | None = None
        self.select: str | None = None
        self.buffer = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and "editor" in a.get("class", ""):
            self.inside = True
        if not self.inside or "name" not in a:
            if tag == "option" and self.select and "selected" in a:
                self.pairs.append((self.select, a.get("value", "")))
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button"):
                return
            self.pairs.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea":
            self.textarea, self.buffer = a["name"], ""
        elif tag == "select":
            self.select = a["name"]

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.buffer += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea:
            # Django writes a newline after <textarea>, which browsers drop
            self.pairs.append((self.textarea, self.buffer.removeprefix("\n")))
            self.textarea = None
        elif tag == "select":
            self.select = None


def form_values(html: str) -> dict[str, Any]:
    parser = _FormValues()
    parser.feed(html)
    out: dict[str, Any] = {}
    for name, value in parser.pairs:
        out.setdefault(name, []).append(value)
    return {k: v if len(v) > 1 else v[0] for k, v in out.items()}


def rows(kind: str, *entries: dict[str, str]) -> dict[str, Any]:
    post: dict[str, Any] = {kind: [f"k{n}" for n in range(len(entries))]}
    for n, entry in enumerate(entries):
        for col, value in entry.items():
            post[f"{kind}-k{n}-{col}"] = value
    return post


def base(bank: QuestionCategory, qtype: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": qtype,
        "category": bank.pk,
        "title": "Câu mẫu",
        "text": "Nội dung câu hỏi về Nghị quyết 4?",
        "points": "2",
        "feedback": "Xem Nghị quyết 04-NQ/TW.",
        "tags": "Nghị quyết 4, mẫu",
        **extra,
    }


# One filled form per type, and what the stored version must hold.
CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    (
        QuestionType.SINGLE,
        rows(
            "choices",
            {"text": "30/10/2016", "fraction": "100", "feedback": "Chính xác."},
            {"text": "15/5/2016", "fraction": "0", "feedback": "Đó là Chỉ thị 05."},
            {"text": "01/01/2017", "fraction": "", "feedback": ""},
            {"text": "", "fraction": "", "feedback": ""},  # blank rows are ignored
        ),
        {
            "choices": [
                {"id": "k0", "text": "30/10/2016", "fraction": 1.0, "feedback": "Chính xác."},
                {"id": "k1", "text": "15/5/2016", "fraction": 0.0, "feedback": "Đó là Chỉ thị 05."},
                {"id": "k2", "text": "01/01/2017", "fraction": 0.0, "feedback": ""},
            ]
        },
    ),
    (
        QuestionType.MULTIPLE,
        rows(
            "choices",
            {"text": "Tư tưởng chính trị", "fraction": "50", "feedback": ""},
            {"text": "Đạo đức, lối sống", "fraction": "50,0", "feedback": ""},
            {"text": "Thể thao", "fraction": "-100", "feedback": "Không thuộc."},
        ),
        {
            "choices": [
                {"id": "k0", "text": "Tư tưởng chính trị", "fraction": 0.5, "feedback": ""},
                {"id": "k1", "text": "Đạo đức, lối sống", "fraction": 0.5, "feedback": ""},
                {"id": "k2", "text": "Thể thao", "fraction": -1.0, "feedback": "Không thuộc."},
            ]
        },
    ),
    (
        QuestionType.TRUE_FALSE,
        {"answer": "false", "feedback_true": "Chưa đúng.", "feedback_false": "Đúng vậy."},
        {"answer": False, "feedback_true": "Chưa đúng.", "feedback_false": "Đúng vậy."},
    ),
    (
        QuestionType.SHORT,
        {
            **rows(
                "alts",
                {"text": "Hồ Chí Minh", "fraction": "", "feedback": ""},
                {"text": "Bác Hồ", "fraction": "50", "feedback": "Ghi đủ họ tên."},
            ),
            "accent_insensitive": "on",
            "case_sensitive": "on",
        },
        {
            "answers": [
                {"text": "Hồ Chí Minh", "fraction": 1.0, "feedback": ""},
                {"text": "Bác Hồ", "fraction": 0.5, "feedback": "Ghi đủ họ tên."},
            ],
            "accent_insensitive": True,
            "case_sensitive": True,
        },
    ),
    (
        QuestionType.NUMERIC,
        {
            **rows(
                "nums",
                {"value": "27", "tolerance": "0,5", "fraction": "", "feedback": "Đúng."},
                {"value": "9", "tolerance": "", "fraction": "25", "feedback": "Mới một nhóm."},
            ),
            "unit": "biểu hiện",
            "feedback_wrong": "Xem lại ba nhóm, mỗi nhóm chín biểu hiện.",
        },
        {
            "answers": [
                {"value": 27.0, "tolerance": 0.5, "fraction": 1.0, "feedback": "Đúng."},
                {"value": 9.0, "tolerance": 0.0, "fraction": 0.25, "feedback": "Mới một nhóm."},
            ],
            "unit": "biểu hiện",
            "feedback_wrong": "Xem lại ba nhóm, mỗi nhóm chín biểu hiện.",
        },
    ),
    (
        QuestionType.MATCHING,
        rows(
            "pairs",
            {"left": "Nghị quyết 04-NQ/TW", "right": "30/10/2016"},
            {"left": "Chỉ thị 05-CT/TW", "right": "15/5/2016"},
            {"left": "", "right": "01/01/2017"},  # a distractor
        ),
        {
            "rights": [
                {"id": "r1", "text": "30/10/2016"},
                {"id": "r2", "text": "15/5/2016"},
                {"id": "r3", "text": "01/01/2017"},
            ],
            "pairs": [
                {"id": "k0", "left": "Nghị quyết 04-NQ/TW", "right_id": "r1"},
                {"id": "k1", "left": "Chỉ thị 05-CT/TW", "right_id": "r2"},
            ],
        },
    ),
    (
        QuestionType.ORDERING,
        rows(
            "items",
            {"text": "Chỉ thị 05-CT/TW (15/5/2016)"},
            {"text": "Nghị quyết 04-NQ/TW (30/10/2016)"},
            {"text": "Đại hội IX của Đảng bộ Khối (2020)"},
        ),
        {
            "items": [
                {"id": "k0", "text": "Chỉ thị 05-CT/TW (15/5/2016)"},
                {"id": "k1", "text": "Nghị quyết 04-NQ/TW (30/10/2016)"},
                {"id": "k2", "text": "Đại hội IX của Đảng bộ Khối (2020)"},
            ]
        },
    ),
    (
        QuestionType.ESSAY,
        {
            "rubric": "Nêu được biện pháp cụ thể, gắn với chi bộ mình.",
            "response_template": "Biện pháp:\nCách làm ở chi bộ:",
        },
        {
            "rubric": "Nêu được biện pháp cụ thể, gắn với chi bộ mình.",
            "response_template": "Biện pháp:\nCách làm ở chi bộ:",
        },
    ),
]


def test_new_question_starts_by_choosing_one_of_eight_types(cast, login, bank):
    page = login(cast.trainer_a).get(reverse(CREATE) + f"?category={bank.pk}").content.decode()
    for qtype in QuestionType:
        assert f'href="?type={qtype.value}&amp;category={bank.pk}"' in page
        assert str(qtype.label) in page
    assert "?mode=text" in page  # the text syntax stays, as the advanced way


@pytest.mark.parametrize(("qtype", "fields", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_type_is_created_shown_and_saved_again_unchanged(
    cast, login, bank, qtype, fields, expected
):
    client = login(cast.trainer_a)
    blank = client.get(reverse(CREATE) + f"?type={qtype}&category={bank.pk}")
    assert blank.status_code == 200
    assert f'<option value="{bank.pk}" selected>' in blank.content.decode()

    res = client.post(reverse(CREATE), base(bank, qtype, **fields))
    assert res.status_code == 302, res.content.decode()
    question = Question.objects.get()
    version = question.current_version
    assert (version.type, version.text, version.points) == (
        qtype,
        "Nội dung câu hỏi về Nghị quyết 4?",
        2,
    )
    assert question.title == "Câu mẫu" and question.category == bank
    assert sorted(t.name for t in question.tags.all()) == ["Nghị quyết 4", "mẫu"]
    assert version.data == {"feedback": "Xem Nghị quyết 04-NQ/TW.", **expected}

    # The edit page shows every field; posting it back unchanged changes nothing.
    edit_url = reverse("frontend:quiz-question-edit", args=[question.pk])
    values = form_values(client.get(edit_url).content.decode())
    assert values["type"] == qtype and values["text"] == "Nội dung câu hỏi về Nghị quyết 4?"
    res = client.post(edit_url, values)
    assert res.status_code == 302, res.content.decode()
    question.refresh_from_db()
    assert question.current_version_id == version.pk  # never used: edited in place
    question.current_version.refresh_from_db()
    assert question.current_version.data == version.data
    assert question.title == "Câu mẫu"
    assert sorted(t.name for t in question.tags.all()) == ["Nghị quyết 4", "mẫu"]


def test_edit_changes_fields_of_a_matching_question_and_keeps_ids(cast, login, make_questions):
    (question,) = make_questions(types=[QuestionType.MATCHING])
    client = login(cast.trainer_a)
    url = reverse("frontend:quiz-question-edit", args=[question.pk])
    values = form_values(client.get(url).content.decode())
    assert values["pairs"] == ["m1", "m2"]
    values["pairs-m2-left"] = "Chỉ thị 05-CT/TW của Bộ Chính trị"
    values["pairs"] = ["m1", "m2", "new1"]
    values.update({"pairs-new1-left": "", "pairs-new1-right": "19/5/1890"})
    assert client.post(url, values).status_code == 302
    data = Question.objects.get().current_version.data
    assert data["pairs"][1] == {
        "id": "m2",
        "left": "Chỉ thị 05-CT/TW của Bộ Chính trị",
        "right_id": "r2",
    }
    assert data["rights"][2] == {"id": "r3", "text": "19/5/1890"}


@pytest.mark.parametrize(
    ("qtype", "fields", "message", "where"),
    [
        (
            "single",
            rows("choices", {"text": "Một", "fraction": "50"}, {"text": "Hai", "fraction": "0"}),
            "Chưa có phương án đúng: cần một phương án có tỉ lệ 100%.",
            'id="rows-problem"',
        ),
        (
            "multiple",
            rows("choices", {"text": "Một", "fraction": "50"}, {"text": "Hai", "fraction": "30"}),
            "Tổng tỉ lệ các phương án đúng là 80%, phải bằng 100%.",
            'id="rows-problem"',
        ),
        (
            "single",
            rows(
                "choices",
                {"text": "Một", "fraction": "100"},
                {"text": "", "fraction": "0", "feedback": "x"},
            ),
            "Phương án không được để trống.",
            'id="id_choices-k1-text_error"',
        ),
        (
            "single",
            rows("choices", {"text": "Một", "fraction": "150"}, {"text": "Hai"}),
            "Tỉ lệ điểm phải là số từ -100 đến 100.",
            'id="id_choices-k0-fraction_error"',
        ),
        (
            "numeric",
            rows("nums", {"value": "27", "tolerance": "-1"}),
            "Sai số cho phép không được âm.",
            'id="id_nums-k0-tolerance_error"',
        ),
        (
            "numeric",
            rows("nums", {"value": "hai mươi bảy", "tolerance": ""}),
            "Đáp số phải là một số, ví dụ 27 hoặc 3,5.",
            'id="id_nums-k0-value_error"',
        ),
        (
            "short",
            rows("alts", {"text": "Bác Hồ", "fraction": "50"}),
            "Chưa có đáp án đúng: cần một đáp án có tỉ lệ 100%.",
            'id="rows-problem"',
        ),
        (
            "matching",
            rows("pairs", {"left": "A", "right": "1"}, {"left": "B", "right": ""}),
            "Vế phải không được để trống.",
            'id="id_pairs-k1-right_error"',
        ),
        (
            "ordering",
            rows("items", {"text": "Chỉ một mục"}),
            "Cần ít nhất hai mục để sắp xếp.",
            'id="rows-problem"',
        ),
        ("truefalse", {}, "Chọn đáp án đúng: Đúng hoặc Sai.", 'id="id_answer_error"'),
    ],
)
def test_bad_input_gets_a_vietnamese_error_at_its_field_and_saves_nothing(
    cast, login, bank, qtype, fields, message, where
):
    res = login(cast.trainer_a).post(reverse(CREATE), base(bank, qtype, **fields))
    page = res.content.decode()
    assert res.status_code == 200
    assert message in page
    error_at = page.index(where)
    assert message in page[error_at : error_at + 400]
    assert "Câu hỏi chưa được lưu" in page
    assert not Question.objects.exists()


def test_fields_typed_are_kept_when_the_form_is_refused(cast, login, bank):
    post = base(
        bank, "single", **rows("choices", {"text": "Một", "fraction": "20"}, {"text": "Hai"})
    )
    page = login(cast.trainer_a).post(reverse(CREATE), post).content.decode()
    values = form_values(page)
    assert values["choices-k0-text"] == "Một" and values["choices-k0-fraction"] == "20"
    assert values["text"] == "Nội dung câu hỏi về Nghị quyết 4?"


def test_rows_are_added_removed_and_moved_without_javascript(cast, login, bank):
    client = login(cast.trainer_a)
    post = base(bank, "ordering", **rows("items", {"text": "A"}, {"text": "B"}, {"text": "C"}))
    page = client.post(reverse(CREATE), {**post, "op": "add:items"}).content.decode()
    values = form_values(page)
    assert len(values["items"]) == 4 and values["items"][:3] == ["k0", "k1", "k2"]
    assert values["text"] == post["text"]  # the rest of the form is kept
    assert "autofocus" in page and "Câu hỏi chưa được lưu" not in page

    values = form_values(
        client.post(reverse(CREATE), {**post, "op": "remove:items:k1"}).content.decode()
    )
    assert values["items"] == ["k0", "k2"]
    values = form_values(
        client.post(reverse(CREATE), {**post, "op": "up:items:k2"}).content.decode()
    )
    assert values["items"] == ["k0", "k2", "k1"]
    values = form_values(
        client.post(reverse(CREATE), {**post, "op": "down:items:k0"}).content.decode()
    )
    assert values["items"] == ["k1", "k0", "k2"]
    assert not Question.objects.exists()


def test_htmx_row_buttons_get_only_the_rows(cast, login, bank):
    client = login(cast.trainer_a)
    post = base(
        bank, "single", **rows("choices", {"text": "Một", "fraction": "100"}, {"text": "Hai"})
    )
    res = client.post(reverse(CREATE), {**post, "op": "add:choices"}, HTTP_HX_REQUEST="true")
    page = res.content.decode()
    assert "<html" not in page and page.strip().startswith('<fieldset id="rows-choices"')
    assert page.count('name="choices"') == 3 and 'value="Một"' in page
    res = client.post(reverse(CREATE), {**post, "op": "remove:choices:k0"}, HTTP_HX_REQUEST="true")
    assert 'value="Một"' not in res.content.decode()
    assert res.content.decode().count('name="choices"') == 1


def test_changing_type_keeps_the_common_fields(cast, login, bank):
    post = base(bank, "numeric", **rows("nums", {"value": "27"}), op="retype")
    post["type"] = "short"
    values = form_values(login(cast.trainer_a).post(reverse(CREATE), post).content.decode())
    assert values["type"] == "short" and values["text"] == post["text"]
    assert "alts" in values and "nums" not in values


def test_trainer_without_category_creates_one_in_place(cast, login):
    client = login(cast.trainer_a)
    bank_page = client.get(reverse("frontend:quiz-bank")).content.decode()
    assert "tạo danh mục đầu tiên ngay tại đây" in bank_page
    assert reverse("frontend:quiz-category-create") in bank_page

    editor = client.get(reverse(CREATE) + "?type=truefalse").content.decode()
    assert "Bạn chưa có danh mục câu hỏi nào" in editor
    assert 'name="category"' not in editor and 'name="new_category"' in editor

    post = {
        "type": "truefalse",
        "new_category": "Chỉ thị 05",
        "new_category_unit": cast.unit_a.pk,
        "text": "Chỉ thị 05-CT/TW ban hành ngày 15/5/2016.",
        "points": "1",
        "answer": "true",
    }
    # the question is refused: no category is left behind either
    refused = client.post(reverse(CREATE), {**post, "answer": ""})
    assert refused.status_code == 200 and not QuestionCategory.objects.exists()
    nameless = client.post(reverse(CREATE), {**post, "new_category": ""}).content.decode()
    assert "Chọn danh mục hoặc nhập tên danh mục mới." in nameless

    assert client.post(reverse(CREATE), post).status_code == 302
    category = QuestionCategory.objects.get()
    assert (category.name, category.owner_unit) == ("Chỉ thị 05", cast.unit_a)
    assert Question.objects.get().category == category


def test_bank_page_form_creates_first_category(cast, login):
    client = login(cast.trainer_a)
    res = client.post(
        reverse("frontend:quiz-category-create"),
        {"name": "Nghị quyết 4", "owner_unit": cast.unit_a.pk},
    )
    assert res.status_code == 302
    assert QuestionCategory.objects.get().name == "Nghị quyết 4"


def test_new_category_cannot_be_given_to_a_unit_out_of_scope(cast, login):
    post = {
        "type": "essay",
        "new_category": "Của đơn vị khác",
        "new_category_unit": cast.unit_b.pk,
        "text": "Câu?",
        "points": "1",
    }
    page = login(cast.trainer_a).post(reverse(CREATE), post).content.decode()
    assert "Hãy chọn một lựa chọn hợp lệ" in page
    assert not QuestionCategory.objects.exists()


def test_trainer_cannot_save_into_another_units_category(cast, login, bank):
    post = base(bank, "essay", rubric="")
    res = login(cast.trainer_b).post(reverse(CREATE), post)
    assert res.status_code == 200 and not Question.objects.exists()


def test_editor_says_before_saving_that_a_used_question_gets_a_new_version(
    cast, login, make_questions, make_quiz
):
    (question,) = make_questions(types=[QuestionType.SINGLE])
    client = login(cast.trainer_a)
    url = reverse("frontend:quiz-question-edit", args=[question.pk])
    page = client.get(url).content.decode()
    assert "Chưa có lượt làm bài nào dùng câu hỏi này" in page

    quiz = make_quiz([question], enrol=[cast.learner, cast.other_learner])
    start_attempt(user=cast.learner, quiz=quiz)
    start_attempt(user=cast.other_learner, quiz=quiz)
    page = client.get(url).content.decode()
    assert 'id="version-notice"' in page
    assert "Câu hỏi này đã được dùng trong 2 lượt làm bài." in page
    assert "thành phiên bản mới (2)" in page

    values = form_values(page)
    values["choices-b-text"] = "15/5/2016 (Chỉ thị 05)"
    res = client.post(url, values, follow=True)
    assert "đã lưu thành phiên bản 2" in res.content.decode()
    question.refresh_from_db()
    assert question.current_version.number == 2
    assert question.current_version.data["choices"][1]["text"] == "15/5/2016 (Chỉ thị 05)"
    old = AttemptSlot.objects.values_list("version__number", flat=True)
    assert sorted(old) == [1, 1]  # attempts keep the version they were given


def test_editor_pages_are_for_trainers_of_the_questions_unit(cast, login, make_questions):
    (question,) = make_questions(types=[QuestionType.ESSAY])
    assert login(cast.learner).get(reverse(CREATE)).status_code == 403
    url = reverse("frontend:quiz-question-edit", args=[question.pk])
    assert login(cast.trainer_b).get(url).status_code == 404
    assert (
        login(cast.trainer_b).post(url, {"op": "add:choices", "type": "single"}).status_code == 404
    )


def test_form_data_is_what_the_api_takes_and_gives(cast, login, api, bank):
    """The editor and /api/questions/ write the same content: what the form stored
    goes back through the API unchanged."""
    qtype, fields, _expected = CASES[4]  # numeric, with the new unit field
    assert (
        login(cast.trainer_a).post(reverse(CREATE), base(bank, qtype, **fields)).status_code == 302
    )
    client = api(cast.trainer_a)
    got = client.get("/api/questions/").json()
    item = got["results"][0] if "results" in got else got[0]
    assert item["data"]["unit"] == "biểu hiện"
    body = {k: item[k] for k in ("category", "title", "type", "text", "data", "points", "tags")}
    res = client.post("/api/questions/", body, format="json")
    assert res.status_code == 201, res.content
    assert res.json()["data"] == item["data"]


def test_short_answer_case_and_accent_options_grade_as_labelled():
    data = {"answers": [{"text": "Hồ Chí Minh", "fraction": 1}]}
    assert fraction("short", data, {"text": "hồ chí minh"}) == 1
    assert fraction("short", {**data, "case_sensitive": True}, {"text": "hồ chí minh"}) == 0
    folded = {**data, "accent_insensitive": True}
    assert fraction("short", folded, {"text": "ho chi minh"}) == 1
    both = {**folded, "case_sensitive": True}
    assert fraction("short", both, {"text": "Ho Chi Minh"}) == 1
    assert fraction("short", both, {"text": "ho chi minh"}) == 0


def test_learner_sees_the_numeric_unit_and_the_essay_template(cast, api, login, bank, make_quiz):
    from quizzes.services import create_question

    numeric = create_question(
        actor=cast.trainer_a,
        category=bank,
        type="numeric",
        text="Nghị quyết 4 nêu bao nhiêu biểu hiện suy thoái?",
        data={"answers": [{"value": 27}], "unit": "biểu hiện"},
    )
    essay = create_question(
        actor=cast.trainer_a,
        category=bank,
        type="essay",
        text="Nêu một biện pháp.",
        data={"rubric": "Cụ thể.", "response_template": "Biện pháp: ..."},
    )
    quiz = make_quiz([numeric, essay], enrol=[cast.learner])
    body = api(cast.learner).post(f"/api/quizzes/{quiz.pk}/attempts/").json()
    by_type = {s["type"]: s for s in body["slots"]}
    assert by_type["numeric"]["unit"] == "biểu hiện"
    assert by_type["essay"]["response_template"] == "Biện pháp: ..."
    assert by_type["essay"]["unit"] == "" and "Cụ thể." not in str(body)
    page = login(cast.learner).get(reverse("frontend:quiz-attempt", args=[body["id"]]))
    html = page.content.decode()
    assert '<span translate="no">biểu hiện</span>' in html
    assert 'maxlength="20000">Biện pháp: ...</textarea>' in html


def test_api_schema_documents_the_new_slot_fields(cast, client):
    import yaml

    schema = yaml.safe_load(client.get("/api/schema/").content)
    slot = schema["components"]["schemas"]["Slot"]["properties"]
    assert {"unit", "response_template"} <= set(slot)
    question = schema["components"]["schemas"]["Question"]["properties"]["data"]
    assert "case_sensitive" in question["description"] and "unit" in question["description"]


def test_editor_queries_do_not_grow_with_the_bank(
    cast, login, make_questions, django_assert_max_num_queries
):
    from quizzes.services import ensure_category_path

    (question,) = make_questions(types=[QuestionType.MULTIPLE])
    for n in range(15):
        ensure_category_path(path=f"Nội dung mẫu/Chủ đề {n}", owner_unit=cast.unit_a)
    client = login(cast.trainer_a)
    url = reverse("frontend:quiz-question-edit", args=[question.pk])
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200
    values = form_values(client.get(url).content.decode())
    with django_assert_max_num_queries(30):
        assert client.post(url, values).status_code == 302


def test_question_shared_from_a_unit_above_is_shown_read_only(cast, login):
    from quizzes.services import create_question, ensure_category_path

    shared = ensure_category_path(path="Dùng chung", owner_unit=cast.bloc)
    question = create_question(
        actor=None, category=shared, type="essay", text="Câu dùng chung.", data={}
    )
    client = login(cast.trainer_a)
    url = reverse("frontend:quiz-question-edit", args=[question.pk])
    page = client.get(url).content.decode()
    assert 'id="read-only-notice"' in page and "bạn được xem nhưng không được sửa" in page
    assert '<fieldset class="plain" disabled>' in page
    assert "Lưu câu hỏi" not in page
    assert f'<option value="{shared.pk}" selected>' in page
    values = form_values(page)
    assert client.post(url, {**values, "text": "Sửa trộm."}).status_code == 403
    question.current_version.refresh_from_db()
    assert question.current_version.text == "Câu dùng chung."


def test_text_syntax_and_key_fix_keep_the_options_only_the_form_edits(cast, login, bank):
    from quizzes.services import create_question

    question = create_question(
        actor=cast.trainer_a,
        category=bank,
        type="numeric",
        text="Nghị quyết 4 nêu bao nhiêu biểu hiện suy thoái?",
        data={
            "answers": [{"value": 27, "tolerance": 0}],
            "unit": "biểu hiện",
            "feedback_wrong": "Ba nhóm, mỗi nhóm chín.",
        },
    )
    client = login(cast.trainer_a)
    url = reverse("frontend:quiz-question-edit", args=[question.pk])
    res = client.post(
        url,
        {
            "category": bank.pk,
            "type": "numeric",
            "text": "Nghị quyết 4 nêu bao nhiêu biểu hiện?",
            "answers": "27 ± 1",
            "points": "1",
        },
    )
    assert res.status_code == 302
    data = Question.objects.get().current_version.data
    assert data["answers"][0]["tolerance"] == 1.0
    assert (data["unit"], data["feedback_wrong"]) == ("biểu hiện", "Ba nhóm, mỗi nhóm chín.")

    fix = client.post(
        reverse("frontend:quiz-question-fix-key", args=[question.pk]),
        {"answers": "27 ± 0", "reason": "Sai số quá rộng."},
    )
    assert fix.status_code == 302
    data = Question.objects.get().current_version.data
    assert data["answers"][0]["tolerance"] == 0.0 and data["unit"] == "biểu hiện"


def test_ids_outside_the_row_key_alphabet_are_not_lost(cast, login, bank):
    from quizzes.services import create_question

    question = create_question(
        actor=cast.trainer_a,
        category=bank,
        type="ordering",
        text="Sắp xếp.",
        data={"items": [{"id": "mục 1", "text": "Một"}, {"id": "mục 2", "text": "Hai"}]},
    )
    client = login(cast.trainer_a)
    url = reverse("frontend:quiz-question-edit", args=[question.pk])
    assert client.post(url, form_values(client.get(url).content.decode())).status_code == 302
    items = Question.objects.get().current_version.data["items"]
    assert [i["text"] for i in items] == ["Một", "Hai"]
