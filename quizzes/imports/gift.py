"""GIFT as Moodle reads it.

Supported: `// comments`, `$CATEGORY: path`, `::title::`, `[html]`-style
format markers, escapes `\\~ \\= \\# \\{ \\} \\:` , multiple choice (one `=`,
`~%n%` partial credit), multiple response (weights only), true/false,
short answer, numeric (`#value:tolerance`, `#min..max`, several `=`
answers), matching (`=left -> right`), essay (`{}`), missing-word (text
after the answer block), per-answer feedback `#...` and general feedback
`####...`.
"""

from __future__ import annotations

import re
from typing import IO, Any

from django.utils.translation import gettext as _

from ..models.bank import QuestionType
from .base import (
    Parsed,
    ParseResult,
    Problem,
    Skipped,
    html_to_text,
    read_text,
    snap_fraction,
    unsupported_name,
)

_ESCAPES = [
    ("\\\\", "\x10"),
    ("\\~", "\x11"),
    ("\\=", "\x12"),
    ("\\#", "\x13"),
    ("\\{", "\x14"),
    ("\\}", "\x15"),
    ("\\:", "\x16"),
    ("\\n", "\n"),
]
_RESTORE = {
    "\x10": "\\",
    "\x11": "~",
    "\x12": "=",
    "\x13": "#",
    "\x14": "{",
    "\x15": "}",
    "\x16": ":",
}
_WEIGHT = re.compile(r"^%(-?\d+(?:[.,]\d+)?)%")
_TAG = re.compile(r"\[tag:([^\]]+)\]", re.IGNORECASE)
_FORMAT = re.compile(r"^\[(html|moodle|plain|markdown)\]", re.IGNORECASE)


def _protect(text: str) -> str:
    for raw, mark in _ESCAPES:
        text = text.replace(raw, mark)
    return text


def _restore(text: str) -> str:
    for mark, char in _RESTORE.items():
        text = text.replace(mark, char)
    return text.strip()


def _format_of(text: str, default: str = "moodle") -> tuple[str, str]:
    """Split a leading [html]/[moodle]/[plain]/[markdown] marker off `text`."""
    text = text.lstrip()
    m = _FORMAT.match(text)
    if not m:
        return default, text
    return m.group(1).lower(), text[m.end() :]


def _t(text: str, default: str = "moodle") -> str:
    """A text part as plain text: its own format marker or the question's,
    escapes restored, HTML reduced to what a reader sees."""
    fmt, body = _format_of(text, default)
    body = _restore(body)
    return html_to_text(body) if fmt == "html" else body


class GiftError(ValueError):
    pass


class Description(Exception):
    def __init__(self, title: str) -> None:
        super().__init__(title)
        self.title = title


def _split_feedback(body: str) -> tuple[str, str]:
    text, _sep, feedback = body.partition("#")
    return text, feedback


def _weight(body: str) -> tuple[float | None, str]:
    m = _WEIGHT.match(body.strip())
    if not m:
        return None, body.strip()
    return snap_fraction(float(m.group(1).replace(",", ".")) / 100), body.strip()[m.end() :]


def _tokens(answer: str) -> list[tuple[str, str]]:
    parts = re.split(r"([=~])", answer)
    if parts[0].strip():
        raise GiftError(_("Không nhận ra loại câu hỏi: “%(t)s”.") % {"t": _restore(parts[0])[:40]})
    return [(parts[i], parts[i + 1]) for i in range(1, len(parts) - 1, 2)]


def _number(text: str) -> float:
    try:
        return float(_restore(text).replace(",", "."))
    except ValueError as exc:
        raise GiftError(_("Giá trị số không hợp lệ: “%(v)s”.") % {"v": _restore(text)}) from exc


def _numeric(
    spec: str, fraction: float = 1.0, feedback: str = "", fmt: str = "moodle"
) -> dict[str, Any]:
    spec = spec.strip()
    if ".." in spec:
        low, high = (_number(p) for p in spec.split("..", 1))
        # 12 significant digits: 3.141..3.142 is 3.1415 ± 0.0005, not 3.1414999999999997.
        return {
            "value": float(f"{(low + high) / 2:.12g}"),
            "tolerance": float(f"{abs(high - low) / 2:.12g}"),
            "fraction": fraction,
            "feedback": _t(feedback, fmt),
        }
    value, _sep, tol = spec.partition(":")
    return {
        "value": _number(value),
        "tolerance": _number(tol) if tol.strip() else 0.0,
        "fraction": fraction,
        "feedback": _t(feedback, fmt),
    }


