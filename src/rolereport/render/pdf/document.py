"""The PDF career guide: the guide's HTML laid out by WeasyPrint.

Tagged (PDF/UA-1: structure tree, language, title shown in the window), every font embedded as a
subset, bookmarks from the headings, metadata from the page's <meta> tags. Reproducible: dates
come from the report (SOURCE_DATE_EPOCH or the source's date) and the file identifier is a hash
of the content, so the same inputs give the same bytes.

Per process, the context keeps a `weasy.Engine` (WeasyPrint with the bundled fonts loaded, URL
fetchers, the image cache); a batch reuses it for every report.
"""

from __future__ import annotations

from pathlib import Path

from rolereport.model import Report
from rolereport.render.context import Context
from rolereport.render.html import PrintPage, print_page
from rolereport.render.pdf.engine import PDF_VARIANT, Engine

__all__ = ["PDF_VARIANT", "base_url", "engine", "pdf_from_page", "render"]


def engine(ctx: Context) -> Engine:
    """This context's engine, made on first use (that imports WeasyPrint and loads the fonts)."""
    cached = ctx.cache.get("pdf")
    if cached is None:
        cached = ctx.cache["pdf"] = Engine()
    return cached  # type: ignore[no-any-return]


def base_url(ctx: Context) -> str:
    """What relative URLs in the guide's HTML resolve against: the first template folder's html/."""
    return ctx.templates.dirs[0].as_uri() + "/html/"


def pdf_from_page(page: PrintPage, ctx: Context) -> bytes:
    """Lay out and write the guide (as `html.print_page` made it)."""
    allowed: tuple[Path, ...] = ctx.allowed_dirs()
    return engine(ctx).layout(page.html, allowed, base_url(ctx), css=page.css)


def render(report: Report, ctx: Context) -> bytes:
    """The guide's PDF; characters of the report that no installed font can draw are warned about
    (`glyphs.check_report`; the single report's sidecar path checks beside the layout)."""
    from rolereport.render.pdf.glyphs import check_report

    page = print_page(report, ctx)
    check_report(report)
    return pdf_from_page(page, ctx)
