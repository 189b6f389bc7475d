"""Exporting questions to GIFT and to the XLSX template (import gives them back)."""

from __future__ import annotations

import base64
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook

from accounts.tables import keep_as_text

from .. import media
from ..models import Question, QuestionCategory, QuestionMedia, QuestionType, QuestionVersion
from .xlsx import HEADERS, LETTERS, TYPE_NAMES


def _esc(text: Any) -> str:
    out = str(text)
    for ch in "\\~=#{}:":
        out = out.replace(ch, "\\" + ch)
    return out.replace("\n", "\\n")


def _percent(fraction: Any) -> str:
    """A fraction as a percent with at most 5 decimals, as Moodle writes grades."""
    text = f"{float(fraction) * 100:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _pct(fraction: float) -> str:
    return f"%{_percent(fraction)}%"


def _fb(text: str) -> str:
    return f"#{_esc(text)}" if text else ""


def _num(value: float) -> str:
    return f"{float(value):.15g}"


def gift_block(v: QuestionVersion, title: str = "") -> str:
    d = v.data
    head = f"::{_esc(title)}::" if title else ""
    if v.type == QuestionType.SINGLE:
        parts = [
            (
                "="
                if float(c["fraction"]) == 1
                else "~" + (_pct(c["fraction"]) if float(c["fraction"]) else "")
            )
            + _esc(c["text"])
            + _fb(c.get("feedback", ""))
            for c in d["choices"]
        ]
    elif v.type == QuestionType.MULTIPLE:
        parts = [
            f"~{_pct(c['fraction'])}{_esc(c['text'])}{_fb(c.get('feedback', ''))}"
            for c in d["choices"]
        ]
    elif v.type == QuestionType.TRUE_FALSE:
        right = d.get("feedback_true" if d["answer"] else "feedback_false", "")
        wrong = d.get("feedback_false" if d["answer"] else "feedback_true", "")
        parts = ["TRUE" if d["answer"] else "FALSE"]
        if right or wrong:
            parts[0] += f"#{_esc(wrong)}#{_esc(right)}"
    elif v.type == QuestionType.SHORT:
        parts = [
            f"={'' if float(a['fraction']) == 1 else _pct(a['fraction'])}{_esc(a['text'])}"
            f"{_fb(a.get('feedback', ''))}"
            for a in d["answers"]
        ]
    elif v.type == QuestionType.NUMERIC:
        parts = ["#"] + [
            f"={'' if float(a['fraction']) == 1 else _pct(a['fraction'])}"
            f"{_num(a['value'])}:{_num(a['tolerance'])}{_fb(a.get('feedback', ''))}"
            for a in d["answers"]
        ]
        if d.get("feedback_wrong"):
            parts.append(f"~{_fb(d['feedback_wrong'])}")
    elif v.type == QuestionType.MATCHING:
        rights = {r["id"]: r["text"] for r in d["rights"]}
        parts = [f"={_esc(p['left'])} -> {_esc(rights[p['right_id']])}" for p in d["pairs"]]
    else:
        parts = []  # essay (ordering has no GIFT form: export_gift leaves it out)
    general = f"####{_esc(d['feedback'])}" if d.get("feedback") else ""
    sep = "\n\t" if parts else ""
    body = sep + sep.join(parts) + ("\n" if parts else "")
    return f"{head}{_esc(media.plain(v.text))} {{{body}{general}}}\n"


def export_gift(
    questions: Iterable[Question], root: QuestionCategory | None = None, categories: bool = False
) -> str:
    """GIFT as Moodle imports it; with `categories`, a `$CATEGORY:` line before
    each run of questions of one category (names from `root` down)."""
    items = [
        q
        for q in questions
        # GIFT cannot express ordering questions; Moodle XML and XLSX can.
        if q.current_version is not None and q.current_version.type != QuestionType.ORDERING
    ]
    names = category_names(items, root) if categories else {}
    blocks: list[str] = []
    current: tuple[str, ...] | None = None
    for q in items:
        assert q.current_version is not None
        if categories and names[q.category_id] != current:
            current = names[q.category_id]
            blocks.append(f"$CATEGORY: {_category_ref(current)}\n")
        tags = "".join(f"[tag:{t.name}]" for t in q.tags.all() if "]" not in t.name)
        # Moodle reads tags from a comment line of the question.
        block = gift_block(q.current_version, q.title)
        blocks.append(f"// {tags}\n{block}" if tags else block)
    return "\n".join(blocks)