def _answer_block(answer: str, fmt: str = "moodle") -> tuple[str, dict[str, Any]]:
    """Return (type, data) for the text inside { } (`fmt`: the question's format)."""
    answer, _sep, general = answer.partition("####")
    data: dict[str, Any] = {"feedback": _t(general, fmt)}
    stripped = answer.strip()
    if not stripped:
        return QuestionType.ESSAY, data
    head, _sep, rest = stripped.partition("#")
    if head.strip().upper() in ("T", "TRUE", "F", "FALSE"):
        value = head.strip().upper().startswith("T")
        wrong_fb, _sep, right_fb = rest.partition("#")
        data["answer"] = value
        data["feedback_true" if value else "feedback_false"] = _t(right_fb, fmt)
        data["feedback_false" if value else "feedback_true"] = _t(wrong_fb, fmt)
        return QuestionType.TRUE_FALSE, data
    if stripped.startswith("#"):
        # As Moodle reads numeric answers: what follows the first "~" is the
        # feedback for any other (wrong) value; the rest are "="-separated answers,
        # the first "=" optional: {#3:2}, {#1..5}, {#=%50%3:2#fb =4 ~#Sai}.
        numbers, _sep, wrong = stripped[1:].partition("~")
        answers = []
        for n, token in enumerate(numbers.split("=")):
            if n == 0 and not token.strip():
                continue
            weight, body = _weight(token.strip())
            spec, feedback = _split_feedback(body)
            answers.append(_numeric(spec, 1.0 if weight is None else weight, feedback, fmt))
        if not answers:
            raise GiftError(_("Câu hỏi số cần ít nhất một đáp án."))
        data["answers"] = answers
        if wrong.strip():
            _weight_ignored, body = _weight(wrong.strip())
            data["feedback_wrong"] = _t(_split_feedback(body)[1] or body, fmt)
        return QuestionType.NUMERIC, data
    tokens = _tokens(stripped)
    if not tokens:
        raise GiftError(_("Không nhận ra loại câu hỏi."))
    marks = {m for m, _b in tokens}
    if marks == {"="} and any("->" in b for _m, b in tokens):
        rights: list[dict[str, str]] = []
        pairs: list[dict[str, str]] = []
        for _m, body in tokens:
            if "->" not in body:
                raise GiftError(_("Câu ghép đôi: mỗi dòng cần dạng “=vế trái -> vế phải”."))
            left, right = (_t(p, fmt) for p in body.split("->", 1))
            match = next((r for r in rights if r["text"] == right), None)
            if match is None:
                match = {"id": f"r{len(rights) + 1}", "text": right}
                rights.append(match)
            pairs.append({"id": f"m{len(pairs) + 1}", "left": left, "right_id": match["id"]})
        data["rights"], data["pairs"] = rights, pairs
        return QuestionType.MATCHING, data
    if marks == {"="}:
        answers = []
        for _m, body in tokens:
            weight, body = _weight(body)
            text, feedback = _split_feedback(body)
            answers.append(
                {
                    "text": _t(text, fmt),
                    "fraction": 1.0 if weight is None else weight,
                    "feedback": _t(feedback, fmt),
                }
            )
        data["answers"] = answers
        return QuestionType.SHORT, data
    choices = []
    for n, (mark, body) in enumerate(tokens, 1):
        weight, body = _weight(body)
        text, feedback = _split_feedback(body)
        fraction = 1.0 if mark == "=" else (weight if weight is not None else 0.0)
        choices.append(
            {
                "id": f"c{n}",
                "text": _t(text, fmt),
                "fraction": fraction,
                "feedback": _t(feedback, fmt),
            }
        )
    data["choices"] = choices
    single = "=" in marks
    return (QuestionType.SINGLE if single else QuestionType.MULTIPLE), data


def _question(block: str, line: int, category: str, tags: list[str] | None = None) -> Parsed:
    text = block.strip()
    title = ""
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            raise GiftError(_("Tiêu đề mở bằng “::” nhưng không đóng."))
        title, text = _restore(text[2:end]), text[end + 2 :]
    start = text.find("{")
    if start < 0 and "}" not in text:
        # As Moodle: a block without answers is a "description", not a question.
        raise Description(title)
    if start < 0:
        raise GiftError(_("Thiếu phần đáp án trong ngoặc { }."))
    end = text.find("}", start)
    if end < 0:
        raise GiftError(_("Thiếu dấu “}” đóng phần đáp án."))
    if "{" in text[start + 1 : end] or "{" in text[end + 1 :]:
        raise GiftError(_("Câu hỏi có nhiều hơn một phần đáp án."))
    before, answer, after = text[:start], text[start + 1 : end], text[end + 1 :]
    fmt, before = _format_of(before)
    qtype, data = _answer_block(answer, fmt)
    # As Moodle: answers at the end are removed; answers inside the sentence
    # leave a blank ("missing word") where they stood.
    question_text = f"{before}_____{after}" if after.strip() else before
    return Parsed(
        line=line,
        type=qtype,
        text=_t(question_text, fmt),
        data=data,
        title=title,
        category=category,
        tags=list(tags or []),
    )


_MOODLE_ROOTS = ("$course$", "$system$", "$module$", "$coursecategory$", "$cat$", "top")


def split_category(value: str) -> list[str]:
    """Moodle's category path as names: "/" separates, "//" is a slash in a name."""
    parts = [p.replace("//", "/").strip() for p in re.split(r"(?<!/)/(?!/)", value)]
    return [p for p in parts if p]


def _category(value: str) -> str:
    """A Moodle category reference ("$course$/top/A/B") as our sub-path ("A/B");
    a slash inside a name stays doubled, as Moodle writes it."""
    parts = split_category(value.strip())
    while parts and parts[0].lower() in _MOODLE_ROOTS:
        parts.pop(0)
    return "/".join(p.replace("/", "//") for p in parts)


def parse_gift(upload: IO[bytes]) -> ParseResult:
    result = ParseResult()
    text, problems = read_text(upload)
    if text is None:
        result.problems = problems
        return result
    category = ""
    block: list[str] = []
    tags: list[str] = []
    start = 0

    def flush() -> None:
        if not block:
            tags.clear()  # comments between questions belong to the next one only
            return
        try:
            result.questions.append(_question(_protect("\n".join(block)), start, category, tags))
        except GiftError as exc:
            result.problems.append(Problem(start, str(exc)))
        except Description as exc:
            result.skipped.append(Skipped(start, unsupported_name("description"), exc.title))
        block.clear()
        tags.clear()

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        if line.lstrip().startswith("//"):
            # Moodle reads "[tag:name]" in a question's comments as its tags.
            tags.extend(t.strip() for t in _TAG.findall(line) if t.strip())
            continue
        if not line.strip():
            flush()
            continue
        if not block and line.strip().upper().startswith("$CATEGORY:"):
            category = _category(line.split(":", 1)[1])
            continue
        if not block:
            start = number
        block.append(line)
    flush()
    return result
