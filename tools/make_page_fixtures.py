"""Regenerate tests/fixtures/pages/corpus/: pages of the family saved the way real tools save them.

Each page starts from a guide (`tests/fixtures/pages/specs/*.json` and the hand-written pages'
expected JSON). A site template writes it as HTML; then LibreOffice (HTML → DOCX, ODT, PDF),
Chromium (print to PDF), pandoc (HTML → Markdown, GFM), python-docx (a Word document with
numbered headings), an MHTML writer in Chrome's layout, a browser-like text copy (a table copied
with tabs) and legacy encodings (windows-1252) make the other shapes.

For every page `<name>.<ext>` the script writes `<name>.<ext>.expected.json` (the guide it came
from: what the reader must extract) and, where the shape leaves the reader a choice,
`<name>.<ext>.warnings`: one expected warning per line (a piece of its text). `bad/` holds pages
that are not of the family, each with `<name>.<ext>.error`: the one line the reader answers with.

    .venv/bin/python tools/make_page_fixtures.py        # needs soffice, chromium and pandoc

The outputs are committed; run this only to change the corpus. LibreOffice and Chromium stamp
dates into their files, so regenerated binaries differ byte-wise but not in content.
"""

from __future__ import annotations

import html
import json
import quopri
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pypandoc

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "tests" / "fixtures" / "pages"
OUT = PAGES / "corpus"
COLUMNS = ("Role", "Primary Focus", "Key Responsibility", "Common Tools/Frameworks", "Typical Deliverable")
e = html.escape


def guides() -> dict[str, dict]:
    found = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((PAGES / "specs").glob("*.json"))}
    for name in ("registered-nurse", "teacher-no-best-for", "one-alternative"):
        found[name] = json.loads((PAGES / f"{name}.expected.json").read_text(encoding="utf-8"))
    found["product-manager"] = json.loads((PAGES.parent / "product-manager.expected.json").read_text(encoding="utf-8"))
    return found


def picks(guide: dict) -> list[tuple[str, str]]:
    return list(dict.fromkeys((a["pick_if"], a["pick_advice"]) for a in guide["alternatives"] if a["pick_if"]))


def rows(guide: dict) -> list[tuple[str, ...]]:
    return [(r["name"], r["primary_focus"], r["key_responsibility"], ", ".join(r["tools"]), r["deliverable"])
            for r in [guide["subject"], *guide["alternatives"]]]


# ---- a site's templates -------------------------------------------------------------------------

def _rest(a: dict, nested_list: bool = True) -> str:
    out = "".join(f"<p>{e(p)}</p>" for p in a["description"].split("\n\n"))
    if a["best_for"] and nested_list:
        out += "<p><strong>Best for:</strong></p><ul>" + "".join(f"<li>{e(b)}</li>" for b in a["best_for"]) + "</ul>"
    elif a["best_for"]:  # a theme that sets the list as lines: "• " and <br>
        out += "<p><strong>Best for:</strong><br>" + "<br>".join(f"• {e(b)}" for b in a["best_for"]) + "</p>"
    return out + f'<p><a href="/toolkits/x">Explore the full {e(a["name"])} Toolkit profile →</a></p>'


