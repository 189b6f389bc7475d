"""Answers edited as plain lines, one option per line, for every question type."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from quizzes.models import QuestionType

_WEIGHT = re.compile(r"^\[(-?\d+(?:[.,]\d+)?)\s*%\]\s*")


def _split(line: str) -> tuple[float | None, str, str]:
    weight = None
    m = _WEIGHT.match(line)
    if m:
        weight = float(m.group(1).replace(",", ".")) / 100
        line = line[m.end() :]
    text, _sep, feedback = line.partition(" # ")
    return weight, text.strip(), feedback.strip()


def lines_to_data(qtype: str, text: str, previous: dict[str, Any] | None = None) -> dict[str, Any]:
    """Parse the answer lines; ids of `previous` are kept by position (key fixes)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    previous = previous or {}

    def keep_ids(entries: list[dict[str, Any]], key: str) -> None:
        old = previous.get(key, [])
        for n, entry in enumerate(entries):
            if n < len(old) and old[n].get("id"):
                entry["id"] = old[n]["id"]

    data: dict[str, Any] = {}
    if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        choices = []
        stars = sum(1 for line in lines if line.startswith("*"))
        explicit = any(_WEIGHT.match(line.lstrip("*").strip()) for line in lines)
        for line in lines:
            right = line.startswith("*")
            weight, body, feedback = _split(line.lstrip("*").strip())
            if weight is None:
                weight = (1 / max(stars, 1)) if right else 0.0
                if qtype == QuestionType.MULTIPLE and not right and not explicit:
                    weight = -1 / max(stars, 1)
                if qtype == QuestionType.SINGLE and right:
                    weight = 1.0
            choices.append({"text": body, "fraction": weight, "feedback": feedback})
        keep_ids(choices, "choices")
        data["choices"] = choices
    elif qtype == QuestionType.TRUE_FALSE:
        value = (lines[0] if lines else "").lower()
        if value not in ("đúng", "sai", "true", "false"):
            raise ValidationError(_("Câu Đúng/Sai: ghi “Đúng” hoặc “Sai”."))
        data["answer"] = value in ("đúng", "true")
    elif qtype == QuestionType.SHORT:
        answers = []
        for line in lines:
            weight, body, feedback = _split(line)
            answers.append(
                {"text": body, "fraction": 1.0 if weight is None else weight, "feedback": feedback}
            )
        data["answers"] = answers
    elif qtype == QuestionType.NUMERIC:
        answers = []
        for line in lines:
            weight, body, feedback = _split(line)
            value, _sep, tol = body.replace("±", ":").partition(":")
            try:
                answers.append(
                    {
                        "value": float(value.strip().replace(",", ".")),
                        "tolerance": float(tol.strip().replace(",", ".") or 0),
                        "fraction": 1.0 if weight is None else weight,
                        "feedback": feedback,
                    }
                )
            except ValueError as exc:
                raise ValidationError(_("Đáp án số không hợp lệ: “%(l)s”.") % {"l": line}) from exc
        data["answers"] = answers
    elif qtype == QuestionType.MATCHING:
        rights: list[dict[str, Any]] = []
        pairs = []
        for line in lines:
            if "=" not in line:
                raise ValidationError(_("Ghép đôi: mỗi dòng cần dạng “vế trái = vế phải”."))
            left, right = (p.strip() for p in line.split("=", 1))
            match = next((r for r in rights if r["text"] == right), None)
            if match is None:
                match = {"id": f"r{len(rights) + 1}", "text": right}
                rights.append(match)
            pairs.append({"id": f"m{len(pairs) + 1}", "left": left, "right_id": match["id"]})
        old_rights = {r["text"]: r["id"] for r in previous.get("rights", [])}
        renamed = {r["id"]: old_rights.get(r["text"], r["id"]) for r in rights}
        for r in rights:
            r["id"] = renamed[r["id"]]
        for p in pairs:
            p["right_id"] = renamed[p["right_id"]]
        keep_ids(pairs, "pairs")
        data["rights"], data["pairs"] = rights, pairs
    elif qtype == QuestionType.ORDERING:
        items = [{"text": line} for line in lines]
        keep_ids(items, "items")
        data["items"] = items
    else:
        data["rubric"] = text.strip()
    return data


def data_to_lines(qtype: str, data: dict[str, Any]) -> str:
    def pct(f: float) -> str:
        return f"[{float(f) * 100:g}%] "

    def fb(entry: dict[str, Any]) -> str:
        return f" # {entry['feedback']}" if entry.get("feedback") else ""

    if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        out = []
        for c in data.get("choices", []):
            f = float(c["fraction"])
            prefix = "* " if f == 1 and qtype == QuestionType.SINGLE else ("" if f == 0 else pct(f))
            out.append(f"{prefix}{c['text']}{fb(c)}")
        return "\n".join(out)
    if qtype == QuestionType.TRUE_FALSE:
        return "Đúng" if data.get("answer") else "Sai"
    if qtype == QuestionType.SHORT:
        return "\n".join(
            ("" if float(a["fraction"]) == 1 else pct(a["fraction"])) + a["text"] + fb(a)
            for a in data.get("answers", [])
        )
    if qtype == QuestionType.NUMERIC:
        return "\n".join(
            ("" if float(a["fraction"]) == 1 else pct(a["fraction"]))
            + f"{a['value']:g} ± {a['tolerance']:g}"
            + fb(a)
            for a in data.get("answers", [])
        )
    if qtype == QuestionType.MATCHING:
        rights = {r["id"]: r["text"] for r in data.get("rights", [])}
        return "\n".join(
            f"{p['left']} = {rights.get(p['right_id'], '')}" for p in data.get("pairs", [])
        )
    if qtype == QuestionType.ORDERING:
        return "\n".join(i["text"] for i in data.get("items", []))
    return str(data.get("rubric", ""))
