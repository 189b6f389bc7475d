"""Demo organisation tree and people. Idempotent: running twice changes nothing."""

from datetime import date

from django.db import transaction

from .models import Unit, User
from .services import create_unit, create_user

PASSWORD = "BoiDuong@2026"
# Where the bloc writes its documents from ("Ninh Bình, ngày ... tháng ... năm ...");
# the units below inherit it for their certificates.
DEMO_PLACE = "Ninh Bình"

TREE = [
    ("DBK", "Đảng bộ Khối các cơ quan tỉnh", Unit.Kind.BLOC, None),
    ("STC", "Đảng bộ Sở Tài chính", Unit.Kind.GRASSROOTS, "DBK"),
    ("STC-VP", "Chi bộ Văn phòng Sở Tài chính", Unit.Kind.CELL, "STC"),
    ("STC-NS", "Chi bộ Phòng Quản lý ngân sách", Unit.Kind.CELL, "STC"),
    ("SGD", "Đảng bộ Sở Giáo dục và Đào tạo", Unit.Kind.GRASSROOTS, "DBK"),
    ("SGD-VP", "Chi bộ Văn phòng Sở Giáo dục và Đào tạo", Unit.Kind.CELL, "SGD"),
    ("SGD-TH", "Chi bộ Phòng Giáo dục Trung học", Unit.Kind.CELL, "SGD"),
]

STAFF = [
    ("admin", "Trần Văn Quản", User.Role.ADMIN, "DBK"),
    ("baocaovien1", "Lê Thị Thu Hà", User.Role.TRAINER, "STC"),
    ("baocaovien2", "Phạm Minh Đức", User.Role.TRAINER, "SGD"),
]

LEARNERS = [
    ("hocvien01", "Nguyễn Thị Hồng Nhung", "STC-VP", date(2026, 9, 1)),
    ("hocvien02", "Đặng Quốc Việt", "STC-VP", date(2026, 9, 15)),
    ("hocvien03", "Trần Thị Ánh", "STC-VP", date(2026, 10, 1)),
    ("hocvien04", "Lê Văn Bình", "STC-NS", date(2026, 10, 10)),
    ("hocvien05", "Hoàng Thị Châu", "STC-NS", date(2026, 10, 20)),
    ("hocvien06", "Vũ Đình Dũng", "STC-NS", date(2026, 11, 1)),
    ("hocvien07", "Bùi Thị Ế", "SGD-VP", date(2026, 9, 5)),
    ("hocvien08", "Đỗ Minh Khôi", "SGD-VP", date(2026, 9, 25)),
    ("hocvien09", "Ngô Thị Lan", "SGD-VP", date(2026, 10, 5)),
    ("hocvien10", "Dương Văn Long", "SGD-TH", date(2026, 10, 15)),
    ("hocvien11", "Phan Thị Mỹ", "SGD-TH", date(2026, 11, 5)),
    ("hocvien12", "Đinh Ông Ước", "SGD-TH", date(2026, 11, 10)),
]


@transaction.atomic
def load() -> list[tuple[str, str, str]]:
    """Create the demo tree and people; return (username, password, role label)."""
    root = User.objects.filter(is_superuser=True).first() or User(is_superuser=True)
    units: dict[str, Unit] = {u.code: u for u in Unit.objects.filter(code__in=[t[0] for t in TREE])}
    # A demo loaded before had the placeholder "Tỉnh", printed as is on certificates.
    Unit.objects.filter(code=TREE[0][0], place="Tỉnh").update(place=DEMO_PLACE)
    for code, name, kind, parent in TREE:
        if code not in units:
            units[code] = create_unit(
                actor=root,
                name=name,
                code=code,
                kind=kind,
                parent=units[parent] if parent else None,
                place="" if parent else DEMO_PLACE,
            )
    existing = set(User.objects.values_list("username", flat=True))
    accounts: list[tuple[str, str, str]] = []
    for username, full_name, role, unit in STAFF:
        if username not in existing:
            create_user(
                actor=None,
                username=username,
                full_name=full_name,
                role=role,
                unit=units[unit],
                email=f"{username}@boiduong.local",
                password=PASSWORD,
            )
        accounts.append((username, PASSWORD, str(User.Role(role).label)))
    for username, full_name, unit, appointed in LEARNERS:
        if username not in existing:
            create_user(
                actor=None,
                username=username,
                full_name=full_name,
                unit=units[unit],
                email=f"{username}@boiduong.local",
                appointment_date=appointed,
                password=PASSWORD,
            )
        accounts.append((username, PASSWORD, str(User.Role.LEARNER.label)))
    return accounts
