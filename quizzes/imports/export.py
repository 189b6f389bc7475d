"""Exporting questions to GIFT and to the XLSX template (import gives them back)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook

from accounts.tables import keep_as_text

from ..models import Question, QuestionType, QuestionVersion
from .xlsx import HEADERS, LETTERS, TYPE_NAMES


def _esc(text: Any) -> str:
    out = str(text)
    for ch in "\\~=#{}:":
        out = out.replace(ch, "\\" + ch)
    return out.replace("\n", "\\n")


def _pct(fraction: float) -> str:
    value = round(float(fraction) * 100, 5)
    return f"%{value:g}%"


def _fb(text: str) -> str:
    return f"#{_esc(text)}" if text else ""


def _num(value: float) -> str:
    return f"{float(value):g}"


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
    return f"{head}{_esc(v.text)} {{{body}{general}}}\n"


def export_gift(questions: Iterable[Question]) -> str:
    blocks = []
    for q in questions:
        v = q.current_version
        if v is None or v.type == QuestionType.ORDERING:
            continue  # GIFT cannot express ordering questions; use XLSX for those
        blocks.append(gift_block(v, q.title))
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
        v.text,
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
    return export_xlsx([])
