"""Writing the fast certificate PDF (pdf_fast.py): the objects a base gets, the
learner's overlay stream and the incremental update that carries it (PDF 7.5.6),
with a cross-reference stream as the base has one."""

from __future__ import annotations

import zlib
from typing import Any

from .pdf_text import Shaped, subset_fonts, to_unicode_cmap, widths_array


def add_base_objects(pdf: Any) -> dict[str, Any]:
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


def content(
    page_height: float,
    lines: list[tuple[float, float, str, Shaped]],
    qr_place: tuple[float, float, float],
    qr_matrix: tuple[bytearray, ...],
) -> bytes:
    """The overlay: each (x, baseline, colour, shaped line), then the QR code."""
    # WeasyPrint's page space: CSS px, y down.
    ops = [f"q 0.75 0 0 -0.75 0 {page_height:.6f} cm"]
    for x, baseline, color, line in lines:
        ops.append(f"{color} rg BT 1 0 0 -1 {x:.6f} {baseline:.6f} Tm")
        ops.extend(f"/{run.font.resource} {run.size:g} Tf [{run.glyphs}] TJ" for run in line.runs)
        ops.append("ET")
    ops.append(_qr_ops(qr_place, qr_matrix))
    ops.append("Q")
    return "\n".join(ops).encode()


def _qr_ops(place: tuple[float, float, float], matrix: tuple[bytearray, ...]) -> str:
    """The QR code of pdf.qr_data_uri (segno's modules, 4 of quiet zone), as rectangles."""
    x, y, side = place
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


def stream(data: bytes, compress: bool = False) -> bytes:
    if compress:
        data = zlib.compress(data)
        head = b"<</Filter /FlateDecode/Length %d>>" % len(data)
    else:
        head = b"<</Length %d>>" % len(data)
    return head + b"\nstream\n" + data + b"\nendstream"


def info(base_info: dict[str, Any], title: str) -> bytes:
    """The base's document information, titled anew."""
    import pydyf

    return bytes(pydyf.Dictionary({**base_info, "Title": pydyf.String(title)}).data)


def update(
    base: bytes,
    objects: dict[int, bytes],
    *,
    xref_offset: int,
    size: int,
    root: str,
    info_number: int,
) -> bytes:
    """`base` plus an incremental update redefining `objects`, with its own xref stream.

    `size` is the base's next free object number: the xref stream takes it."""
    out = bytearray(base)
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    xref = size
    offsets[xref] = len(out)
    rows = b"".join(b"\x01" + offsets[n].to_bytes(4, "big") + b"\x00" for n in sorted(offsets))
    index = " ".join(f"{n} 1" for n in sorted(offsets))
    out += (
        f"{xref} 0 obj\n<</Type /XRef/Size {xref + 1}/Index [{index}]/W [1 4 1]"
        f"/Root {root}/Info {info_number} 0 R/Prev {xref_offset}"
        f"/Length {len(rows)}>>\nstream\n"
    ).encode()
    out += rows + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % offsets[xref]
    return bytes(out)
