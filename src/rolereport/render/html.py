"""The guide as one HTML page: exactly what WeasyPrint lays out for the PDF.

Steps: the content template (`content/guide.md.j2`) → Pandoc Markdown → pandoc → HTML sections;
then the page shell (`html/guide.html.j2`) adds the cover, the table of contents (built from the
sections pandoc produced, so a template override that adds or drops a section keeps it right) and
the stylesheet: theme variables + `html/print.css`.

`--format html` writes the same page as one self-contained file: the CSS is inline, the logo and
the fit chart are data: URIs, and no font file is referenced (browsers use Source Sans Pro when
installed, else their own sans-serif). The PDF additionally loads the bundled font (see fonts.py).
"""

from __future__ import annotations

import base64
import datetime as dt
import mimetypes
import re
from dataclasses import dataclass

from markupsafe import Markup

from rolereport.model import Report
from rolereport.render.chart import fit_chart_img
from rolereport.render.content import document_epoch, template_context
from rolereport.render.context import Context
from rolereport.render.fonts import family_list, language_css
from rolereport.render.markdown import convert_sections
from rolereport.render.markup import for_readers
from rolereport.render.templating import Raw
from rolereport.text.direction import CJK_RUN, default_han_language, han_language
from rolereport.text.labels import LABELS

_SECTION = re.compile(
    r'<section id="(?P<id>[^"]+)" class="(?P<cls>level(?P<level>\d)[^"]*)">\s*'
    r"<h(?P=level)[^>]*>(?P<title>.*?)</h(?P=level)>",
    re.S,
)
PAGE_HEIGHT = {"A4": "297mm", "Letter": "279.4mm"}
_ROLE_SECTION = re.compile(r'<section id="role-(?P<rank>\d+)"[^>]*>.*?(?=<section |</section>)', re.S)
_LEVEL1 = re.compile(r'(?=<section id="[^"]*" class="level1[ "])')
_TEXT = re.compile(r">([^<>]+)<")


@dataclass(frozen=True)
class TocEntry:
    id: str
    title: Markup
    level: int


def table_of_contents(body: str) -> list[TocEntry]:
    """Every top-level section, and the second-level ones marked `.role` or `.toc`."""
    entries = []
    for m in _SECTION.finditer(body):
        classes = m["cls"].split()
        level = int(m["level"])
        if "no-toc" in classes:
            continue
        if level == 1 or (level == 2 and ("role" in classes or "toc" in classes)):
            entries.append(TocEntry(m["id"], Markup(m["title"].strip()), level))
    return entries


def split_front(body: str) -> tuple[str, str, str]:
    """Top-level sections marked `.front` (the personal summary) go before the contents, those
    marked `.colophon` ("About this guide") right after them, the rest into the main part.

    The colophon sits where a book prints its imprint: the contents' page always has room for a
    few lines, while at the end they would often spill onto a page of their own."""
    parts: dict[str, list[str]] = {"front": [], "colophon": [], "rest": []}
    for chunk in _LEVEL1.split(body):
        head = chunk[:300]
        m = re.match(r'<section id="[^"]*" class="([^"]*)"', head)
        classes = m[1].split() if m else []
        kind = "front" if "front" in classes else "colophon" if "colophon" in classes else "rest"
        parts[kind].append(chunk)
    return "".join(parts["front"]), "".join(parts["colophon"]), "".join(parts["rest"])


def insert_fit_badges(body: str, report: Report, ctx: Context) -> str:
    """Each role section's fit, after its tagline (or its heading when a template has none).

    Added to the HTML rather than written in the Markdown, so the role sections are the same text
    for every person and their conversion is reused across a batch.
    """
    rank_of = {role.name: role.rank for role in report.guide.alternatives}
    fits = {rank_of[fit.role]: fit for fit in report.fits if fit.role in rank_of}
    if not fits:
        return body

    def place(match: re.Match[str]) -> str:
        fit = fits.get(int(match["rank"]))
        text = match.group(0)
        if fit is None:
            return text
        spot = re.search(r'<div class="role-card">\s*<p>.*?</p>', text, re.S) or re.search(r"</h\d>", text)
        if spot is None:
            return text
        badge = ctx.templates.html_text("html/_fit_badge.html.j2", fit=fit).strip()
        return text[: spot.end()] + "\n" + badge + text[spot.end():]

    return _ROLE_SECTION.sub(place, body)


