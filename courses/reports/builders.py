"""The tables behind each export kind, built with the requester's scope."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Unit, User
from courses.models import Course
from quizzes.models import Quiz
from quizzes.statistics import quiz_statistics

from . import gradebook
from .rollup import unit_rollup
from .tables import Table, TableRow

Progress = Callable[[int, int], None]

# Extra sheets of the unit roll-up export, added by other apps (training adds
# attendance): each takes (viewer, unit, course) and returns a Table or None.
ROLLUP_SHEETS: list[Callable[[User, Unit, Course], Table | None]] = []


def _authority(viewer: User, unit: Unit | None) -> tuple[str, str, str]:
    """(issuing authority, unit named in the report, place) for the header."""
    if unit is None:
        paths = viewer.granted_paths() if not viewer.is_superuser else []
        unit = (
            Unit.objects.filter(path__in=paths).order_by("depth", "path").first()
            if paths
            else Unit.objects.filter(depth=1).order_by("path").first()
        )
    if unit is None:
        return "", "", ""
    root = Unit.objects.get_root(unit) if unit.depth > 1 else unit
    parent = Unit.objects.get_parent(unit) if unit.depth > 1 else None
    authority = (parent or root).name
    return authority, unit.name, unit.place or root.place


def _pct(value: Any) -> float | None:
    return None if value is None else round(float(value), 2)


def _day(value: Any) -> date | None:
    """A date cell: the writers format it (dd/mm/yyyy), the spreadsheet can sort it."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localdate(value)
    return value


def gradebook_table(viewer: User, params: dict[str, Any], progress: Progress | None) -> Table:
    course = Course.objects.get(pk=params["course"])
    unit = Unit.objects.filter(pk=params["unit"]).first() if params.get("unit") else None
    quizzes = gradebook.course_quizzes(course)
    queryset = gradebook.enrollments(
        viewer,
        course,
        quizzes,
        unit=unit,
        status=params.get("status", ""),
        due_from=date.fromisoformat(params["due_from"]) if params.get("due_from") else None,
        due_to=date.fromisoformat(params["due_to"]) if params.get("due_to") else None,
    )

    def rows() -> Iterator[TableRow]:
        for n, row in enumerate(
            gradebook.iter_rows(queryset, course, quizzes, progress=progress), start=1
        ):
            values: list[Any] = [
                n,
                row.user.full_name,
                row.user.username,
                row.user.unit.name if row.user.unit else "",
                row.status_label,
                _day(row.enrollment.due_date),
                _day(row.enrollment.completed_at),
            ]
            for cell in row.cells:
                values += [_pct(cell.percent), cell.label]
            values.append(row.certificate[1] if row.certificate else "")
            yield values, 0, False

    header = [
        _("STT"),
        _("Họ và tên"),
        _("Tên đăng nhập"),
        _("Đơn vị"),
        _("Trạng thái"),
        _("Hạn hoàn thành"),
        _("Ngày hoàn thành"),
    ]
    for quiz in quizzes:
        header += [
            _("%(quiz)s — điểm (%%)") % {"quiz": quiz.title},
            _("%(quiz)s — kết quả") % {"quiz": quiz.title},
        ]
    header.append(_("Số hiệu giấy chứng nhận"))
    authority, unit_name, place = _authority(viewer, unit)
    return Table(
        title=_("Bảng điểm khóa học"),
        subtitle=course.title,
        authority=authority,
        unit_name=unit_name,
        place=place,
        header=header,
        rows=rows(),
        widths=[6, 30, 16, 30, 16, 14, 14] + [14, 12] * len(quizzes) + [18],
        sheet_name=_("Bảng điểm"),
    )


def rollup_table(viewer: User, params: dict[str, Any], progress: Progress | None) -> Table:
    course = Course.objects.get(pk=params["course"])
    unit = Unit.objects.get(pk=params["unit"])
    rollup = unit_rollup(viewer, unit, course)
    if progress:
        progress(len(rollup.tree), len(rollup.tree))

    def rows() -> Iterator[TableRow]:
        for n, s in enumerate(rollup.tree, start=1):
            yield (
                [
                    n,
                    s.unit.name,
                    s.enrolled,
                    s.completed,
                    s.on_time,
                    s.overdue,
                    _pct(s.completion_rate),
                    _pct(s.average),
                    _pct(s.pass_rate),
                ],
                s.level,
                s.level == 0 or s.has_children,
            )

    authority, unit_name, place = _authority(viewer, unit)
    return Table(
        title=_("Báo cáo tổng hợp kết quả bồi dưỡng"),
        subtitle=course.title,
        authority=authority,
        unit_name=unit_name,
        place=place,
        header=[
            _("STT"),
            _("Đơn vị"),
            _("Ghi danh"),
            _("Hoàn thành"),
            _("Hoàn thành đúng hạn"),
            _("Quá hạn"),
            _("Tỷ lệ hoàn thành (%)"),
            _("Điểm trung bình (%)"),
            _("Tỷ lệ đạt (%)"),
        ],
        rows=rows(),
        widths=[6, 48, 12, 12, 14, 10, 14, 14, 12],
        sheet_name=_("Tổng hợp"),
        extra_sheets=[
            sheet for hook in ROLLUP_SHEETS if (sheet := hook(viewer, unit, course)) is not None
        ],
    )


