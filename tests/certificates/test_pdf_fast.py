"""The fast certificate PDF (base page + the learner's lines as an incremental update)
reads, decodes and looks like WeasyPrint's full render, and steps aside when it can't."""

import datetime
import io
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from courses.certificates import codes, pdf_fast
from courses.certificates.pdf import CertificateDocument, data_uri, render_full, render_pdf

pytestmark = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pdftotext", "pdftoppm", "zbarimg", "pdfinfo")),
    reason="needs poppler-utils and zbar-tools",
)


def _document(name: str = "Nguyễn Thị Hồng Nhung", **extra) -> CertificateDocument:  # type: ignore[no-untyped-def]
    code = codes.generate()
    fields = {
        "course_title": "Nghiệp vụ công tác xây dựng Đảng",
        "issued_on": datetime.date(2026, 2, 5),
        "serial": "BD-2026-000123",
        "code": code,
        "verify_url": f"http://testserver/verify/{codes.display(code)}",
        "unit_name": "Đảng bộ Khối các cơ quan tỉnh",
        "parent_unit_name": "Tỉnh ủy Ninh Bình",
        "place": "Ninh Bình",
        "signatory_title": "T/M Ban Thường vụ",
        "signatory_name": "Lê Văn Tâm",
    }
    return CertificateDocument(learner_name=name, **{**fields, **extra})


def _png(size: tuple[int, int], color: tuple[int, ...], mode: str = "RGBA") -> str:
    image = Image.new(mode, size, (0, 0, 0, 0) if mode == "RGBA" else color)
    ImageDraw.Draw(image).ellipse((4, 4, size[0] - 4, size[1] - 4), fill=color)
    out = io.BytesIO()
    image.save(out, "PNG")
    return data_uri(out.getvalue(), "image/png")


def _run(args: list[str], pdf: bytes, tmp_path: Path, *after: str) -> str:
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        [*args, str(path), *after], capture_output=True, check=True, text=True
    ).stdout


def _text(pdf: bytes, tmp_path: Path) -> str:
    return _run(["pdftotext", "-enc", "UTF-8"], pdf, tmp_path, "-")


def _raster(pdf: bytes, tmp_path: Path, dpi: int = 100) -> Image.Image:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-gray", "-png", str(path), str(tmp_path / "r")], check=True
    )
    page = next(tmp_path.glob("r*.png"))
    image = Image.open(page).convert("L")
    image.load()
    page.unlink()
    return image


def _fast(doc: CertificateDocument) -> bytes:
    pdf = pdf_fast.render(doc)
    assert pdf is not None, "took the full render"
    return pdf


def _assert_looks_the_same(doc: CertificateDocument, tmp_path: Path) -> None:
    fast_pdf, full_pdf = _fast(doc), render_full(doc)
    assert _text(fast_pdf, tmp_path) == _text(full_pdf, tmp_path)
    fast, full = _raster(fast_pdf, tmp_path), _raster(full_pdf, tmp_path)
    assert fast.size == full.size
    differing = ImageChops.difference(fast, full).point(lambda v: 255 if v > 64 else 0)
    assert differing.histogram()[255] < 0.005 * fast.size[0] * fast.size[1]
    # The QR code (an image there, rectangles here) differs in anti-aliasing along
    # module edges only: no 3x3 patch differs. Everything else is the same pixels.
    assert differing.filter(ImageFilter.MinFilter(3)).getbbox() is None
    base = pdf_fast._base(pdf_fast._key(pdf_fast._placeholder(doc)))
    assert base is not None
    x, y, side = (round(v * 100 / 96) for v in base.qr)  # CSS px to 100 dpi
    ImageDraw.Draw(differing).rectangle((x - 2, y - 2, x + side + 2, y + side + 2), fill=0)
    assert differing.histogram()[255] < 50


def test_fast_pdf_gives_every_line_as_the_full_render_does(tmp_path):
    doc = _document(score=86.5, completed_on=datetime.date(2026, 2, 1))
    text = _text(_fast(doc), tmp_path)
    assert text == _text(render_full(doc), tmp_path)
    for expected in [
        "Nguyễn Thị Hồng Nhung",
        "BD-2026-000123",
        codes.display(doc.code),
        f"Kiểm tra tại: {doc.verify_url}",
        "Kết quả: Đạt — điểm 86,5%; hoàn thành ngày 01/02/2026",
        "Ninh Bình, ngày 05 tháng 02 năm 2026",
    ]:
        assert expected in text.splitlines() or expected in text, expected
    assert "Nguyễn Thị Hồng Nhung" in text.splitlines()


def test_fast_pdf_is_valid_and_titled_with_its_serial(tmp_path):
    pdf = _fast(_document(serial="BD-2026-000777"))
    info = _run(["pdfinfo"], pdf, tmp_path)  # check=True: exit code 0
    assert "Title:           Giấy chứng nhận BD-2026-000777" in info
    assert "Pages:           1" in info
    assert "841.89 x 595.276 pts (A4)" in info
    if shutil.which("qpdf"):
        (tmp_path / "q.pdf").write_bytes(pdf)
        checked = subprocess.run(["qpdf", "--check", str(tmp_path / "q.pdf")], capture_output=True)
        assert checked.returncode == 0, checked.stdout + checked.stderr


