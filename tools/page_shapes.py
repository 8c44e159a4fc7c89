"""The third round of shapes (issue 30), for the bundled page and the two hand-written pages
(pharmacist, head chef): Word's own HTML in both forms, RTF saved by LibreOffice, EPUB written by
pandoc, a PDF exported by LibreOffice from a word-processor document whose table cells wrap, and a
select-all copy from Chromium (its innerText, computed by Chromium itself).

    .venv/bin/python scripts/page_shapes.py     # only these shapes; make_page_fixtures.py runs it too
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from word_html import COLUMNS, word_html  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
OUT = FIXTURES / "pages" / "corpus"
Put = Callable[..., None]
# Word-processor PDFs read exactly today. Not yet: the bundled page's (a word too long for its cell
# is broken mid-word by LibreOffice and reads with a space: "Operationalizi ng") and the
# pharmacist's (its table's rows on the third page are split at each printed line).
PDF_READ = ("head-chef",)
LO = ["soffice", "-env:UserInstallation=file:///tmp/lo-page-fixtures", "--headless"]


def third_round_guides() -> dict[str, dict]:
    load = lambda p: json.loads(p.read_text(encoding="utf-8"))  # noqa: E731
    return {"ml-engineer": load(FIXTURES / "ml-engineer-alternatives.roles.json"),
            "pharmacist": load(FIXTURES / "pages" / "pharmacist.expected.json"),
            "head-chef": load(FIXTURES / "pages" / "head-chef.expected.json")}


def _rows(guide: dict) -> list[tuple[str, ...]]:
    return [(r["name"], r["primary_focus"], r["key_responsibility"], ", ".join(r["tools"]), r["deliverable"])
            for r in [guide["subject"], *guide["alternatives"]]]


def _picks(guide: dict) -> list[tuple[str, str]]:
    return list(dict.fromkeys((a["pick_if"], a["pick_advice"]) for a in guide["alternatives"] if a["pick_if"]))


def coach_docx(guide: dict, path: Path) -> None:
    """A coach's own Word document of the page (python-docx): entries typed as "N. Name — tagline"
    headings, Word's List Bullet style, the comparison as a plain 5-column table on a portrait page,
    so its headers and cells wrap."""
    from docx import Document

    doc = Document()
    doc.add_heading(guide["title"], level=1)
    for p in guide["intro"]:
        doc.add_paragraph(p)
    doc.add_heading("Top alternatives ranked", level=2)
    for a in guide["alternatives"]:
        doc.add_heading(f"{a['rank']}. {a['name']} — {a['tagline']}", level=3)
        for p in a["description"].split("\n\n"):
            doc.add_paragraph(p)
        if a["best_for"]:
            doc.add_paragraph().add_run("Best for:").bold = True
            for b in a["best_for"]:
                doc.add_paragraph(b, style="List Bullet")
    doc.add_heading("Side-by-side comparison", level=2)
    body = _rows(guide)
    table = doc.add_table(rows=1 + len(body), cols=len(COLUMNS))
    table.style = "Table Grid"
    for i, c in enumerate(COLUMNS):
        table.rows[0].cells[i].paragraphs[0].add_run(c).bold = True
    for r, values in enumerate(body, start=1):
        for i, v in enumerate(values):
            table.rows[r].cells[i].text = v
    doc.add_heading("How to pick", level=2)
    doc.add_paragraph(guide["how_to_pick"]["intro"])
    for c, a in _picks(guide):
        doc.add_paragraph(f"{c}: {a}", style="List Bullet")
    for p in guide["how_to_pick"]["closing"]:
        doc.add_paragraph(p)
    doc.save(str(path))


def libreoffice(document: Path, target: str, folder: Path) -> bytes:
    subprocess.run([*LO, "--convert-to", target, "--outdir", str(folder), str(document)],
                   check=True, capture_output=True, timeout=180)
    return (folder / f"{document.stem}.{target.split(':')[0]}").read_bytes()


def pandoc_epub(guide: dict, folder: Path) -> bytes:
    """pandoc -t epub from the page as a site serves it (its HTML)."""
    import pypandoc

    target = folder / "page.epub"
    pypandoc.convert_text(site_page(guide), "epub", format="html", outputfile=str(target),
                          extra_args=["--metadata", f"title={guide['title']}"])
    return target.read_bytes()


# A site whose ranked list is numbered by a CSS counter and whose comparison table stacks its cells
# on narrow screens (display:block), as responsive templates do: what a select-all copy takes.
_CSS = """body{font-family:sans-serif;max-width:48rem}ol.ranked{list-style:none;counter-reset:r}
ol.ranked>li{counter-increment:r}ol.ranked>li>h3::before{content:counter(r) ". "}
table.stack,table.stack tr,table.stack td,table.stack th{display:block}"""


def site_page(guide: dict, stacked_cells_in_p: bool = False) -> str:
    e = html.escape
    out = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{e(guide['title'])}</title>"
           f"<style>{_CSS}</style></head><body><main>", f"<h1>{e(guide['title'])}</h1>",
           *(f"<p>{e(p)}</p>" for p in guide["intro"]), "<h2>Top alternatives ranked</h2><ol class='ranked'>"]
    for a in guide["alternatives"]:
        out.append(f"<li><h3>{e(a['name'])} — {e(a['tagline'])}</h3>")
        out += [f"<p>{e(p)}</p>" for p in a["description"].split("\n\n")]
        if a["best_for"]:
            out.append("<p><strong>Best for:</strong></p><ul>" + "".join(f"<li>{e(b)}</li>" for b in a["best_for"])
                       + "</ul>")
        out.append(f"<p><a href='/toolkits/{a['rank']}'>Explore the full {e(a['name'])} toolkit profile →</a></p></li>")
    out.append("</ol><h2>Side-by-side comparison</h2><table class='stack'>")
    cell = (lambda t, tag: f"<{tag}><p>{e(t)}</p></{tag}>") if stacked_cells_in_p else (lambda t, tag: f"<{tag}>{e(t)}</{tag}>")
    out.append("<thead><tr>" + "".join(cell(c, "th") for c in COLUMNS) + "</tr></thead><tbody>")
    out += ["<tr>" + "".join(cell(c, "td") for c in r) + "</tr>" for r in _rows(guide)]
    out.append(f"</tbody></table><h2>How to pick</h2><p>{e(guide['how_to_pick']['intro'])}</p><ul>")
    out += [f"<li><strong>{e(c)}:</strong> {e(a)}</li>" for c, a in _picks(guide)]
    out.append("</ul>" + "".join(f"<p>{e(p)}</p>" for p in guide["how_to_pick"]["closing"]) + "</main></body></html>")
    return "\n".join(out)


_DUMP = """<script>addEventListener('load', () => { const text = document.body.innerText;
document.documentElement.innerHTML = '<body><pre id="copied"></pre></body>';
document.getElementById('copied').textContent = text; });</script>"""


def chromium_copy(page: str, folder: Path, width: int = 1200) -> str:
    """What a select-all and copy in Chromium puts on the clipboard as text: the body's innerText
    (the same serialisation), computed by headless Chromium itself at a desktop width."""
    source = folder / "copy.html"
    source.write_text(page.replace("</body>", _DUMP + "</body>"), encoding="utf-8")
    done = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", f"--window-size={width},900",
                           "--virtual-time-budget=3000", "--dump-dom", source.as_uri()],
                          check=True, capture_output=True, timeout=120, text=True)
    found = re.search(r"<pre id=\"copied\">(.*?)</pre>", done.stdout, re.DOTALL)
    assert found, done.stdout[:500]
    return html.unescape(found.group(1))


def write_shapes(put: Put, work: Path) -> None:
    rank_order = "ranked them in page order"
    for name, guide in third_round_guides().items():
        put(f"{name}--word-filtered.htm", word_html(guide, full=False), guide)
        put(f"{name}--word-web-page.htm", word_html(guide, full=True), guide)
        docx = work / f"{name}-coach.docx"
        coach_docx(guide, docx)
        put(f"{name}--libreoffice.rtf", libreoffice(docx, "rtf", work), guide)
        if name in PDF_READ:
            put(f"{name}--libreoffice-word-processor.pdf", libreoffice(docx, "pdf", work), guide,
                "read from the PDF's text layer")
        put(f"{name}--pandoc.epub", pandoc_epub(guide, work), guide)
        put(f"{name}--chromium-copy.txt", chromium_copy(site_page(guide), work), guide, rank_order)
        put(f"{name}--chromium-copy-blank-lines.txt", chromium_copy(site_page(guide, True), work), guide, rank_order)


def main() -> int:
    def put(name: str, data: bytes | str, guide: dict, *warnings: str) -> None:
        (OUT / name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        (OUT / f"{name}.expected.json").write_text(json.dumps(guide, indent=2, ensure_ascii=False) + "\n",
                                                   encoding="utf-8")
        marks = OUT / f"{name}.warnings"
        if warnings:
            marks.write_text("\n".join(warnings) + "\n", encoding="utf-8")
        elif marks.exists():
            marks.unlink()

    with tempfile.TemporaryDirectory(prefix="page-shapes-") as work:
        write_shapes(put, Path(work))
    return 0


if __name__ == "__main__":
    sys.exit(main())
