"""A page of the family as Microsoft Word saves it as HTML, in both of Word's forms: "Web Page,
Filtered" (list bullets as `·` in a Symbol-font span, list paragraphs classed
MsoListParagraphCxSpFirst/Middle/Last, entry numbers typed before a 7-pt spacer span) and the full
"Web Page" (the same, plus `mso-list` styles, `<![if !supportLists]>` markers, `<o:p>` and the
conditional-comment XML islands). Like Word: windows-1252 with character references for the rest,
CRLF line ends, and source lines wrapped at a space near column 76, inside tags too.

Used by make_page_fixtures.py; Word itself is not available on the machines that build fixtures,
so this writer follows Word 2016's output, element for element."""

from __future__ import annotations

import html

SPACER = "<span style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span>"
NUM_SPACER = "<span style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span>"
COLUMNS = ("Role", "Primary Focus", "Key Responsibility", "Common Tools/Frameworks", "Typical Deliverable")


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def _wrap(line: str, width: int = 76) -> list[str]:
    """Word's source wrapping: at the last space before the width, inside tags as well."""
    out = []
    while len(line) > width:
        cut = line.rfind(" ", 0, width)
        if cut <= 0:
            cut = line.find(" ", width)
            if cut < 0:
                break
        out.append(line[:cut])
        line = line[cut + 1 :]
    out.append(line)
    return out


class _Word:
    def __init__(self, full: bool) -> None:
        self.full = full
        self.lines: list[str] = []
        self.lists = 0

    def op(self) -> str:
        return "<o:p></o:p>" if self.full else ""

    def add(self, text: str) -> None:
        self.lines += [*_wrap(text), ""]

    def para(self, inner: str, cls: str = "MsoNormal") -> None:
        self.add(f"<p class={cls}>{inner}{self.op()}</p>")

    def heading(self, level: int, inner: str) -> None:
        self.add(f"<h{level}>{inner}{self.op()}</h{level}>")

    def numbered(self, number: int, inner: str) -> None:
        if self.full:
            marker = (f"<![if !supportLists]><span style='mso-fareast-font-family:\"Times New Roman\";"
                      f"mso-bidi-font-family:\"Times New Roman\"'><span style='mso-list:Ignore'>{number}.{NUM_SPACER}"
                      "</span></span><![endif]>")
            style = "margin-left:.25in;text-indent:-.25in;mso-list:l0 level1 lfo1"
        else:
            marker, style = f"{number}.{NUM_SPACER}", "margin-left:.25in;text-indent:-.25in"
        self.add(f"<h3 style='{style}'>{marker}{inner}{self.op()}</h3>")

    def bullets(self, items: list[str]) -> None:
        self.lists += 1
        for k, inner in enumerate(items):
            cls = ("MsoListParagraph" if len(items) == 1 else "MsoListParagraphCxSpFirst" if k == 0
                   else "MsoListParagraphCxSpLast" if k == len(items) - 1 else "MsoListParagraphCxSpMiddle")
            if self.full:
                marker = ("<![if !supportLists]><span style='font-family:Symbol;mso-fareast-font-family:Symbol;"
                          f"mso-bidi-font-family: Symbol'><span style='mso-list:Ignore'>·{SPACER}</span></span>"
                          "<![endif]>")
                style = f"text-indent:-.25in;mso-list:l{self.lists} level1 lfo{self.lists + 1}"
            else:
                marker, style = f"<span style='font-family:Symbol'>·{SPACER}</span>", "text-indent:-.25in"
            self.add(f"<p class={cls} style='{style}'>{marker}{inner}{self.op()}</p>")

    def table(self, rows: list[tuple[str, ...]]) -> None:
        self.lines += _wrap("<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0 "
                            "style='border-collapse:collapse;border:none'>")
        for r, row in enumerate(rows):
            self.lines.append(" <tr>")
            for cell in row:
                inner = f"<b>{_e(cell)}</b>" if r == 0 else _e(cell)
                self.lines += [" " * 2 + x for x in _wrap(
                    "<td width=125 valign=top style='width:93.5pt;border:solid windowtext 1.0pt; "
                    "padding:0in 5.4pt 0in 5.4pt'>")]
                self.lines += [" " * 2 + x for x in _wrap(
                    f"<p class=MsoNormal style='margin-bottom:0in;line-height:normal'>{inner}{self.op()}</p>")]
                self.lines.append("  </td>")
            self.lines.append(" </tr>")
        self.lines += ["</table>", ""]


