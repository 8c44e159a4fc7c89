"""What a PDF really draws: for every font, the characters shown and the glyph each is drawn with.

Reads the PDF the way a viewer does: each text-showing operator's codes, through the font's
encoding (Identity-H: code = CID), the CID-to-glyph map (TrueType) or the CFF charset (OpenType
CFF), to a glyph id of the embedded font program. A box is glyph 0 (.notdef) or a glyph id the
font program does not have (which viewers draw as .notdef; WeasyPrint writes those for characters
no font has, so that the text layer keeps them).
The character a code stands for comes from the font's ToUnicode map.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from dataclasses import dataclass, field

from fontTools.cffLib import CFFFontSet
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import ContentStream


@dataclass
class FontUse:
    name: str
    glyph_count: int | None = None
    chars: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))  # char → glyph ids

    def missing(self, gid: int) -> bool:
        return gid == 0 or (self.glyph_count is not None and gid >= self.glyph_count)

    @property
    def boxes(self) -> str:
        """The characters drawn as the missing glyph."""
        return "".join(sorted(ch for ch, gids in self.chars.items() if any(map(self.missing, gids))))


def _to_unicode(font) -> dict[int, str]:  # noqa: ANN001
    cmap: dict[int, str] = {}
    stream = font.get("/ToUnicode")
    if stream is None:
        return cmap
    data = stream.get_object().get_data().decode("latin-1")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            cmap[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be", "replace")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            base = bytes.fromhex(dst).decode("utf-16-be", "replace")
            for k, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                cmap[code] = base[:-1] + chr(ord(base[-1]) + k)
    return cmap


class _Font:
    def __init__(self, font) -> None:  # noqa: ANN001
        self.name = str(font.get("/BaseFont", "?"))
        self.to_unicode = _to_unicode(font)
        self.two_bytes = font.get("/Subtype") == "/Type0"
        self.cid_to_gid = None  # None: identity
        self.cff_cids: dict[int, int] | None = None
        self.glyph_count: int | None = None
        if not self.two_bytes:
            return
        descendant = font["/DescendantFonts"][0].get_object()
        descriptor = descendant["/FontDescriptor"].get_object()
        mapping = descendant.get("/CIDToGIDMap")
        if mapping is not None and mapping != "/Identity":
            data = mapping.get_object().get_data()
            self.cid_to_gid = {i // 2: int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2)}
        program = descriptor.get("/FontFile2")
        if program is not None:
            self.glyph_count = TTFont(io.BytesIO(program.get_object().get_data()))["maxp"].numGlyphs
        program = descriptor.get("/FontFile3")
        if program is not None:
            data = program.get_object().get_data()
            if data[:4] == b"OTTO":
                cff = TTFont(io.BytesIO(data))["CFF "].cff
            else:
                cff = CFFFontSet()
                cff.decompile(io.BytesIO(data), None)
            top = cff[cff.fontNames[0]]
            self.glyph_count = len(top.charset)
            if hasattr(top, "ROS"):  # CID-keyed: glyph names are "cidNNNNN"
                self.cff_cids = {int(n[3:]) if n.startswith("cid") else 0: gid
                                 for gid, n in enumerate(top.charset)}

    def glyphs(self, data: bytes) -> list[tuple[int, int]]:
        """(code, glyph id) for each code in a shown string."""
        if not self.two_bytes:
            return [(b, b) for b in data]
        out = []
        for i in range(0, len(data) - 1, 2):
            code = int.from_bytes(data[i:i + 2], "big")
            if self.cff_cids is not None:
                gid = self.cff_cids.get(code, 0)
            elif self.cid_to_gid is not None:
                gid = self.cid_to_gid.get(code, 0)
            else:
                gid = code
            out.append((code, gid))
        return out


def font_uses(pdf: bytes) -> dict[str, FontUse]:
    """Every font's characters and the glyph ids they are drawn with, over all pages."""
    reader = PdfReader(io.BytesIO(pdf))
    uses: dict[str, FontUse] = {}
    fonts: dict[int, _Font] = {}

    def font_of(ref) -> _Font:  # noqa: ANN001
        key = ref.idnum if hasattr(ref, "idnum") else id(ref)
        if key not in fonts:
            fonts[key] = _Font(ref.get_object())
        return fonts[key]

    def walk(content, resources) -> None:  # noqa: ANN001
        resources = resources.get_object() if resources is not None else {}
        font_dict = resources.get("/Font", {})
        font_dict = font_dict.get_object() if hasattr(font_dict, "get_object") else font_dict
        current = None
        for operands, op in ContentStream(content, reader).operations:
            if op == b"Tf":
                current = font_of(font_dict.raw_get(operands[0]))
            elif op in (b"Tj", b"'", b'"', b"TJ") and current is not None:
                items = operands[0] if op == b"TJ" else [operands[-1]]
                for item in items:
                    if isinstance(item, (bytes, str)) or hasattr(item, "original_bytes"):
                        raw = item.original_bytes if hasattr(item, "original_bytes") else item
                        use = uses.setdefault(current.name, FontUse(current.name, current.glyph_count))
                        for code, gid in current.glyphs(bytes(raw)):
                            use.chars[current.to_unicode.get(code, f"<{code}>")].add(gid)
            elif op == b"Do":
                xobjects = resources.get("/XObject", {})
                xobject = xobjects.get_object()[operands[0]].get_object()
                if xobject.get("/Subtype") == "/Form":
                    walk(xobject, xobject.get("/Resources", resources))

    for page in reader.pages:
        walk(page.get_contents(), page.get("/Resources"))
    return uses


def boxes(pdf: bytes) -> dict[str, str]:
    """Font name → the characters it draws as the missing glyph (empty when none)."""
    return {name: use.boxes for name, use in font_uses(pdf).items() if use.boxes}


def fonts_drawing(pdf: bytes, text: str) -> dict[str, set[str]]:
    """For each character of `text` (not spaces), the fonts that draw it."""
    found: dict[str, set[str]] = defaultdict(set)
    for name, use in font_uses(pdf).items():
        for chars in use.chars:
            for ch in chars:
                if ch in text and not ch.isspace():
                    found[ch].add(name)
    return found
