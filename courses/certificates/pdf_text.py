"""Text for the fast certificate path: shaped by Pango as WeasyPrint does, drawn in our fonts.

The learner's lines are shaped with WeasyPrint's own Pango layout (same
font configuration, language and features as the full render), so widths,
kerning and line breaks are WeasyPrint's. The glyphs are drawn with subsets
of the committed Noto TTFs that keep the original glyph ids (Identity-H,
CID = GID), embedded once per base PDF; whatever a subset does not hold
(another script, a fallback font, a mark placed by GPOS) makes `shape`
return None and the caller renders the whole page with WeasyPrint.
"""

from __future__ import annotations

import hashlib
import io
import zlib
from dataclasses import dataclass
from functools import cache
from typing import Any

from .pdf import FONTS_DIR

# The fonts the learner's lines use (pdf.css): name and result lines in
# Cert Serif, serial, code and URL in Cert Sans.
FILES = ("NotoSerif-Bold.ttf", "NotoSerif-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Regular.ttf")

# Vietnamese and the Latin around it: ASCII, Latin-1, Latin Extended-A, ơ ư,
# the Vietnamese block of Latin Extended Additional (ạ ả ấ ... ỹ), dashes and
# quotes. A name with anything else takes the full render.
REPERTOIRE = [
    *range(0x20, 0x7F),
    *range(0xA0, 0x180),
    *(0x1A0, 0x1A1, 0x1AF, 0x1B0),
    *range(0x1EA0, 0x1EFA),
    *(0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026),
]


@dataclass(frozen=True)
class SubsetFont:
    resource: str  # its name in the page's /Font resources
    base_font: str
    data: bytes  # the subset TTF, deflated
    length1: int
    glyphs: frozenset[int]
    widths: dict[int, int]  # in 1/1000 em, as WeasyPrint rounds them
    descriptor: dict[str, Any]


@cache
def subset_fonts() -> dict[str, SubsetFont]:
    """The four subsets by the SHA-256 of their source file, built once per process."""
    return {
        hashlib.sha256((FONTS_DIR / name).read_bytes()).hexdigest(): _subset(name, i)
        for i, name in enumerate(FILES)
    }


def _subset(name: str, index: int) -> SubsetFont:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(FONTS_DIR / name)
    order = font.getGlyphOrder()
    options = subset.Options()
    options.retain_gids = True  # Pango's glyph ids are the original font's
    options.hinting = False
    options.notdef_outline = True
    options.name_IDs = []
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=REPERTOIRE)
    subsetter.subset(font)
    for tag in ("GSUB", "GPOS", "GDEF"):  # shaping is Pango's: the PDF needs outlines
        if tag in font:
            del font[tag]
    kept = set(subsetter.reverseOrigGlyphMap.values())  # original glyph ids
    upem = font["head"].unitsPerEm
    hmtx = font["hmtx"]
    widths = {gid: round(hmtx[order[gid]][0] * 1000 / upem) for gid in kept}
    out = io.BytesIO()
    font.save(out)
    data = out.getvalue()
    head, hhea = font["head"], font["hhea"]
    cap = getattr(font["OS/2"], "sCapHeight", 0) or hhea.ascent
    italic = font["post"].italicAngle
    flags = 4 | (2 if "Serif" in name else 0) | (64 if italic else 0)
    # A subset's name starts with a six-letter tag (PDF 9.6.4).
    base_font = f"CERTF{'ABCD'[index]}+{name.removesuffix('.ttf')}"
    return SubsetFont(
        resource=f"CertFast{index}",
        base_font=base_font,
        data=zlib.compress(data, 9),
        length1=len(data),
        glyphs=frozenset(kept),
        widths=widths,
        descriptor={
            "Flags": flags,
            "FontBBox": [
                round(v * 1000 / upem) for v in (head.xMin, head.yMin, head.xMax, head.yMax)
            ],
            "ItalicAngle": italic,
            "Ascent": round(hhea.ascent * 1000 / upem),
            "Descent": round(hhea.descent * 1000 / upem),
            "CapHeight": round(cap * 1000 / upem),
            "StemV": 80,
        },
    )


