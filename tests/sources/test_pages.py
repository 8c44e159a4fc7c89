"""Pages of the family that the parser has never been tuned to: other roles, other site
templates, other Markdown and DOCX habits, and the hazards real pages carry.

Each `tests/fixtures/pages/<page>.<ext>` has a hand-written `<page>.expected.json`.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, load_json
from rolereport.errors import SourceError
from rolereport.sources import read_source
from rolereport.sources.htmlpage import content_html
from rolereport.sources.parse import parse_blocks
from rolereport.sources.text import text_blocks
from rolereport.sources.via_pandoc import markdown_fixups, segments

from .docxpage import write_docx

PAGES = FIXTURES / "pages"
NURSE = load_json(PAGES / "registered-nurse.expected.json")


def extracted(path: Path, fmt: str | None = None) -> dict:
    guide, _ = read_source(path, fmt)
    return guide.contract()


def expected_for(page: Path) -> dict:
    return load_json(page.with_name(page.name.split(".")[0] + ".expected.json"))


@pytest.mark.parametrize(
    "page", sorted(p.name for p in PAGES.iterdir() if p.is_file() and not p.name.endswith(".json"))
)
def test_page_extracts_exactly(page):
    path = PAGES / page
    assert extracted(path) == expected_for(path)


def test_saved_html_is_crlf_with_chrome_outside_and_inside_main():
    raw = (PAGES / "registered-nurse.html").read_bytes()
    assert b"\r\n" in raw and b"cookie" in raw and b"<main" in raw
    dumped = str(extracted(PAGES / "registered-nurse.html"))
    for chrome in ("CareerToolkits", "Sign in", "Breadcrumb", "Home", "cookies", "Accept",
                   "Privacy", "Share this page", "Related toolkits", "Midwife", "Updated 3 May"):
        assert chrome not in dumped


@pytest.mark.parametrize("numbered_list", [True, False])
@pytest.mark.parametrize("title_style", ["Title", "Heading 1"])
def test_docx_as_word_or_google_docs_saves_it(tmp_path, numbered_list, title_style):
    path = write_docx(NURSE, tmp_path / "nurse.docx", numbered_list, title_style)
    assert extracted(path) == NURSE


MD = (PAGES / "registered-nurse.md").read_text(encoding="utf-8")


def atx_flavour(md: str) -> str:
    """ATX headings, `1.` lists, `-` bullets, CRLF: the same page in another Markdown habit."""
    lines = md.split("\n")
    out = []
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        underline = len(nxt) > 3 and set(nxt) <= {"="} | {"-"} and set(nxt) != {"-", "="}
        if line and underline:
            out.append(("# " if nxt[0] == "=" else "## ") + line)
        elif len(line) > 3 and (set(line) == {"="} or set(line) == {"-"}) and i and lines[i - 1]:
            continue
        else:
            out.append(re.sub(r"^(\d+)\) ", r"\1. ", re.sub(r"^\* ", "- ", line)))
    return "\r\n".join(out)


def test_markdown_in_another_flavour(tmp_path):
    page = tmp_path / "nurse.markdown"
    text = atx_flavour(MD)
    assert "# Why look" in text and "\n1. **Nurse" in text and "\r\n- Experienced" in text
    assert "\n---\r" in text  # the separators between items stay
    page.write_bytes(text.encode("utf-8"))
    assert extracted(page) == NURSE


def test_markdown_copy_of_the_text_page(tmp_path):
    """The family's text page saved as .md: `-` separator lines kept, pipe table, lists with no
    blank line before them, `1)` items."""
    out = []
    for line in (PAGES / "teacher-no-best-for.txt").read_text(encoding="utf-8").split("\n"):
        if not line.startswith(("- ", "|")):
            out.append("")
        out.append(re.sub(r"^(\d)\. ", r"\1) ", line))
    page = tmp_path / "teacher.md"
    page.write_text("\n".join(out), encoding="utf-8")
    assert extracted(page) == expected_for(PAGES / "teacher-no-best-for.txt")


def test_markdown_lazy_lines_after_an_item_line(tmp_path):
    """No blank lines inside an item: description and "Best for:" run on from the item line,
    the "Explore" line from the last bullet; a wrapped tagline still joins its item line."""
    md = "\n".join([
        "# Why look beyond Widget Maker Toolkit", "", "Intro.", "",
        "1. Auditor — Checks the books",
        "   of other people.",
        "Auditors test controls.",
        "Best for:",
        "- Sceptics",
        "Explore the full Auditor Toolkit profile.", "",
        "| Role | Primary Focus | Key Responsibility | Common Tools/Frameworks | Typical Deliverable |",
        "|---|---|---|---|---|",
        "| Widget Maker | W | W | W | W |", "| Auditor | A | A | A | A |",
    ])
    page = tmp_path / "p.md"
    page.write_text(md, encoding="utf-8")
    alt = extracted(page)["alternatives"][0]
    assert (alt["tagline"], alt["description"], alt["best_for"]) == (
        "Checks the books of other people.", "Auditors test controls.", ["Sceptics"])


def pick_items(guide: dict) -> list[tuple[str, str]]:
    """The how-to-pick (condition, advice) pairs, each once, in the alternatives' order."""
    return list(dict.fromkeys((a["pick_if"], a["pick_advice"]) for a in guide["alternatives"] if a["pick_if"]))


