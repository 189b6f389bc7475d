"""Bulk enrolment from an XLSX/CSV list: all rows valid, or nothing is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import IO

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.tables import Problem, TableError, parse_date, read_table

from .models import Course, Enrollment

COLUMNS = {
    "username": ("tên đăng nhập", "tai khoan", "tài khoản", "login"),
    "due_date": ("hạn hoàn thành", "han", "deadline"),
}
REQUIRED = {"username"}


@dataclass
class BulkEnrolment:
    enrolled: list[Enrollment] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def bulk_enrol(
    *, actor: User, course: Course, upload: IO[bytes], due_date: date | None = None
) -> BulkEnrolment:
    from .services import _check_can_enrol_into, _enrol

    _check_can_enrol_into(actor, course)
    result = BulkEnrolment()
    try:
        table = read_table(upload, COLUMNS, REQUIRED)
    except TableError as exc:
        result.problems.append(Problem(0, str(exc)))
        return result
    result.problems.extend(table.problems)
    if not table.rows and not result.problems:
        result.problems.append(Problem(2, _("Tệp không có dòng dữ liệu nào.")))
    names = [str(v.get("username", "")).strip() for _line, v in table.rows]
    people = {
        u.username.casefold(): u
        for u in User.objects.visible_to(actor).learners().filter(username__in=names)
    }
    wanted: list[tuple[User, date | None]] = []
    for line, values in table.rows:
        username = str(values.get("username", "")).strip()
        person = people.get(username.casefold())
        if person is None:
            result.problems.append(
                Problem(
                    line,
                    _("Không tìm thấy học viên “%(name)s” trong phạm vi của bạn.")
                    % {"name": username},
                )
            )
            continue
        try:
            row_due = parse_date(values.get("due_date")) or due_date
        except ValueError:
            result.problems.append(Problem(line, _("Ngày không hợp lệ (dùng dd/mm/yyyy).")))
            continue
        wanted.append((person, row_due))
    if result.problems:
        return result
    with transaction.atomic():
        for person, row_due in wanted:
            if not actor.can_see_user(person):
                raise PermissionDenied(_("Người dùng nằm ngoài phạm vi quản lý của bạn."))
            result.enrolled.append(
                _enrol(user=person, course=course, source=Enrollment.Source.BULK, due_date=row_due)
            )
    return result
