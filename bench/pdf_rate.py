"""Certificate PDFs per second of one core (issue 20), in-process, no database.

Renders the same certificates (names, serials, codes, QR codes differ) with
each design and reports the CPU time of this process per PDF
(`time.process_time`), after one warm-up render each:

- `fresh`: what every PDF cost before issue 20: a new FontConfiguration and
  the whole stylesheet parsed again for each certificate;
- `shared`: `courses.certificates.pdf.render_full`, the full WeasyPrint render
  (stylesheet and fonts parsed once per process), today's fallback;
- `batch`: one WeasyPrint document for a batch of certificates, laid out
  once, then one PDF per page (`Document.copy([page]).write_pdf()`); not used
  by the tasks, measured to see what batching would buy;
- `fast`: `courses.certificates.pdf.render_pdf`, the batch's base page plus
  the learner's lines as an incremental update (pdf_fast.py), its base
  already built (the certificates of a run share one base);
- once-per-batch and once-per-process costs of `fast`: building a base (a
  WeasyPrint render with the learner's lines hidden, measured on distinct
  courses) and subsetting the fonts;
- the parts of one full render (HTML and QR code, layout, PDF writing) and
  of one fast PDF (the lines' wording, shaping, QR matrix, the rest).

Every design's PDFs are checked to hold the learner's name (pdftotext, when
installed). The machine's other load inflates CPU times: compare designs of
the same run.

    python bench/pdf_rate.py --count 200 --batch 20
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from weasyprint import HTML  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402

from courses.certificates import codes, pdf_fast, pdf_text, qr  # noqa: E402
from courses.certificates.pdf import (  # noqa: E402
    FONTS_DIR,
    STYLESHEET,
    CertificateDocument,
    _shared_style,
    render_full,
    render_html,
    render_pdf,
)

NAMES = ["Nguyễn Thị Hồng Nhung", "Đặng Quốc Việt", "Bùi Thị Ế", "Lê Văn Tâm", "Trần Minh Đức"]


def document(i: int) -> CertificateDocument:
    code = codes.generate()
    return CertificateDocument(
        learner_name=f"{NAMES[i % len(NAMES)]} {i}",
        course_title="Nghiệp vụ công tác xây dựng Đảng",
        issued_on=datetime.date(2026, 2, 5),
        serial=f"BD-KCQ-2026-{i:06d}",
        code=code,
        verify_url=f"https://boiduong.example/verify/{codes.display(code)}",
        unit_name="Đảng bộ Khối các cơ quan tỉnh",
        parent_unit_name="Tỉnh ủy Ninh Bình",
        place="Ninh Bình",
        score=86.5,
        completed_on=datetime.date(2026, 2, 1),
        signatory_title="T/M Ban Thường vụ",
        signatory_name="Lê Văn Tâm",
    )


def fresh(doc: CertificateDocument) -> bytes:
    """Before issue 20: fonts and the whole stylesheet anew for each PDF."""
    html = render_html(doc).replace("</head>", f"<style>{STYLESHEET.read_text()}</style></head>", 1)
    fonts = FontConfiguration()
    return HTML(string=html, base_url=str(FONTS_DIR) + "/").write_pdf(font_config=fonts)


def batch(docs: list[CertificateDocument]) -> list[bytes]:
    css, fonts = _shared_style()
    pages = [render_html(doc) for doc in docs]
    head = pages[0].split("<body>", 1)[0]
    bodies = "".join(
        '<section style="break-after: page">'
        + page.split("<body>", 1)[1].split("</body>", 1)[0]
        + "</section>"
        for page in pages
    )
    document = HTML(string=f"{head}<body>{bodies}</body></html>", base_url=str(FONTS_DIR) + "/")
    rendered = document.render(stylesheets=[css], font_config=fonts)
    out = []
    for doc, page in zip(docs, rendered.pages, strict=True):
        single = rendered.copy([page])
        single.metadata.title = f"Giấy chứng nhận {doc.serial}"
        out.append(single.write_pdf())
    return out


def cpu_ms(call, *args) -> float:  # type: ignore[no-untyped-def]
    start = time.process_time()
    call(*args)
    return (time.process_time() - start) * 1000


def holds_name(pdf: bytes, name: str) -> bool | None:
    if not shutil.which("pdftotext"):
        return None
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", f.name, "-"], capture_output=True, text=True
        ).stdout
    return name in text.splitlines()


def fast_parts(docs: list[CertificateDocument]) -> dict[str, float]:
    """The parts of a fast PDF: the lines' wording, their shaping, the QR matrix."""
    base = pdf_fast._base(pdf_fast._key(pdf_fast._placeholder(docs[0])))
    assert base is not None
    parts = {"lines": 0.0, "shaping": 0.0, "qr_matrix": 0.0, "whole": 0.0}
    for doc in docs:
        start = time.process_time()
        lines = pdf_fast._lines(doc)
        parts["lines"] += time.process_time() - start
        start = time.process_time()
        for name, text in lines.items():
            pdf_text.shape(text, base.slots[name].style)
        parts["shaping"] += time.process_time() - start
        start = time.process_time()
        qr.matrix(doc.verify_url)
        parts["qr_matrix"] += time.process_time() - start
        start = time.process_time()
        pdf_fast.render(doc)
        parts["whole"] += time.process_time() - start
    per = {k: v * 1000 / len(docs) for k, v in parts.items()}
    per["rest"] = per["whole"] - per["lines"] - per["shaping"] - per["qr_matrix"]
    return {k: round(v, 2) for k, v in per.items()}