def html_variant(guide: dict, main: bool) -> str:
    """Another site's template: `<h3>N. Name — tagline</h3>` items, best-for as `<br>`/`•`
    lines, a table without `<thead>` whose header row uses `<td>`, an ordered list of picks,
    and a cookie banner that is a plain `<div>` after the footer."""
    e = html.escape
    body = [f"<h1>{e(guide['title'])}</h1>"] + [f"<p>{e(p)}</p>" for p in guide["intro"]]
    body.append("<h2>Top alternatives ranked</h2>")
    for a in guide["alternatives"]:
        body.append(f"<h3>{a['rank']}.&nbsp;{e(a['name'])}&nbsp;&mdash; {e(a['tagline'])}</h3>")
        body += [f"<p>{e(p)}</p>" for p in a["description"].split("\n\n")]
        if a["best_for"]:
            body.append("<p><b>Best for:</b><br>" + "<br>".join(f"• {e(b)}" for b in a["best_for"])
                        + "</p>")
        body.append(f'<p><a href="/x">Explore the full {e(a["name"])} Toolkit profile</a></p>')
    cols = ("Role", "Primary Focus", "Key Responsibility", "Common Tools/Frameworks",
            "Typical Deliverable")
    rows = [cols] + [(r["name"], r["primary_focus"], r["key_responsibility"],
                      ",<br>".join(e(t) for t in r["tools"]), r["deliverable"])
                     for r in [guide["subject"], *guide["alternatives"]]]
    body.append("<h2>Side-by-side</h2><table>" + "".join(
        "<tr>" + "".join(f"<td>{c if '<br>' in c else e(c)}</td>" for c in row) + "</tr>"
        for row in rows) + "</table>")
    body.append(f"<h2>How to pick</h2><p>{e(guide['how_to_pick']['intro'])}</p><ol>")
    body += [f"<li><strong>{e(cond)}:</strong> {e(advice)}</li>" for cond, advice in pick_items(guide)]
    body.append("</ol>" + "".join(f"<p>{e(p)}</p>" for p in guide["how_to_pick"]["closing"]))
    content = "\n".join(body)
    if main:
        content = f'<div role="main">{content}</div>'
    return (f"<html><head><title>{e(guide['title'])} – Site</title></head><body>"
            '<header><a href="/">Site</a></header>' + content +
            "<footer><p>Imprint.</p></footer>"
            '<div id="onetrust-consent-sdk"><p>We value your privacy.</p></div>'
            '<div class="modal" aria-hidden="true"><p>Subscribe to our newsletter.</p></div>'
            "</body></html>")


@pytest.mark.parametrize("main", [True, False])
@pytest.mark.parametrize("fixture", ["registered-nurse", "teacher-no-best-for", "one-alternative"])
def test_html_of_another_site_template(tmp_path, fixture, main):
    guide = load_json(PAGES / f"{fixture}.expected.json")
    page = tmp_path / "page.htm"
    page.write_text(html_variant(guide, main), encoding="utf-8")
    assert extracted(page) == guide


def test_content_html_keeps_only_main_when_marked():
    page = ("<body><div class=cookie-banner>C</div><p>outside</p><main><p>in</p>"
            "<nav>N</nav><div><p>deep</p></div></main><p>after</p></body>")
    assert content_html(page) == "<main><p>in</p><div><p>deep</p></div></main>"
    assert "outside" in content_html(page.replace("main>", "section>"))


def text_page(items: list[str], rows: list[str], picks: list[str], header: str | None = None):
    head = header or "| Role | Primary Focus | Key Responsibility | Common Tools/Frameworks | Typical Deliverable |"
    return "\n".join(
        ["Why look beyond Widget Maker Toolkit", "Intro.", "Top alternatives ranked"]
        + [x for it in items for x in ("-", it, "Some description.", "Best for:", "- People")]
        + ["Side-by-side", head, "|---|---|---|---|---|",
           "| Widget Maker | Widgets | Making | Lathe | Widgets |"] + rows
        + ["How to pick", "Choose."] + picks
    )