def widths_array(font: SubsetFont) -> str:
    """/W as runs of consecutive glyph ids: `3 [260] 36 [753 672 668] ...`."""
    parts: list[str] = []
    run: list[int] = []
    start = previous = -2
    for gid in sorted(font.widths):
        if gid != previous + 1 and run:
            parts.append(f"{start} [{' '.join(map(str, run))}]")
            run = []
        if not run:
            start = gid
        run.append(font.widths[gid])
        previous = gid
    if run:
        parts.append(f"{start} [{' '.join(map(str, run))}]")
    return " ".join(parts)


def to_unicode_cmap(mapping: dict[int, str]) -> bytes:
    entries = "\n".join(
        f"<{gid:04x}> <{text.encode('utf-16-be').hex()}>" for gid, text in sorted(mapping.items())
    )
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo\n<< /Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <ffff>\nendcodespacerange\n"
        f"{len(mapping)} beginbfchar\n{entries}\nendbfchar\n"
        "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
    ).encode()


@dataclass
class Run:
    font: SubsetFont
    size: float  # CSS px
    glyphs: str  # the TJ array's inside: <0031>-12<004c>...


@dataclass
class Shaped:
    width: float  # CSS px, Pango's logical width of the line
    runs: list[Run]
    to_unicode: dict[str, dict[int, str]]  # font resource -> glyph id -> text


_FACES: dict[int, SubsetFont | None] = {}


def _font_of(pango_font: Any) -> tuple[SubsetFont | None, float]:
    from weasyprint.text.fonts import (
        get_hb_object_data,
        get_pango_font_hb_face,
        get_pango_font_key,
    )

    key, _description, size = get_pango_font_key(pango_font)
    if key not in _FACES:
        content = get_hb_object_data(get_pango_font_hb_face(pango_font))
        _FACES[key] = subset_fonts().get(hashlib.sha256(content).hexdigest())
    return _FACES[key], size


def shape(text: str, style: Any) -> Shaped | None:
    """`text` as one line in the box's computed style, or None if our fonts can't draw it."""
    from weasyprint.text.ffi import FROM_UNITS, ffi
    from weasyprint.text.line_break import create_layout, line_size

    layout = create_layout(text, style, None, None, 0)
    line, next_line = layout.get_first_line()
    if next_line is not None or line == ffi.NULL:
        return None
    width, _height = line_size(line, style)
    utf8 = text.encode()
    runs: list[Run] = []
    to_unicode: dict[str, dict[int, str]] = {}
    item = line.runs
    while item != ffi.NULL:
        glyph_item = item.data
        item = item.next
        analysis = glyph_item.item.analysis
        if analysis.level % 2:  # right to left
            return None
        font, size = _font_of(analysis.font)
        if font is None or not size:
            return None
        mapping = to_unicode.setdefault(font.resource, {})
        glyphs = glyph_item.glyphs
        count, clusters = glyphs.num_glyphs, glyphs.log_clusters
        offset, length = glyph_item.item.offset, glyph_item.item.length
        parts = []
        for i in range(count):
            info = glyphs.glyphs[i]
            gid = info.glyph
            geometry = info.geometry
            if not gid or gid not in font.glyphs or geometry.x_offset or geometry.y_offset:
                return None
            end = length if i == count - 1 else clusters[i + 1]
            if end > clusters[i]:
                chars = utf8[offset + clusters[i] : offset + end].decode()
                if mapping.setdefault(gid, chars) != chars:
                    return None
            parts.append(f"{gid:04x}")
            # As WeasyPrint writes it (draw/text.py): the advance Pango gave, kerning included.
            kerning = font.widths[gid] - geometry.width * 1000 * FROM_UNITS / size
            if kerning:
                parts.append(f">{int(kerning)}<")
        runs.append(Run(font, size, "<" + "".join(parts) + ">"))
    return Shaped(width, runs, to_unicode)
