"""The numbers Word's list formatting gives headings in a DOCX, which pandoc's reader drops.

LibreOffice saves a page's `<ol><li><h3>Name — tagline</h3>…` as numbered Heading 3 paragraphs:
the "1." is list formatting (`w:numPr`), not text. This reads `word/document.xml` and
`word/numbering.xml` (with defusedxml: the file is untrusted) and counts as Word does: each
numbered paragraph advances its list's counter at its level and restarts the deeper levels.
Only headings are returned; numbered ordinary paragraphs come through pandoc as ordered lists.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from rolereport.system.files import Refused

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _xml(package: zipfile.ZipFile, name: str) -> Any | None:
    from defusedxml import DefusedXmlException, ElementTree

    try:
        return ElementTree.fromstring(package.read(name))
    except (KeyError, ElementTree.ParseError):
        return None
    except DefusedXmlException:  # entities or a DTD: what no word processor writes, and XML bombs use
        raise Refused(f"its part '{name}' declares XML entities (a DTD), which word processors never "
                      "write; it is not a page this tool reads") from None


def _digits(text: str) -> bool:
    """A plain number (ASCII digits: "²" and "٣" are digits to Python, not to int() or Word)."""
    return text.isascii() and text.isdigit()


def _val(node: Any | None, tag: str) -> str | None:
    found = node.find(tag) if node is not None else None
    return found.get(f"{W}val") if found is not None else None


def _levels(numbering: Any | None) -> dict[str, dict[int, tuple[int, str]]]:
    """numId → level → (start, numFmt)."""
    if numbering is None:
        return {}
    abstract: dict[str, dict[int, tuple[int, str]]] = {}
    for a in numbering.iter(f"{W}abstractNum"):
        levels = {}
        for lvl in a.iter(f"{W}lvl"):
            start = _val(lvl, f"{W}start")
            level = lvl.get(f"{W}ilvl", "0")
            if not _digits(level):
                continue  # a level that is not a number numbers nothing
            levels[int(level)] = (
                int(start) if start and _digits(start) else 1, _val(lvl, f"{W}numFmt") or "decimal")
        abstract[a.get(f"{W}abstractNumId", "")] = levels
    out = {}
    for num in numbering.iter(f"{W}num"):
        levels = dict(abstract.get(_val(num, f"{W}abstractNumId") or "", {}))
        for override in num.iter(f"{W}lvlOverride"):
            start = _val(override, f"{W}startOverride")
            raw = override.get(f"{W}ilvl", "0")
            ilvl = int(raw) if _digits(raw) else -1
            if start and _digits(start) and ilvl in levels:
                levels[ilvl] = (int(start), levels[ilvl][1])
        out[num.get(f"{W}numId", "")] = levels
    return out


def _heading_styles(styles: Any | None) -> tuple[set[str], dict[str, tuple[str, str]]]:
    """Style ids that are headings, and the numbering (numId, ilvl) a style carries."""
    headings, numbered = set(), {}
    if styles is None:
        return headings, numbered
    for style in styles.iter(f"{W}style"):
        sid = style.get(f"{W}styleId", "")
        name = (_val(style, f"{W}name") or "").lower()
        if name.startswith("heading") or name == "title" or _val(style.find(f"{W}pPr"), f"{W}outlineLvl"):
            headings.add(sid)
        num = style.find(f"{W}pPr/{W}numPr")
        if num is not None and _val(num, f"{W}numId"):
            numbered[sid] = (_val(num, f"{W}numId") or "", _val(num, f"{W}ilvl") or "0")
    return headings, numbered


def numbered_headings(data: bytes) -> list[tuple[str, int]]:
    """(text, number) of each heading paragraph that Word numbers, in document order."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return []
    with package:
        document = _xml(package, "word/document.xml")
        if document is None:
            return []
        levels = _levels(_xml(package, "word/numbering.xml"))
        headings, style_numbers = _heading_styles(_xml(package, "word/styles.xml"))
    from rolereport.sources.blocks import clean

    counters: dict[str, dict[int, int]] = {}
    found = []
    for p in document.iter(f"{W}p"):
        ppr = p.find(f"{W}pPr")
        style = _val(ppr, f"{W}pStyle") or ""
        num = ppr.find(f"{W}numPr") if ppr is not None else None
        num_id, ilvl = (_val(num, f"{W}numId"), _val(num, f"{W}ilvl")) if num is not None else (None, None)
        if num_id is None and style in style_numbers:
            num_id, ilvl = style_numbers[style]
        if not num_id or num_id == "0" or num_id not in levels:
            continue
        level = int(ilvl) if ilvl and _digits(ilvl) else 0
        start, fmt = levels[num_id].get(level, (1, "decimal"))
        counts = counters.setdefault(num_id, {})
        counts[level] = counts.get(level, start - 1) + 1
        for deeper in [k for k in counts if k > level]:
            del counts[deeper]
        if fmt != "decimal" or style not in headings:
            continue
        text = clean("".join(t.text or "" for t in p.iter(f"{W}t")))
        if text:
            found.append((text, counts[level]))
    return found
