"""Certificate PDFs without a WeasyPrint render per learner (issue 20).

Everything on a certificate except the learner's lines is the same for a
whole batch (course, unit, date line, signatory, images). That page, the
"base", is rendered once per process by WeasyPrint with the learner's lines
laid out but invisible (`visibility: hidden` on placeholder text: the layout
keeps their space), and its layout tree gives where each line goes. Each
learner's PDF is then the base's bytes plus one incremental update (PDF
7.5.6): a new version of an empty content stream the base already draws
last, holding the learner's lines and QR code, of the four ToUnicode maps,
and of the document information (the title names the serial).

The lines are shaped by WeasyPrint's own Pango layout and drawn with subsets
of the same fonts (pdf_text.py), so they land where the full render puts
them. Whenever that is not certain (a line that would wrap or that our
fonts can't draw, a revoked certificate, any surprise), `render` returns
None and `pdf.render_pdf` renders the whole page as before.
"""

from __future__ import annotations

import atexit
import dataclasses
import datetime
import html
import logging
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from accounts.text import nfc

from . import codes, qr
from .pdf import FONTS_DIR, CertificateDocument, _shared_style, render_html
from .pdf_overlay import add_base_objects, content, info, stream, update
from .pdf_text import Shaped, shape, to_unicode_cmap

logger = logging.getLogger(__name__)

# The learner's lines, as pdf.html marks them: (tag, class) of the element.
SLOTS = {
    "name": ("div", "name"),
    "result": ("div", "result"),
    "expires": ("div", "expires"),
    "serial": ("b", "serial"),
    "code": ("b", "code"),
    "url": ("p", "url"),
}
HIDDEN = ".name, .result, .expires, .serial, .code, .url, img.qr { visibility: hidden }"
PLACEHOLDER_SERIAL = "0"
PLACEHOLDER_DAY = datetime.date(2000, 1, 1)
# A line this close to its box's width goes to the full render: no guessing at the edge.
MARGIN = 0.5  # CSS px


@dataclass(frozen=True)
class Slot:
    x: float  # CSS px: where the text starts (left-aligned) or the block's left edge (centred)
    room: float  # the width the text may take without wrapping
    baseline: float
    centred: bool
    wraps: bool  # False for `white-space: nowrap`: a long line overflows, as in the full render
    style: Any  # the placeholder's computed style: Pango shapes the real text in it
    color: str  # PDF fill colour operands


@dataclass(frozen=True)
class Base:
    pdf: bytes
    xref_offset: int
    size: int  # the next free object number
    root: str
    info_number: int
    info: dict[str, Any]
    title_prefix: str
    overlay_number: int
    to_unicode_numbers: dict[str, int]  # font resource name -> object number
    slots: dict[str, Slot]
    qr: tuple[float, float, float]  # x, y, side in CSS px
    page_height: float  # pt


def render(doc: CertificateDocument) -> bytes | None:
    """The certificate as base + overlay, or None when only the full render is exact."""
    if doc.revoked_on is not None:
        return None
    base = _base(_key(_placeholder(doc)))
    if base is None:
        return None
    lines = _lines(doc)
    if set(lines) != set(base.slots):
        return None
    shaped: dict[str, Shaped] = {}
    for name, text in lines.items():
        slot = base.slots[name]
        if not _plain(text):
            return None
        line = shape(text, slot.style)
        if line is None or (slot.wraps and line.width > slot.room - MARGIN):
            return None
        shaped[name] = line
    to_unicode: dict[str, dict[int, str]] = {}
    for line in shaped.values():
        for resource, mapping in line.to_unicode.items():
            merged = to_unicode.setdefault(resource, {})
            for gid, chars in mapping.items():
                if merged.setdefault(gid, chars) != chars:
                    return None
    placed = [
        (_start(base.slots[name], line), base.slots[name].baseline, base.slots[name].color, line)
        for name, line in shaped.items()
    ]
    objects = {
        base.overlay_number: stream(
            content(base.page_height, placed, base.qr, qr.matrix(doc.verify_url)), compress=True
        ),
        base.info_number: info(base.info, base.title_prefix + doc.serial),
    }
    for resource, mapping in to_unicode.items():
        objects[base.to_unicode_numbers[resource]] = stream(to_unicode_cmap(mapping))
    return update(
        base.pdf,
        objects,
        xref_offset=base.xref_offset,
        size=base.size,
        root=base.root,
        info_number=base.info_number,
    )


def _plain(text: str) -> bool:
    """One line that HTML would not change: no other whitespace, nothing to collapse."""
    return bool(text) and text.isprintable() and text.strip(" ") == text and "  " not in text


def _lines(doc: CertificateDocument) -> dict[str, str]:
    """The learner's lines as the template words them (its partials, unescaped)."""
    context = {"doc": doc, "score": doc.score}
    with translation.override("vi"):
        lines = {
            "name": nfc(doc.learner_name),
            "result": render_to_string("certificates/pdf.html#result", context),
            "serial": doc.serial,
            "code": codes.display(doc.code),
            "url": render_to_string("certificates/pdf.html#url", context),
        }
        if doc.expires_on:
            lines["expires"] = render_to_string("certificates/pdf.html#expires", context)
    for name in ("result", "url", "expires"):
        if name in lines:
            lines[name] = html.unescape(lines[name])
    return lines


