"""All of one person's formats at once: one after the other, beside each other in threads, or the PDF
laid out by a sidecar process while this process renders the rest."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from rolereport.model import Report
from rolereport.render.context import Context
from rolereport.render.formats import renderer
from rolereport.render.pdf import sidecar


def render_all(report: Report, ctx: Context, formats: Sequence[str], *, threads: bool = True) -> dict[str, bytes]:
    """Render every format. With `threads`, the pandoc- and openpyxl-based ones run beside the
    PDF layout (pandoc is a subprocess, so a spare core takes it); batch workers that already
    fill every core render one after the other, which spares the threads' GIL hand-offs."""
    formats = list(dict.fromkeys(formats))
    if not threads or len(formats) == 1:
        return {fmt: renderer(fmt)(report, ctx) for fmt in formats}
    main = "pdf" if "pdf" in formats else formats[0]
    others = [f for f in formats if f != main]
    with ThreadPoolExecutor(max_workers=len(others)) as pool:
        futures = {f: pool.submit(renderer(f), report, ctx) for f in others}
        results = {main: renderer(main)(report, ctx)}
        for fmt, future in futures.items():
            results[fmt] = future.result()
    return {f: results[f] for f in formats}


def render_beside(report: Report, ctx: Context, formats: Sequence[str],
                  pdf_sidecar: sidecar.PdfSidecar) -> dict[str, bytes]:
    """The PDF laid out by the sidecar from this process's HTML while this process renders the rest."""
    from rolereport.render.html import guide_css, print_page
    from rolereport.render.pdf.document import base_url
    from rolereport.render.pdf.glyphs import check_report

    formats = list(dict.fromkeys(formats))
    pdf_sidecar.style(guide_css(ctx), ctx.allowed_dirs(), base_url(ctx), ctx.theme.language)
    # the HTML is the critical path now, and the sidecar's core idles until it comes
    pdf_sidecar.layout(print_page(report, ctx, parallel=True), ctx.allowed_dirs(), base_url(ctx))
    check_report(report)  # characters the PDF cannot draw: worked out while the sidecar lays out
    results = {fmt: renderer(fmt)(report, ctx) for fmt in formats if fmt != "pdf"}
    results["pdf"] = pdf_sidecar.result()
    return {f: results[f] for f in formats}