ENTRY = {
    # class 1: ranked entries inside an unordered list
    "ul-numbered": ("<ul class='alternatives'>", "</ul>", lambda a: (
        f"<li><h3>{a['rank']}. {e(a['name'])} — {e(a['tagline'])}</h3>{_rest(a)}</li>")),
    # class 2: the rank only as a CSS counter
    "css-counter": ("<ul class='ranked'>", "</ul>", lambda a: (
        f"<li><h3>{e(a['name'])} — {e(a['tagline'])}</h3>{_rest(a)}</li>")),
    # class 2 and 3: unnumbered cards, the tagline on its own line
    "cards": ("<section class='cards'>", "</section>", lambda a: (
        f"<div class='card'><h3>{e(a['name'])}</h3><p class='tagline'>{e(a['tagline'])}</p>{_rest(a)}</div>")),
    # class 3: the heading split across blocks
    "split-heading": ("<div class='list'>", "</div>", lambda a: (
        f"<article class='entry'><h3><span class='rank'>{a['rank']}.</span> {e(a['name'])}</h3>"
        f"<p class='tagline'>{e(a['tagline'])}</p>{_rest(a)}</article>")),
    # class 3: "N. Name: tagline"
    "colon": ("<div>", "</div>", lambda a: (
        f"<h3>{a['rank']}. {e(a['name'])}: {e(a['tagline'])}</h3>{_rest(a)}")),
    # an ordered list of headings (LibreOffice saves these as Word-numbered headings)
    "ol-h3": ("<ol class='ranked'>", "</ol>", lambda a: (
        f"<li><h3>{e(a['name'])} — {e(a['tagline'])}</h3>{_rest(a, nested_list=False)}</li>")),
    # the same with a nested list in each entry (LibreOffice then numbers the headings with an
    # invisible bullet: the saved document shows no ranks)
    "ol-h3-nested": ("<ol class='ranked'>", "</ol>", lambda a: (
        f"<li><h3>{e(a['name'])} — {e(a['tagline'])}</h3>{_rest(a)}</li>")),
    # the common shape: an ordered list of bold names
    "ol-strong": ("<ol>", "</ol>", lambda a: (
        f"<li><p><strong>{e(a['name'])}</strong> — {e(a['tagline'])}</p>{_rest(a)}</li>")),
}

COUNTER_CSS = (".ranked{counter-reset:rank;list-style:none}"
               ".ranked>li::before{counter-increment:rank;content:counter(rank) '. '}")


def site_html(guide: dict, entries: str, hero: bool = False, footer: str = "element",
              charset: str = "utf-8") -> str:
    """A page as a CMS renders it: site header, navigation, breadcrumb, the article, a footer."""
    start, end, entry = ENTRY[entries]
    title = f"<h1>{e(guide['title'])}</h1>"
    article = [] if hero else [title]
    article += [f"<p>{e(p)}</p>" for p in guide["intro"]]
    article += ["<h2>Top alternatives ranked</h2>", start, *(entry(a) for a in guide["alternatives"]), end]
    body_rows = rows(guide)
    article.append("<h2>Side-by-side</h2><table class='compare'><thead><tr>"
                   + "".join(f"<th>{c}</th>" for c in COLUMNS) + "</tr></thead><tbody>"
                   + "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in body_rows)
                   + "</tbody></table>")
    article.append(f"<h2>How to pick</h2><p>{e(guide['how_to_pick']['intro'])}</p><ul>")
    article += [f"<li><strong>{e(c)}:</strong> {e(a)}</li>" for c, a in picks(guide)]
    article.append("</ul>" + "".join(f"<p>{e(p)}</p>" for p in guide["how_to_pick"]["closing"]))
    legal = "© 2025 CareerToolkits Ltd. All rights reserved."
    hero_html = f"<header class='hero'>{title}</header>\n" if hero else ""
    css = COUNTER_CSS if entries == "css-counter" else "body{font-family:sans-serif}"
    head = (f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='{charset}'>"
            f"<title>{e(guide['title'])} | CareerToolkits</title><style>{css}</style></head><body>\n")
    content = "\n".join(article)
    if footer == "element":  # a site: header and navigation, <main>, a <footer>
        return (head + "<header class='site-header'><a href='/'>CareerToolkits</a><nav><ul><li>"
                "<a href='/t'>All toolkits</a></li><li><a href='/login'>Sign in</a></li></ul></nav></header>\n"
                f"{hero_html}<main><article>\n{content}\n</article></main>\n"
                f"<footer class='site-footer'><p>{legal}</p><p><a href='/privacy'>Privacy</a></p></footer>\n"
                "</body></html>\n")
    # a simpler theme: no <main>, the legal line in a plain <div> at the end
    return head + f"{hero_html}<div class='content'>\n{content}\n</div>\n<div class='legal'><p>{legal}</p></div>\n</body></html>\n"


