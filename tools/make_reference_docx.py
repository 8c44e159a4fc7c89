#!/usr/bin/env python3
"""Generate `templates/docx/reference.docx`, the style sheet of the DOCX handout.

It starts from pandoc's own default reference document (so every style pandoc writes exists)
and restyles it with python-docx for the default theme (`rolereport.inputs.theme.Theme()`): fonts,
accent colour, the comparison-table style with a shaded header row, margins and a footer with
page numbers, plus the custom styles the handout template names with `custom-style`; then it keeps
only the styles the handout uses (tools/docx_styles.py renders handouts with it to find them).

Reproducible: the same pandoc and python-docx give byte-identical output (fixed zip timestamps,
fixed entry order). python-docx is a test/dev dependency only; the tool itself just reads the
committed file. Run it after changing this script:

    .venv/bin/python tools/make_reference_docx.py            # writes the built-in reference
    .venv/bin/python tools/make_reference_docx.py OUT.docx   # writes elsewhere
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from rolereport.inputs.theme import Theme
from rolereport.render.docx import STYLE_NAMES, deterministic_zip

# The committed file was generated with this pandoc (its default reference.docx is the base).
PANDOC_VERSION = "3.9"
ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "src" / "rolereport" / "templates" / "docx" / "reference.docx"
THEME = Theme()
ACCENT = THEME.accent.lstrip("#").upper()
ACCENT_LIGHT = THEME.accent_light.lstrip("#").upper()
FONT = THEME.font_family
# Source Sans Pro's PANOSE class: Word substitutes a similar sans-serif where it is not installed.
FONT_PANOSE = "020B0503030403020204"
# Fonts for the text the theme font lacks: Word and LibreOffice take East Asian characters from
# w:eastAsia and complex scripts (Arabic, Hebrew, Indic, Thai…) from w:cs. The PDF's faces, with
# Windows fonts as Word's substitutes where they are not installed (see script_fonts()).
EAST_ASIA_FONT, EAST_ASIA_ALT, EAST_ASIA_CHARSET = "Noto Sans CJK SC", "Microsoft YaHei", "86"
COMPLEX_FONT, COMPLEX_ALT, COMPLEX_CHARSET = "Noto Sans Arabic", "Arial", "B2"
GREY = "595959"
RULE = "BFBFBF"
ZIP_TIME = (2024, 1, 1, 0, 0, 0)


def pandoc_default_reference() -> bytes:
    import pypandoc

    return subprocess.run(
        [pypandoc.get_pandoc_path(), "--print-default-data-file", "reference.docx"],
        check=True, capture_output=True,
    ).stdout


def _el(tag: str, **attrs: str) -> OxmlElement:
    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), value)
    return element


def _replace(parent, tag: str, new) -> None:  # type: ignore[no-untyped-def]
    for old in parent.findall(qn(tag)):
        parent.remove(old)
    parent.append(new)


def _sequence(pr, order: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    """Put the children of a pPr/rPr/tblPr in schema order (Word is strict about it)."""
    rank = {qn(tag): i for i, tag in enumerate(order)}
    children = sorted(pr, key=lambda c: rank.get(c.tag, len(order)))
    for child in children:
        pr.remove(child)
    for child in children:
        pr.append(child)


PPR_ORDER = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:widowControl", "w:numPr",
             "w:pBdr", "w:shd", "w:tabs", "w:spacing", "w:ind", "w:contextualSpacing", "w:jc",
             "w:outlineLvl")
RPR_ORDER = ("w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:color", "w:spacing",
             "w:sz", "w:szCs", "w:shd", "w:lang")


def _borders(tag: str, sides: dict[str, tuple[str, str, str]]):  # type: ignore[no-untyped-def]
    borders = _el(tag)
    for side, (size, color, space) in sides.items():
        borders.append(_el(f"w:{side}", val="single", sz=size, space=space, color=color))
    return borders


def restyle(doc) -> None:  # type: ignore[no-untyped-def]
    styles = doc.styles
    accent, grey = RGBColor.from_string(ACCENT), RGBColor.from_string(GREY)

    # Defaults: the theme font (explicit, not a theme-font reference), 10.5 pt like the PDF.
    rpr_default = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _replace(rpr_default, "w:rFonts", _el("w:rFonts", ascii=FONT, hAnsi=FONT, cs=FONT,
                                          eastAsiaTheme="minorEastAsia"))
    for tag in ("w:sz", "w:szCs"):
        rpr_default.find(qn(tag)).set(qn("w:val"), "21")
    _sequence(rpr_default, RPR_ORDER)

    def paragraph(name: str, *, size: float | None = None, bold: bool | None = None,
                  italic: bool | None = None, color: RGBColor | None = None, before: float | None = None,
                  after: float | None = None, align=None, keep_next: bool | None = None):  # type: ignore[no-untyped-def]
        style = styles[name]
        rpr = style.element.get_or_add_rPr()
        for fonts in rpr.findall(qn("w:rFonts")):  # inherit the body font, no theme fonts
            rpr.remove(fonts)
        if size is not None:
            style.font.size = Pt(size)
        if bold is not None:
            style.font.bold = bold
        if italic is not None:
            style.font.italic = italic
        if color is not None:
            style.font.color.rgb = color
        fmt = style.paragraph_format
        if before is not None:
            fmt.space_before = Pt(before)
        if after is not None:
            fmt.space_after = Pt(after)
        if align is not None:
            fmt.alignment = align
        if keep_next is not None:
            fmt.keep_with_next = keep_next
        return style

    paragraph("Body Text", before=0, after=6)
    paragraph("Compact", before=1, after=1)
    title = paragraph("Title", size=24, bold=True, color=accent, after=2, align=WD_ALIGN_PARAGRAPH.LEFT)
    title.paragraph_format.keep_with_next = True
    title_ppr = title.element.get_or_add_pPr()
    subtitle = paragraph("Subtitle", size=13, color=grey, before=0, after=6, align=WD_ALIGN_PARAGRAPH.LEFT)
    subtitle_ppr = subtitle.element.get_or_add_pPr()
    for numpr in subtitle_ppr.findall(qn("w:numPr")):  # pandoc's default numbers the subtitle level
        subtitle_ppr.remove(numpr)
    for tag in ("w:spacing",):
        for el in subtitle.element.get_or_add_rPr().findall(qn(tag)):
            subtitle.element.get_or_add_rPr().remove(el)
    for name in ("Author", "Date"):
        paragraph(name, size=10, color=grey, before=0, after=0, align=WD_ALIGN_PARAGRAPH.LEFT)
    styles["Date"].paragraph_format.space_after = Pt(10)
    # A rule under the title block.
    _replace(title_ppr, "w:pBdr", _borders("w:pBdr", {"bottom": ("12", ACCENT, "4")}))
    _sequence(title_ppr, PPR_ORDER)

    sizes = {1: 15, 2: 12, 3: 11, 4: 10.5, 5: 10.5, 6: 10.5}
    for level, size in sizes.items():
        heading = paragraph(f"Heading {level}", size=size, bold=True, color=accent,
                            before=14 if level == 1 else 8, after=3 if level == 1 else 2)
        heading.paragraph_format.keep_with_next = True
        rpr = heading.element.get_or_add_rPr()
        for tag in ("w:i", "w:iCs"):
            for el in rpr.findall(qn(tag)):
                rpr.remove(el)
        if level == 1:
            ppr = heading.element.get_or_add_pPr()
            _replace(ppr, "w:pBdr", _borders("w:pBdr", {"bottom": ("6", ACCENT_LIGHT, "1")}))
            _sequence(ppr, PPR_ORDER)
    for level in (1, 2, 3, 4, 5, 6):  # pandoc's linked character styles carry theme fonts too
        char = styles[f"Heading {level} Char"]
        for fonts in char.element.get_or_add_rPr().findall(qn("w:rFonts")):
            char.element.get_or_add_rPr().remove(fonts)
        char.font.color.rgb = accent
    for name in ("Title Char", "Subtitle Char"):
        for fonts in styles[name].element.get_or_add_rPr().findall(qn("w:rFonts")):
            styles[name].element.get_or_add_rPr().remove(fonts)
    styles["Hyperlink"].font.color.rgb = accent

    # Custom styles named in the templates with `custom-style` (see STYLE_NAMES).
    prepared = styles.add_style(STYLE_NAMES["prepared_for"], WD_STYLE_TYPE.PARAGRAPH)
    prepared.base_style = styles["Body Text"]
    prepared.font.size = Pt(13)
    prepared.font.bold = True
    prepared.paragraph_format.space_before = Pt(4)
    prepared.paragraph_format.space_after = Pt(4)
    prepared.quick_style = True

    card = styles.add_style(STYLE_NAMES["card"], WD_STYLE_TYPE.PARAGRAPH)
    card.base_style = styles["Body Text"]
    card.quick_style = True
    fmt = card.paragraph_format
    fmt.space_before, fmt.space_after = Pt(0), Pt(4)
    fmt.left_indent = Mm(3)
    fmt.keep_together = True  # a card never splits across pages
    ppr = card.element.get_or_add_pPr()
    ppr.append(_borders("w:pBdr", {"left": ("18", ACCENT, "6")}))
    _sequence(ppr, PPR_ORDER)

    tagline = styles.add_style(STYLE_NAMES["tagline"], WD_STYLE_TYPE.CHARACTER)
    tagline.font.italic = True
    tagline.font.color.rgb = accent
    tagline.quick_style = True

    badge = styles.add_style(STYLE_NAMES["fit_badge"], WD_STYLE_TYPE.CHARACTER)
    badge.font.bold = True
    badge.font.color.rgb = accent
    badge.quick_style = True

    lead = styles.add_style(STYLE_NAMES["lead"], WD_STYLE_TYPE.CHARACTER)
    lead.font.color.rgb = grey
    lead.quick_style = True

    match = styles.add_style(STYLE_NAMES["match"], WD_STYLE_TYPE.PARAGRAPH)
    match.base_style = styles["Body Text"]
    match.quick_style = True
    match.paragraph_format.space_before, match.paragraph_format.space_after = Pt(0), Pt(2)
    match.paragraph_format.keep_with_next = True  # the band stays with its evidence

    notes = styles.add_style(STYLE_NAMES["notes_line"], WD_STYLE_TYPE.PARAGRAPH)
    notes.base_style = styles["Normal"]
    notes.quick_style = True
    fmt = notes.paragraph_format
    fmt.space_before, fmt.space_after = Pt(0), Pt(0)
    fmt.line_spacing = Pt(24)  # exact: room to write by hand
    ppr = notes.element.get_or_add_pPr()
    ppr.append(_borders("w:pBdr", {"bottom": ("4", RULE, "1"), "between": ("4", RULE, "1")}))
    _sequence(ppr, PPR_ORDER)

    footer_style = styles.add_style("Footer", WD_STYLE_TYPE.PARAGRAPH, builtin=True)
    footer_style.style_id = "Footer"  # Word's own id and name ("footer") for the built-in style
    footer_style.base_style = styles["Normal"]
    footer_style.font.size = Pt(8.5)
    footer_style.font.color.rgb = grey
    footer_style.paragraph_format.space_after = Pt(0)

    table_style(styles)
    card_styles(styles)


def card_styles(styles) -> None:  # type: ignore[no-untyped-def]
    """The handout's role cards as real paragraphs and lists (issue #20): "Role Card" for the
    card's paragraphs, "Role Card List" for its list items (render/docx.py assigns it), each
    kept with the next and never split, so a card stays on one page; the notes' ruled lines
    keep together with their heading."""
    card = styles[STYLE_NAMES["card"]]
    ppr = card.element.get_or_add_pPr()
    for old in ppr.findall(qn("w:pBdr")):  # a bar per paragraph would break at every list item
        ppr.remove(old)
    fmt = card.paragraph_format
    fmt.left_indent = Mm(0)
    fmt.space_before, fmt.space_after = Pt(0), Pt(2.5)
    fmt.keep_together = True
    fmt.keep_with_next = True  # the last paragraph of each card is released in render/docx.py

    item = styles.add_style(STYLE_NAMES["card_list"], WD_STYLE_TYPE.PARAGRAPH)
    item.base_style = styles["Compact"]
    item.quick_style = True
    fmt = item.paragraph_format
    fmt.space_before, fmt.space_after = Pt(0), Pt(1)
    fmt.keep_together = True
    fmt.keep_with_next = True

    notes = styles[STYLE_NAMES["notes_line"]]
    notes.paragraph_format.keep_with_next = True
    notes.paragraph_format.keep_together = True


def table_style(styles) -> None:  # type: ignore[no-untyped-def]
    """pandoc's "Table": small text, accent rules, a shaded header row (repeated by `w:tblHeader`)."""
    style = styles["Table"].element
    tblpr = style.find(qn("w:tblPr"))
    _replace(tblpr, "w:tblBorders", _borders("w:tblBorders", {
        "top": ("8", ACCENT, "0"), "bottom": ("8", ACCENT, "0"), "insideH": ("4", RULE, "0")}))
    mar = tblpr.find(qn("w:tblCellMar"))
    for side, width in (("top", "40"), ("left", "80"), ("bottom", "40"), ("right", "80")):
        mar.find(qn(f"w:{side}")).set(qn("w:w"), width)
    _sequence(tblpr, ("w:tblStyleRowBandSize", "w:tblStyleColBandSize", "w:tblInd", "w:tblBorders",
                      "w:tblCellMar"))
    # Table text: 9 pt, tight lines (the paragraph style "Compact" sets no size, so this applies).
    rpr = style.find(qn("w:rPr"))
    if rpr is None:
        rpr = _el("w:rPr")
        style.insert(list(style).index(tblpr), rpr)
    rpr.append(_el("w:sz", val="18"))
    rpr.append(_el("w:szCs", val="18"))
    for old in style.findall(qn("w:tblStylePr")):
        style.remove(old)
    first = _el("w:tblStylePr", type="firstRow")
    first_rpr = _el("w:rPr")
    first_rpr.append(_el("w:b"))
    first_rpr.append(_el("w:bCs"))
    first_rpr.append(_el("w:color", val=ACCENT))
    first.append(first_rpr)
    first.append(_el("w:tblPr"))
    trpr = _el("w:trPr")
    trpr.append(_el("w:tblHeader"))
    first.append(trpr)
    tcpr = _el("w:tcPr")
    tcpr.append(_borders("w:tcBorders", {"bottom": ("8", ACCENT, "0")}))
    tcpr.append(_el("w:shd", val="clear", color="auto", fill=ACCENT_LIGHT))
    tcpr.append(_el("w:vAlign", val="bottom"))
    first.append(tcpr)
    style.append(first)


