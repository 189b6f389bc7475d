"""Importing questions: GIFT, Aiken, Moodle XML and an XLSX template.

Every importer parses the whole file first and reports each problem with
its line (or row) and a reason; only a file without problems is imported,
in one transaction, so an import is all or nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Unit, User

from .. import media
from ..validation import check_question
from .aiken import parse_aiken
from .base import Parsed, ParseResult, Problem, Skipped
from .gift import parse_gift, split_category
from .moodlexml import parse_moodle_xml
from .xlsx import parse_xlsx

PARSERS: dict[str, Callable[[IO[bytes]], ParseResult]] = {
    "gift": parse_gift,
    "aiken": parse_aiken,
    "moodlexml": parse_moodle_xml,
    "xlsx": parse_xlsx,
}


class ImportFailed(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.line}: {p.message}" for p in problems))
        self.problems = problems

    def problems_as_dicts(self) -> list[dict[str, Any]]:
        return [{"line": p.line, "message": p.message} for p in self.problems]


@dataclass
class ImportReport:
    created: int
    questions: list[Parsed] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def parse(upload: IO[bytes], format: str) -> ParseResult:
    """Parse and check every question without writing anything."""
    if format not in PARSERS:
        return ParseResult(
            problems=[Problem(0, _("Định dạng không hỗ trợ: %(f)s.") % {"f": format})]
        )
    result = PARSERS[format](upload)
    for q in result.questions:
        try:
            q.data = check_question(q.type, q.text, q.data, q.points)
        except ValidationError as exc:
            for message in exc.messages:
                result.problems.append(Problem(q.line, message))
    if not result.questions and not result.problems:
        result.problems.append(Problem(0, _("Tệp không có câu hỏi nào nhập được.")))
    result.problems.sort(key=lambda p: p.line)
    return result


def run_import(
    *,
    upload: IO[bytes],
    format: str,
    category_path: str,
    owner_unit: Unit | None,
    actor: User | None,
    dry_run: bool = False,
    skip_unsupported: bool = False,
) -> ImportReport:
    """Import every question of the file, or nothing. Questions of a type we
    do not support refuse the import unless `skip_unsupported` (the trainer
    saw them listed and chose to import the rest)."""
    from ..services import create_question, ensure_category_path

    if (
        actor is not None
        and not actor.is_superuser
        and not (actor.is_trainer and actor.can_see_unit(owner_unit))
    ):
        raise PermissionDenied(_("Đơn vị nằm ngoài phạm vi quản lý của bạn."))
    result = parse(upload, format)
    if not skip_unsupported:
        result.problems += [
            Problem(
                s.line,
                _("Loại câu hỏi chưa hỗ trợ: %(t)s. Chọn “bỏ qua” để nhập các câu còn lại.")
                % {"t": s.type},
            )
            for s in result.skipped
        ]
        result.problems.sort(key=lambda p: p.line)
    if result.problems:
        raise ImportFailed(result.problems)
    if dry_run:
        return ImportReport(len(result.questions), result.questions, result.skipped)
    stored: list[Any] = []
    try:
        with transaction.atomic():
            base = [p for p in category_path.split("/") if p.strip()]
            categories: dict[str, Any] = {}
            for q in result.questions:
                path = q.category
                if path not in categories:
                    categories[path] = ensure_category_path(
                        names=base + split_category(path), owner_unit=owner_unit
                    )
                question = create_question(
                    actor=actor,
                    category=categories[path],
                    type=q.type,
                    text=q.text,
                    data=q.data,
                    points=q.points,
                    title=q.title,
                    tags=q.tags,
                )
                if q.files:
                    try:
                        stored += media.store(question, q.files, q.text)
                    except ValidationError as exc:
                        raise ImportFailed([Problem(q.line, m) for m in exc.messages]) from exc
    except BaseException:
        # Nothing half-written: the rows are rolled back, so the files go too.
        for item in stored:
            item.file.delete(save=False)
        raise
    return ImportReport(len(result.questions), result.questions, result.skipped)


__all__ = [
    "PARSERS",
    "ImportFailed",
    "ImportReport",
    "Parsed",
    "Problem",
    "Skipped",
    "parse",
    "run_import",
]
