"""The guide as one self-contained HTML page: exactly what WeasyPrint lays out for the PDF."""

from __future__ import annotations

from markupsafe import Markup

from rolereport.model import Report
from rolereport.render.content import guide_markdown, template_context
from rolereport.render.context import Context
from rolereport.render.pandoc import convert


def guide_html(report: Report, ctx: Context) -> str:
    body = convert(guide_markdown(report, ctx), "html5", ["--section-divs"])
    css = ctx.templates.find("html/print.css").read_text(encoding="utf-8")
    return ctx.templates.html_text(
        "html/guide.html.j2", body=Markup(body), css=Markup(css), **template_context(report, ctx)
    )


def render(report: Report, ctx: Context) -> bytes:
    return guide_html(report, ctx).encode("utf-8")
