"""The PDF itself: Vietnamese text survives, the QR leads to the verification page."""

import datetime
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from django.utils import timezone

from courses.certificates import codes, services
from courses.certificates.pdf import CertificateDocument, date_line, render_pdf
from courses.certificates.services import ensure_pdf

pytestmark = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pdftotext", "pdftoppm", "zbarimg", "pdfinfo")),
    reason="needs poppler-utils and zbar-tools",
)

NAMES = ["Nguyễn Thị Hồng Nhung", "Đặng Quốc Việt", "Bùi Thị Ế"]


def _document(name: str, **extra) -> CertificateDocument:  # type: ignore[no-untyped-def]
    code = codes.generate()
    return CertificateDocument(
        learner_name=name,
        course_title="Nghiệp vụ công tác xây dựng Đảng",
        issued_on=datetime.date(2026, 2, 5),
        serial="BD-2026-000123",
        code=code,
        verify_url=f"http://testserver/verify/{codes.display(code)}",
        unit_name="Đảng bộ Khối các cơ quan tỉnh",
        place="Ninh Bình",
        score=86.5,
        **extra,
    )


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_pdftotext_gives_back_vietnamese_names_exactly(form, tmp_path):
    for name in NAMES:
        pdf = render_pdf(_document(unicodedata.normalize(form, name)))
        text = unicodedata.normalize("NFC", _text(pdf, tmp_path))
        assert name in text.splitlines()
        # Composed in the file itself, not only after our normalisation.
        assert name in _text(pdf, tmp_path)


def test_pdf_has_the_party_document_layout(tmp_path):
    pdf = render_pdf(
        _document(
            "Đặng Quốc Việt", signatory_title="T/M Ban Thường vụ", signatory_name="Lê Văn Tâm"
        )
    )
    text = _text(pdf, tmp_path)
    for expected in [
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "GIẤY CHỨNG NHẬN",
        "Ninh Bình, ngày 05 tháng 02 năm 2026",
        "ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH",
        "Nghiệp vụ công tác xây dựng Đảng",
        "BD-2026-000123",
        "T/M BAN THƯỜNG VỤ",
        "Lê Văn Tâm",
    ]:
        assert expected in text
    (tmp_path / "c.pdf").write_bytes(pdf)
    info = subprocess.run(
        ["pdfinfo", str(tmp_path / "c.pdf")], capture_output=True, text=True
    ).stdout
    assert "841.89 x 595.276 pts (A4)" in info  # landscape
    assert "Pages:           1" in info


def test_user_text_is_escaped_not_interpreted(tmp_path):
    text = _text(render_pdf(_document("<b>Lê</b> & <script>x</script>")), tmp_path)
    assert "<b>Lê</b> & <script>x</script>" in text


def test_date_line_follows_party_document_style():
    assert date_line("Hà Nội", datetime.date(2026, 11, 3)) == "Hà Nội, ngày 03 tháng 11 năm 2026"
    assert date_line("", datetime.date(2026, 1, 15)) == "ngày 15 tháng 01 năm 2026"


def test_qr_code_decodes_to_the_verification_page_showing_valid(
    real_pdf, certificate, client, tmp_path
):
    ensure_pdf(certificate)
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(certificate.pdf.open("rb").read())
    subprocess.run(["pdftoppm", "-png", "-r", "110", str(pdf), str(tmp_path / "page")], check=True)
    page = next(tmp_path.glob("page*.png"))
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(page)], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert decoded == f"http://testserver/verify/{certificate.display_code}"
    response = client.get(decoded.removeprefix("http://testserver"))
    assert response.status_code == 200
    assert "Còn hiệu lực" in response.content.decode()
    assert "Nguyễn Thị Hồng Nhung" in _text(pdf.read_bytes(), tmp_path)


# ---------------------------------------------------------------- issue 17, item 5


def _served(response) -> bytes:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


@pytest.mark.django_db
def test_date_line_takes_the_place_of_the_issuing_unit_or_the_nearest_parent(
    real_pdf, cast, course, complete, tmp_path
):
    from accounts.models import Unit
    from courses.certificates.models import Certificate

    # Unit A (the issuer) has no place of its own: the bloc's is where it writes from.
    Unit.objects.filter(pk=cast.bloc.pk).update(place="Ninh Bình")
    certificate = Certificate.objects.get(completion=complete(cast.learner, course))
    day = timezone.localdate(certificate.issued_at)
    text = _text(certificate.pdf.open("rb").read(), tmp_path)
    assert date_line("Ninh Bình", day) in text
    assert "Tỉnh," not in text
    Unit.objects.filter(pk=cast.unit_a.pk).update(place="Hoa Lư")
    assert services.document_for(certificate).place == "Hoa Lư"