def page_setup(doc) -> None:  # type: ignore[no-untyped-def]
    """A4 with the PDF's margins (20 mm × 18 mm) and a footer "Page N of M"."""
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin = section.right_margin = Mm(18)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    footer = section.footer
    footer.is_linked_to_previous = False
    para = footer.paragraphs[0]
    para.style = doc.styles["Footer"]
    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    def field(code: str, shown: str) -> None:
        run = para.add_run()
        run._r.append(_el("w:fldChar", fldCharType="begin"))
        instr = para.add_run()._r
        text = OxmlElement("w:instrText")
        text.set(qn("xml:space"), "preserve")
        text.text = f" {code} \\* MERGEFORMAT "
        instr.append(text)
        para.add_run()._r.append(_el("w:fldChar", fldCharType="separate"))
        para.add_run(shown)
        para.add_run()._r.append(_el("w:fldChar", fldCharType="end"))

    para.add_run("Page ")
    field("PAGE", "1")
    para.add_run(" of ")
    field("NUMPAGES", "1")


def fix_parts(data: bytes) -> bytes:
    """Parts python-docx does not model: theme fonts and the font table's fallback hints."""
    out = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zin:
        names = zin.namelist()
        for name in names:
            out[name] = zin.read(name)
    theme = out["word/theme/theme1.xml"].decode("utf-8")
    theme = re.sub(r'<a:latin typeface="[^"]*" panose="[^"]*"\s*/>',
                   f'<a:latin typeface="{FONT}" panose="{FONT_PANOSE}"/>', theme)
    out["word/theme/theme1.xml"] = theme.encode("utf-8")
    fonts = out["word/fontTable.xml"].decode("utf-8")
    entry = (f'<w:font w:name="{FONT}"><w:altName w:val="Arial"/><w:panose1 w:val="{FONT_PANOSE}"/>'
             '<w:charset w:val="00"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>')
    fonts = re.sub(r"(<w:fonts\b[^>]*>)", lambda m: m.group(1) + entry, fonts, count=1)
    fonts = script_font_table(fonts)
    out["word/fontTable.xml"] = fonts.encode("utf-8")
    # Sample content is ignored by pandoc; keep only the section properties (page, footer).
    document = out["word/document.xml"].decode("utf-8")
    document = re.sub(r"(<w:body>).*?(<w:sectPr\b)", r"\1\2", document, count=1, flags=re.S)
    out["word/document.xml"] = document.encode("utf-8")
    return deterministic_zip([(n, out[n]) for n in names], ZIP_TIME)


