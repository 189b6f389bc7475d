"""Serials (issue 17, item 2): unique in the whole register, naming the issuing unit."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accounts.services import create_user
from courses import authoring
from courses import services as course_services
from courses.certificates import codes, services
from courses.certificates.models import Certificate, SerialCounter, unit_serial_code
from courses.models import Completion, Course

pytestmark = pytest.mark.django_db


@pytest.fixture
def course_b(cast) -> Course:  # type: ignore[no-untyped-def]
    """A published course issued by unit B (code "B")."""
    course = authoring.create_course(
        actor=cast.trainer_b, code="XDD02", title="Kiểm tra, giám sát", owner_unit=cast.unit_b
    )
    module = authoring.add_module(actor=cast.trainer_b, course=course, title="Học phần 1")
    authoring.add_lesson(actor=cast.trainer_b, module=module, title="Bài 1", body="Nội dung")
    authoring.set_status(actor=cast.trainer_b, course=course, status="published")
    course.refresh_from_db()
    return course


def _twin(certificate: Certificate, completion: Completion, serial: str) -> Certificate:
    return Certificate(
        completion=completion,
        user=completion.user,
        course=completion.course,
        issuing_unit=completion.course.issuing_unit,
        serial=serial,
        code=codes.generate(),
        learner_name="x",
        course_title="x",
        issuing_unit_name="x",
        completed_on=certificate.completed_on,
    )


def test_two_units_issuing_in_the_same_year_get_different_serials_naming_their_unit(
    cast, course, course_b, complete
):
    year = timezone.localdate().year
    a = Certificate.objects.get(completion=complete(cast.learner, course))
    b = Certificate.objects.get(completion=complete(cast.learner_b, course_b))
    assert a.serial == f"BD-A-{year}-000001"
    assert b.serial == f"BD-B-{year}-000001"
    assert a.issuing_unit == cast.unit_a and b.issuing_unit == cast.unit_b


def test_the_database_refuses_a_serial_already_in_the_register(cast, course, course_b, complete):
    first = Certificate.objects.get(completion=complete(cast.learner, course))
    other = complete(cast.learner_b, course_b)
    Certificate.objects.filter(completion=other).delete()
    # Another unit, another completion: only the serial repeats.
    with pytest.raises(IntegrityError), transaction.atomic():
        _twin(first, other, first.serial).save()


def test_a_serial_entered_outside_the_counter_is_skipped_not_repeated(
    cast, course, course_b, complete
):
    year = timezone.localdate().year
    first = Certificate.objects.get(completion=complete(cast.learner, course))
    other = complete(cast.learner_b, course_b)
    Certificate.objects.filter(completion=other).delete()
    _twin(first, other, f"BD-B-{year}-000001").save()  # e.g. typed in by hand
    Certificate.objects.filter(completion=other).update(status="revoked")
    issued = services._new_certificate(completion=other, learner_name="Bùi Thị Ế")
    assert issued.serial == f"BD-B-{year}-000002"


def test_unit_codes_print_as_plain_ascii_in_the_serial():
    assert unit_serial_code("STC-VP") == "STC-VP"
    assert unit_serial_code("Đảng ủy 1/vp") == "DANG-UY-1-VP"
    assert unit_serial_code(" ?! ") == ""


def test_register_and_verify_page_show_the_issuing_unit(login, cast, course_b, complete, client):
    certificate = Certificate.objects.get(completion=complete(cast.learner, course_b))
    row = login(cast.admin).get("/certificates/register/", {"q": certificate.serial})
    assert '<th scope="col">Đơn vị cấp</th>' in row.content.decode()
    assert "Đảng bộ B" in row.content.decode()  # the issuer, though the learner is in A1
    client.logout()
    page = client.get(certificate.get_absolute_url()).content.decode()
    assert "Đảng bộ B" in page and certificate.serial in page


@pytest.mark.django_db(transaction=True)
def test_migration_keeps_printed_serials_and_gives_later_duplicates_a_unique_one(
    cast, course, course_b, complete, login, client
):
    """Before serials named their unit, units A and B both printed BD-<year>-000001."""
    year = timezone.localdate().year
    a1 = Certificate.objects.get(completion=complete(cast.learner, course))
    a2 = Certificate.objects.get(completion=complete(cast.other_learner, course))
    b1 = Certificate.objects.get(completion=complete(cast.learner_b, course_b))
    SerialCounter.objects.all().delete()
    executor = MigrationExecutor(connection)
    before = [("certificates", "0001_initial")]
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        OldCertificate = old.get_model("certificates", "Certificate")
        OldCounter = old.get_model("certificates", "SerialCounter")
        for pk, serial, minutes in [
            (a1.pk, f"BD-{year}-000001", 0),
            (a2.pk, f"BD-{year}-000002", 1),
            (b1.pk, f"BD-{year}-000001", 2),  # printed after A's
        ]:
            OldCertificate.objects.filter(pk=pk).update(
                serial=serial, issued_at=a1.issued_at + timedelta(minutes=minutes)
            )
        OldCounter.objects.create(unit_id=cast.unit_a.pk, year=year, last_number=2)
        OldCounter.objects.create(unit_id=cast.unit_b.pk, year=year, last_number=1)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    serials = dict(Certificate.objects.values_list("pk", "serial"))
    assert serials == {
        a1.pk: f"BD-{year}-000001",  # the first printed keeps it
        a2.pk: f"BD-{year}-000002",  # never repeated: unchanged
        b1.pk: f"BD-B-{year}-000001",  # the later twin: unique, names unit B
    }
    assert Certificate.objects.get(pk=b1.pk).former_serial == f"BD-{year}-000001"
    assert dict(SerialCounter.objects.values_list("prefix", "last_number")) == {"A": 2, "B": 1}

    # The old serial still works: the register finds both, the page shows what was printed.
    page = login(cast.admin).get("/certificates/register/", {"q": f"BD-{year}-000001"})
    text = page.content.decode()
    assert "Nguyễn Thị Hồng Nhung" in text and "Bùi Thị Ế" in text
    client.logout()
    verify = client.get(Certificate.objects.get(pk=b1.pk).get_absolute_url()).content.decode()
    assert f"BD-B-{year}-000001" in verify and f"BD-{year}-000001" in verify

    # New serials continue after the old numbers, and the database holds them unique.
    completion = complete(cast.learner_b, course)
    assert Certificate.objects.get(completion=completion).serial == f"BD-A-{year}-000003"
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.filter(pk=a2.pk).update(serial=f"BD-{year}-000001")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_issuing_at_once_in_two_units_gives_unique_consecutive_serials(cast, course, course_b):
    """Eight workers issue at the same moment, four certificates per unit."""
    from tests.quizzes.test_races import run_together

    completions = []
    for n in range(4):
        for unit, of in ((cast.cell_a1, course), (cast.cell_b1, course_b)):
            user = create_user(
                actor=cast.superuser, username=f"hv{unit.code}{n}", full_name=f"Học viên {n}",
                unit=unit,
            )  # fmt: skip
            enrollment = course_services.enrol_user(actor=cast.admin, user=user, course=of)
            completions.append(
                Completion.objects.create(
                    enrollment=enrollment, user=user, course=of, completed_at=timezone.now()
                )
            )
    results = run_together(
        *[lambda pk=c.pk: services.issue_certificate(completion_id=pk) for c in completions]
    )
    assert all(isinstance(r, Certificate) for r in results), results
    year = timezone.localdate().year
    assert sorted(r.serial for r in results) == [
        f"BD-{code}-{year}-{n:06d}" for code in ("A", "B") for n in range(1, 5)
    ]
    assert dict(SerialCounter.objects.values_list("prefix", "last_number")) == {"A": 4, "B": 4}


def test_register_exports_name_the_issuing_unit(login, cast, course_b, complete):
    """The XLSX of the register and the report export (CSV/XLSX/PDF) carry the issuer."""
    import io

    from openpyxl import load_workbook

    from courses.reports.builders import certificates_table

    certificate = Certificate.objects.get(completion=complete(cast.learner, course_b))
    response = login(cast.admin).get("/certificates/register/export.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    column = rows[0].index("Đơn vị cấp")
    assert [r[column] for r in rows[1:]] == ["Đảng bộ B"]

    table = certificates_table(cast.admin, {"course": course_b.pk}, None)
    column = table.header.index("Đơn vị cấp")
    [(cells, _level, _bold)] = list(table.rows)
    assert cells[column] == "Đảng bộ B"
    assert cells[table.header.index("Đơn vị")] == "Chi bộ A1"  # the learner's, not the issuer
    assert cells[table.header.index("Số hiệu")] == certificate.serial