def _xlsx_row(q: Question, v: QuestionVersion) -> list[Any]:
    d = v.data
    options = [""] * len(LETTERS)
    answer = ""
    if v.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        for n, c in enumerate(d["choices"][: len(LETTERS)]):
            options[n] = c["text"]
        answer = ", ".join(
            f"{LETTERS[n]}:{round(float(c['fraction']) * 100, 5):g}%"
            for n, c in enumerate(d["choices"])
            if float(c["fraction"])
        )
    elif v.type == QuestionType.TRUE_FALSE:
        answer = "Đúng" if d["answer"] else "Sai"
    elif v.type == QuestionType.SHORT:
        answer = " | ".join(
            a["text"]
            if float(a["fraction"]) == 1
            else f"{a['text']} ({float(a['fraction']) * 100:g}%)"
            for a in d["answers"]
        )
    elif v.type == QuestionType.NUMERIC:
        a = d["answers"][0]
        answer = f"{_num(a['value'])} ± {_num(a['tolerance'])}"
    elif v.type == QuestionType.MATCHING:
        rights = {r["id"]: r["text"] for r in d["rights"]}
        for n, p in enumerate(d["pairs"][: len(LETTERS)]):
            options[n] = f"{p['left']} = {rights[p['right_id']]}"
    elif v.type == QuestionType.ORDERING:
        for n, i in enumerate(d["items"][: len(LETTERS)]):
            options[n] = i["text"]
    else:
        answer = d.get("rubric", "")
    return [
        TYPE_NAMES[QuestionType(v.type)][0],
        media.plain(v.text),
        *options,
        answer,
        float(v.points),
        d.get("feedback", ""),
        ", ".join(t.name for t in q.tags.all()),
        q.title,
        "",
        "x" if d.get("accent_insensitive") else "",
    ]


