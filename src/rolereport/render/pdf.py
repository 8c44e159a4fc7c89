"""The PDF career guide: the guide's HTML laid out by WeasyPrint."""

from __future__ import annotations

from rolereport.model import Report
from rolereport.render.context import Context
from rolereport.render.html import guide_html


def render(report: Report, ctx: Context) -> bytes:
    from weasyprint import HTML

    html = guide_html(report, ctx)
    return HTML(string=html, base_url=str(ctx.templates.dirs[0])).write_pdf()
