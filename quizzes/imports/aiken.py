"""Aiken: a question, lettered options ("A." or "A)"), then "ANSWER: X"."""

from __future__ import annotations

import re
from typing import IO

from django.utils.translation import gettext as _

from ..models.bank import QuestionType
from .base import Parsed, ParseResult, Problem, read_text

_OPTION = re.compile(r"^([A-Z])[.)]\s*(\S.*)$")  # "A) x", "A. x", and "A)x" as Moodle takes
_ANSWER = re.compile(r"^ANSWER\s*:\s*(.*)$", re.IGNORECASE)


def parse_aiken(upload: IO[bytes]) -> ParseResult:
    result = ParseResult()
    text, problems = read_text(upload)
    if text is None:
        result.problems = problems
        return result
    question: list[str] = []
    options: list[tuple[str, str]] = []
    start = 0

    def reset() -> None:
        question.clear()
        options.clear()

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        answer = _ANSWER.match(line)
        option = _OPTION.match(line)
        if answer:
            letter = answer.group(1).strip().upper()
            if not question:
                result.problems.append(Problem(number, _("Dòng ANSWER không có câu hỏi đi trước.")))
            elif len(options) < 2:
                result.problems.append(Problem(start, _("Câu hỏi cần ít nhất hai phương án.")))
            elif letter not in [o[0] for o in options]:
                result.problems.append(
                    Problem(
                        number, _("Đáp án “%(a)s” không có trong các phương án.") % {"a": letter}
                    )
                )
            else:
                result.questions.append(
                    Parsed(
                        line=start,
                        type=QuestionType.SINGLE,
                        text=" ".join(question),
                        data={
                            "choices": [
                                {"id": k.lower(), "text": v, "fraction": 1 if k == letter else 0}
                                for k, v in options
                            ]
                        },
                    )
                )
            reset()
        elif option and question:
            expected = chr(ord("A") + len(options))
            if option.group(1) != expected:
                result.problems.append(
                    Problem(
                        number,
                        _("Phương án phải theo thứ tự chữ cái, cần “%(l)s”.") % {"l": expected},
                    )
                )
            options.append((option.group(1), option.group(2).strip()))
        elif options:
            result.problems.append(Problem(start, _("Thiếu dòng “ANSWER: …” sau các phương án.")))
            reset()
            question.append(line)
            start = number
        else:
            if not question:
                start = number
            question.append(line)
    if question:
        result.problems.append(Problem(start, _("Thiếu dòng “ANSWER: …” sau các phương án.")))
    return result
