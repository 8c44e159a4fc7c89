"""Build Markdown, HTML and DOCX copies of a page from its extracted JSON, as a site would."""

from __future__ import annotations

from pathlib import Path

import pypandoc

COLUMNS = ("Role", "Primary Focus", "Key Responsibility", "Common Tools/Frameworks",
           "Typical Deliverable")


def _row(role: dict) -> str:
    cells = [role["name"], role["primary_focus"], role["key_responsibility"],
             ", ".join(role["tools"]), role["deliverable"]]
    return "| " + " | ".join(cells) + " |"


def page_markdown(guide: dict, ordered_list: bool = False) -> str:
    out = [f"# {guide['title']}", ""]
    for p in guide["intro"]:
        out += [p, ""]
    out += ["## Top alternatives ranked", ""]
    for alt in guide["alternatives"]:
        head = f"{alt['rank']}. {alt['name']} — {alt['tagline']}"
        out += [head if ordered_list else f"### {head}", ""]
        out += [alt["description"], "", "**Best for:**", ""]
        out += [f"- {b}" for b in alt["best_for"]] + [""]
        out += [f"Explore the full {alt['name']} Toolkit profile.", ""]
    out += ["## Side-by-side", "", "| " + " | ".join(COLUMNS) + " |",
            "|" + "---|" * len(COLUMNS), _row(guide["subject"])]
    out += [_row(a) for a in guide["alternatives"]] + [""]
    out += ["## How to pick", "", guide["how_to_pick"]["intro"], ""]
    out += [f"- {a['pick_if']}: {a['pick_advice']}" for a in guide["alternatives"] if a["pick_if"]]
    out += [""]
    for p in guide["how_to_pick"]["closing"]:
        out += [p, ""]
    return "\n".join(out)


SITE_CHROME = """<header class="site"><a href="/">Toolkits Home</a> Sign in</header>
<nav><ul><li>Careers</li><li>Toolkits</li></ul></nav>
<script>document.write("Cookie banner");</script><style>body{color:red}</style>"""


def write_copies(guide: dict, folder: Path) -> dict[str, Path]:
    md = page_markdown(guide)
    paths = {"markdown": folder / "page.md", "html": folder / "page.html",
             "docx": folder / "page.docx"}
    paths["markdown"].write_text(md, encoding="utf-8")
    body = pypandoc.convert_text(md, "html", format="markdown-smart")
    paths["html"].write_text(
        f"<!doctype html><html><head><title>Site | Page</title></head><body>{SITE_CHROME}"
        f"<main>{body}</main><footer>© 2026 Example Toolkits · Privacy</footer></body></html>",
        encoding="utf-8",
    )
    pypandoc.convert_text(md, "docx", format="markdown-smart", outputfile=str(paths["docx"]))
    return paths