# ---- the text a browser copies ------------------------------------------------------------------

def copied_text(guide: dict, nav: bool = False) -> str:
    """What "select all, copy, paste into Notepad" gives: one line per block, the table's cells
    separated by tabs, list bullets gone (as Chrome copies them)."""
    out = ["CareerToolkits", "All toolkits", "Sign in", ""] if nav else []
    out += [guide["title"], "", *guide["intro"], "", "Top alternatives ranked", ""]
    for a in guide["alternatives"]:
        out += [f"{a['rank']}. {a['name']} — {a['tagline']}", *a["description"].split("\n\n")]
        if a["best_for"]:
            out += ["Best for:", *(f"- {b}" for b in a["best_for"])]
        out += [f"Explore the full {a['name']} Toolkit profile →", ""]
    out += ["Side-by-side", "\t".join(COLUMNS), *("\t".join(r) for r in rows(guide)), ""]
    out += ["How to pick", guide["how_to_pick"]["intro"], *(f"- {c}: {a}" for c, a in picks(guide))]
    out += guide["how_to_pick"]["closing"]
    return "\r\n".join(out) + "\r\n"


def markdown_note(copied: str) -> str:
    """A copy pasted into a Markdown note app: a blank line after each paragraph, the table's
    tab-separated rows kept together."""
    lines = [line for line in copied.split("\r\n") if line]
    out = []
    for k, line in enumerate(lines):
        out.append(line)
        if not ("\t" in line and k + 1 < len(lines) and "\t" in lines[k + 1]):
            out.append("")
    return "\n".join(out)


def family_text(guide: dict) -> str:
    """The family's own text format (one line per paragraph, pipe table)."""
    out = [guide["title"], *guide["intro"], "Top alternatives ranked"]
    for a in guide["alternatives"]:
        out += ["-", f"{a['rank']}. {a['name']} — {a['tagline']}", *a["description"].split("\n\n")]
        if a["best_for"]:
            out += ["Best for:", *(f"- {b}" for b in a["best_for"])]
    out += ["Side-by-side", "| " + " | ".join(COLUMNS) + " |", "|---|---|---|---|---|"]
    out += ["| " + " | ".join(r) + " |" for r in rows(guide)]
    out += ["How to pick", guide["how_to_pick"]["intro"], *(f"- {c}: {a}" for c, a in picks(guide))]
    return "\n".join(out + guide["how_to_pick"]["closing"]) + "\n"


