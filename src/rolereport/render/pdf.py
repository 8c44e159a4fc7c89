"""The PDF career guide: the guide's HTML laid out by WeasyPrint.

Tagged (PDF/UA-1: structure tree, language, title shown in the window), every font embedded as a
subset, bookmarks from the headings, metadata from the page's <meta> tags. Reproducible: dates
come from the report (SOURCE_DATE_EPOCH or the source's date) and the file identifier is a hash
of the content, so the same inputs give the same bytes.

Per process, the context caches the font configuration with the bundled @font-face rules already
loaded, the URL fetcher and WeasyPrint's image cache; a batch reuses them for every report.
"""

from __future__ import annotations

import threading
from typing import Any

from rolereport.deadline import deadline
from rolereport.model import Report
from rolereport.render.context import Context
from rolereport.render.fetch import fetch_error, make_fetcher
from rolereport.render.fonts import font_dir, font_face_css
from rolereport.render.html import guide_html

PDF_VARIANT = "pdf/ua-1"
_LOCK = threading.Lock()  # Pango and a shared FontConfiguration are not thread-safe


def _setup(ctx: Context) -> dict[str, Any]:
    cached = ctx.cache.get("pdf")
    if cached is not None:
        return cached
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError

    fetcher = make_fetcher((*ctx.allowed_dirs(), font_dir()))
    font_config = FontConfiguration()
    try:
        fonts = CSS(string=font_face_css(), font_config=font_config, url_fetcher=fetcher)
    except FatalURLFetchingError as exc:
        raise fetch_error(exc) from None
    cached = {"fetcher": fetcher, "font_config": font_config, "fonts": fonts, "images": {}}
    ctx.cache["pdf"] = cached
    return cached


def prepare(ctx: Context) -> None:
    """Import WeasyPrint and load the fonts now (a one-report run overlaps this with other work)."""
    with _LOCK:
        _setup(ctx)


def pdf_from_html(html: str, ctx: Context) -> bytes:
    """Lay out and write the guide's HTML (as `html.guide_html(..., for_pdf=True)` made it)."""
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    with _LOCK:
        setup = _setup(ctx)
        base = ctx.templates.dirs[0].as_uri() + "/html/"
        try:
            with deadline("career-guide.pdf"):  # ROLEREPORT_RENDER_TIMEOUT, main thread only
                document = HTML(string=html, base_url=base, url_fetcher=setup["fetcher"])
                return document.write_pdf(
                    stylesheets=[setup["fonts"]], font_config=setup["font_config"],
                    pdf_variant=PDF_VARIANT, pdf_identifier=True, cache=setup["images"],
                )
        except FatalURLFetchingError as exc:
            raise fetch_error(exc) from None
        finally:
            _forget_inline_images(setup["images"])


def _forget_inline_images(cache: dict[str, Any]) -> None:
    """Keep the logo cached across a batch, not every person's own chart (memory must not grow)."""
    for key in [k for k in cache if str(k).startswith("data:")]:
        del cache[key]


def render(report: Report, ctx: Context) -> bytes:
    return pdf_from_html(guide_html(report, ctx, for_pdf=True), ctx)