def fast_once(bases: int = 5) -> dict[str, float]:
    """Once per batch: a base (one per course and day); once per process: the fonts."""
    courses = [
        dataclasses.replace(document(0), course_title=f"Khóa bồi dưỡng số {i}")
        for i in range(bases)
    ]
    pdf_fast._base.cache_clear()
    start = time.process_time()
    for doc in courses:
        assert pdf_fast._base(pdf_fast._key(pdf_fast._placeholder(doc))) is not None
    per_base = (time.process_time() - start) * 1000 / bases
    pdf_text.subset_fonts.cache_clear()
    start = time.process_time()
    pdf_text.subset_fonts()
    fonts = (time.process_time() - start) * 1000
    return {"base_per_batch": round(per_base, 1), "font_subsets_per_process": round(fonts, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=40, help="PDFs per design")
    parser.add_argument("--batch", type=int, default=20, help="certificates per batch document")
    args = parser.parse_args()
    docs = [document(i) for i in range(args.count)]
    # Warm-up: fonts, templates, and the fast path's fonts and base.
    fresh(docs[0]), render_full(docs[0]), batch(docs[:2]), render_pdf(docs[0])
    results: dict[str, dict] = {}
    checks: dict[str, bool | None] = {}
    # Interleaved in halves, so that the machine's drift falls on every design alike.
    half = args.count // 2
    single = {"fresh": fresh, "shared": render_full, "fast": render_pdf}
    totals = {"fresh": 0.0, "shared": 0.0, "batch": 0.0, "fast": 0.0}
    outputs: dict[str, list[bytes]] = {name: [] for name in totals}
    for part in (docs[:half], docs[half:]):
        for name in totals:
            start = time.process_time()
            if name == "batch":
                made = []
                for i in range(0, len(part), args.batch):
                    made += batch(part[i : i + args.batch])
            else:
                made = [single[name](doc) for doc in part]
            totals[name] += time.process_time() - start
            outputs[name] += made
    for name, seconds in totals.items():
        per = seconds * 1000 / args.count
        results[name] = {
            "cpu_ms_per_pdf": round(per, 1),
            "pdfs_per_core_second": round(1000 / per, 1),
        }
        checks[name] = (
            all(
                holds_name(pdf, doc.learner_name)
                for pdf, doc in zip(outputs[name], docs, strict=True)
            )
            if shutil.which("pdftotext")
            else None
        )
        results[name]["bytes_per_pdf"] = round(sum(map(len, outputs[name])) / args.count)
    # The parts of one shared render.
    css, fonts = _shared_style()
    parts = {"html_and_qr": 0.0, "layout": 0.0, "write": 0.0}
    for doc in docs[: min(10, args.count)]:
        start = time.process_time()
        html = render_html(doc)
        parts["html_and_qr"] += time.process_time() - start
        start = time.process_time()
        rendered = HTML(string=html, base_url=str(FONTS_DIR) + "/").render(
            stylesheets=[css], font_config=fonts
        )
        parts["layout"] += time.process_time() - start
        start = time.process_time()
        rendered.write_pdf()
        parts["write"] += time.process_time() - start
    n = min(10, args.count)
    report = {
        "count": args.count,
        "batch": args.batch,
        "designs": results,
        "names_extracted": checks,
        # Base plus one update: every fast PDF took the fast path, none the full render.
        "fast_path_taken": sum(pdf.count(b"%%EOF") == 2 for pdf in outputs["fast"]),
        "shared_parts_cpu_ms": {k: round(v * 1000 / n, 1) for k, v in parts.items()},
        "fast_parts_cpu_ms": fast_parts(docs),
        "fast_once_cpu_ms": fast_once(),
        "load_average": os.getloadavg()[0],
    }
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
