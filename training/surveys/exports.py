"""Survey results as XLSX, in the reports' official layout; aggregates only."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from courses.reports.tables import Table, TableRow, write_xlsx

from .models import SurveyQuestion
from .results import Results, group_label


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def results_xlsx(results: Results, *, authority: str, unit_name: str, place: str) -> bytes:
    survey = results.survey
    subtitle = _("%(title)s — %(group)s — %(n)s phiếu") % {
        "title": survey.title,
        "group": group_label(results.unit),
        "n": results.responses,
    }

    def summary() -> Iterator[TableRow]:
        for n, q in enumerate(results.questions, start=1):
            if q.question.kind == SurveyQuestion.Kind.TEXT:
                continue
            counts: list[Any] = [None] * 5
            if q.question.kind == SurveyQuestion.Kind.LIKERT:
                counts = [o.count for o in q.options]
            yield (
                [
                    n,
                    q.question.text,
                    q.question.get_kind_display(),
                    q.answered,
                    _round(q.mean),
                    *counts,
                ],
                0,
                False,
            )

    def options() -> Iterator[TableRow]:
        for n, q in enumerate(results.questions, start=1):
            for o in q.options:
                yield [n, q.question.text, o.label, o.count, _round(o.share)], 0, False

    def texts() -> Iterator[TableRow]:
        k = 0
        for n, q in enumerate(results.questions, start=1):
            for text in q.texts:
                k += 1
                yield [k, n, q.question.text, text], 0, False

    def table(**kwargs: object) -> Table:
        return Table(
            authority=authority,
            unit_name=unit_name,
            place=place,
            subtitle=subtitle,
            **kwargs,  # type: ignore[arg-type]
        )

    main = table(
        title=_("Kết quả phiếu đánh giá"),
        header=[
            _("Câu"),
            _("Câu hỏi"),
            _("Loại"),
            _("Số trả lời"),
            _("Điểm trung bình (1–5)"),
            "1",
            "2",
            "3",
            "4",
            "5",
        ],
        rows=summary(),
        widths=[6, 60, 18, 12, 14, 8, 8, 8, 8, 8],
        sheet_name=_("Tổng hợp"),
        extra_sheets=[
            table(
                title=_("Tỷ lệ chọn phương án"),
                header=[_("Câu"), _("Câu hỏi"), _("Phương án"), _("Số lượt chọn"), _("Tỷ lệ (%)")],
                rows=options(),
                widths=[6, 50, 30, 12, 10],
                sheet_name=_("Phương án"),
            ),
            table(
                title=_("Ý kiến của học viên"),
                header=[_("STT"), _("Câu"), _("Câu hỏi"), _("Ý kiến")],
                rows=texts(),
                widths=[6, 6, 40, 80],
                sheet_name=_("Ý kiến"),
            ),
        ],
    )
    out = io.BytesIO()
    write_xlsx(main, out)
    return out.getvalue()
