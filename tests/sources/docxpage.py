"""A DOCX copy of a page built the way Word or Google Docs would save it (python-docx)."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

COLUMNS = ("Role", "Primary Focus", "Key Responsibility", "Common Tools/Frameworks",
           "Typical Deliverable")


def _hyperlink(paragraph, text: str, url: str) -> None:
    r_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    props.append(style)
    run.append(props)
    t = OxmlElement("w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def _row(role: dict) -> list[str]:
    return [role["name"], role["primary_focus"], role["key_responsibility"],
            ", ".join(role["tools"]), role["deliverable"]]


def write_docx(guide: dict, path: Path, numbered_list: bool = True,
               title_style: str = "Title") -> Path:
    """numbered_list: items as Word "List Number" paragraphs (the number is list formatting);
    otherwise typed "N. Name — tagline" Heading 2 lines, as a pasted page would be."""
    doc = Document()
    doc.add_paragraph(guide["title"], style=title_style)
    for p in guide["intro"]:
        doc.add_paragraph(p)
    doc.add_heading("Top alternatives ranked", level=1)
    for alt in guide["alternatives"]:
        if numbered_list:
            head = doc.add_paragraph(style="List Number")
            head.add_run(alt["name"]).bold = True
            head.add_run(f" — {alt['tagline']}")
        else:
            doc.add_heading(f"{alt['rank']}. {alt['name']} — {alt['tagline']}", level=2)
        for para in alt["description"].split("\n\n"):
            doc.add_paragraph(para)
        if alt["best_for"]:
            doc.add_paragraph().add_run("Best for:").bold = True
            for b in alt["best_for"]:
                doc.add_paragraph(b, style="List Bullet")
        _hyperlink(doc.add_paragraph(), f"Explore the full {alt['name']} Toolkit profile.",
                   "https://example.org/toolkits/role")
    doc.add_heading("Side-by-side", level=1)
    rows = [_row(guide["subject"])] + [_row(a) for a in guide["alternatives"]]
    table = doc.add_table(rows=1 + len(rows), cols=len(COLUMNS))
    table.style = "Table Grid"
    for i, heading in enumerate(COLUMNS):
        table.rows[0].cells[i].paragraphs[0].add_run(heading).bold = True
    for r, values in enumerate(rows, start=1):
        for i, value in enumerate(values):
            table.rows[r].cells[i].text = value
    doc.add_heading("How to pick", level=1)
    doc.add_paragraph(guide["how_to_pick"]["intro"])
    seen = set()
    for alt in guide["alternatives"]:
        if alt["pick_if"] and (alt["pick_if"], alt["pick_advice"]) not in seen:
            seen.add((alt["pick_if"], alt["pick_advice"]))
            bullet = doc.add_paragraph(style="List Bullet")
            bullet.add_run(alt["pick_if"] + ":").bold = True
            bullet.add_run(" " + alt["pick_advice"])
    for p in guide["how_to_pick"]["closing"]:
        doc.add_paragraph(p)
    doc.core_properties.title = ""
    doc.save(str(path))
    return path