def clipper_markdown(guide: dict) -> str:
    """A web clipper's Markdown: headings and lists as Markdown, the table kept as raw HTML."""
    out = [f"# {guide['title']}", "", *(p + "\n" for p in guide["intro"]), "## Top alternatives ranked", ""]
    for a in guide["alternatives"]:
        out += [f"### {a['rank']}. {a['name']} — {a['tagline']}", "", *(p + "\n" for p in a["description"].split("\n\n"))]
        if a["best_for"]:
            out += ["**Best for:**", "", *(f"- {b}" for b in a["best_for"]), ""]
    out += ["## Side-by-side", "", "<table>", "<thead><tr>" + "".join(f"<th>{c}</th>" for c in COLUMNS) + "</tr></thead>",
            "<tbody>", *("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in rows(guide)),
            "</tbody>", "</table>", "", "## How to pick", "", guide["how_to_pick"]["intro"], ""]
    out += [f"- **{c}:** {a}" for c, a in picks(guide)] + [""]
    return "\n".join(out + [p + "\n" for p in guide["how_to_pick"]["closing"]])


def mhtml(page: str, url: str, title: str) -> bytes:
    """The page as Chrome's "Webpage, single file" writes it (Blink's MHTML layout)."""
    boundary = "----MultipartBoundary--Qx7bK2mVf0aYc3TnLw8RzJpHd5EuSgXo1iNkB9----"
    body = quopri.encodestring(page.replace("<meta charset='utf-8'>", '<meta http-equiv="Content-Type" '
                                            'content="text/html; charset=UTF-8">').encode("utf-8"))
    css = quopri.encodestring(b"body { font-family: sans-serif; }\n")
    head = ("From: <Saved by Blink>\r\n"
            f"Snapshot-Content-Location: {url}\r\n"
            f"Subject: {title}\r\n"
            "Date: Mon, 3 Nov 2025 09:12:44 -0000\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: multipart/related;\r\n"
            '\ttype="text/html";\r\n'
            f'\tboundary="{boundary}"\r\n\r\n\r\n')
    parts = [
        f"--{boundary}\r\nContent-Type: text/html\r\nContent-ID: <frame-5C1E9A4B@mhtml.blink>\r\n"
        f"Content-Transfer-Encoding: quoted-printable\r\nContent-Location: {url}\r\n\r\n".encode()
        + body.replace(b"\n", b"\r\n") + b"\r\n",
        f"--{boundary}\r\nContent-Type: text/css\r\nContent-Transfer-Encoding: quoted-printable\r\n"
        "Content-Location: https://example.org/static/site.css\r\n\r\n".encode() + css.replace(b"\n", b"\r\n") + b"\r\n",
    ]
    return head.encode() + b"".join(parts) + f"--{boundary}--\r\n".encode()


# ---- Word documents written with python-docx ------------------------------------------------------

def word_numbered_headings(guide: dict, path: Path, legal: str | None = None) -> None:
    """Entries as Heading 2 paragraphs numbered by a Word numbering definition (as Word's
    "numbered heading" list style does), the tagline in the next paragraph."""
    from docx import Document
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    doc = Document()
    doc.add_heading(guide["title"], level=1)
    for p in guide["intro"]:
        doc.add_paragraph(p)
    doc.add_heading("Top alternatives ranked", level=1)
    numbering = doc.part.numbering_part.element
    numbering.append(parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90"><w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/>'
        '<w:lvlJc w:val="left"/></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    # a Word document keeps every abstractNum before the first num
    for num in numbering.findall(qn("w:num")):
        numbering.remove(num)
        numbering.append(num)
    for a in guide["alternatives"]:
        head = doc.add_heading(a["name"], level=2)
        head._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr>'))
        doc.add_paragraph(a["tagline"])
        for p in a["description"].split("\n\n"):
            doc.add_paragraph(p)
        if a["best_for"]:
            doc.add_paragraph().add_run("Best for:").bold = True
            for b in a["best_for"]:
                doc.add_paragraph(b, style="List Bullet")
    doc.add_heading("Side-by-side", level=1)
    body = rows(guide)
    table = doc.add_table(rows=1 + len(body), cols=len(COLUMNS))
    for i, c in enumerate(COLUMNS):
        table.rows[0].cells[i].text = c
    for r, values in enumerate(body, start=1):
        for i, v in enumerate(values):
            table.rows[r].cells[i].text = v
    doc.add_heading("How to pick", level=1)
    doc.add_paragraph(guide["how_to_pick"]["intro"])
    for c, a in picks(guide):
        doc.add_paragraph(f"{c}: {a}", style="List Bullet")
    for p in guide["how_to_pick"]["closing"]:
        doc.add_paragraph(p)
    if legal:
        doc.add_paragraph(legal)
    doc.core_properties.title = ""
    doc.save(str(path))


def word_cv(path: Path) -> None:
    from docx import Document

    doc = Document()
    doc.add_heading("Jordan Example — Curriculum Vitae", level=1)
    doc.add_paragraph("Experienced warehouse supervisor with ten years in logistics.")
    doc.add_heading("Experience", level=2)
    for line in ("2019–2025: Shift supervisor, a distribution centre", "2015–2019: Forklift driver"):
        doc.add_paragraph(line, style="List Bullet")
    doc.save(str(path))


# ---- LibreOffice and Chromium --------------------------------------------------------------------

def soffice(source: Path, target: str, folder: Path) -> Path:
    filters = {"docx": "docx:MS Word 2007 XML", "odt": "odt", "pdf": "pdf"}
    subprocess.run(["soffice", "-env:UserInstallation=file:///tmp/lo-page-fixtures", "--headless",
                    "--infilter=HTML (StarWriter)", "--convert-to", filters[target], "--outdir", str(folder),
                    str(source)], check=True, capture_output=True, timeout=180)
    return folder / f"{source.stem}.{target}"


def soffice_export(document: Path, target: str, folder: Path) -> Path:
    """LibreOffice saving a document as text ("txt:Text", one cell per line) or as HTML."""
    subprocess.run(["soffice", "-env:UserInstallation=file:///tmp/lo-page-fixtures", "--headless",
                    "--convert-to", target, "--outdir", str(folder), str(document)],
                   check=True, capture_output=True, timeout=180)
    return folder / f"{document.stem}.{target.split(':')[0]}"


def chromium_pdf(source: Path, folder: Path, headers: bool = False) -> Path:
    """Chromium's print to PDF; `headers`: with the date, title, address and page numbers it
    prints in the margins by default."""
    out = folder / f"{source.stem}.chromium.pdf"
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                    *([] if headers else ["--no-pdf-header-footer"]),
                    f"--print-to-pdf={out}", source.as_uri()], check=True, capture_output=True, timeout=180)
    return out