def export_xlsx(questions: Iterable[Question]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Câu hỏi"
    sheet.append(HEADERS)
    for q in questions:
        if q.current_version is not None:
            sheet.append(_xlsx_row(q, q.current_version))
            keep_as_text(sheet[sheet.max_row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_xlsx() -> bytes:
    """The question template: one example row per type (they import as they
    are) and a sheet with the rule of every column."""
    from django.utils.translation import gettext as _

    from accounts.tables import template_workbook

    blank = [""] * len(LETTERS)

    def row(kind: str, text: str, options: list[str], answer: Any, **extra: Any) -> list[Any]:
        return [
            kind,
            text,
            *(options + blank)[: len(LETTERS)],
            answer,
            extra.get("points", 1),
            extra.get("feedback", ""),
            extra.get("tags", ""),
            extra.get("title", ""),
            extra.get("category", ""),
            extra.get("accents", ""),
        ]

    examples = [
        row(
            "Một lựa chọn",
            "Nghị quyết 04-NQ/TW được ban hành năm nào?",
            ["2015", "2016", "2017"],
            "B",
            feedback="Ban hành ngày 30/10/2016.",
            tags="Nghị quyết 4",
            title="NQ4 năm ban hành",
            category="Nghị quyết 4",
        ),
        row(
            "Nhiều lựa chọn",
            "Những biểu hiện nào thuộc nhóm suy thoái về tư tưởng chính trị?",
            ["Phai nhạt lý tưởng", "Chạy chức, chạy quyền", "Nói không đi đôi với làm"],
            "A:50%, C:50%, B:-100%",
            points=2,
        ),
        row("Đúng/Sai", "Nghị quyết 4 nêu 27 biểu hiện suy thoái.", [], "Đúng"),
        row(
            "Trả lời ngắn",
            "Chỉ thị 05 bàn về học tập và làm theo tư tưởng, đạo đức, phong cách của ai?",
            [],
            "Hồ Chí Minh | Bác Hồ (50%)",
            accents="x",
        ),
        row("Số", "Nghị quyết 4 nêu bao nhiêu biểu hiện suy thoái?", [], "27 ± 0"),
        row(
            "Ghép đôi",
            "Ghép văn bản với năm ban hành.",
            ["Nghị quyết 04-NQ/TW = 2016", "Chỉ thị 05-CT/TW = 2016", "Quy định 08-QĐi/TW = 2018"],
            "",
        ),
        row(
            "Sắp xếp thứ tự",
            "Sắp xếp các bước theo đúng thứ tự.",
            ["Tự phê bình", "Phê bình", "Khắc phục"],
            "",
        ),
        row(
            "Tự luận",
            "Liên hệ bản thân về việc tu dưỡng đạo đức.",
            [],
            "Nêu ít nhất hai việc cụ thể.",
        ),
    ]
    types = ", ".join(str(t.label) for t in QuestionType)
    rules = [
        ("Loại", _("Bắt buộc. Một trong: %(types)s.") % {"types": types}),
        ("Câu hỏi", _("Bắt buộc. Nội dung câu hỏi.")),
        (
            "Phương án A–F",
            _(
                "Lựa chọn: mỗi ô một phương án. Ghép đôi: mỗi ô “vế trái = vế phải”. "
                "Sắp xếp: các mục theo đúng thứ tự. Loại khác: để trống."
            ),
        ),
        (
            "Đáp án",
            _(
                "Một lựa chọn: chữ cái (B). Nhiều lựa chọn: các chữ cái (A, C) hoặc trọng số "
                "(A:50%, C:50%, B:-100%). Đúng/Sai: Đúng hoặc Sai. Trả lời ngắn: các đáp án "
                "chấp nhận, cách nhau bằng | và có thể ghi (50%). Số: giá trị ± sai số "
                "(27 ± 0,5). Tự luận: hướng dẫn chấm. Ghép đôi, sắp xếp: để trống."
            ),
        ),
        ("Điểm", _("Không bắt buộc, mặc định 1; số lớn hơn 0.")),
        ("Nhận xét", _("Không bắt buộc. Nhận xét chung, hiện sau khi làm bài.")),
        ("Thẻ", _("Không bắt buộc. Các thẻ cách nhau bằng dấu phẩy.")),
        ("Tiêu đề", _("Không bắt buộc. Tên ngắn để tìm câu hỏi trong ngân hàng.")),
        (
            "Danh mục",
            _("Không bắt buộc. Danh mục con dưới danh mục chọn khi nhập, ví dụ “Nhóm 1/Phần A”."),
        ),
        ("Bỏ qua dấu", _("Trả lời ngắn: ghi x để chấp nhận câu trả lời gõ không dấu.")),
    ]
    return template_workbook(title="Câu hỏi", headers=HEADERS, examples=examples, rules=rules)


def category_names(
    questions: Iterable[Question], root: QuestionCategory | None = None
) -> dict[int, tuple[str, ...]]:
    """Each question's category as "A/B/C" names, from `root` (included) down,
    or from the top of the tree when no root is given."""
    paths = {q.category_id: q.category.path for q in questions}
    ids = {int(i) for path in paths.values() for i in path.strip("/").split("/") if i}
    names = dict(QuestionCategory.objects.filter(pk__in=ids).values_list("pk", "name"))
    out: dict[int, tuple[str, ...]] = {}
    for pk, path in paths.items():
        chain = [int(i) for i in path.strip("/").split("/") if i]
        if root is not None and root.pk in chain:
            chain = chain[chain.index(root.pk) :]
        out[pk] = tuple(names[i] for i in chain if i in names)
    return out


def _category_ref(names: tuple[str, ...]) -> str:
    # Moodle reads "$course$/top/A/B" as categories A and B below the course's
    # top; a "/" inside a name is written "//".
    return "$course$/top/" + "/".join(part.replace("/", "//") for part in names)


def _grade(fraction: Any) -> str:
    return _percent(fraction)


def _sub(parent: ET.Element, tag: str, text: Any = None, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, tag, attrs)
    if text is not None:
        node.text = str(text)
    return node


def _textnode(parent: ET.Element, tag: str, text: str, fmt: str = "plain_text") -> ET.Element:
    node = _sub(parent, tag, format=fmt) if fmt else _sub(parent, tag)
    _sub(node, "text", text or "")
    return node


def _answer(parent: ET.Element, fraction: Any, text: str, feedback: str = "") -> ET.Element:
    node = _sub(parent, "answer", fraction=_grade(fraction), format="plain_text")
    _sub(node, "text", text)
    _textnode(node, "feedback", feedback)
    return node


_MOODLE_TYPES = {
    QuestionType.SINGLE: "multichoice",
    QuestionType.MULTIPLE: "multichoice",
    QuestionType.TRUE_FALSE: "truefalse",
    QuestionType.SHORT: "shortanswer",
    QuestionType.NUMERIC: "numerical",
    QuestionType.MATCHING: "matching",
    QuestionType.ORDERING: "ordering",
    QuestionType.ESSAY: "essay",
}


def _xml_question(
    quiz: ET.Element, q: Question, v: QuestionVersion, files: dict[str, QuestionMedia]
) -> None:
    d = v.data
    node = _sub(quiz, "question", type=_MOODLE_TYPES[QuestionType(v.type)])
    _textnode(node, "name", q.title or media.plain(v.text)[:80], fmt="")
    names = [n for n in media.names_in(v.text) if n in files]
    if names:
        # Images go back as Moodle writes them: @@PLUGINFILE@@ in HTML, the
        # bytes in base64 <file> elements of the text.
        text = _textnode(node, "questiontext", media.to_moodle_html(v.text), fmt="html")
        for name in names:
            with files[name].file.open("rb") as fh:
                content = base64.b64encode(fh.read()).decode("ascii")
            _sub(text, "file", content, name=name, path="/", encoding="base64")
    else:
        _textnode(node, "questiontext", media.plain(v.text))
    _textnode(node, "generalfeedback", d.get("feedback", ""))
    _sub(node, "defaultgrade", f"{v.points:f}")
    _sub(node, "penalty", "0")
    _sub(node, "hidden", "0")
    if v.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        _sub(node, "single", "true" if v.type == QuestionType.SINGLE else "false")
        _sub(node, "shuffleanswers", "true")
        _sub(node, "answernumbering", "abc")
        for c in d["choices"]:
            _answer(node, c["fraction"], c["text"], c.get("feedback", ""))
    elif v.type == QuestionType.TRUE_FALSE:
        right = d.get("feedback_true" if d["answer"] else "feedback_false", "")
        wrong = d.get("feedback_false" if d["answer"] else "feedback_true", "")
        _answer(node, 1 if d["answer"] else 0, "true", right if d["answer"] else wrong)
        _answer(node, 0 if d["answer"] else 1, "false", wrong if d["answer"] else right)
    elif v.type == QuestionType.SHORT:
        _sub(node, "usecase", "1" if d.get("case_sensitive") else "0")
        for a in d["answers"]:
            _answer(node, a["fraction"], a["text"], a.get("feedback", ""))
    elif v.type == QuestionType.NUMERIC:
        for a in d["answers"]:
            answer = _answer(node, a["fraction"], _num(a["value"]), a.get("feedback", ""))
            _sub(answer, "tolerance", _num(a["tolerance"]))
        if d.get("feedback_wrong"):
            # Moodle keeps "any other value" feedback as a 0% answer "*".
            _sub(_answer(node, 0, "*", d["feedback_wrong"]), "tolerance", "0")
        if d.get("unit"):
            unit = _sub(_sub(node, "units"), "unit")
            _sub(unit, "multiplier", "1")
            _sub(unit, "unit_name", d["unit"])
            _sub(node, "unitgradingtype", "0")
            _sub(node, "unitpenalty", "0")
            _sub(node, "showunits", "3")  # the unit shown after the box, not asked for
            _sub(node, "unitsleft", "0")
    elif v.type == QuestionType.MATCHING:
        _sub(node, "shuffleanswers", "true")
        rights = {r["id"]: r["text"] for r in d["rights"]}
        used = set()
        for p in d["pairs"]:
            sub = _textnode(node, "subquestion", p["left"])
            _sub(_sub(sub, "answer"), "text", rights[p["right_id"]])
            used.add(p["right_id"])
        for r in d["rights"]:
            if r["id"] not in used:  # a right-hand answer that matches nothing
                sub = _textnode(node, "subquestion", "")
                _sub(_sub(sub, "answer"), "text", r["text"])
    elif v.type == QuestionType.ORDERING:
        _sub(node, "layouttype", "VERTICAL")
        _sub(node, "selecttype", "ALL")
        _sub(node, "selectcount", "0")
        _sub(node, "gradingtype", "ABSOLUTE_POSITION")
        for n, item in enumerate(d["items"], 1):
            answer = _sub(node, "answer", fraction=str(n), format="plain_text")
            _sub(answer, "text", item["text"])
    else:
        _sub(node, "responseformat", "editor")
        _sub(node, "responserequired", "1")
        _sub(node, "responsefieldlines", "15")
        _sub(node, "attachments", "0")
        _sub(node, "attachmentsrequired", "0")
        _textnode(node, "graderinfo", d.get("rubric", ""))
        _textnode(node, "responsetemplate", d.get("response_template", ""))
    tags = [t.name for t in q.tags.all()]
    if tags:
        holder = _sub(node, "tags")
        for name in tags:
            _sub(_sub(holder, "tag"), "text", name)


def export_moodle_xml(questions: Iterable[Question], root: QuestionCategory | None = None) -> str:
    """Moodle XML that Moodle's "Import > Moodle XML format" reads: a category
    question before each run of questions of one category, plain-text texts,
    answer grades as percents."""
    items = [q for q in questions if q.current_version is not None]
    names = category_names(items, root)
    files = media.of(items)
    quiz = ET.Element("quiz")
    current: tuple[str, ...] | None = None
    for q in items:
        if names[q.category_id] != current:
            current = names[q.category_id]
            cat = _sub(quiz, "question", type="category")
            _sub(_sub(cat, "category"), "text", _category_ref(current))
        assert q.current_version is not None
        _xml_question(quiz, q, q.current_version, files.get(q.pk, {}))
    ET.indent(quiz, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n"