def theme_css(ctx: Context) -> str:
    """The theme's choices as CSS custom properties and the page size (validated values only)."""
    t = ctx.theme
    return (f":root {{ --accent: {t.accent}; --accent-light: {t.accent_light}; "
            f"--font: {family_list(t.font_family)}; }}\n@page {{ size: {t.page_size}; }}\n"
            f"@media print {{ .cover {{ height: {PAGE_HEIGHT[t.page_size]}; }} }}\n"
            + language_css(t.font_family))


def mark_languages(page: str, language: str) -> str:
    """Each run of Chinese, Japanese or Korean text in the page's body in a `<span lang>`, so that
    Han characters take their region's forms and face (see fonts.CJK_FAMILIES): Japanese where
    the run has kana, Korean with Hangul, else `scripts.default_han_language`. Text only, never
    attributes; a page without such text is returned as it is."""
    start = page.find("<body")
    if start < 0 or not CJK_RUN.search(page, start):
        return page
    default = default_han_language(language, page[start:])

    def run(m: re.Match[str]) -> str:
        return f'<span lang="{han_language(m[0], default)}">{m[0]}</span>'

    def text(m: re.Match[str]) -> str:
        return ">" + CJK_RUN.sub(run, m[1]) + "<" if CJK_RUN.search(m[1]) else m[0]

    return page[:start] + _TEXT.sub(text, page[start:])


def _data_uri(path) -> str:  # noqa: ANN001
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if path.suffix.lower() == ".svg":
        mime = "image/svg+xml"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _iso(epoch: int) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class PrintPage:
    """The guide as the PDF engine gets it: the page without its stylesheet, and the stylesheet.

    The stylesheet is the same for every person, so a process parses it once and reuses it, which
    also spares WeasyPrint about 0.05 s of each layout; the PDF is byte-identical to laying out
    the page with the stylesheet inline (a test holds it to that)."""

    html: str
    css: str


def guide_css(ctx: Context) -> str:
    """The guide's stylesheet: the theme's variables, then html/print.css (read once per context,
    not once per person; the same string also keeps the PDF engine's parsed-stylesheet lookup cheap)."""
    css = ctx.cache.get("html.guide_css")
    if css is None:
        css = theme_css(ctx) + ctx.templates.find("html/print.css").read_text(encoding="utf-8")
        ctx.cache["html.guide_css"] = css
    return css  # type: ignore[no-any-return]


def print_page(report: Report, ctx: Context, *, parallel: bool = False) -> PrintPage:
    return PrintPage(guide_html(report, ctx, for_pdf=True, css="", parallel=parallel), guide_css(ctx))


def guide_html(report: Report, ctx: Context, *, for_pdf: bool = False, css: str | None = None,
               parallel: bool = False) -> str:
    """The guide as one page; `css` replaces the inline stylesheet (print_page passes "");
    `parallel`: pandoc converts its sections side by side (see `convert_sections`)."""
    values = template_context(report, ctx)
    theme = ctx.theme
    if report.profile is not None and report.fits:
        values["fit_chart"] = Raw(fit_chart_img(report.fits, theme.accent,
                                                theme.font_family, LABELS["fit_chart"]))
    markdown = ctx.templates.markdown_text("content/guide.md.j2", **values)
    body = convert_sections(markdown, "html5", ["--section-divs"], ctx.cache, parallel=parallel)
    body = for_readers(insert_fit_badges(body, report, ctx))
    front, colophon, rest = split_front(body)
    if css is None:
        css = guide_css(ctx)
    logo_src = None
    if theme.logo is not None:
        logo_src = theme.logo.as_uri() if for_pdf else _data_uri(theme.logo)
    epoch = document_epoch(report)
    page = ctx.templates.html_text(
        "html/guide.html.j2", front=Markup(front), colophon=Markup(colophon), body=Markup(rest),
        css=Markup(css), toc=table_of_contents(front + rest), logo_src=logo_src, iso_date=_iso(epoch),
        **values,
    )
    return mark_languages(page, theme.language)


def render(report: Report, ctx: Context) -> bytes:
    return guide_html(report, ctx).encode("utf-8")
