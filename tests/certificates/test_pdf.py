"""The PDF itself: Vietnamese text survives, the QR leads to the verification page."""

import datetime
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from courses.certificates import codes
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