def statistics_table(viewer: User, params: dict[str, Any], progress: Progress | None) -> Table:
    quiz = Quiz.objects.select_related("owner_unit").get(pk=params["quiz"])
    stats = quiz_statistics(quiz, viewer=viewer)
    if progress:
        progress(len(stats.items), len(stats.items))
    authority, unit_name, place = _authority(viewer, None)
    items: list[TableRow] = [
        (
            [
                ", ".join(str(p + 1) for p in item.positions),
                item.text,
                item.version_number,
                item.responses,
                _pct(item.facility),
                _pct(item.sd),
                _pct(item.discrimination),
                _pct(item.efficiency),
                "; ".join(item.flag_labels),
            ],
            0,
            bool(item.flags),
        )
        for item in stats.items
    ]
    options: list[TableRow] = [
        (
            [
                ", ".join(str(p + 1) for p in item.positions),
                item.text,
                option.text,
                _("Đúng") if option.correct else "",
                option.count,
                _pct(option.share),
            ],
            0,
            option.correct,
        )
        for item in stats.items
        for option in item.options
    ]
    alpha = "" if stats.alpha is None else f"{stats.alpha:.4f}"
    return Table(
        title=_("Phân tích câu hỏi"),
        subtitle=_("%(quiz)s — %(n)s lượt làm bài — hệ số Cronbach alpha: %(alpha)s")
        % {"quiz": quiz.title, "n": stats.attempts, "alpha": alpha or "—"},
        authority=authority,
        unit_name=unit_name,
        place=place,
        header=[
            _("Vị trí"),
            _("Câu hỏi"),
            _("Phiên bản"),
            _("Số lượt trả lời"),
            _("Chỉ số dễ (%)"),
            _("Độ lệch chuẩn (%)"),
            _("Độ phân biệt (%)"),
            _("Hiệu quả phân biệt (%)"),
            _("Cần xem lại"),
        ],
        rows=items,
        widths=[8, 60, 10, 12, 12, 12, 12, 14, 36],
        sheet_name=_("Câu hỏi"),
        extra_sheets=[
            Table(
                title=_("Tỷ lệ chọn phương án"),
                subtitle=quiz.title,
                authority=authority,
                unit_name=unit_name,
                place=place,
                header=[
                    _("Vị trí"),
                    _("Câu hỏi"),
                    _("Phương án"),
                    _("Đáp án"),
                    _("Số lượt chọn"),
                    _("Tỷ lệ (%)"),
                ],
                rows=options,
                widths=[8, 50, 40, 10, 12, 10],
                sheet_name=_("Phương án"),
            )
        ],
    )


def certificates_table(viewer: User, params: dict[str, Any], progress: Progress | None) -> Table:
    from courses.certificates.register import filter_register, register_for

    unit = Unit.objects.filter(pk=params["unit"]).first() if params.get("unit") else None
    course = Course.objects.filter(pk=params["course"]).first() if params.get("course") else None
    queryset = filter_register(register_for(viewer), unit=unit, course=course).order_by(
        "issued_at", "pk"
    )
    total = queryset.count()

    def rows() -> Iterator[TableRow]:
        for n, c in enumerate(queryset.iterator(chunk_size=500), start=1):
            yield (
                [
                    n,
                    c.learner_name,
                    c.serial,
                    c.display_code,
                    c.user.unit.name if c.user.unit else "",
                    c.issuing_unit_name,
                    c.course_title,
                    _pct(c.score),
                    _day(c.completed_on),
                    _day(c.issued_at),
                    _day(c.expires_on),
                    c.state_label(),
                ],
                0,
                False,
            )
            if progress and (n % 500 == 0 or n == total):
                progress(n, total)

    authority, unit_name, place = _authority(viewer, unit)
    return Table(
        title=_("Sổ cấp giấy chứng nhận"),
        subtitle=course.title if course else "",
        authority=authority,
        unit_name=unit_name,
        place=place,
        header=[
            _("STT"),
            _("Họ và tên"),
            _("Số hiệu"),
            _("Mã xác thực"),
            _("Đơn vị"),
            _("Đơn vị cấp"),
            _("Khóa học"),
            _("Điểm (%)"),
            _("Ngày hoàn thành"),
            _("Ngày cấp"),
            _("Hiệu lực đến"),
            _("Trạng thái"),
        ],
        rows=rows(),
        widths=[6, 30, 22, 16, 30, 30, 36, 10, 14, 14, 14, 16],
        sheet_name=_("Sổ cấp"),
    )


BUILDERS = {
    "gradebook": gradebook_table,
    "rollup": rollup_table,
    "statistics": statistics_table,
    "certificates": certificates_table,
}


def table_for(
    viewer: User, kind: str, params: dict[str, Any], progress: Progress | None = None
) -> tuple[Table, str]:
    table = BUILDERS[kind](viewer, params, progress)
    return table, f"{table.title} {table.subtitle}"
