"""The matrix as it prints: LibreOffice's own PDF export, pages counted.

A profile adds scores and the phrases behind them; the long text goes to the Your fit sheet, so the
personalised matrix prints in at most one page more than the plain one (that page is Your fit).
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from conftest import DEFAULT_SOURCE, FIXTURES
from rolereport.model import Evidence, Fit, Profile, Report, SourceInfo
from rolereport.render.context import Context
from rolereport.render.xlsx import render
from rolereport.sources import read_source
from rolereport.text.labels import band_for

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
SOURCE = SourceInfo(name="page.txt", date=dt.date(2026, 1, 1), sha256="0" * 64)


def wordy_fits(guide) -> tuple[Fit, ...]:
    """Fits with as much to say as the matrix shows: long evidence on every role, and a caution."""
    fits = []
    for i, role in enumerate(guide.alternatives):
        evidence = tuple(Evidence(profile_text=f"building and running dependable services for team {k}",
                                  source_text=(role.best_for or (role.tagline,))[0], field="best_for")
                         for k in range(6))
        cautions = (Evidence(profile_text="being on call at night", source_text=role.tagline,
                             field="tagline"),) if i % 2 else ()
        score = 90 - 15 * i
        fits.append(Fit(role=role.name, rank=i + 1, score=max(score, 0), band=band_for(max(score, 0)),
                        evidence=evidence, cautions=cautions))
    return tuple(fits)


def printed_pages(data: bytes, folder) -> int:
    path = folder / "role-matrix.xlsx"
    path.write_bytes(data)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{folder}/lo", "--convert-to", "pdf",
                    "--outdir", str(folder), str(path)], check=True, capture_output=True, timeout=240)
    return len(PdfReader(folder / "role-matrix.pdf").pages)


@pytest.mark.parametrize("page", [DEFAULT_SOURCE, FIXTURES / "product-manager.txt"], ids=["default", "product"])
def test_personal_matrix_prints_at_most_one_page_more(page, tmp_path):
    guide, _ = read_source(page)
    ctx = Context.create()
    (tmp_path / "plain").mkdir()
    (tmp_path / "personal").mkdir()
    plain = printed_pages(render(Report(guide=guide, source=SOURCE), ctx), tmp_path / "plain")
    profile = Profile(name="Jane Q. Doe", interests=("services",))
    personal = printed_pages(render(Report(guide=guide, source=SOURCE, profile=profile, fits=wordy_fits(guide)),
                                    ctx), tmp_path / "personal")
    assert personal <= plain + 1, (plain, personal)
