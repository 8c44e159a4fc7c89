"""The PDF's text layer where its glyphs alone would say something else: `/ActualText`.

WeasyPrint (as of 70) maps each glyph to the characters of its cluster once per font. Where
shaping reorders glyphs — the Indic scripts put a vowel sign or a reph before or after the consonant
it belongs to, Khmer and Myanmar likewise — the text a reader copies, searches or hears comes out
in glyph order: "प्रिया शर्मा" prints right but reads "प्रिया श ार्मा". A line of such text
gets its own characters as `/ActualText` on the marked content WeasyPrint already opens for it
(PDF 32000-1 §14.9.4), which text extraction (poppler, Acrobat) and assistive technology read
instead of the glyphs.

The same carries a spoken form for text that is written for the eye: a box whose element has
`data-spoken` (the fit badge, "Strong fit · 80/100") is read as that ("Strong fit, 80 out of 100").

`install()` wraps WeasyPrint's `Stream.marked` (which opens `/Span <</MCID n>> BDC` for each line
of text) once per process; every other byte of the PDF stays as WeasyPrint writes it.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Any

# Scripts whose shaping moves glyphs away from their characters' order: Devanagari to Sinhala
# (U+0900–U+0DFF), Tibetan, Myanmar, Khmer, and the Indic extensions.
REORDERED = re.compile("[\u0900-\u0dff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff\ua8e0-\ua8ff\ua9e0-\ua9ff]")
SPOKEN = "data-spoken"


def actual_text(box: Any) -> str | None:
    """What a line of text should read as, or None where its glyphs say it already."""
    text = getattr(box, "text", None)
    if not text:
        return None
    element = getattr(box, "element", None)
    spoken = element.get(SPOKEN) if element is not None and hasattr(element, "get") else None
    if spoken and " ".join(text.split()) == " ".join("".join(element.itertext()).split()):
        return str(spoken)  # the whole badge on one line: its spoken form
    if REORDERED.search(text):
        return str(text)
    return None


def install() -> None:
    from weasyprint.pdf.stream import Stream

    if getattr(Stream.marked, "rolereport_actual_text", False):
        return
    original = Stream.marked

    @contextmanager
    def marked(self: Any, box: Any, tag: str) -> Any:
        with original(self, box, tag):
            said = actual_text(box) if tag == "Span" and self._tags is not None else None
            if said is not None and len(self.stream) >= 2:
                import pydyf

                properties = self.stream[-2]  # "/Span", <</MCID n>>, BDC
                if isinstance(properties, pydyf.Dictionary) and "MCID" in properties:
                    properties["ActualText"] = pydyf.String(said)
            yield

    marked.rolereport_actual_text = True  # type: ignore[attr-defined]
    Stream.marked = marked  # type: ignore[method-assign]
