"""One profile, one ranking: `fit`, the PDF, the DOCX and the XLSX agree, as a reader sees them."""

from __future__ import annotations

import json
import re

import docx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from conftest import ROOT
from rolereport.jobs.options import BuildOptions
from rolereport.jobs.report import build_report
from rolereport.text.labels import LABELS

PROFILE = ROOT / "examples" / "profiles" / "jane-doe.yaml"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    out = tmp_path_factory.mktemp("thread")
    return build_report(BuildOptions(out=out, formats=("pdf", "docx", "xlsx")), PROFILE)


@pytest.fixture(scope="module")
def fits(bundle):
    import contextlib
    import io

    from rolereport.cli import main

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["fit", "--profile", str(PROFILE), "--json"]) == 0
    return json.loads(buf.getvalue())


@pytest.fixture(scope="module")
def ranking(fits):
    return [f["role"] for f in fits]


@pytest.fixture(scope="module")
def best(fits):
    """The best matches: the first three roles with a reason of their own and at least Possible fit."""
    return [f["role"] for f in fits if f["evidence"] and f["score"] >= 20][:3]


def test_outputs_go_to_the_persons_folder(bundle):
    assert bundle.folder.name == "jane-doe"


def test_xlsx_rows_follow_the_fit_ranking(bundle, ranking):
    ws = load_workbook(bundle.folder / "role-matrix.xlsx")["Roles"]
    header = [c.value for c in ws[4]]
    roles = [row[header.index("Role")] for row in ws.iter_rows(min_row=6, values_only=True)]
    assert roles == ranking


def test_docx_best_matches_follow_the_fit_ranking(bundle, ranking, best):
    doc = docx.Document(str(bundle.folder / "role-handout.docx"))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"][:len(best)]
    assert best and headings == [f"{LABELS['best_match'].format(n=n)}: {role}" for n, role in enumerate(best, start=1)]
    assert best == ranking[:len(best)]


def test_pdf_best_matches_and_chart_follow_the_fit_ranking(bundle, ranking, best):
    reader = PdfReader(str(bundle.folder / "career-guide.pdf"))
    text = "\n".join(page.extract_text() for page in reader.pages[1:3])
    positions = [text.index(f"{LABELS['best_match'].format(n=n)}: {role}") for n, role in enumerate(best, start=1)]
    assert best == ranking[:len(best)]
    assert f"{LABELS['best_match'].format(n=len(best) + 1)}: {ranking[len(best)]}" not in text
    assert positions == sorted(positions)
    # the chart's own labels: a role's line, then its score and band (the contents list roles too)
    chart_order = [re.search(rf"^{re.escape(role)}\n\d+ \w", text, re.M).start() for role in ranking]
    assert chart_order == sorted(chart_order)