def word_html(guide: dict, full: bool) -> bytes:
    """The page as Word's "Web Page" (`full`) or "Web Page, Filtered", in Word's bytes."""
    w = _Word(full)
    w.heading(1, _e(guide["title"]))
    for p in guide["intro"]:
        w.para(_e(p))
    w.heading(2, "Top alternatives ranked")
    for a in guide["alternatives"]:
        w.numbered(a["rank"], f"{_e(a['name'])} — {_e(a['tagline'])}")
        for p in a["description"].split("\n\n"):
            w.para(_e(p))
        if a["best_for"]:
            w.para("<b>Best for:</b>")
            w.bullets([_e(b) for b in a["best_for"]])
        w.para(f"<a href=\"https://example.org/toolkits/{a['rank']}\">Explore the full {_e(a['name'])} "
               "toolkit profile</a> →")
    w.heading(2, "Side-by-side comparison")
    w.table([COLUMNS, *((r["name"], r["primary_focus"], r["key_responsibility"], ", ".join(r["tools"]),
                         r["deliverable"]) for r in [guide["subject"], *guide["alternatives"]])])
    w.heading(2, "How to pick")
    w.para(_e(guide["how_to_pick"]["intro"]))
    picks = list(dict.fromkeys((a["pick_if"], a["pick_advice"]) for a in guide["alternatives"] if a["pick_if"]))
    w.bullets([f"<b>{_e(c)}:</b> {_e(v)}" for c, v in picks])
    for p in guide["how_to_pick"]["closing"]:
        w.para(_e(p))
    return _document(w, guide["title"]).encode("cp1252", errors="xmlcharrefreplace")


def _document(w: _Word, title: str) -> str:
    if w.full:
        head = ["<html xmlns:v=\"urn:schemas-microsoft-com:vml\"", "xmlns:o=\"urn:schemas-microsoft-com:office:office\"",
                "xmlns:w=\"urn:schemas-microsoft-com:office:word\"",
                "xmlns:m=\"http://schemas.microsoft.com/office/2004/12/omml\"",
                "xmlns=\"http://www.w3.org/TR/REC-html40\">", "", "<head>",
                "<meta http-equiv=Content-Type content=\"text/html; charset=windows-1252\">",
                "<meta name=ProgId content=Word.Document>", "<meta name=Generator content=\"Microsoft Word 15\">",
                "<meta name=Originator content=\"Microsoft Word 15\">",
                "<link rel=File-List href=\"page_files/filelist.xml\">",
                "<!--[if gte mso 9]><xml>", " <o:DocumentProperties>", "  <o:Author>Career Coach</o:Author>",
                "  <o:Pages>3</o:Pages>", " </o:DocumentProperties>", "</xml><![endif]-->",
                "<!--[if gte mso 9]><xml>", " <w:WordDocument>", "  <w:View>Print</w:View>",
                " </w:WordDocument>", "</xml><![endif]-->", "<style>", "<!--",
                " /* List Definitions */", " @list l0", "\t{mso-list-id:1203;", "\tmso-list-type:hybrid;}",
                " @list l0:level1", "\t{mso-level-tab-stop:none;", "\tmso-level-number-position:left;",
                "\tmargin-left:.25in;", "\ttext-indent:-.25in;}", "-->", "</style>",
                "<!--[if gte mso 10]>", "<style>", " /* Style Definitions */", " table.MsoNormalTable",
                "\t{mso-style-name:\"Table Normal\";}", "</style>", "<![endif]-->", "</head>", "",
                "<body lang=EN-US style='tab-interval:.5in;word-wrap:break-word'>", ""]
    else:
        head = ["<html>", "", "<head>", "<meta http-equiv=Content-Type content=\"text/html; charset=windows-1252\">",
                "<meta name=Generator content=\"Microsoft Word 15 (filtered)\">", "<style>", "<!--",
                " /* Font Definitions */", " @font-face", "\t{font-family:\"Cambria Math\";",
                "\tpanose-1:2 4 5 3 5 4 6 3 2 4;}", " /* Style Definitions */",
                " p.MsoListParagraphCxSpFirst, li.MsoListParagraphCxSpFirst, div.MsoListParagraphCxSpFirst",
                "\t{margin-top:0in;", "\tmargin-right:0in;", "\tmargin-bottom:0in;", "\tmargin-left:.5in;}",
                "-->", "</style>", "", "</head>", "", "<body lang=EN-US style='word-wrap:break-word'>", ""]
    body = ["<div class=WordSection1>", "", *w.lines, "</div>", "", "</body>", "", "</html>", ""]
    return "\r\n".join(head + body)
