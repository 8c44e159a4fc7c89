"""The shared content: one template context, and the Markdown every format starts from."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rolereport.labels import LABELS
from rolereport.model import Report
from rolereport.render.context import Context


def document_epoch(report: Report) -> int:
    """The report's fixed timestamp (midnight UTC of its date): reproducible, never the clock."""
    day = report.source.date
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


def display_title(report: Report, ctx: Context) -> str:
    """The title on the cover and in the running header: the theme's (or `--title`), else the
    source page's. The source's own title stays in "About this guide" either way."""
    return ctx.theme.title or report.guide.title


def document_title(report: Report, ctx: Context | None = None) -> str:
    """The title property of the files (PDF, DOCX, XLSX, the HTML <title>): the displayed title,
    and the person's name when personal. Every format asks here."""
    title = display_title(report, ctx) if ctx is not None else report.guide.title
    if report.profile is None:
        return title
    return LABELS["personal_title"].format(title=title, name=report.profile.name)


def template_context(report: Report, ctx: Context) -> dict[str, Any]:
    from rolereport.fit import best_matches

    guide = report.guide
    fits = {f.role: f for f in report.fits}
    return {
        "report": report,
        "guide": guide,
        "subject": guide.subject,
        "source": report.source,
        "profile": report.profile,
        "fits": report.fits,
        "fit_by_role": fits,
        "top_fits": best_matches(report.fits),
        "theme": ctx.theme,
        "date": report.source.date.strftime("%-d %B %Y"),
        "title": display_title(report, ctx),
        "document_title": document_title(report, ctx),
        "subtitle": ctx.theme.subtitle
        or f"{len(guide.alternatives)} career path{'s' if len(guide.alternatives) != 1 else ''} "
        f"beyond {guide.subject.name}",
    }


def guide_markdown(report: Report, ctx: Context) -> str:
    return ctx.templates.markdown_text("content/guide.md.j2", **template_context(report, ctx))


def handout_markdown(report: Report, ctx: Context) -> str:
    return ctx.templates.markdown_text("content/handout.md.j2", **template_context(report, ctx))