def pandoc_markdown(page: str, to: str = "markdown") -> str:
    return pypandoc.convert_text(page, to, format="html")


# ---- the corpus ----------------------------------------------------------------------------------

def main() -> int:
    g = guides()
    if OUT.exists():
        shutil.rmtree(OUT)
    (OUT / "bad").mkdir(parents=True)
    work = Path(tempfile.mkdtemp(prefix="page-fixtures-"))

    def put(name: str, data: bytes | str, guide: dict, *warnings: str) -> None:
        (OUT / name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        (OUT / f"{name}.expected.json").write_text(json.dumps(guide, indent=2, ensure_ascii=False) + "\n",
                                                   encoding="utf-8")
        if warnings:
            (OUT / f"{name}.warnings").write_text("\n".join(warnings) + "\n", encoding="utf-8")

    def staged(name: str, page: str) -> Path:
        path = work / f"{name}.html"
        path.write_text(page, encoding="utf-8")
        return path

    rank_order = "ranked them in page order"
    tagline_next = "took the paragraph after each heading as its tagline"
    footer = "look like the site's footer"
    # the nurse page's salary column and its "Related toolkits" links are in no field: said, not lost
    nurse_unused = ("table column 'Salary range' was not used", "“Midwife Toolkit”, “Paramedic Toolkit” were not used")
    share = "“Share this page” was not used"  # pandoc's Markdown keeps the share box's label

    # HTML as sites serve it
    put("paralegal--ul-numbered.html", site_html(g["paralegal"], "ul-numbered"), g["paralegal"])
    put("store-manager--css-counter.html", site_html(g["store-manager"], "css-counter"), g["store-manager"], rank_order)
    put("social-worker--cards.html", site_html(g["social-worker"], "cards"), g["social-worker"], rank_order, tagline_next)
    put("paralegal--split-heading.html", site_html(g["paralegal"], "split-heading"), g["paralegal"], tagline_next)
    put("store-manager--colon.html", site_html(g["store-manager"], "colon"), g["store-manager"])
    put("teacher-no-best-for--hero.html", site_html(g["teacher-no-best-for"], "ol-strong", hero=True),
        g["teacher-no-best-for"], "stands in a header above the page's main content")
    put("product-manager--colon-hero.html", site_html(g["product-manager"], "colon", hero=True),
        g["product-manager"], "stands in a header above the page's main content")
    put("social-worker--windows-1252.html",
        site_html(g["social-worker"], "ol-strong", charset="windows-1252").encode("cp1252", "xmlcharrefreplace"), g["social-worker"])
    put("registered-nurse--iso-8859-1.html",
        (PAGES / "registered-nurse.html").read_text(encoding="utf-8").replace('charset="utf-8"', 'charset="iso-8859-1"')
        .encode("cp1252", errors="xmlcharrefreplace"), g["registered-nurse"], *nurse_unused)

    # LibreOffice: HTML → DOCX / ODT / PDF, as "Save as" or a conversion would
    src = staged("paralegal-olh3", site_html(g["paralegal"], "ol-h3", footer="div"))
    put("paralegal--libreoffice-numbered-headings.docx", soffice(src, "docx", work).read_bytes(), g["paralegal"], footer)
    src = staged("store-manager-olh3", site_html(g["store-manager"], "ol-h3"))
    put("store-manager--libreoffice-numbered-headings.docx", soffice(src, "docx", work).read_bytes(),
        g["store-manager"], footer)
    put("store-manager--libreoffice-numbered-headings.odt", soffice(src, "odt", work).read_bytes(),
        g["store-manager"], rank_order, footer)
    src = staged("social-worker-olh3", site_html(g["social-worker"], "ol-h3-nested", footer="div"))
    put("social-worker--libreoffice-bullet-numbered-headings.docx", soffice(src, "docx", work).read_bytes(),
        g["social-worker"], rank_order, footer)
    src = staged("registered-nurse", (PAGES / "registered-nurse.html").read_text(encoding="utf-8"))
    put("registered-nurse--libreoffice.docx", soffice(src, "docx", work).read_bytes(), g["registered-nurse"], *nurse_unused)
    put("registered-nurse--libreoffice.odt", soffice(src, "odt", work).read_bytes(), g["registered-nurse"], *nurse_unused)
    src = staged("social-worker-footer", site_html(g["social-worker"], "ol-strong", footer="div"))
    put("social-worker--libreoffice-footer.docx", soffice(src, "docx", work).read_bytes(), g["social-worker"], footer)
    put("social-worker--libreoffice-footer.odt", soffice(src, "odt", work).read_bytes(), g["social-worker"], footer)
    src = staged("teacher-strong", site_html(g["teacher-no-best-for"], "ol-strong"))
    put("teacher-no-best-for--libreoffice.pdf", soffice(src, "pdf", work).read_bytes(), g["teacher-no-best-for"],
        "read from the PDF's text layer", footer)
    src = staged("paralegal-strong", site_html(g["paralegal"], "ol-strong"))
    put("paralegal--chromium.pdf", chromium_pdf(src, work).read_bytes(), g["paralegal"],
        "read from the PDF's text layer", footer)
    put("store-manager--chromium-headers.pdf", chromium_pdf(staged("sm", site_html(g["store-manager"], "ol-strong")),
                                                            work, headers=True).read_bytes(),
        g["store-manager"], "running header and footer", footer)
    src = staged("store-manager-cards", site_html(g["store-manager"], "css-counter"))
    put("store-manager--libreoffice-unnumbered.docx", soffice(src, "docx", work).read_bytes(), g["store-manager"],
        rank_order, footer)

    # pandoc's own Markdown (— written as ---) and GitHub Markdown (a raw HTML table for <br> cells)
    nurse_html = (PAGES / "registered-nurse.html").read_text(encoding="utf-8")
    put("registered-nurse--pandoc.md", pandoc_markdown(nurse_html), g["registered-nurse"], *nurse_unused, share)
    put("registered-nurse--pandoc-gfm.md", pandoc_markdown(nurse_html, "gfm"), g["registered-nurse"], *nurse_unused, share)
    put("paralegal--pandoc.md", pandoc_markdown(site_html(g["paralegal"], "ol-strong")), g["paralegal"])
    put("one-alternative--pandoc.md", pandoc_markdown(site_html(g["one-alternative"], "ul-numbered")),
        g["one-alternative"])
    put("social-worker--clipper.md", clipper_markdown(g["social-worker"]), g["social-worker"])

    # text: a browser's copy (tabs in the table), a family page with a tab table, legacy bytes
    put("paralegal--browser-copy.txt", copied_text(g["paralegal"]), g["paralegal"])
    put("store-manager--browser-copy-with-menu.txt", copied_text(g["store-manager"], nav=True), g["store-manager"],
        "the first line naming the page's own role")
    # pasted into a Markdown note: a blank line between paragraphs, the table's rows together
    put("product-manager--browser-copy.md", markdown_note(copied_text(g["product-manager"])), g["product-manager"])
    put("teacher-no-best-for--windows-1252.txt", family_text(g["teacher-no-best-for"]).replace(" →", "").encode("cp1252"),
        g["teacher-no-best-for"], "read it as cp1252 (detected)")
    put("social-worker--windows-1252.txt", copied_text(g["social-worker"]).replace(" →", "").encode("cp1252"), g["social-worker"],
        "read it as cp1252 (detected)")

    # MHTML as Chrome saves it
    put("registered-nurse--chrome.mhtml", mhtml(nurse_html, "https://example.org/toolkits/registered-nurse",
                                                g["registered-nurse"]["title"]), g["registered-nurse"], *nurse_unused)
    put("paralegal--chrome.mhtml", mhtml(site_html(g["paralegal"], "split-heading"),
                                         "https://example.org/toolkits/paralegal", g["paralegal"]["title"]),
        g["paralegal"], tagline_next)

    # Word documents written with python-docx
    path = work / "sw.docx"
    word_numbered_headings(g["social-worker"], path)
    put("social-worker--word-numbered-headings.docx", path.read_bytes(), g["social-worker"], tagline_next)
    put("social-worker--libreoffice-text-export.txt", soffice_export(path, "txt:Text", work).read_bytes(),
        g["social-worker"], tagline_next)
    put("social-worker--libreoffice-html-export.html", soffice_export(path, "html", work).read_bytes(),
        g["social-worker"], tagline_next)
    word_numbered_headings(g["product-manager"], path, legal="© 2026 Example Careers GmbH. All rights reserved.")
    put("product-manager--word-numbered-headings.docx", path.read_bytes(), g["product-manager"], tagline_next, footer)

    # pages not of the family: one line naming what is missing
    bad = OUT / "bad"
    (bad / "blog-post.html").write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>Ten tips</title></head><body><main>"
        "<h1>Ten tips for a career change</h1><p>Changing careers is hard.</p><ol><li>Know yourself.</li>"
        "<li>Talk to people.</li></ol><p>Good luck!</p></main></body></html>\n", encoding="utf-8")
    (bad / "recipe.txt").write_text(
        "Pancakes\nEasy and quick.\n1. Flour — 200 g, sifted.\n2. Milk — 300 ml.\n3. Eggs — two, beaten.\n"
        "Mix and fry.\n", encoding="utf-8")
    (bad / "price-list.md").write_text(
        "# Price list\n\n| Item | Price |\n|---|---|\n| Tea | 2.50 |\n| Coffee | 3.00 |\n", encoding="utf-8")
    word_cv(bad / "cv.docx")
    errors = {
        "blog-post.html": "not a page of this family: no ranked list of alternatives",
        "recipe.txt": "no comparison table found",
        "price-list.md": "not a page of this family: no ranked list of alternatives",  # its table has no role columns
        "cv.docx": "not a page of this family: no ranked list of alternatives",
    }
    for name, line in errors.items():
        (bad / f"{name}.error").write_text(line + "\n", encoding="utf-8")
    from page_shapes import write_shapes  # the third round: Word's HTML, RTF, EPUB, PDF, browser copies

    write_shapes(put, work)
    shutil.rmtree(work)
    count = len(list(OUT.glob("*.expected.json")))
    print(f"wrote {count} pages and {len(errors)} pages not of the family to {OUT.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
