"""The certificate PDF: A4 landscape, party-document layout, fonts from the repo.

Everything the page shows comes in a `CertificateDocument`, so the layout
can be rendered and checked without a database. The fonts are the Noto
TTFs committed next to this module (OFL), loaded by @font-face, so the PDF
looks the same on any host and every Vietnamese letter is embedded and
extractable. The HTML is a Django template with autoescaping on: a learner
named `<b>` prints as text.
"""

from __future__ import annotations

import atexit
import base64
import datetime
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, cast

import segno
from django.template.loader import render_to_string
from django.utils import translation

from accounts.text import nfc

from . import codes

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
logger = logging.getLogger(__name__)


@dataclass
class CertificateDocument:
    learner_name: str
    course_title: str
    issued_on: datetime.date
    serial: str
    code: str
    verify_url: str
    unit_name: str = ""
    parent_unit_name: str = ""
    place: str = ""
    title: str = ""
    score: Decimal | float | None = None
    completed_on: datetime.date | None = None
    expires_on: datetime.date | None = None
    signatory_title: str = ""
    signatory_name: str = ""
    # Images as data: URIs (read through Django storage, so S3 works too).
    signature: str = ""
    seal: str = ""
    background: str = ""
    # Set once the certificate is revoked: the page is stamped "ĐÃ THU HỒI".
    revoked_on: datetime.date | None = None
    extra: dict[str, str] = field(default_factory=dict)


def date_line(place: str, day: datetime.date) -> str:
    """'Hà Nội, ngày 05 tháng 02 năm 2026' as party documents write it.

    Days below 10 and the months January and February take a leading zero.
    """
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    with translation.override("vi"):
        from django.utils.translation import gettext as _

        text = _("ngày %(day)s tháng %(month)s năm %(year)s") % {
            "day": f"{day.day:02d}",
            "month": month,
            "year": day.year,
        }
    return f"{nfc(place)}, {text}" if place else text


def data_uri(content: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"


def qr_data_uri(url: str) -> str:
    # PNG with a generous quiet zone: decodes reliably after rasterising.
    return segno.make(url, error="m").png_data_uri(scale=8, border=4)


def _clean(doc: CertificateDocument) -> dict[str, object]:
    """NFC everything: a name typed in decomposed form prints and extracts composed."""
    return {
        "learner_name": nfc(doc.learner_name),
        "course_title": nfc(doc.course_title),
        "unit_name": nfc(doc.unit_name).upper(),
        "parent_unit_name": nfc(doc.parent_unit_name).upper(),
        "title": nfc(doc.title).upper(),
        "signatory_title": nfc(doc.signatory_title).upper(),
        "signatory_name": nfc(doc.signatory_name),
    }


def render_html(doc: CertificateDocument) -> str:
    with translation.override("vi"):
        context = {
            **_clean(doc),
            "doc": doc,
            "date_line": date_line(doc.place, doc.issued_on),
            "code_display": codes.display(doc.code),
            "qr": qr_data_uri(doc.verify_url),
            "score": doc.score,
        }
        return render_to_string("certificates/pdf.html", context)


STYLESHEET = Path(__file__).resolve().parent / "pdf.css"


@cache
def _shared_style() -> tuple[Any, Any]:
    """The page's stylesheet, parsed once per process with its fonts loaded.

    Every certificate has the same style and fonts: a fresh FontConfiguration
    and the <style> parsed anew for each PDF took a third of a render's CPU
    (bench/pdf_rate.py). What differs per course (the background image) stays
    in the template."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    # Dropped before the interpreter tears modules down (its __del__ needs them).
    atexit.register(_shared_style.cache_clear)
    css = CSS(filename=str(STYLESHEET), base_url=str(FONTS_DIR) + "/", font_config=fonts)
    return css, fonts


def render_pdf(doc: CertificateDocument) -> bytes:
    """The certificate's PDF: the learner's lines drawn onto a page rendered once
    per batch (pdf_fast.py), or the whole page rendered when only that is exact."""
    from . import pdf_fast

    try:
        fast = pdf_fast.render(doc)
    except Exception:  # the full render is always right: never fail a certificate here
        logger.warning("Fast certificate PDF failed, rendering in full", exc_info=True)
        fast = None
    return fast if fast is not None else render_full(doc)


def render_full(doc: CertificateDocument) -> bytes:
    """The whole page by WeasyPrint."""
    from weasyprint import HTML

    css, fonts = _shared_style()
    html = HTML(string=render_html(doc), base_url=str(FONTS_DIR) + "/")
    return cast(bytes, html.write_pdf(stylesheets=[css], font_config=fonts))
