"""The DOCX handout: the handout's Markdown through pandoc, styled by `docx/reference.docx`.

pandoc writes the document (this process's pandoc session, or the command into a private temporary
folder); the package is then finished deterministically: exact core properties, the
report's fixed date, fixed zip timestamps. The reference document is recoloured for the theme
once per process and kept in `ctx.cache`.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from rolereport.errors import Problem, TemplateError
from rolereport.inputs.theme import Theme
from rolereport.model import Fit, Report
from rolereport.render.content import document_epoch, handout_markdown, template_context
from rolereport.render.context import Context
from rolereport.render.markdown import parse_sections, write_ast
from rolereport.render.package import deterministic_zip
from rolereport.text.direction import direction, has_rtl, isolate
from rolereport.text.wording import fit_badge

REFERENCE = "docx/reference.docx"
# Word style names the handout templates use via `custom-style` (all exist in the reference doc).
STYLE_NAMES: dict[str, str] = {
    "prepared_for": "Prepared For",
    "card": "Role Card",
    "card_list": "Role Card List",  # the card's list items (set by `_card_lists`, not a template)
    "tagline": "Tagline",
    "fit_badge": "Fit Badge",
    "lead": "Lead",  # the fit summary's opening sentence (shared partial `_fit_summary.md.j2`)
    "match": "Match",  # the band line of each top match (same partial)
    "notes_line": "Notes Line",
}
# The values the committed reference document was built with (tools/make_reference_docx.py).
_BUILT = Theme()
_PAGE_SIZES = {"A4": (11906, 16838), "Letter": (12240, 15840)}  # twentieths of a point
_CACHE_KEY = "docx.reference"


def _read_zip(data: bytes, what: str) -> list[tuple[str, bytes]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zin:
            return [(name, zin.read(name)) for name in zin.namelist()]
    except zipfile.BadZipFile:
        raise TemplateError(Problem(what, "is not a DOCX file (not a zip package)")) from None


def themed_reference(data: bytes, theme: Theme) -> bytes:
    """The reference document with the theme's accent colours, font and page size.

    The committed file is built for the default theme; other themes get the same styles with
    their values substituted in styles.xml, the font table, the theme part and the page size.
    """
    changes = {
        _BUILT.accent.lstrip("#").upper(): theme.accent.lstrip("#").upper(),
        _BUILT.accent_light.lstrip("#").upper(): theme.accent_light.lstrip("#").upper(),
    }
    font_changed = theme.font_family != _BUILT.font_family
    if all(k == v for k, v in changes.items()) and not font_changed and theme.page_size == "A4":
        return data
    font = escape(theme.font_family, {'"': "&quot;"})
    out = []
    for name, part in _read_zip(data, REFERENCE):
        if name in ("word/styles.xml", "word/fontTable.xml", "word/theme/theme1.xml",
                    "word/document.xml", "word/footer1.xml"):
            text = part.decode("utf-8")
            for old, new in changes.items():
                text = re.sub(f'"{old}"', f'"{new}"', text, flags=re.I)
            if font_changed:
                text = text.replace(f'"{_BUILT.font_family}"', f'"{font}"')
                if name == "word/fontTable.xml":  # the fallback hints described the old font
                    text = re.sub(rf'<w:font w:name="{re.escape(font)}">.*?</w:font>',
                                  f'<w:font w:name="{font}"><w:charset w:val="00"/><w:family w:val="auto"/>'
                                  '<w:pitch w:val="variable"/></w:font>', text, count=1, flags=re.S)
                if name == "word/theme/theme1.xml":
                    text = re.sub(rf'(<a:latin typeface="{re.escape(font)}") panose="[^"]*"', r"\1", text)
            if name == "word/document.xml":
                width, height = _PAGE_SIZES[theme.page_size]
                text = re.sub(r'<w:pgSz w:w="\d+" w:h="\d+"', f'<w:pgSz w:w="{width}" w:h="{height}"', text)
            part = text.encode("utf-8")
        out.append((name, part))
    return deterministic_zip(out, (1980, 1, 1, 0, 0, 0))


def reference_bytes(ctx: Context) -> bytes:
    cached = ctx.cache.get(_CACHE_KEY)
    if cached is None:
        path = ctx.templates.find(REFERENCE)
        cached = themed_reference(path.read_bytes(), ctx.theme)
        ctx.cache[_CACHE_KEY] = cached
    return cached  # type: ignore[no-any-return]


def properties(report: Report, ctx: Context) -> dict[str, str]:
    context = template_context(report, ctx)
    return {
        "title": context["title"],
        "document_title": context["document_title"],  # the core property only; the page shows "title"
        "subtitle": context["subtitle"],
        "author": ctx.theme.organisation,
        "date": context["date"],
        "subject": context["subtitle"],
        "keywords": ", ".join(role.name for role in report.guide.alternatives),
        "lang": ctx.theme.language,
    }


def _meta_value(value: str) -> str:
    """A `-M` value that pandoc keeps as a literal string (it reads bare true/false as booleans)."""
    value = " ".join(value.split())
    return value + " " if value.lower() in ("true", "false") else value


def _metadata_args(props: dict[str, str]) -> list[str]:
    # pandoc stringifies a plain-string `keywords` to nothing, so keywords go into core.xml below.
    return [f"--metadata={key}:{_meta_value(value)}" for key, value in props.items()
            if key not in ("keywords", "document_title")]


def _core_xml(text: str, props: dict[str, str], stamp: str) -> str:
    """Set the core properties exactly as given (XML-escaped), dated with the report's date."""
    values = {
        "dc:title": props.get("document_title", props["title"]),
        "dc:creator": props["author"], "dc:subject": props["subject"],
        "cp:keywords": props["keywords"], "dc:language": props["lang"],
    }
    for tag, value in values.items():
        element = f"<{tag}>{escape(' '.join(value.split()))}</{tag}>"
        pattern = rf"<{tag}>.*?</{tag}>|<{tag}\s*/>"
        if re.search(pattern, text, flags=re.S):
            text = re.sub(pattern, lambda _m, e=element: e, text, count=1, flags=re.S)
        else:
            text = text.replace("</cp:coreProperties>", element + "</cp:coreProperties>")
    for tag in ("dcterms:created", "dcterms:modified"):
        text = re.sub(rf"(<{tag}\b[^>]*>)[^<]*(</{tag}>)", rf"\g<1>{stamp}\g<2>", text)
    return text


