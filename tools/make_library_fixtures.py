"""Regenerate tests/fixtures/library/pages/: a library of pages of different roles, saved the way
HR collects them: the page-family text as copied, a site's HTML page as a browser saves it, that
page opened in LibreOffice and saved as Word (DOCX) or printed to PDF.

The roles come from text pages (`tests/fixtures/library/text/*.txt` and the project's other
text pages); each HTML, DOCX and PDF is made from the guide its text page reads as, through the
site template of `make_page_fixtures.py` and LibreOffice (`soffice --headless --convert-to`).
`expected.json` maps every page of the library to its role and alternatives: what the reader must
find in it, whatever its format.

    .venv/bin/python tools/make_library_fixtures.py      # needs soffice (libreoffice-writer-nogui)

The outputs are committed; run this only to change the library. LibreOffice stamps dates into its
files, so regenerated DOCX and PDF differ byte-wise but not in content.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "src"))

from make_page_fixtures import site_html, soffice  # noqa: E402

from rolereport.sources import read_source  # noqa: E402

HERE = ROOT / "tests" / "fixtures" / "library"
TEXT = HERE / "text"
PAGES = HERE / "pages"
BUNDLED = ROOT / "src" / "rolereport" / "data" / "ml-engineer-alternatives.txt"
FIXTURE_PAGES = ROOT / "tests" / "fixtures" / "pages"

# (text page, where it goes in the library, as what)
LIBRARY = [
    (BUNDLED, "engineering/machine-learning-engineer.txt", "text"),
    (TEXT / "site-reliability-engineer.txt", "engineering/Site Reliability Engineer - CareerToolkits.html", "html"),
    (TEXT / "data-scientist.txt", "data/data-scientist.docx", "docx"),
    (TEXT / "nurse-practitioner.txt", "health/nurse-practitioner.pdf", "pdf"),
    (FIXTURE_PAGES / "registered-nurse.html", "health/registered-nurse.html", "copy"),
    (FIXTURE_PAGES / "head-chef.txt", "hospitality/head-chef.txt", "text"),
    (FIXTURE_PAGES / "pharmacist.txt", "health/pharmacist.docx", "docx"),
]


def main() -> int:
    if PAGES.exists():
        shutil.rmtree(PAGES)
    work = Path(tempfile.mkdtemp(prefix="library-fixtures-"))
    expected = {}
    for source, name, kind in LIBRARY:
        guide, _ = read_source(source)
        target = PAGES / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if kind in ("text", "copy"):
            shutil.copyfile(source, target)
        else:
            page = site_html(guide.contract(), "ul-numbered")
            if kind == "html":
                target.write_text(page, encoding="utf-8")
            else:
                staged = work / f"{Path(name).stem}.html"
                staged.write_text(page, encoding="utf-8")
                shutil.copyfile(soffice(staged, kind, work), target)
        expected[name] = {"role": guide.subject.name, "alternatives": [a.name for a in guide.alternatives]}
        print(f"wrote {target.relative_to(ROOT)}")
    (HERE / "expected.json").write_text(json.dumps(expected, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
