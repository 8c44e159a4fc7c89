"""The Excel comparison matrix (`role-matrix.xlsx`), built with openpyxl.

Sheets: Roles (one filterable Table row per role), Your fit (only with a profile: each role's
score, why and cautions, and a bar chart), Tools (one row per role and tool), Best for (one row per
role and statement) and About (how to read and filter it, from the template xlsx/about.txt.j2).

Reproducible: the workbook's dates are the report's fixed document time, and the zip is
rewritten with fixed member timestamps and order, so identical inputs give identical bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from xml.sax.saxutils import quoteattr

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from rolereport.model import Report
from rolereport.render.chart import describe
from rolereport.render.content import display_title, document_epoch, document_title
from rolereport.render.context import Context
from rolereport.render.package import deterministic_zip
from rolereport.render.xlsx.about import about_sheet
from rolereport.render.xlsx.cells import clean, looks
from rolereport.render.xlsx.furniture import sheet_title
from rolereport.render.xlsx.lists import best_for_sheet, tools_sheet
from rolereport.render.xlsx.roles import fit_sheet, roles_sheet
from rolereport.render.xlsx.rows import matrix_rows
from rolereport.text.labels import LABELS

FIRST_MEMBERS = ("[Content_Types].xml", "_rels/.rels")


def build_workbook(report: Report, ctx: Context) -> Workbook:
    lk = looks(ctx)
    paper = ctx.theme.page_size
    rows = matrix_rows(report)
    wb = Workbook()
    taken: set[str] = set()
    roles = wb.active
    roles.title = sheet_title(LABELS["sheet_roles"], taken)
    roles_sheet(roles, report, rows, lk, paper, display_title(report, ctx))
    if report.profile is not None:
        fit_sheet(wb.create_sheet(sheet_title(LABELS["sheet_fit"], taken)), report, rows, lk, paper)
    personal = report.profile is not None
    tools_sheet(wb.create_sheet(sheet_title(LABELS["sheet_tools"], taken)), rows, lk, paper, personal)
    best_for_sheet(wb.create_sheet(sheet_title(LABELS["sheet_best_for"], taken)), rows, lk, paper, personal)
    about_sheet(wb.create_sheet(sheet_title(LABELS["sheet_about"], taken)), report, rows, lk, ctx)
    wb.active = 0

    when = dt.datetime.fromtimestamp(document_epoch(report), dt.UTC).replace(tzinfo=None)
    props = wb.properties
    props.creator = clean(ctx.theme.organisation)
    props.lastModifiedBy = clean(ctx.theme.organisation)
    props.title = clean(document_title(report, ctx), 1000)
    props.subject = LABELS["matrix_title"]
    props.keywords = clean(", ".join(role.name for role in report.guide.alternatives), 1000)
    props.language = ctx.theme.language
    props.created = props.modified = when
    return wb


def reproducible_zip(data: bytes, when: dt.datetime, chart_alt: str | None = None) -> bytes:
    """Rewrite a zip with fixed member order (content types first), timestamps and attributes;
    with `chart_alt`, the charts' drawings get it as their alternative text (openpyxl has no
    setting for it: `descr` on the drawing's non-visual properties, what Excel's Alt Text writes)."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        names = src.namelist()
        first = [n for n in FIRST_MEMBERS if n in names]
        order = first + sorted(n for n in names if n not in FIRST_MEMBERS)
        entries = [(name, src.read(name)) for name in order]
    if chart_alt:
        alt = quoteattr(clean(chart_alt, 4000)).encode("utf-8")
        entries = [(name, re.sub(rb"(<(?:xdr:)?cNvPr\b[^>]*?)(\s*/?>)", lambda m: m[1] + b" descr=" + alt + m[2], part)
                    if name.startswith("xl/drawings/drawing") and name.endswith(".xml") else part)
                   for name, part in entries]
    return deterministic_zip(entries, when.timetuple()[:6])


def render(report: Report, ctx: Context) -> bytes:
    wb = build_workbook(report, ctx)
    raw = io.BytesIO()
    # openpyxl's save_workbook() stamps the wall clock as "modified"; its writer does not.
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED) as archive:  # compressed once, below
        ExcelWriter(wb, archive).write_data()
    when = dt.datetime.fromtimestamp(document_epoch(report), dt.UTC).replace(tzinfo=None)
    alt = describe(report.fits) if report.profile is not None and report.fits else None
    return reproducible_zip(raw.getvalue(), when, alt)