def parse_text(text: str) -> dict:
    return parse_blocks(text_blocks(text), "page.txt").contract()


@pytest.mark.parametrize("sep", ["—", " — ", " – ", " - ", " -- ", "\u00a0—\u00a0", "\u00a0– "])
def test_item_line_dashes_and_no_break_spaces(sep):
    got = parse_text(text_page(
        [f"1.\u00a0Health & Safety Officer{sep}Keeps sites safe — and legal."],
        ["| Health & Safety Officer | Safety | Inspecting | ISO 45001 | Reports |"], []))
    alt = got["alternatives"][0]
    assert (alt["name"], alt["tagline"]) == ("Health & Safety Officer", "Keeps sites safe — and legal.")


def test_name_holding_a_dash_is_resolved_by_the_table():
    got = parse_text(text_page(
        ["1. Nurse - Midwife — Delivers babies - and calm.", "2. Nurse — Cares."],
        ["| Nurse - Midwife | Births | Delivering | Doppler | Births |",
         "| Nurse | Care | Caring | Charts | Care |"],
        ["- If you like births: Nurse - Midwife roles suit you.",
         "- If you like wards: A Nurse role suits you."]))
    assert [(a["name"], a["tagline"]) for a in got["alternatives"]] == [
        ("Nurse - Midwife", "Delivers babies - and calm."), ("Nurse", "Cares.")]
    assert [a["pick_if"] for a in got["alternatives"]] == ["If you like births", "If you like wards"]


def test_first_colon_rule_and_prefix_names():
    got = parse_text(text_page(
        ["1. Data Engineer — Pipes.", "2. Big Data Engineer — Big pipes."],
        ["| Big Data Engineer | B | B | Spark | B |", "| Data Engineer | D | D | SQL | D |"],
        ["- If you like: ratios: Big Data Engineer work is about scale.",
         "- If you like small data: The Data Engineer path."]))
    big, small = got["alternatives"][1], got["alternatives"][0]
    assert (big["pick_if"], big["pick_advice"]) == ("If you like", "ratios: Big Data Engineer work is about scale.")
    assert small["pick_if"] == "If you like small data"


def test_bullet_naming_two_roles_goes_to_the_one_without_its_own():
    got = parse_text(text_page(
        ["1. Tax Adviser — Taxes.", "2. Auditor — Audits.", "3. Controller — Controls."],
        ["| Tax Adviser | T | T | T | T |", "| Auditor | A | A | A | A |",
         "| Controller | C | C | C | C |"],
        ["- If rules matter: An Auditor or a Tax Adviser checks them.",
         "- If you like law: The Tax Adviser path.",
         "- If Controller work sounds dull: nothing here names a third role."]))
    picks = {a["name"]: a["pick_if"] for a in got["alternatives"]}
    assert picks == {"Tax Adviser": "If you like law", "Auditor": "If rules matter",
                     "Controller": "If Controller work sounds dull"}


def test_extra_and_reordered_columns_and_br_in_cells():
    got = parse_text(text_page(
        ["1. Auditor — Audits."],
        ["| A | Auditor | €50k | Audits<br>and more | Checking | IDEA<br>ACL, Excel (VBA, PQ) |"],
        [], header="| Typical Deliverable | Role | Salary range | Primary Focus | Key Responsibility | Common Tools |"
    ).replace("| Widget Maker | Widgets | Making | Lathe | Widgets |",
              "| Widgets | Widget Maker | - | Widgets | Making | Lathe |"))
    alt = got["alternatives"][0]
    assert (alt["deliverable"], alt["primary_focus"], alt["tools"]) == (
        "A", "Audits and more", ["IDEA", "ACL", "Excel (VBA, PQ)"])


def test_explore_line_variants_are_not_description():
    for explore in ("Explore the full Auditor profile →", "Explore full Auditor toolkit profile",
                    "Explore the full Auditor Toolkit profile!", "explore the full auditor profile."):
        text = text_page(["1. Auditor — Audits."], ["| Auditor | A | A | A | A |"], [])
        text = text.replace("Best for:\n- People\n", f"{explore}\n")
        alt = parse_text(text)["alternatives"][0]
        assert alt["description"] == "Some description." and alt["best_for"] == []


def test_c1_smart_punctuation_and_zero_width_characters():
    text = text_page(["1. Auditor\u200b — It\u0092s \u0093fine\u0094 \u0096 mostly\u2026"],
                     ["| Auditor | A | A | A | A |"], [])
    assert parse_text(text)["alternatives"][0]["tagline"] == "It’s “fine” – mostly…"


def test_loose_table_names_still_match_one_role():
    got = parse_text(text_page(
        ["1. Health & Safety Officer (HSO) — Safety.", "2. Médecin-conseil — Claims."],
        ["| Health and Safety Officer | S | S | S | S |", "| Medecin conseil | M | M | M | M |"], []))
    assert [a["primary_focus"] for a in got["alternatives"]] == ["S", "M"]