def test_fast_pdf_qr_code_decodes_to_the_verify_url(tmp_path):
    doc = _document()
    (tmp_path / "q.pdf").write_bytes(_fast(doc))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", str(tmp_path / "q.pdf"), str(tmp_path / "q")], check=True
    )
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(next(tmp_path.glob("q*.png")))],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert decoded == doc.verify_url


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param({}, id="plain"),
        pytest.param(
            {
                "score": 92,
                "completed_on": datetime.date(2026, 1, 31),
                "expires_on": datetime.date(2028, 1, 31),
            },
            id="score-and-expiry",
        ),
        pytest.param(
            {
                "background": _png((300, 212), (245, 230, 200), mode="RGB"),
                "signature": _png((240, 90), (20, 40, 160, 255)),
                "seal": _png((160, 160), (200, 0, 0, 180)),
                "title": "Giấy khen",
            },
            id="images",
        ),
        pytest.param(
            {"name": "Tôn Nữ Nguyễn Thị Hồng Nhung Phương Thảo Hoàng"},  # 92 % of the line
            id="long-name-that-fits",
        ),
        pytest.param(
            {"name": "Lưu Ẩn Ỷ Phượng Ữ Ợ Ẵ Ậ Ề Ỗ Ỡ Ừ Ỵ Ñ Ç Ø Š", "score": 7.25},
            id="stacked-diacritics",
        ),
    ],
)
def test_fast_pdf_reads_and_looks_like_the_full_render(extra, tmp_path):
    _assert_looks_the_same(_document(**extra), tmp_path)


def test_a_name_that_would_wrap_takes_the_full_render(tmp_path):
    name = "Nguyễn Thị Hồng Nhung Phương Thảo Tôn Nữ Hoàng Yến Vĩnh"
    doc = _document(name)
    assert pdf_fast.render(doc) is None
    pdf = render_pdf(doc)
    assert pdf == render_full(doc)
    assert name not in _text(pdf, tmp_path).splitlines()  # it did wrap


def test_revoked_certificate_takes_the_full_render_with_its_stamp(tmp_path):
    doc = _document(revoked_on=datetime.date(2026, 3, 1))
    assert pdf_fast.render(doc) is None
    text = _text(render_pdf(doc), tmp_path)
    assert "ĐÃ THU HỒI" in text
    assert "Ngày thu hồi: 01/03/2026" in text


def test_a_character_outside_our_fonts_takes_the_full_render(tmp_path):
    doc = _document("Nguyễn 明 Nhung")
    assert pdf_fast.render(doc) is None
    assert "Nguyễn 明 Nhung" in _text(render_pdf(doc), tmp_path)


@pytest.mark.parametrize("name", [" Lê  Văn Tâm", "Lê\tVăn Tâm", "Lê\u00a0Văn Tâm"])
def test_a_name_html_would_collapse_takes_the_full_render(name):
    assert pdf_fast.render(_document(name)) is None


def test_a_decomposed_name_prints_composed(tmp_path):
    name = "Đặng Quốc Việt"
    pdf = _fast(_document(unicodedata.normalize("NFD", name)))
    assert name in _text(pdf, tmp_path).splitlines()


def test_learners_of_one_batch_share_the_base_and_nothing_else(tmp_path):
    pdf_fast._base.cache_clear()
    first = _document("Bùi Thị Ế", serial="BD-2026-000001")
    second = _document("Đặng Quốc Việt", serial="BD-2026-000002")
    one, two = _fast(first), _fast(second)
    assert pdf_fast._base.cache_info().misses == 1
    text_one, text_two = _text(one, tmp_path), _text(two, tmp_path)
    assert "Bùi Thị Ế" in text_one and "Đặng Quốc Việt" not in text_one
    assert "Đặng Quốc Việt" in text_two and "Bùi Thị Ế" not in text_two
    assert "BD-2026-000002" not in text_one and "BD-2026-000001" not in text_two
    assert codes.display(first.code) not in text_two
    # Each is the shared base and its own update; the base holds no learner's data.
    base = pdf_fast._base(pdf_fast._key(pdf_fast._placeholder(first)))
    assert base is not None and one.startswith(base.pdf) and two.startswith(base.pdf)
    text_base = _text(base.pdf, tmp_path)
    assert "Nghiệp vụ công tác xây dựng Đảng" in text_base
    for learner in (first, second):
        assert learner.learner_name not in text_base and learner.serial not in text_base


def test_render_pdf_takes_the_fast_path_when_it_can(tmp_path):
    doc = _document()
    pdf = render_pdf(doc)
    assert pdf.count(b"%%EOF") == 2  # the base and one update
    assert "Nguyễn Thị Hồng Nhung" in _text(pdf, tmp_path).splitlines()


def test_a_page_whose_layout_surprises_us_takes_the_full_render(monkeypatch):
    pdf_fast._base.cache_clear()
    monkeypatch.setattr(pdf_fast, "_measure", lambda page_box: None)
    doc = _document()
    assert pdf_fast.render(doc) is None
    assert render_pdf(doc) == render_full(doc)
    pdf_fast._base.cache_clear()  # not the real base: no other test may get it


def test_an_error_in_the_fast_path_takes_the_full_render(monkeypatch):
    def broken(doc):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    monkeypatch.setattr(pdf_fast, "render", broken)
    doc = _document()
    assert render_pdf(doc) == render_full(doc)


@pytest.mark.django_db
def test_an_issued_certificate_is_stored_through_the_fast_path(real_pdf, certificate, tmp_path):
    from courses.certificates import services

    services.ensure_pdf(certificate)
    stored = certificate.pdf.open("rb").read()
    assert stored.count(b"%%EOF") == 2  # the base and one update
    document = services.document_for(certificate)
    assert _text(stored, tmp_path) == _text(render_full(document), tmp_path)
