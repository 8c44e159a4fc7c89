"""The shared content: one template context, and the Markdown every format starts from."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rolereport.model import Report
from rolereport.render.context import Context
from rolereport.text.labels import LABELS


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


def current_role(report: Report) -> str:
    """The role on the page the person holds ("" when none is): the page's own role unless the
    report says otherwise (a profile whose current role is an alternative, or on neither)."""
    return report.guide.subject.name if report.current is None else report.current


def subject_marker(report: Report) -> str:
    """What the page's own role is called: the current role only when it is the person's."""
    held = current_role(report) == report.guide.subject.name
    return LABELS["current_role_marker" if held else "page_role_marker"]


def baseline(report: Report) -> str:
    """What the page's own role is to the reader, in words (the matrix's About sheet)."""
    if report.profile is None:
        return "the role the source starts from"
    held = current_role(report)
    if held == report.guide.subject.name:
        return "your current role"
    return f"the role this guide starts from; your current role is {held}" if held else \
        "the role this guide starts from"


def template_context(report: Report, ctx: Context) -> dict[str, Any]:
    from rolereport.fit import best_matches

    guide = report.guide
    fits = {f.role: f for f in report.fits}
    return {
        "current_role": current_role(report),
        "subject_marker": subject_marker(report),
        "library": report.library,
        "report": report,
        "guide": guide,
        "subject": guide.subject,
        "source": report.source,
        "profile": report.profile,
        "fits": report.fits,
        "fit_by_role": fits,
        "rank_of": {role.name: role.rank for role in guide.alternatives},
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