def _placeholder(doc: CertificateDocument) -> CertificateDocument:
    """The batch's constant part: the learner's fields replaced by short stand-ins."""
    return dataclasses.replace(
        doc,
        learner_name="X",
        serial=PLACEHOLDER_SERIAL,
        code="0" * codes.LENGTH,
        verify_url="-",
        score=None if doc.score is None else 0,
        completed_on=doc.completed_on and PLACEHOLDER_DAY,
        expires_on=doc.expires_on and PLACEHOLDER_DAY,
        revoked_on=None,
        extra=dict(doc.extra),
    )


def _key(doc: CertificateDocument) -> tuple[Any, ...]:
    return tuple(
        tuple(sorted(value.items())) if isinstance(value, dict) else value
        for value in dataclasses.astuple(doc)
    )


@lru_cache(maxsize=64)  # a base holds its PDF (with the course's images) and layout styles
def _base(key: tuple[Any, ...]) -> Base | None:
    values = dict(zip([f.name for f in dataclasses.fields(CertificateDocument)], key, strict=True))
    values["extra"] = dict(values["extra"])
    try:
        return _build_base(CertificateDocument(**values))
    except Exception:
        logger.warning("No fast certificate base: full renders for this batch", exc_info=True)
        return None


@cache
def _hidden_style() -> Any:
    from weasyprint import CSS

    # Both hold the shared FontConfiguration: let it go before interpreter teardown too.
    atexit.register(_hidden_style.cache_clear)
    atexit.register(_base.cache_clear)
    return CSS(string=HIDDEN, font_config=_shared_style()[1])


def _build_base(doc: CertificateDocument) -> Base | None:
    from weasyprint import HTML

    css, fonts = _shared_style()
    document = HTML(string=render_html(doc), base_url=str(FONTS_DIR) + "/").render(
        stylesheets=[css, _hidden_style()], font_config=fonts
    )
    if len(document.pages) != 1:
        return None
    page = document.pages[0]
    measured = _measure(page._page_box)
    if measured is None:
        return None
    slots, qr = measured
    title = document.metadata.title or ""
    if not title.endswith(PLACEHOLDER_SERIAL):
        return None
    added: dict[str, Any] = {}
    data = document.write_pdf(finisher=lambda _document, pdf: added.update(add_base_objects(pdf)))
    pdf = added["pdf"]
    if not data.endswith(b"startxref\n%d\n%%%%EOF\n" % pdf.xref_position):
        return None
    return Base(
        pdf=data,
        xref_offset=pdf.xref_position,
        size=len(pdf.objects),
        root=pdf.catalog.reference.decode(),
        info_number=pdf.info.number,
        info=dict(pdf.info),
        title_prefix=title.removesuffix(PLACEHOLDER_SERIAL),
        overlay_number=added["overlay"],
        to_unicode_numbers=added["to_unicode"],
        slots=slots,
        qr=qr,
        page_height=page.height * 0.75,
    )


def _walk(box: Any, ancestors: tuple[Any, ...] = ()) -> Any:
    yield box, ancestors
    for child in getattr(box, "children", ()):
        yield from _walk(child, (*ancestors, box))


def _measure(page_box: Any) -> tuple[dict[str, Slot], tuple[float, float, float]] | None:
    """Where the hidden lines and the QR code are, checked against our own shaping."""
    from weasyprint.formatting_structure import boxes

    outer: dict[tuple[str, str], tuple[Any, tuple[Any, ...]]] = {}
    for box, ancestors in _walk(page_box):
        element = getattr(box, "element", None)
        if element is None:
            continue
        for cls in (element.get("class") or "").split():
            outer.setdefault((box.element_tag, cls), (box, ancestors))
    slots = {}
    for name, key in SLOTS.items():
        if key not in outer:
            continue
        box, ancestors = outer[key]
        texts = [b for b, _ in _walk(box) if isinstance(b, boxes.TextBox)]
        if len(texts) != 1:
            return None
        text = texts[0]
        style = text.style
        color = style["color"]
        if color.space != "srgb" or color.alpha != 1:
            return None
        block = next((b for b in (*ancestors, box)[::-1] if isinstance(b, boxes.BlockBox)), None)
        if block is None:
            return None
        align = block.style["text_align_all"]
        centred = align == "center"
        if block.style["direction"] != "ltr" or block.style["text_align_last"] not in (
            "auto",
            align,
        ):
            return None
        if not centred and align not in ("start", "left"):
            return None
        left = block.content_box_x()
        x = left if centred else text.position_x
        slot = Slot(
            x=x,
            room=block.width if centred else left + block.width - x,
            baseline=text.position_y + text.baseline,
            centred=centred,
            wraps=style["white_space"] == "normal",
            style=style,
            color=" ".join(f"{c:g}" for c in color.to("srgb").coordinates),
        )
        # Our shaping must put the placeholder exactly where WeasyPrint did.
        line = shape(text.text, style)
        if line is None or abs(_start(slot, line) - text.position_x) > 0.01:
            return None
        slots[name] = slot
    if ("img", "qr") not in outer or not {"name", "result", "serial", "code", "url"} <= set(slots):
        return None
    image = outer[("img", "qr")][0]
    if abs(image.width - image.height) > 0.01:
        return None
    return slots, (image.content_box_x(), image.content_box_y(), image.width)


def _start(slot: Slot, line: Shaped) -> float:
    return slot.x + (slot.room - line.width) / 2 if slot.centred else slot.x