@pytest.mark.django_db
def test_demo_certificates_print_a_real_place_and_a_signatory():
    from accounts import demo as accounts_demo
    from courses import demo as courses_demo
    from courses.certificates import demo
    from courses.certificates.models import Certificate

    accounts_demo.load()
    courses_demo.load()
    demo.load()
    document = services.document_for(Certificate.objects.get())
    assert document.place == "Ninh Bình"
    assert date_line(document.place, document.issued_on).startswith("Ninh Bình, ngày ")
    assert document.signatory_title and document.signatory_name


@pytest.mark.django_db
def test_revoked_certificate_pdf_is_stamped_wherever_it_is_downloaded(
    real_pdf, cast, certificate, login, api, tmp_path
):
    url = f"/certificates/{certificate.pk}/pdf/"
    api_url = f"/api/certificates/{certificate.pk}/pdf/"
    assert "ĐÃ THU HỒI" not in _text(_served(login(cast.learner).get(url)), tmp_path)
    services.revoke(actor=cast.admin, certificate=certificate, reason="Cấp nhầm người.")
    certificate.refresh_from_db()
    day = timezone.localdate(certificate.revoked_at).strftime("%d/%m/%Y")
    downloads = {
        "learner page": login(cast.learner).get(url),
        "register": login(cast.admin).get(url),
        "API, learner": api(cast.learner).get(api_url),
        "API, admin": api(cast.admin).get(api_url),
    }
    for where, response in downloads.items():
        text = _text(_served(response), tmp_path)
        assert "ĐÃ THU HỒI" in text, where
        assert f"Ngày thu hồi: {day}" in text, where
        assert "Nguyễn Thị Hồng Nhung" in text, where  # the same certificate, stamped
    # The original is kept, never served again.
    certificate.refresh_from_db()
    assert certificate.pdf and certificate.revoked_pdf
    assert certificate.pdf.name != certificate.revoked_pdf.name
    assert "ĐÃ THU HỒI" not in _text(certificate.pdf.open("rb").read(), tmp_path)


@pytest.mark.django_db
def test_zip_exports_never_hand_out_an_unstamped_revoked_pdf(
    real_pdf, cast, course, complete, login, monkeypatch, tmp_path
):
    import io
    import zipfile

    from courses.certificates import register
    from courses.certificates.models import Certificate, CertificateExport

    first = Certificate.objects.get(completion=complete(cast.learner, course))
    second = Certificate.objects.get(completion=complete(cast.other_learner, course))
    client = login(cast.admin)

    # A ZIP built before a revocation holds the unstamped copy: not handed out after it.
    client.post("/certificates/register/zip/", {"unit": cast.unit_a.pk})
    built = CertificateExport.objects.get()
    assert client.get(f"/certificates/exports/{built.pk}/download/").status_code == 200
    services.revoke(actor=cast.admin, certificate=first, reason="Cấp nhầm người.")
    refused = client.get(f"/certificates/exports/{built.pk}/download/")
    assert refused.status_code == 302
    assert refused["Location"] == f"/certificates/exports/{built.pk}/"
    page = client.get(refused["Location"]).content.decode()
    assert "Tạo lại tệp ZIP" in page and "Tải tệp ZIP" not in page

    # One revoked while the ZIP is being written goes in stamped.
    real = register.served_pdf

    def revoked_meanwhile(certificate):  # type: ignore[no-untyped-def]
        if certificate.pk == second.pk:
            services.revoke(actor=cast.admin, certificate=second, reason="Cấp nhầm.")
        return real(certificate)

    monkeypatch.setattr(register, "served_pdf", revoked_meanwhile)
    client.post("/certificates/register/zip/", {"unit": cast.unit_a.pk})
    rebuilt = CertificateExport.objects.exclude(pk=built.pk).get()
    with rebuilt.file.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    assert [n.split("_", 1)[0] for n in archive.namelist()] == [second.serial]
    assert "ĐÃ THU HỒI" in _text(archive.read(archive.namelist()[0]), tmp_path)
