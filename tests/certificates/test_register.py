"""The admin register: pages, XLSX, ZIP with progress, revoke and re-issue."""

import io
import zipfile

import pytest
from openpyxl import load_workbook

from accounts.models import AuditLog
from accounts.services import update_user
from courses.certificates.models import Certificate, CertificateExport

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(cast, course, complete):  # type: ignore[no-untyped-def]
    for user in (cast.learner, cast.other_learner, cast.learner_b):
        complete(user, course)
    return {c.user_id: c for c in Certificate.objects.all()}


def test_register_is_for_admins_only(login, cast, issued):
    assert login(cast.learner).get("/certificates/register/").status_code == 403
    assert login(cast.trainer_a).get("/certificates/register/").status_code == 403


def test_register_lists_and_filters_within_scope(login, cast, issued):
    client = login(cast.admin)
    page = client.get("/certificates/register/").content.decode()
    for c in issued.values():
        assert c.serial in page
    fragment = client.get(
        "/certificates/register/", {"unit": cast.unit_b.pk}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in fragment
    assert "Bùi Thị Ế" in fragment
    assert "Đặng Quốc Việt" not in fragment


def test_unit_admin_sees_only_their_units(login, cast, issued):
    from accounts.services import create_user

    admin_b = create_user(
        actor=cast.superuser,
        username="admin_b",
        full_name="Quản Trị B",
        unit=cast.unit_b,
        role="admin",
    )
    page = login(admin_b).get("/certificates/register/").content.decode()
    assert "Bùi Thị Ế" in page
    assert "Nguyễn Thị Hồng Nhung" not in page
    mine = issued[cast.learner.pk]
    assert login(admin_b).get(f"/certificates/{mine.pk}/revoke/").status_code == 404
    assert login(admin_b).get(f"/certificates/{mine.pk}/pdf/").status_code == 404


def test_register_exports_xlsx(login, cast, issued):
    response = login(cast.admin).get("/certificates/register/export.xlsx", {"unit": cast.unit_a.pk})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Số hiệu"
    names = sorted(r[2] for r in rows[1:])
    assert names == ["Nguyễn Thị Hồng Nhung", "Đặng Quốc Việt"]


def test_zip_of_a_unit_is_built_by_a_task_with_progress(login, cast, issued):
    client = login(cast.admin)
    response = client.post("/certificates/register/zip/", {"unit": cast.unit_a.pk})
    export = CertificateExport.objects.get()
    assert response["Location"] == f"/certificates/exports/{export.pk}/"
    assert export.status == "done" and export.total == 2 and export.percent == 100
    fragment = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and "Tải tệp ZIP" in fragment
    download = client.get(f"/certificates/exports/{export.pk}/download/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert sorted(n.split("_", 1)[0] for n in archive.namelist()) == sorted(
        issued[u.pk].serial for u in (cast.learner, cast.other_learner)
    )


def test_pending_export_polls_itself(login, cast, issued):
    export = CertificateExport.objects.create(
        requested_by=cast.admin, unit=cast.unit_a, total=4, done=1
    )
    fragment = (
        login(cast.admin)
        .get(f"/certificates/exports/{export.pk}/", HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert 'hx-trigger="every 2s"' in fragment
    assert '<progress max="100" value="25">' in fragment


def test_exports_belong_to_who_asked(login, cast, issued):
    export = CertificateExport.objects.create(requested_by=cast.admin, unit=cast.unit_a)
    assert login(cast.superuser).get(f"/certificates/exports/{export.pk}/").status_code == 404


def test_zip_for_a_unit_outside_scope_is_404(login, cast, issued):
    from accounts.services import create_user

    admin_b = create_user(
        actor=cast.superuser,
        username="admin_b",
        full_name="Quản Trị B",
        unit=cast.unit_b,
        role="admin",
    )
    assert (
        login(admin_b).post("/certificates/register/zip/", {"unit": cast.unit_a.pk}).status_code
        == 404
    )


def test_revoke_page_requires_a_reason(login, cast, issued):
    mine = issued[cast.learner.pk]
    client = login(cast.admin)
    bad = client.post(f"/certificates/{mine.pk}/revoke/", {"reason": ""})
    assert bad.status_code == 400
    assert "Vui lòng nhập lý do thu hồi" in bad.content.decode()
    ok = client.post(f"/certificates/{mine.pk}/revoke/", {"reason": "Hồ sơ không hợp lệ"})
    assert ok.status_code == 302
    mine.refresh_from_db()
    assert mine.status == "revoked" and mine.revocation_reason == "Hồ sơ không hợp lệ"


def test_reissue_after_name_correction_replaces_the_old_certificate(
    login, cast, issued, django_capture_on_commit_callbacks
):
    old = issued[cast.learner.pk]
    update_user(actor=cast.admin, user=cast.learner, full_name="Nguyễn Thị Hồng Nhụng")
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.admin).post(
            f"/certificates/{old.pk}/reissue/", {"reason": "Sửa họ tên"}
        )
    assert response.status_code == 302
    old.refresh_from_db()
    new = old.replaced_by
    assert old.status == "replaced"
    assert new.status == "valid" and new.learner_name == "Nguyễn Thị Hồng Nhụng"
    assert new.completion_id == old.completion_id and new.serial != old.serial
    assert new.pdf
    assert AuditLog.objects.filter(action=AuditLog.Action.CERTIFICATE_REISSUED).count() == 1
    page = login(cast.admin).get(f"/verify/{old.display_code}").content.decode()
    assert "Đã được cấp lại" in page


def test_learner_page_lists_downloads_and_shares(login, cast, issued):
    mine = issued[cast.learner.pk]
    page = login(cast.learner).get("/certificates/").content.decode()
    assert mine.course_title in page
    assert f"/certificates/{mine.pk}/pdf/" in page
    assert f"http://testserver/verify/{mine.display_code}" in page
    assert issued[cast.other_learner.pk].serial not in page
    pdf = login(cast.learner).get(f"/certificates/{mine.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    other = issued[cast.other_learner.pk]
    assert login(cast.learner).get(f"/certificates/{other.pk}/pdf/").status_code == 404


def test_verification_pages_have_no_inline_script_or_style(client, issued):
    page = client.get(f"/verify/{next(iter(issued.values())).display_code}").content.decode()
    assert "style=" not in page
    assert "<script>" not in page and " on" + "click=" not in page


def test_xlsx_keeps_formula_like_text_as_text(login, cast, issued):
    mine = issued[cast.learner.pk]
    Certificate.objects.filter(pk=mine.pk).update(
        learner_name='=HYPERLINK("http://evil.example","Bấm")', revocation_reason="+1-2"
    )
    response = login(cast.admin).get("/certificates/register/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert '=HYPERLINK("http://evil.example","Bấm")' in [c.value for c in cells]