def test_unmatched_rows_still_report_clearly(tmp_path):
    page = tmp_path / "p.txt"
    page.write_text(text_page(["1. Auditor — Audits."], ["| Auditer | A | A | A | A |"], []),
                    encoding="utf-8")
    with pytest.raises(SourceError) as err:
        read_source(page)
    lines = str(err.value).splitlines()
    assert lines == [
        f"{page}: line 13: table row 'Auditer' matches no ranked role; rename it to match the "
        "ranked list or remove it",
        f"{page}: line 5: ranked role 'Auditor' has no row in the comparison table; add one",
    ]


def big_page(n: int) -> str:
    items = [f"{i}. Role {i} (R{i}) / Ops & Co — Tagline {i}." for i in range(1, n + 1)]
    rows = [f"| Role {i} (R{i}) / Ops & Co | F{i} | R{i} | T{i}, U (x, y) | D{i} |"
            for i in range(1, n + 1)]
    picks = [f"- If you like {i}: Role {i} (R{i}) / Ops & Co is better than Role {i + 1} (R{i + 1}) / Ops & Co."
             for i in range(1, n + 1)]
    return text_page(items, rows, picks)


def test_two_hundred_alternatives_extract():
    """Correctness only: tests assert no wall-clock time (on a busy machine this one failed);
    the time of `extract` on this page is measured in benchmarks/."""
    got = parse_text(big_page(200))
    assert [a["pick_if"] for a in got["alternatives"]] == [f"If you like {i}" for i in range(1, 201)]


def li_page(guide: dict, li) -> str:
    """A page whose ranked list is one `<ol>`, each `<li>` built by `li(alternative)`."""
    e = html.escape
    body = [f"<h1>{e(guide['title'])}</h1>", *(f"<p>{e(p)}</p>" for p in guide["intro"]), "<ol>"]
    body += [f"<li>{li(a)}</li>" for a in guide["alternatives"]] + ["</ol>"]
    cols = ("Role", "Primary Focus", "Key Responsibility", "Common Tools/Frameworks",
            "Typical Deliverable")
    rows = [(r["name"], r["primary_focus"], r["key_responsibility"], ", ".join(r["tools"]),
             r["deliverable"]) for r in [guide["subject"], *guide["alternatives"]]]
    body.append("<table><tr>" + "".join(f"<th>{c}</th>" for c in cols) + "</tr>" + "".join(
        "<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in rows) + "</table>")
    body.append(f"<h2>How to pick</h2><p>{e(guide['how_to_pick']['intro'])}</p><ul>")
    body += [f"<li>{e(cond)}: {e(advice)}</li>" for cond, advice in pick_items(guide)]
    body.append("</ul>" + "".join(f"<p>{e(p)}</p>" for p in guide["how_to_pick"]["closing"]))
    return "<html><body>" + "\n".join(body) + "</body></html>"


def _li_rest(a: dict) -> str:
    e = html.escape
    return ("".join(f"<p>{e(p)}</p>" for p in a["description"].split("\n\n"))
            + "<strong>Best for:</strong><ul>" + "".join(f"<li>{e(b)}</li>" for b in a["best_for"])
            + f"</ul><p><a href='#'>Explore the full {e(a['name'])} Toolkit profile</a></p>")


LI_TEMPLATES = {
    "bare text": lambda a: f"<strong>{html.escape(a['name'])}</strong> — "
                           f"{html.escape(a['tagline'])}" + _li_rest(a),
    "h3 in li": lambda a: f"<h3>{html.escape(a['name'])} — {html.escape(a['tagline'])}</h3>"
                          + _li_rest(a),
    "number typed too": lambda a: f"<p><strong>{a['rank']}. {html.escape(a['name'])}</strong> — "
                                  f"{html.escape(a['tagline'])}</p>" + _li_rest(a),
    "card div": lambda a: f"<div class='card'><h3>{html.escape(a['name'])} — "
                          f"{html.escape(a['tagline'])}</h3>{_li_rest(a)}</div>",
}


@pytest.mark.parametrize("template", sorted(LI_TEMPLATES))
def test_html_ranked_list_item_templates(tmp_path, template):
    page = tmp_path / "page.html"
    page.write_text(li_page(NURSE, LI_TEMPLATES[template]), encoding="utf-8")
    assert extracted(page) == NURSE


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("|-—:1.)•* \n<>/abBest for:Explore profile")) |
               st.characters(), max_size=300))
def test_format_helpers_never_crash(text):
    segments(text, head=True)
    markdown_fixups(text)
    content_html(text)
