"""Answer rows of the question editor: parsed from a post, changed by row buttons,
drawn with a label per cell.

Rows (choices, short-answer alternatives, numeric answers, matching pairs,
ordering items) are posted as a list of row keys in page order
(`<input type="hidden" name="choices" value="k">`) and one field per column
(`choices-k-text`). Adding, removing and moving rows are plain submit buttons
(`op=add:choices`), so the editor works without JavaScript; htmx posts the
same buttons and swaps only the rows.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy

from quizzes.models import QuestionType

# Which rows each type edits, and their columns.
ROW_KIND = {
    QuestionType.SINGLE: "choices",
    QuestionType.MULTIPLE: "choices",
    QuestionType.SHORT: "alts",
    QuestionType.NUMERIC: "nums",
    QuestionType.MATCHING: "pairs",
    QuestionType.ORDERING: "items",
}
COLUMNS = {
    "choices": ("text", "fraction", "feedback"),
    "alts": ("text", "fraction", "feedback"),
    "nums": ("value", "tolerance", "fraction", "feedback"),
    "pairs": ("left", "right"),
    "items": ("text",),
}
BLANK_ROWS = {"choices": 4, "alts": 2, "nums": 1, "pairs": 3, "items": 4}
MAX_ROWS = 100
_KEY = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


@dataclass
class Row:
    key: str
    values: dict[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)

    def is_blank(self) -> bool:
        return not any(v.strip() for v in self.values.values())

    def error(self, column: str, message: str) -> None:
        self.errors.setdefault(column, []).append(message)


def new_key() -> str:
    return "n" + secrets.token_hex(4)


def blank_row(kind: str) -> Row:
    return Row(new_key(), {c: "" for c in COLUMNS[kind]})


def rows_from_post(post: Any, kind: str) -> list[Row]:
    rows: list[Row] = []
    seen: set[str] = set()
    for key in post.getlist(kind)[:MAX_ROWS]:
        if not _KEY.match(key) or key in seen:
            continue
        seen.add(key)
        rows.append(Row(key, {c: str(post.get(f"{kind}-{key}-{c}", "")) for c in COLUMNS[kind]}))
    return rows


def apply_op(rows: list[Row], kind: str, op: str) -> tuple[list[Row], str | None]:
    """Carry out `op` ("add:kind", "remove:kind:key", "up:kind:key", "down:kind:key")
    on `rows`; return the rows and the key of a row to focus."""
    verb, _sep, rest = op.partition(":")
    target_kind, _sep, key = rest.partition(":")
    if target_kind != kind:
        return rows, None
    if verb == "add" and len(rows) < MAX_ROWS:
        row = blank_row(kind)
        return [*rows, row], row.key
    index = next((i for i, r in enumerate(rows) if r.key == key), None)
    if index is None:
        return rows, None
    if verb == "remove":
        rest = rows[:index] + rows[index + 1 :]
        # the keyboard stays where it was: on the row that took the removed one's place
        near = rest[min(index, len(rest) - 1)].key if rest else None
        return rest, near
    swap = index - 1 if verb == "up" else index + 1 if verb == "down" else None
    if swap is not None and 0 <= swap < len(rows):
        rows = list(rows)
        rows[index], rows[swap] = rows[swap], rows[index]
    return rows, key


def _safe_key(ident: Any) -> str:
    """A stored id as a row key; an id an importer wrote in another alphabet gets a new
    key (and so a new id) rather than a row the next post would drop."""
    text = str(ident)
    return text if _KEY.match(text) else new_key()


def _pct(fraction: Any) -> str:
    return f"{float(fraction) * 100:.7g}"


def _num(value: Any) -> str:
    return f"{float(value):.15g}"


def rows_from_data(qtype: str, data: dict[str, Any]) -> list[Row]:
    """The rows that show `data` (a stored version) in the editor."""
    kind = ROW_KIND.get(qtype)
    if kind is None:
        return []
    if kind == "choices":
        return [
            Row(
                _safe_key(c["id"]),
                {
                    "text": c["text"],
                    "fraction": _pct(c["fraction"]),
                    "feedback": c.get("feedback", ""),
                },
            )
            for c in data.get("choices", [])
        ]
    if kind == "alts":
        return [
            Row(
                f"a{n}",
                {
                    "text": a["text"],
                    "fraction": _pct(a.get("fraction", 1)),
                    "feedback": a.get("feedback", ""),
                },
            )
            for n, a in enumerate(data.get("answers", []), 1)
        ]
    if kind == "nums":
        return [
            Row(
                f"a{n}",
                {
                    "value": _num(a["value"]),
                    "tolerance": _num(a.get("tolerance", 0)),
                    "fraction": _pct(a.get("fraction", 1)),
                    "feedback": a.get("feedback", ""),
                },
            )
            for n, a in enumerate(data.get("answers", []), 1)
        ]
    if kind == "pairs":
        rights = {r["id"]: r["text"] for r in data.get("rights", [])}
        used = {p["right_id"] for p in data.get("pairs", [])}
        rows = [
            Row(_safe_key(p["id"]), {"left": p["left"], "right": rights.get(p["right_id"], "")})
            for p in data.get("pairs", [])
        ]
        # a right-hand text no pair points to is a distractor: a row with no left side
        rows += [
            Row(new_key(), {"left": "", "right": t}) for rid, t in rights.items() if rid not in used
        ]
        return rows
    return [Row(_safe_key(i["id"]), {"text": i["text"]}) for i in data.get("items", [])]


# Labels name the row ("Phương án 2") so every input has its own accessible name.
CELL_LABELS = {
    ("choices", "text"): gettext_lazy("Phương án %(n)s"),
    ("choices", "fraction"): gettext_lazy("Tỉ lệ điểm phương án %(n)s (%%)"),
    ("choices", "feedback"): gettext_lazy("Nhận xét phương án %(n)s"),
    ("alts", "text"): gettext_lazy("Đáp án %(n)s"),
    ("alts", "fraction"): gettext_lazy("Tỉ lệ điểm đáp án %(n)s (%%)"),
    ("alts", "feedback"): gettext_lazy("Nhận xét đáp án %(n)s"),
    ("nums", "value"): gettext_lazy("Đáp số %(n)s"),
    ("nums", "tolerance"): gettext_lazy("Sai số cho phép đáp số %(n)s (±)"),
    ("nums", "fraction"): gettext_lazy("Tỉ lệ điểm đáp số %(n)s (%%)"),
    ("nums", "feedback"): gettext_lazy("Nhận xét đáp số %(n)s"),
    ("pairs", "left"): gettext_lazy("Vế trái %(n)s"),
    ("pairs", "right"): gettext_lazy("Vế phải %(n)s"),
    ("items", "text"): gettext_lazy("Mục %(n)s"),
}
ROW_NAMES = {
    "choices": gettext_lazy("phương án %(n)s"),
    "alts": gettext_lazy("đáp án %(n)s"),
    "nums": gettext_lazy("đáp số %(n)s"),
    "pairs": gettext_lazy("cặp %(n)s"),
    "items": gettext_lazy("mục %(n)s"),
}
LEGENDS = {
    "choices": gettext_lazy("Các phương án"),
    "alts": gettext_lazy("Các đáp án được chấp nhận"),
    "nums": gettext_lazy("Các đáp số"),
    "pairs": gettext_lazy("Các cặp ghép"),
    "items": gettext_lazy("Các mục, theo đúng thứ tự"),
}
ROWS_HELP = {
    "choices": gettext_lazy(
        "Dòng để trống bị bỏ qua. Tỉ lệ điểm: 100 là đúng hoàn toàn, 0 là sai; "
        "số âm để trừ điểm khi chọn sai."
    ),
    "alts": gettext_lazy("Dòng để trống bị bỏ qua. Tỉ lệ điểm để trống là 100%."),
    "nums": gettext_lazy(
        "Ví dụ đáp số 27 với sai số 0,5 chấp nhận mọi số từ 26,5 đến 27,5. "
        "Tỉ lệ điểm để trống là 100%."
    ),
    "pairs": gettext_lazy("Dòng chỉ có vế phải là phương án nhiễu. Dòng để trống bị bỏ qua."),
    "items": gettext_lazy("Dùng nút Lên/Xuống để đổi thứ tự. Dòng để trống bị bỏ qua."),
}
NUMBER_COLUMNS = {"fraction", "value", "tolerance"}


def row_views(kind: str, rows: list[Row], focus: str | None = None) -> list[dict[str, Any]]:
    """What the template needs to draw each row: its cells, labels and errors."""
    out = []
    for n, row in enumerate(rows, 1):
        cells = []
        for col in COLUMNS[kind]:
            name = f"{kind}-{row.key}-{col}"
            cells.append(
                {
                    "name": name,
                    "id": f"id_{name}",
                    "column": col,
                    "label": CELL_LABELS[(kind, col)] % {"n": n},
                    "value": row.values.get(col, ""),
                    "errors": row.errors.get(col, []),
                    "number": col in NUMBER_COLUMNS,
                    "autofocus": focus == row.key and col == COLUMNS[kind][0],
                }
            )
        out.append(
            {
                "key": row.key,
                "n": n,
                "name": ROW_NAMES[kind] % {"n": n},
                "cells": cells,
                "first": n == 1,
                "last": n == len(rows),
            }
        )
    return out
