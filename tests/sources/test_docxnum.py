"""Word's numbering of headings, which pandoc drops, read from the DOCX itself."""

from __future__ import annotations

import io

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from rolereport.sources.docxnum import numbered_headings

W = nsdecls("w")


def _numbering(doc, num_id: str, start: int, fmt: str = "decimal", override: int | None = None) -> None:
    numbering = doc.part.numbering_part.element
    numbering.append(parse_xml(
        f'<w:abstractNum {W} w:abstractNumId="{num_id}"><w:lvl w:ilvl="0"><w:start w:val="{start}"/>'
        f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="%1."/></w:lvl>'
        f'<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2)"/></w:lvl>'
        '</w:abstractNum>'))
    extra = (f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{override}"/></w:lvlOverride>'
             if override is not None else "")
    numbering.append(parse_xml(f'<w:num {W} w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/>{extra}</w:num>'))
    for num in numbering.findall(qn("w:num")):  # abstractNums first, as Word writes them
        numbering.remove(num)
        numbering.append(num)


def _numbered(paragraph, num_id: str, level: int = 0) -> None:
    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {W}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def _bytes(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_direct_numbering_counts_levels_and_skips_body_paragraphs():
    doc = Document()
    _numbering(doc, "91", start=1)
    for name in ("Auditor", "Tax Adviser"):
        _numbered(doc.add_heading(name, level=2), "91")
        _numbered(doc.add_paragraph("a numbered body line"), "91", level=1)  # counted, not returned
    _numbered(doc.add_heading("Controller", level=2), "91")
    assert numbered_headings(_bytes(doc)) == [("Auditor", 1), ("Tax Adviser", 2), ("Controller", 3)]


def test_numbering_from_the_heading_style_with_a_start_override_and_bullets_ignored():
    doc = Document()
    _numbering(doc, "92", start=1, override=4)
    _numbering(doc, "93", start=1, fmt="bullet")
    style = doc.styles["Heading 3"].element
    style.get_or_add_pPr().append(parse_xml(f'<w:numPr {W}><w:ilvl w:val="0"/><w:numId w:val="92"/></w:numPr>'))
    doc.add_heading("Nurse Educator", level=3)
    doc.add_heading("Midwife", level=3)
    _numbered(doc.add_heading("Not ranked", level=2), "93")
    assert numbered_headings(_bytes(doc)) == [("Nurse Educator", 4), ("Midwife", 5)]


def test_not_a_docx_gives_nothing():
    assert numbered_headings(b"PK\x03\x04 not really a zip") == []
