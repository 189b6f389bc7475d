"""Bulk import of users from XLSX or CSV: preview row by row, then all or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from .models import AuditLog, Unit, User
from .services import create_user, record
from .tables import Problem, TableError, parse_date, read_table
from .text import fold

COLUMNS = {
    "full_name": ("họ và tên", "họ tên", "full name", "name"),
    "username": ("tên đăng nhập", "user name", "login"),
    "email": ("e-mail", "thư điện tử"),
    "phone": ("điện thoại", "số điện thoại", "phone number"),
    "unit": ("đơn vị", "mã đơn vị", "unit code", "unit path"),
    "role": ("vai trò",),
    "appointment_date": ("ngày bổ nhiệm", "appointment date"),
    "password": ("mật khẩu",),
}
REQUIRED = {"full_name", "username", "unit"}
ROLES = {
    "": User.Role.LEARNER,
    "learner": User.Role.LEARNER,
    "hoc vien": User.Role.LEARNER,
    "trainer": User.Role.TRAINER,
    "bao cao vien": User.Role.TRAINER,
    "giang vien": User.Role.TRAINER,
    "admin": User.Role.ADMIN,
    "quan tri": User.Role.ADMIN,
    "quan tri don vi": User.Role.ADMIN,
}


@dataclass
class UserRow:
    line: int
    username: str
    full_name: str
    email: str
    phone: str
    unit: Unit
    role: str
    appointment_date: date | None
    password: str

    @property
    def role_label(self) -> str:
        """The role as people call it (“Học viên”), not its code."""
        return str(User.Role(self.role).label)


@dataclass
class UserImport:
    rows: list[UserRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    created: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


def _unit_index(actor: User) -> dict[str, Unit]:
    """Units the actor may place people in, by code and by folded name path."""
    units = list(Unit.objects.visible_to(actor))
    by_path = {
        u.path: u
        for u in Unit.objects.filter(
            path__in={
                u.path[:i]
                for u in units
                for i in range(Unit.steplen, len(u.path) + 1, Unit.steplen)
            }
        )
    }
    index: dict[str, Unit] = {}
    for unit in units:
        names = [
            by_path[unit.path[:i]].name
            for i in range(Unit.steplen, len(unit.path) + 1, Unit.steplen)
        ]
        index[fold(unit.code)] = unit
        index[" / ".join(fold(n) for n in names)] = unit
    return index


def _find_unit(index: dict[str, Unit], value: str) -> Unit | None:
    key = fold(value)
    if key in index:
        return index[key]
    parts = [fold(p) for p in key.replace(">", "/").split("/")]
    return index.get(" / ".join(p for p in parts if p))


def parse_users(upload: IO[bytes], *, actor: User) -> UserImport:
    result = UserImport()
    try:
        table = read_table(upload, COLUMNS, REQUIRED)
    except TableError as exc:
        result.problems.append(Problem(0, str(exc)))
        return result
    result.problems.extend(table.problems)
    if not table.rows and not result.problems:
        result.problems.append(Problem(2, _("Tệp không có dòng dữ liệu nào.")))
    units = _unit_index(actor)
    usernames = [str(v.get("username", "")) for _line, v in table.rows]
    taken = set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    seen: dict[str, int] = {}
    for line, values in table.rows:
        row, problems = _parse_row(line, values, units, taken, seen, actor)
        result.problems.extend(problems)
        if row:
            result.rows.append(row)
    return result


def _parse_row(
    line: int,
    values: dict[str, Any],
    units: dict[str, Unit],
    taken: set[str],
    seen: dict[str, int],
    actor: User,
) -> tuple[UserRow | None, list[Problem]]:
    problems: list[Problem] = []

    def bad(message: str) -> None:
        problems.append(Problem(line, message))

    username = str(values.get("username", ""))
    full_name = str(values.get("full_name", ""))
    if not full_name:
        bad(_("Thiếu họ và tên."))
    if not username:
        bad(_("Thiếu tên đăng nhập."))
    else:
        try:
            User.username_validator(username)
        except ValidationError:
            bad(_("Tên đăng nhập “%(u)s” chỉ được gồm chữ, số và @ . + - _.") % {"u": username})
        if username in taken:
            bad(_("Tên đăng nhập “%(u)s” đã tồn tại.") % {"u": username})
        elif username in seen:
            bad(
                _("Tên đăng nhập “%(u)s” trùng với dòng %(l)s.")
                % {"u": username, "l": seen[username]}
            )
        seen.setdefault(username, line)
    email = str(values.get("email", ""))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            bad(_("Email “%(e)s” không hợp lệ.") % {"e": email})
    unit = _find_unit(units, str(values.get("unit", "")))
    if unit is None:
        bad(_("Không tìm thấy đơn vị “%(u)s” trong phạm vi của bạn.") % {"u": values.get("unit")})
    role = ROLES.get(fold(str(values.get("role", ""))))
    if role is None:
        bad(
            _("Vai trò “%(r)s” không hợp lệ (học viên, báo cáo viên, quản trị).")
            % {"r": values.get("role")}
        )
    elif role == User.Role.ADMIN and not actor.is_unit_admin:
        bad(_("Bạn không có quyền tạo quản trị đơn vị."))
    try:
        appointed = parse_date(values.get("appointment_date"))
    except ValueError:
        appointed = None
        bad(
            _("Ngày bổ nhiệm “%(d)s” không đúng dạng dd/mm/yyyy.")
            % {"d": values.get("appointment_date")}
        )
    password = str(values.get("password", ""))
    if password:
        try:
            validate_password(password, User(username=username, full_name=full_name))
        except ValidationError as exc:
            bad(_("Mật khẩu không đạt yêu cầu: %(m)s") % {"m": " ".join(exc.messages)})
    if problems or unit is None or role is None:
        return None, problems
    return UserRow(
        line,
        username,
        full_name,
        email,
        str(values.get("phone", "")),
        unit,
        role,
        appointed,
        password,
    ), problems


@transaction.atomic
def import_users(upload: IO[bytes], *, actor: User, dry_run: bool = False) -> UserImport:
    """Validate every row, then create all users or none."""
    result = parse_users(upload, actor=actor)
    if dry_run or not result.ok:
        return result
    for row in result.rows:
        create_user(
            actor=actor,
            username=row.username,
            full_name=row.full_name,
            email=row.email,
            phone=row.phone,
            unit=row.unit,
            role=row.role,
            appointment_date=row.appointment_date,
            password=row.password or None,
        )
    result.created = len(result.rows)
    record(
        actor=actor,
        action=AuditLog.Action.USERS_IMPORTED,
        unit=actor.unit,
        data={"created": result.created},
    )
    return result


def template_xlsx(*, actor: User) -> bytes:
    """The user template: an example row that imports as it is (into the
    admin's own unit) and the rule of every column."""
    from .tables import template_workbook

    unit = actor.unit.code if actor.unit else "A1"
    roles = ", ".join(str(label) for label in User.Role.labels)
    return template_workbook(
        title="Người dùng",
        headers=[
            "Họ và tên",
            "Tên đăng nhập",
            "E-mail",
            "Điện thoại",
            "Đơn vị",
            "Vai trò",
            "Ngày bổ nhiệm",
            "Mật khẩu",
        ],
        examples=[
            ["Nguyễn Văn Mẫu", "nguyenvanmau", "", "0912345678", unit, "Học viên", "01/09/2024", ""]
        ],
        rules=[
            ("Họ và tên", _("Bắt buộc.")),
            ("Tên đăng nhập", _("Bắt buộc, duy nhất; chỉ gồm chữ, số và @ . + - _.")),
            ("E-mail", _("Không bắt buộc.")),
            ("Điện thoại", _("Không bắt buộc.")),
            (
                "Đơn vị",
                _("Bắt buộc: mã đơn vị trong phạm vi bạn quản lý (ví dụ %(u)s).") % {"u": unit},
            ),
            ("Vai trò", _("Không bắt buộc, mặc định Học viên. Một trong: %(r)s.") % {"r": roles}),
            ("Ngày bổ nhiệm", _("Không bắt buộc, dạng ngày/tháng/năm (01/09/2024).")),
            (
                "Mật khẩu",
                _(
                    "Không bắt buộc; để trống thì tài khoản chưa đăng nhập được cho đến khi được đặt mật khẩu."
                ),
            ),
        ],
    )