def script_fonts(doc) -> None:  # type: ignore[no-untyped-def]
    """Every script gets a font with its glyphs: the defaults name the East Asian and the complex-
    script font beside the theme font, and the styles' theme-font references for those scripts
    (pandoc's headings carry some) give way to the same explicit fonts."""
    styles = doc.styles.element
    for fonts in styles.iter(qn("w:rFonts")):
        for attr in ("w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)
        if fonts.get(qn("w:ascii")) == "Consolas":  # code keeps its monospace font
            continue
        fonts.set(qn("w:eastAsia"), EAST_ASIA_FONT)
        fonts.set(qn("w:cs"), COMPLEX_FONT)


def script_font_table(fonts: str) -> str:
    """fontTable.xml entries for the script fonts: Word substitutes the Windows font named in
    w:altName (and one of the right character set) where the Noto font is not installed."""
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="{charset}"/>'
        '<w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'
        for name, alt, charset in ((EAST_ASIA_FONT, EAST_ASIA_ALT, EAST_ASIA_CHARSET),
                                   (COMPLEX_FONT, COMPLEX_ALT, COMPLEX_CHARSET)))
    return re.sub(r"(<w:fonts\b[^>]*>)", lambda m: m.group(1) + entries, fonts, count=1)


def build() -> bytes:
    doc = Document(io.BytesIO(pandoc_default_reference()))
    restyle(doc)
    script_fonts(doc)
    page_setup(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return only_used_styles(fix_parts(buf.getvalue()))


def only_used_styles(data: bytes) -> bytes:
    """The reference with only the styles the handout uses (tools/docx_styles.py)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("docx_styles", Path(__file__).with_name("docx_styles.py"))
    tool = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(tool)  # type: ignore[union-attr]
    keep = tool.used_styles(data)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        entries = [(n, z.read(n)) for n in z.namelist()]
    pruned = [(n, tool.prune(b.decode("utf-8"), keep).encode("utf-8") if n == "word/styles.xml" else b)
              for n, b in entries]
    return deterministic_zip(pruned, ZIP_TIME)


def main(argv: list[str]) -> int:
    import pypandoc

    if pypandoc.get_pandoc_version() != PANDOC_VERSION:
        print(f"note: pandoc {pypandoc.get_pandoc_version()} differs from {PANDOC_VERSION}; update "
              "PANDOC_VERSION if you commit the result", file=sys.stderr)
    target = Path(argv[0]) if argv else TARGET
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(build())
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
