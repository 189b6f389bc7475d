"""The import pages: upload, a Vietnamese preview, import from the preview by
a token bound to the uploader (no second upload), unsupported items skipped
only when chosen, and the XLSX templates."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signing import TimestampSigner
from openpyxl import load_workbook

from accounts import staging
from quizzes.imports import parse
from quizzes.models import Question, QuestionCategory

pytestmark = pytest.mark.django_db

MOODLE = Path(__file__).parents[1] / "fixtures" / "moodle"
DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def _upload(client, cast, name: str, fmt: str, folder: Path = MOODLE):  # type: ignore[no-untyped-def]
    with open(folder / name, "rb") as f:
        return client.post(
            "/bank/import/",
            {"file": f, "format": fmt, "category": "Từ Moodle", "owner_unit": cast.unit_a.pk},
        )


def test_preview_in_vietnamese_then_import_from_it(cast, login):
    client = login(cast.trainer_a)
    preview = _upload(client, cast, "questions.gift.txt", "gift")
    page = preview.content.decode()
    assert preview.status_code == 200 and not Question.objects.exists()
    for label in ("Tự luận", "Ghép đôi", "Một lựa chọn", "Nhiều lựa chọn", "Số", "Đúng/Sai"):
        assert f"<td>{label}</td>" in page
    assert "<td>essay</td>" not in page and "<td>matching</td>" not in page
    assert 'type="file"' not in page  # nothing to choose again: the import button is enough
    token = preview.context["token"]
    done = client.post("/bank/import/confirm/", {"token": token})
    assert done.status_code == 302
    assert Question.objects.count() == 9
    root = QuestionCategory.objects.get(name="Từ Moodle", owner_unit=cast.unit_a)
    assert done["Location"].endswith(f"?category={root.pk}")
    # The kept file is gone once imported.
    assert client.post("/bank/import/confirm/", {"token": token}).status_code == 302
    assert Question.objects.count() == 9


def test_token_is_bound_to_the_uploader_and_expires(cast, login, settings):
    token = _upload(login(cast.trainer_a), cast, "questions.gift.txt", "gift").context["token"]
    other = login(cast.trainer_b).post("/bank/import/confirm/", {"token": token})
    assert other.status_code == 302 and other["Location"] == "/bank/import/"
    assert not Question.objects.exists()
    settings.IMPORT_STAGING_SECONDS = -1
    with pytest.raises(staging.StagingExpired):
        staging.load(token, user=cast.trainer_a, kind="questions")
    tampered = TimestampSigner(salt="x").sign("y")
    with pytest.raises(staging.StagingExpired):
        staging.load(tampered, user=cast.trainer_a, kind="questions")


def test_unsupported_items_are_listed_and_skipped_only_when_chosen(cast, login):
    client = login(cast.trainer_a)
    preview = _upload(client, cast, "sample_questions_with_old_image_tag.xml", "moodlexml")
    page = preview.content.decode()
    assert 'id="import-skipped"' in page
    assert "<td>16</td><td>Câu điền nhiều chỗ trống (Cloze (multianswer))</td>" in page
    assert "1 hình kèm theo" in page
    assert 'name="skip_unsupported"' in page
    token = preview.context["token"]
    refused = client.post("/bank/import/confirm/", {"token": token})
    assert refused.status_code == 400 and not Question.objects.exists()
    assert "Cloze" in refused.content.decode()
    done = client.post("/bank/import/confirm/", {"token": token, "skip_unsupported": "1"})
    assert done.status_code == 302
    assert list(Question.objects.values_list("title", flat=True)) == ["mcq with image"]


def test_a_file_with_errors_gets_no_token(cast, login):
    page = _upload(login(cast.trainer_a), cast, "loi.gift", "gift", folder=DATA)
    assert "token" not in page.context or not page.context.get("token")
    assert 'id="import-errors"' in page.content.decode()


def test_question_template_has_an_example_per_type_and_the_rules(cast, login):
    response = login(cast.trainer_a).get("/bank/import/template.xlsx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Câu hỏi", "Quy tắc"]
    rules = {row[0]: row[1] for row in book["Quy tắc"].iter_rows(min_row=2, values_only=True)}
    assert "Đúng/Sai" in rules["Loại"] and "A:50%" in rules["Đáp án"]
    result = parse(io.BytesIO(response.content), "xlsx")
    assert result.problems == [] and len({q.type for q in result.questions}) == 8
    assert login(cast.learner).get("/bank/import/template.xlsx").status_code == 403


def test_user_template_example_row_imports_as_it_is(cast, login):
    from accounts.imports import parse_users

    response = login(cast.admin).get("/users/import/template.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Người dùng", "Quy tắc"]
    result = parse_users(io.BytesIO(response.content), actor=cast.admin)
    assert result.problems == [] and [r.role_label for r in result.rows] == ["Học viên"]
    assert login(cast.trainer_a).get("/users/import/template.xlsx").status_code == 403


def test_user_import_preview_does_not_store_under_media_url(cast, login, tmp_path):
    from tests.accounts.test_import import xlsx

    client = login(cast.admin)
    upload = SimpleUploadedFile(
        "users.xlsx", xlsx([["Lê Văn Cường", "cuong", "", "", "A1", "", ""]]).read()
    )
    client.post("/users/import/", {"file": upload})
    kept = list((tmp_path / "private" / "imports" / "users").iterdir())
    assert len(kept) == 1
