"""Moodle XML (questions exported from a Moodle question bank).

Parsed safely: a document with a DOCTYPE (where entity tricks live) is
refused, and ElementTree never fetches external resources. HTML in texts
is reduced to plain text.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import html
import re
import xml.etree.ElementTree as ET
from decimal import Decimal, InvalidOperation
from typing import IO, Any
from urllib.parse import unquote

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..media import TOKEN, check_image, token
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
from .gift import _category

_TYPES = {
    "multichoice": None,  # single or multiple, by <single>
    "truefalse": QuestionType.TRUE_FALSE,
    "shortanswer": QuestionType.SHORT,
    "numerical": QuestionType.NUMERIC,
    "matching": QuestionType.MATCHING,
    "essay": QuestionType.ESSAY,
    "ordering": QuestionType.ORDERING,
}


_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ALT = re.compile(r"\balt\s*=\s*[\"']([^\"']*)", re.IGNORECASE)
_SRC = re.compile(r"\bsrc\s*=\s*[\"']@@PLUGINFILE@@/([^\"'?#]+)", re.IGNORECASE)


def _image_label(match: re.Match[str]) -> str:
    alt = _ALT.search(match.group(0))
    if not alt or not alt.group(1).strip():
        return ""
    return " " + _("[Hình: %(alt)s]") % {"alt": alt.group(1).strip()} + " "


def _image_token(match: re.Match[str]) -> str:
    """An embedded image of the question text kept as a media token (the
    file itself comes from the question's <file> elements)."""
    src = _SRC.search(match.group(0))
    if src is None:
        return _image_label(match)
    alt = _ALT.search(match.group(0))
    name = unquote(html.unescape(src.group(1)))
    if "/" in name:  # a file in a sub-folder: not one of the question's own files
        return _image_label(match)
    # Escaped so that html_to_text's tag stripping leaves it whole.
    return " " + html.escape(token(html.unescape(alt.group(1)) if alt else "", name)) + " "


def _text(node: ET.Element | None, path: str = "text", media: bool = False) -> str:
    """A Moodle text as plain text: HTML reduced to what a reader sees, an
    embedded image kept as its description (or, with `media`, as a media
    token for the question text)."""
    if node is None:
        return ""
    found = node.find(path) if path else node
    raw = (found.text if found is not None else "") or ""
    if node.get("format", "html") in ("plain_text", "markdown"):
        return raw.strip()
    return html_to_text(_IMAGE.sub(_image_token if media else _image_label, raw))


def _files(node: ET.Element) -> dict[str, bytes]:
    """Every base64 <file> of the question (text, feedback, answers) and
    Moodle 1.9's <image_base64>; undecodable ones are left out."""
    out: dict[str, bytes] = {}
    for f in node.iter("file"):
        if (f.get("encoding") or "").lower() == "base64" and f.get("name"):
            try:
                out[f.get("name", "")] = base64.b64decode("".join((f.text or "").split()))
            except (binascii.Error, ValueError):
                continue
    old = node.findtext("image_base64")
    if old and old.strip():
        with contextlib.suppress(binascii.Error, ValueError):
            name = (node.findtext("image") or "image").strip()
            out[name] = base64.b64decode("".join(old.split()))
    return out


def _tags(node: ET.Element) -> list[str]:
    return [t for t in (_text(tag) for tag in node.findall("tags/tag")) if t]


def _fraction(answer: ET.Element) -> float:
    try:
        return snap_fraction(float(Decimal(answer.get("fraction", "0"))) / 100)
    except InvalidOperation:
        return 0.0


def _question(node: ET.Element, qtype: str) -> tuple[str, dict[str, Any]]:
    data: dict[str, Any] = {"feedback": _text(node.find("generalfeedback"))}
    answers = node.findall("answer")
    if qtype == "multichoice":
        single = (node.findtext("single") or "true").strip().lower() in ("true", "1")
        data["choices"] = [
            {
                "id": f"c{n}",
                "text": _text(a),
                "fraction": _fraction(a),
                "feedback": _text(a.find("feedback")),
            }
            for n, a in enumerate(answers, 1)
        ]
        return (QuestionType.SINGLE if single else QuestionType.MULTIPLE), data
    if qtype == "truefalse":
        correct = next((a for a in answers if _fraction(a) > 0), None)
        value = correct is not None and _text(correct).lower() in ("true", "đúng")
        data["answer"] = value
        for a in answers:
            key = "feedback_true" if _text(a).lower() in ("true", "đúng") else "feedback_false"
            data[key] = _text(a.find("feedback"))
        return QuestionType.TRUE_FALSE, data
    if qtype == "shortanswer":
        data["answers"] = [
            {"text": _text(a), "fraction": _fraction(a), "feedback": _text(a.find("feedback"))}
            for a in answers
        ]
        if (node.findtext("usecase") or "0").strip() == "1":
            data["case_sensitive"] = True
        return QuestionType.SHORT, data
    if qtype == "numerical":
        data["answers"] = []
        for a in answers:
            if _text(a) == "*":
                # Moodle's "any other value" answer: its feedback is ours for wrong values.
                data["feedback_wrong"] = _text(a.find("feedback"))
                continue
            data["answers"].append(
                {
                    "value": _text(a).replace(",", "."),
                    "tolerance": (a.findtext("tolerance") or "0").strip(),
                    "fraction": _fraction(a),
                    "feedback": _text(a.find("feedback")),
                }
            )
        # The base unit (multiplier 1) Moodle shows after the answer box.
        for unit in node.findall("units/unit"):
            if (unit.findtext("multiplier") or "").strip() in ("1", "1.0", "1.0000000"):
                data["unit"] = (unit.findtext("unit_name") or "").strip()
                break
        return QuestionType.NUMERIC, data
    if qtype == "matching":
        rights: list[dict[str, str]] = []
        pairs: list[dict[str, str]] = []
        for sub in node.findall("subquestion"):
            right = _text(sub.find("answer"))
            match = next((r for r in rights if r["text"] == right), None)
            if match is None:
                match = {"id": f"r{len(rights) + 1}", "text": right}
                rights.append(match)
            pairs.append({"id": f"m{len(pairs) + 1}", "left": _text(sub), "right_id": match["id"]})
        data["rights"], data["pairs"] = rights, pairs
        return QuestionType.MATCHING, data
    if qtype == "ordering":
        # Moodle's ordering: each answer's "fraction" is its place in the right order.
        ordered = sorted(answers, key=lambda a: float(_fraction(a)))
        data["items"] = [{"id": f"o{n}", "text": _text(a)} for n, a in enumerate(ordered, 1)]
        return QuestionType.ORDERING, data
    data["rubric"] = _text(node.find("graderinfo"))
    data["response_template"] = _text(node.find("responsetemplate"))
    return QuestionType.ESSAY, data


def parse_moodle_xml(upload: IO[bytes]) -> ParseResult:
    result = ParseResult()
    text, problems = read_text(upload)
    if text is None:
        result.problems = problems
        return result
    if re.search(r"<!DOCTYPE|<!ENTITY", text, re.IGNORECASE):
        result.problems.append(Problem(1, _("Tệp XML có DOCTYPE/ENTITY: không được chấp nhận.")))
        return result
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        line = exc.position[0] if hasattr(exc, "position") else 0
        result.problems.append(Problem(line, _("XML không hợp lệ: %(e)s.") % {"e": exc}))
        return result
    if root.tag != "quiz":
        result.problems.append(Problem(1, _("Tệp không phải Moodle XML (thiếu thẻ <quiz>).")))
        return result
    # ElementTree keeps no line numbers: the n-th <question is the n-th element.
    starts = [text.count("\n", 0, m.start()) + 1 for m in re.finditer(r"<question\b", text)]
    category = ""
    for index, node in enumerate(root.findall("question")):
        line = starts[index] if index < len(starts) else 0
        qtype = node.get("type", "")
        if qtype == "category":
            category = _category(_text(node.find("category")))
            continue
        if qtype not in _TYPES:
            result.skipped.append(Skipped(line, unsupported_name(qtype), _text(node.find("name"))))
            continue
        kind, data = _question(node, qtype)
        try:
            points = Decimal((node.findtext("defaultgrade") or "1").strip())
        except InvalidOperation:
            result.problems.append(Problem(line, _("Điểm (defaultgrade) không hợp lệ.")))
            continue
        text, files, problems = _with_media(node, line)
        if problems:
            result.problems += problems
            continue
        result.questions.append(
            Parsed(
                line=line,
                type=kind,
                text=text,
                data=data,
                points=points,
                title=_text(node.find("name")),
                category=category,
                tags=_tags(node),
                files=files,
            )
        )
    return result


def _with_media(node: ET.Element, line: int) -> tuple[str, dict[str, bytes], list[Problem]]:
    """The question text with its images as media tokens, the files they
    need (each checked to be an image), and a problem per refused file. An
    image whose file the question lacks stays as its description; Moodle
    1.9's <image_base64> (shown above the text there) comes first."""
    text = _text(node.find("questiontext"), media=True)
    files = _files(node)
    old = (node.findtext("image") or "").strip()
    if node.findtext("image_base64", "").strip() and old in files:
        text = token("", old) + "\n" + text
    needed: dict[str, bytes] = {}
    problems: list[Problem] = []

    def keep(match: re.Match[str]) -> str:
        name = unquote(match.group(2))
        if name not in files:
            alt = match.group(1) or name
            return _("[Hình: %(alt)s]") % {"alt": alt}
        if name not in needed:
            try:
                check_image(name, files[name])
            except ValidationError as exc:
                problems.extend(Problem(line, m) for m in exc.messages)
            needed[name] = files[name]
        return match.group(0)

    text = TOKEN.sub(keep, text)
    return text, needed, problems
