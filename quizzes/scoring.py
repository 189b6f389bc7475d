"""Pure scoring and response validation per question type (no database).

`fraction(type, data, response)` returns the share of the points earned, a
Decimal in [0, 1]; `None` means "graded by hand" (essay). Shuffling only
changes the order choices are shown in, never their ids, so it cannot
change a grade.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from accounts.text import collapse_spaces, nfc

from .models.bank import QuestionType

ZERO = Decimal(0)
ONE = Decimal(1)
MAX_TEXT = 20000


class ResponseError(ValueError):
    """A response whose shape does not fit the question (API: 400)."""


def _clamp(value: Decimal) -> Decimal:
    return max(ZERO, min(ONE, value))


def _dec(value: Any) -> Decimal:
    return Decimal(str(value))


def normalise_short(text: str, accent_insensitive: bool, case_sensitive: bool = False) -> str:
    value = collapse_spaces(nfc(text))
    if not case_sensitive:
        value = value.lower()
    if accent_insensitive:
        # fold() would also lower-case; keep the case when the author asked for it
        value = value.replace("đ", "d").replace("Đ", "D")
        value = "".join(
            ch for ch in unicodedata.normalize("NFD", value) if unicodedata.category(ch) != "Mn"
        )
    return value


def short_matches(
    answer: str, given: str, accent_insensitive: bool, case_sensitive: bool = False
) -> bool:
    """Does the normalised response `given` match an accepted answer? As in
    Moodle, "*" in an answer stands for any text ("*" alone: anything else)."""
    if not given:
        return False
    pattern = normalise_short(answer, accent_insensitive, case_sensitive)
    if "*" not in pattern:
        return pattern == given
    regex = ".*".join(re.escape(part) for part in pattern.split("*"))
    return re.fullmatch(regex, given, flags=re.DOTALL) is not None


def validate_response(qtype: str, ids: Sequence[str], response: Any) -> Any:
    """Check a learner's response strictly; return it in canonical form.

    `ids` are the ids the learner may use (choices, right-hand items or
    ordering items). Anything else is a ResponseError.
    """
    if response is None:
        return None
    if not isinstance(response, dict):
        raise ResponseError(_("Câu trả lời phải là một đối tượng JSON."))
    known = set(ids)

    def keys(*expected: str) -> None:
        if set(response) != set(expected):
            raise ResponseError(
                _("Câu trả lời cho loại câu hỏi này phải có đúng trường: %(f)s.")
                % {"f": ", ".join(expected)}
            )

    if qtype == QuestionType.SINGLE:
        keys("choice")
        if not isinstance(response["choice"], str) or response["choice"] not in known:
            raise ResponseError(_("Phương án không thuộc câu hỏi này."))
        return {"choice": response["choice"]}
    if qtype == QuestionType.MULTIPLE:
        keys("choices")
        picks = response["choices"]
        if not isinstance(picks, list) or not all(isinstance(p, str) for p in picks):
            raise ResponseError(_("Danh sách phương án không hợp lệ."))
        if not set(picks) <= known or len(set(picks)) != len(picks):
            raise ResponseError(_("Phương án không thuộc câu hỏi này."))
        return {"choices": sorted(picks)}
    if qtype == QuestionType.TRUE_FALSE:
        keys("value")
        if not isinstance(response["value"], bool):
            raise ResponseError(_("Giá trị phải là true hoặc false."))
        return {"value": response["value"]}
    if qtype in (QuestionType.SHORT, QuestionType.ESSAY):
        keys("text")
        if not isinstance(response["text"], str) or len(response["text"]) > MAX_TEXT:
            raise ResponseError(_("Câu trả lời phải là văn bản (tối đa 20.000 ký tự)."))
        return {"text": nfc(response["text"]) if qtype == QuestionType.SHORT else response["text"]}
    if qtype == QuestionType.NUMERIC:
        keys("value")
        value = response["value"]
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
        ):
            raise ResponseError(_("Giá trị phải là một số."))
        return {"value": value}
    if qtype == QuestionType.MATCHING:
        keys("pairs")
        pairs = response["pairs"]
        if not isinstance(pairs, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in pairs.items()
        ):
            raise ResponseError(_("Các cặp ghép không hợp lệ."))
        lefts = {i[2:] for i in ids if i.startswith("l:")}
        rights = {i for i in ids if not i.startswith("l:")}
        if not set(pairs) <= lefts or not set(pairs.values()) <= rights:
            raise ResponseError(_("Cặp ghép chứa mục không thuộc câu hỏi này."))
        return {"pairs": pairs}
    if qtype == QuestionType.ORDERING:
        keys("order")
        order = response["order"]
        if not isinstance(order, list) or sorted(map(str, order)) != sorted(known):
            raise ResponseError(_("Thứ tự phải gồm đúng mỗi mục của câu hỏi một lần."))
        if not all(isinstance(o, str) for o in order):
            raise ResponseError(_("Thứ tự phải gồm đúng mỗi mục của câu hỏi một lần."))
        return {"order": order}
    raise ResponseError(_("Loại câu hỏi không được hỗ trợ."))


def allowed_ids(qtype: str, data: dict) -> tuple[str, ...]:
    """The ids validate_response accepts for a question's data (matching: the
    right-hand ids, then the left-hand ids prefixed "l:")."""
    if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        return tuple(c["id"] for c in data.get("choices", []))
    if qtype == QuestionType.MATCHING:
        return tuple(r["id"] for r in data.get("rights", [])) + tuple(
            "l:" + p["id"] for p in data.get("pairs", []) if p.get("left")
        )
    if qtype == QuestionType.ORDERING:
        return tuple(i["id"] for i in data.get("items", []))
    return ()


def fraction(qtype: str, data: dict, response: Any) -> Decimal | None:
    """Share of the points earned by `response`, in [0, 1]; None for essays."""
    if qtype == QuestionType.ESSAY:
        return None
    if not response:
        return ZERO
    if qtype == QuestionType.SINGLE:
        for c in data.get("choices", []):
            if c["id"] == response.get("choice"):
                return _clamp(_dec(c.get("fraction", 0)))
        return ZERO
    if qtype == QuestionType.MULTIPLE:
        weights = {c["id"]: _dec(c.get("fraction", 0)) for c in data.get("choices", [])}
        return _clamp(sum((weights.get(p, ZERO) for p in set(response.get("choices", []))), ZERO))
    if qtype == QuestionType.TRUE_FALSE:
        return ONE if response.get("value") is bool(data.get("answer")) else ZERO
    if qtype == QuestionType.SHORT:
        fold_accents = bool(data.get("accent_insensitive"))
        case = bool(data.get("case_sensitive"))
        given = normalise_short(str(response.get("text", "")), fold_accents, case)
        best = ZERO
        for a in data.get("answers", []):
            if short_matches(str(a.get("text", "")), given, fold_accents, case):
                best = max(best, _clamp(_dec(a.get("fraction", 1))))
        return best
    if qtype == QuestionType.NUMERIC:
        value = response.get("value")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return ZERO
        best = ZERO
        for a in data.get("answers", []):
            if abs(_dec(value) - _dec(a["value"])) <= _dec(a.get("tolerance", 0)):
                best = max(best, _clamp(_dec(a.get("fraction", 1))))
        return best
    if qtype == QuestionType.MATCHING:
        pairs = [p for p in data.get("pairs", []) if p.get("left")]
        if not pairs:
            return ZERO
        given = response.get("pairs", {})
        right = sum(1 for p in pairs if given.get(p["id"]) == p["right_id"])
        return _dec(right) / _dec(len(pairs))
    if qtype == QuestionType.ORDERING:
        items = [i["id"] for i in data.get("items", [])]
        order = response.get("order", [])
        if not items or len(order) != len(items):
            return ZERO
        right = sum(1 for a, b in zip(items, order, strict=True) if a == b)
        return _dec(right) / _dec(len(items))
    return ZERO


def points(max_points: Decimal, share: Decimal) -> Decimal:
    return (max_points * share).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def percent(score: Decimal, max_score: Decimal) -> Decimal:
    if not max_score:
        return ZERO
    return (score * 100 / max_score).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def right_answer(qtype: str, data: dict) -> Any:
    """The response that earns full marks (for review pages), or None."""
    if qtype == QuestionType.SINGLE:
        best = max(data.get("choices", []), key=lambda c: _dec(c.get("fraction", 0)), default=None)
        return {"choice": best["id"]} if best else None
    if qtype == QuestionType.MULTIPLE:
        return {
            "choices": [c["id"] for c in data.get("choices", []) if _dec(c.get("fraction", 0)) > 0]
        }
    if qtype == QuestionType.TRUE_FALSE:
        return {"value": bool(data.get("answer"))}
    if qtype == QuestionType.SHORT:
        best = max(data.get("answers", []), key=lambda a: _dec(a.get("fraction", 1)), default=None)
        return {"text": best["text"]} if best else None
    if qtype == QuestionType.NUMERIC:
        best = max(data.get("answers", []), key=lambda a: _dec(a.get("fraction", 1)), default=None)
        return {"value": best["value"]} if best else None
    if qtype == QuestionType.MATCHING:
        return {"pairs": {p["id"]: p["right_id"] for p in data.get("pairs", []) if p.get("left")}}
    if qtype == QuestionType.ORDERING:
        return {"order": [i["id"] for i in data.get("items", [])]}
    return None


def feedback(qtype: str, data: dict, response: Any) -> list[str]:
    """Feedback texts for a response: per choice/answer, then the general one."""
    out: list[str] = []
    if response:
        if qtype == QuestionType.SINGLE:
            out += [
                c.get("feedback", "")
                for c in data.get("choices", [])
                if c["id"] == response.get("choice")
            ]
        elif qtype == QuestionType.MULTIPLE:
            picks = set(response.get("choices", []))
            out += [c.get("feedback", "") for c in data.get("choices", []) if c["id"] in picks]
        elif qtype == QuestionType.TRUE_FALSE:
            out.append(data.get("feedback_true" if response.get("value") else "feedback_false", ""))
        elif qtype == QuestionType.SHORT:
            # The first accepted answer the response matches, as Moodle picks it.
            fold_accents = bool(data.get("accent_insensitive"))
            case = bool(data.get("case_sensitive"))
            given = normalise_short(str(response.get("text", "")), fold_accents, case)
            out += [
                next(
                    (
                        a.get("feedback", "")
                        for a in data.get("answers", [])
                        if short_matches(str(a.get("text", "")), given, fold_accents, case)
                    ),
                    "",
                )
            ]
        elif qtype == QuestionType.NUMERIC:
            share = fraction(qtype, data, response)
            for a in data.get("answers", []):
                if share and _clamp(_dec(a.get("fraction", 1))) == share:
                    out.append(a.get("feedback", ""))
                    break
            else:
                # GIFT's "~#..." in a numeric question: feedback for any other value.
                out.append(data.get("feedback_wrong", "") if not share else "")
    out.append(data.get("feedback", ""))
    return [f for f in out if f]