def _rows_do_not_split(text: str) -> str:
    """Every table row stays on one page (pandoc writes no row properties but the header flag)."""
    text = re.sub(r"<w:tr>(?!<w:trPr>)", "<w:tr><w:trPr><w:cantSplit /></w:trPr>", text)
    return re.sub(r"<w:tr><w:trPr>(?!<w:cantSplit)", "<w:tr><w:trPr><w:cantSplit />", text)


_PLAIN_PARAGRAPH = re.compile(r"<w:p>(?:(?!</w:p>).)*</w:p>", re.S)  # as pandoc writes them
_STYLE = re.compile(r'<w:pStyle w:val="([^"]*)" ?/>')


def _style_id(name: str) -> str:
    return name.replace(" ", "")


def _card_lists(text: str) -> str:
    """Each role card as Word should hold it: its list items ("Best for") in the style "Role
    Card List" instead of pandoc's plain "Compact", and every paragraph of the card kept with the
    next but the last, so a card never splits across pages. (pandoc gives list items no
    `custom-style`; the cards' paragraphs come from content/_role_card.md.j2.)"""
    card, item = _style_id(STYLE_NAMES["card"]), _style_id(STYLE_NAMES["card_list"])
    out: list[str] = []
    last = -1  # index in `out` of the current card's last paragraph
    pos = 0
    for m in _PLAIN_PARAGRAPH.finditer(text):
        out.append(text[pos:m.start()])
        para = m.group(0)
        style = _STYLE.search(para)
        name = style.group(1) if style else ""
        if name == card or (last >= 0 and name == "Compact" and "<w:numPr>" in para):
            if name == "Compact":
                para = para.replace('<w:pStyle w:val="Compact" />', f'<w:pStyle w:val="{item}" />', 1)
            last = len(out)
        elif last >= 0:
            out[last] = _STYLE.sub(lambda s: s.group(0) + '<w:keepNext w:val="0" />', out[last], count=1)
            last = -1
        out.append(para)
        pos = m.end()
    if last >= 0:
        out[last] = _STYLE.sub(lambda s: s.group(0) + '<w:keepNext w:val="0" />', out[last], count=1)
    out.append(text[pos:])
    return "".join(out)


_PARAGRAPH = re.compile(r"<w:p>.*?</w:p>|<w:p [^>]*?(?<!/)>.*?</w:p>", re.S)
_RUN_TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")
# pPr children that come after w:bidi in the schema's order
_AFTER_BIDI = re.compile(r"<w:(?:adjustRightInd|snapToGrid|spacing|ind|contextualSpacing|mirrorIndents|"
                         r"suppressOverlap|jc|textDirection|textAlignment|textboxTightWrap|outlineLvl|divId|"
                         r"cnfStyle|rPr|sectPr|pPrChange)\b")


