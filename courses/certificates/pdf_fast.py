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

import dataclasses
import datetime
import html
import logging
import zlib
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from accounts.text import nfc

from . import codes, qr
from .pdf import FONTS_DIR, CertificateDocument, _shared_style, render_html
from .pdf_text import Shaped, shape, subset_fonts, to_unicode_cmap, widths_array

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
    objects = {base.overlay_number: _stream(_overlay(base, shaped, doc.verify_url), compress=True)}
    for resource, mapping in to_unicode.items():
        objects[base.to_unicode_numbers[resource]] = _stream(to_unicode_cmap(mapping))
    objects[base.info_number] = _info(base, doc.serial)
    return _update(base, objects)


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


@lru_cache(maxsize=64)
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
    data = document.write_pdf(finisher=lambda _document, pdf: added.update(_add_objects(pdf)))
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


def _add_objects(pdf: Any) -> dict[str, Any]:
    """WeasyPrint's finisher: our fonts in the page's resources, and an empty
    content stream drawn last, wrapped so that it starts in default user space."""
    import pydyf

    (page,) = [
        o for o in pdf.objects if isinstance(o, pydyf.Dictionary) and o.get("Type") == "/Page"
    ]
    resources = pdf.objects[int(page["Resources"].split()[0])]
    fonts = pdf.objects[int(resources["Font"].split()[0])]
    to_unicode = {}
    for font in subset_fonts().values():
        file = pydyf.Stream([font.data], {"Filter": "/FlateDecode", "Length1": font.length1})
        pdf.add_object(file)
        descriptor = pydyf.Dictionary(
            {
                "Type": "/FontDescriptor",
                "FontName": "/" + font.base_font,
                **{
                    k: pydyf.Array(v) if isinstance(v, list) else v
                    for k, v in font.descriptor.items()
                },
                "FontFile2": file.reference,
            }
        )
        pdf.add_object(descriptor)
        cid = pydyf.Dictionary(
            {
                "Type": "/Font",
                "Subtype": "/CIDFontType2",
                "BaseFont": "/" + font.base_font,
                "CIDSystemInfo": pydyf.Dictionary(
                    {
                        "Registry": pydyf.String("Adobe"),
                        "Ordering": pydyf.String("Identity"),
                        "Supplement": 0,
                    }
                ),
                "CIDToGIDMap": "/Identity",
                "FontDescriptor": descriptor.reference,
                "W": f"[{widths_array(font)}]",
            }
        )
        pdf.add_object(cid)
        cmap = pydyf.Stream([to_unicode_cmap({})])
        pdf.add_object(cmap)
        type0 = pydyf.Dictionary(
            {
                "Type": "/Font",
                "Subtype": "/Type0",
                "BaseFont": "/" + font.base_font,
                "Encoding": "/Identity-H",
                "DescendantFonts": pydyf.Array([cid.reference]),
                "ToUnicode": cmap.reference,
            }
        )
        pdf.add_object(type0)
        fonts[font.resource] = type0.reference
        to_unicode[font.resource] = cmap.number
    push, pop, overlay = pydyf.Stream([b"q"]), pydyf.Stream([b"Q"]), pydyf.Stream([b""])
    for stream in (push, pop, overlay):
        pdf.add_object(stream)
    page["Contents"] = pydyf.Array(
        [push.reference, page["Contents"], pop.reference, overlay.reference]
    )
    return {"pdf": pdf, "overlay": overlay.number, "to_unicode": to_unicode}


def _overlay(base: Base, lines: dict[str, Shaped], url: str) -> bytes:
    # WeasyPrint's page space: CSS px, y down.
    ops = [f"q 0.75 0 0 -0.75 0 {base.page_height:.6f} cm"]
    for name, line in lines.items():
        slot = base.slots[name]
        ops.append(f"{slot.color} rg BT 1 0 0 -1 {_start(slot, line):.6f} {slot.baseline:.6f} Tm")
        ops.extend(f"/{run.font.resource} {run.size:g} Tf [{run.glyphs}] TJ" for run in line.runs)
        ops.append("ET")
    ops.append(_qr_ops(base.qr, url))
    ops.append("Q")
    return "\n".join(ops).encode()


def _qr_ops(place: tuple[float, float, float], url: str) -> str:
    """The QR code of pdf.qr_data_uri (segno's modules, 4 of quiet zone), as rectangles."""
    x, y, side = place
    matrix = qr.matrix(url)
    module = side / (len(matrix) + 8)
    rects = []
    for row, bits in enumerate(matrix):
        top = y + (row + 4) * module
        col = 0
        width = len(bits)
        while col < width:
            if bits[col]:
                end = col
                while end < width and bits[end]:
                    end += 1
                rects.append(
                    f"{x + (col + 4) * module:.3f} {top:.3f} {(end - col) * module:.3f} {module:.3f} re"
                )
                col = end
            else:
                col += 1
    # White first: the image's quiet zone hides the course background under it.
    return (
        f"1 1 1 rg {x:.3f} {y:.3f} {side:.3f} {side:.3f} re f\n0 0 0 rg\n"
        + "\n".join(rects)
        + "\nf"
    )


def _stream(data: bytes, compress: bool = False) -> bytes:
    if compress:
        data = zlib.compress(data)
        head = b"<</Filter /FlateDecode/Length %d>>" % len(data)
    else:
        head = b"<</Length %d>>" % len(data)
    return head + b"\nstream\n" + data + b"\nendstream"


def _info(base: Base, serial: str) -> bytes:
    import pydyf

    info = dict(base.info)
    info["Title"] = pydyf.String(base.title_prefix + serial)
    return bytes(pydyf.Dictionary(info).data)


def _update(base: Base, objects: dict[int, bytes]) -> bytes:
    """The base plus an incremental update redefining `objects`, with its own xref stream."""
    out = bytearray(base.pdf)
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    xref = base.size
    offsets[xref] = len(out)
    rows = b"".join(b"\x01" + offsets[n].to_bytes(4, "big") + b"\x00" for n in sorted(offsets))
    index = " ".join(f"{n} 1" for n in sorted(offsets))
    out += (
        f"{xref} 0 obj\n<</Type /XRef/Size {xref + 1}/Index [{index}]/W [1 4 1]"
        f"/Root {base.root}/Info {base.info_number} 0 R/Prev {base.xref_offset}"
        f"/Length {len(rows)}>>\nstream\n"
    ).encode()
    out += rows + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % offsets[xref]
    return bytes(out)