def right_to_left_paragraphs(text: str) -> str:
    """Paragraphs whose text starts right-to-left (an Arabic or Hebrew value standing alone) become
    right-to-left paragraphs (`w:bidi`): aligned right, their punctuation at the logical end.
    (Their runs are `w:rtl` already: the Markdown marks such values with `dir`.)"""
    if not has_rtl(text):
        return text

    def paragraph(m: re.Match[str]) -> str:
        para = m.group(0)
        words = "".join(_RUN_TEXT.findall(para))
        if direction(words) != "rtl" or "<w:bidi" in para:
            return para
        start = para.find("<w:pPr>")
        if start < 0:
            head = para.index(">") + 1
            return para[:head] + "<w:pPr><w:bidi /></w:pPr>" + para[head:]
        end = para.index("</w:pPr>", start)
        later = _AFTER_BIDI.search(para, start, end)
        at = later.start() if later else end
        return para[:at] + "<w:bidi />" + para[at:]

    return _PARAGRAPH.sub(paragraph, text)


def finish(data: bytes, props: dict[str, str], epoch: int) -> bytes:
    """pandoc's DOCX with exact properties and unsplittable table rows, repacked so that its
    bytes depend only on the inputs."""
    when = dt.datetime.fromtimestamp(epoch, dt.UTC)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    date_time = (max(1980, min(when.year, 2107)), when.month, when.day, 0, 0, 0)
    out = []
    for name, part in _read_zip(data, "pandoc output"):
        if name == "docProps/core.xml":
            part = _core_xml(part.decode("utf-8"), props, stamp).encode("utf-8")
        elif name == "word/document.xml":
            part = _rows_do_not_split(part.decode("utf-8"))
            part = right_to_left_paragraphs(_card_lists(part)).encode("utf-8")
        out.append((name, part))
    return deterministic_zip(out, date_time)


def _inlines(text: str) -> list[dict[str, Any]]:
    words = text.split()
    out: list[dict[str, Any]] = []
    for n, word in enumerate(words):
        out += [{"t": "Space"}] if n else []
        out.append({"t": "Str", "c": word})
    return out


def fill_slots(node: Any, report: Report) -> None:
    """Fill the handout's per-person slots in pandoc's AST: each role card's `fit-slot` span
    (content/_role_card.md.j2) and the `name-slot` after "Prepared for" (content/handout.md.j2).
    Filled after pandoc, the sections around them parse the same for everyone and are reused."""
    by_name = {fit.role: fit for fit in report.fits}
    fits = {role.rank: by_name.get(role.name) for role in report.guide.alternatives}
    _fill(node, fits, report.profile.name if report.profile else "")


def _fill(node: Any, fits: dict[int, Fit | None], name: str) -> None:
    if isinstance(node, list):
        for item in node:
            _fill(item, fits, name)
    elif isinstance(node, dict):
        if node.get("t") == "Span" and "name-slot" in node["c"][0][1]:
            way = direction(name)  # a right-to-left name is isolated, its runs w:rtl
            inlines = _inlines(isolate(name))
            if way:
                inlines = [{"t": "Span", "c": [["", [], [["dir", way]]], inlines]}]
            node["c"] = [node["c"][0], inlines]
            return
        if node.get("t") == "Span" and "fit-slot" in node["c"][0][1]:
            attrs = dict(node["c"][0][2])
            rank = attrs.get("data-rank") or attrs.get("rank") or ""
            fit = fits.get(int(rank)) if rank.isdigit() else None
            text = fit_badge(fit.band, fit.score) if fit else ""
            node["c"] = [["", [], [["custom-style", STYLE_NAMES["fit_badge"]]]], _inlines(text)]
            return
        for value in node.values():
            _fill(value, fits, name)


def reference_file(ctx: Context) -> Path:
    """The themed reference document as a file pandoc reads: written once per process, in a
    private temporary folder removed when the process ends."""
    kept = ctx.cache.get(_CACHE_KEY + ".file")
    if kept is None or kept[0] != os.getpid():  # a forked worker writes its own
        folder = tempfile.TemporaryDirectory(prefix="rolereport-docx-")
        path = Path(folder.name) / "reference.docx"
        path.write_bytes(reference_bytes(ctx))
        kept = ctx.cache[_CACHE_KEY + ".file"] = (os.getpid(), folder, path)
    return kept[2]  # type: ignore[no-any-return]


def render(report: Report, ctx: Context) -> bytes:
    document = parse_sections(handout_markdown(report, ctx), ctx.cache, label="docx")
    fill_slots(document, report)
    props = properties(report, ctx)
    epoch = document_epoch(report)
    data = write_ast(document, "docx", [f"--reference-doc={reference_file(ctx)}", *_metadata_args(props)],
                     epoch=epoch)
    return finish(data, props, epoch)
