"""Draw the documentation's pictures from the real outputs of the bundled page.

    python tools/make_doc_pictures.py docs/images      (make doc-pictures runs this)

Builds a personalised report of the bundled page for the example profile, then turns the PDF
guide's pages into PNGs with pdftoppm, and the DOCX handout and XLSX matrix first into PDF with
LibreOffice (`soffice --headless`, as a reader opening them would see them). Pictures are small:
50 dpi, a few pages, a palette of 64 colours. Needs pdftoppm (poppler-utils) and soffice
(libreoffice-writer-nogui, libreoffice-calc-nogui).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
PROFILE = ROOT / "sources" / "profiles" / "jane-doe.yaml"
DPI = "50"
COLOURS = 64
# picture name -> (output file, pages of it, side by side)
PICTURES = {
    "guide-pages.png": ("career-guide.pdf", (1, 2, 4, 5)),
    "guide-best-matches.png": ("career-guide.pdf", (2,)),
    "guide-role.png": ("career-guide.pdf", (5,)),
    "handout.png": ("role-handout.docx", (1, 2)),
    "matrix.png": ("role-matrix.xlsx", (1,)),
}


def _run(*cmd: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> None:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        sys.exit(f"make_doc_pictures: {' '.join(cmd[:2])} failed: {done.stderr.strip()[:500]}")


def _as_pdf(path: Path, work: Path) -> Path:
    """The PDF of a file: itself, or LibreOffice's export of a DOCX or XLSX."""
    if path.suffix == ".pdf":
        return path
    profile = (work / "lo-profile").as_uri()  # a private LibreOffice profile: no clash with another run
    _run("soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(work / "lo"), str(path))
    return work / "lo" / (path.stem + ".pdf")


def _pages(pdf: Path, pages: tuple[int, ...], work: Path) -> list[Image.Image]:
    images = []
    for page in pages:
        stem = work / f"{pdf.stem}-{page}"
        _run("pdftoppm", "-png", "-r", DPI, "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(stem))
        images.append(Image.open(f"{stem}.png").convert("RGB"))
    return images


def _side_by_side(images: list[Image.Image], gap: int = 12) -> Image.Image:
    width = sum(i.width for i in images) + gap * (len(images) - 1)
    height = max(i.height for i in images)
    sheet = Image.new("RGB", (width, height), (255, 255, 255))
    x = 0
    for image in images:
        # a thin grey edge so white pages stand apart on a white page
        framed = image.copy()
        for px in range(framed.width):
            framed.putpixel((px, 0), (200, 200, 200))
            framed.putpixel((px, framed.height - 1), (200, 200, 200))
        for py in range(framed.height):
            framed.putpixel((0, py), (200, 200, 200))
            framed.putpixel((framed.width - 1, py), (200, 200, 200))
        sheet.paste(framed, (x, 0))
        x += image.width + gap
    return sheet


def make_pictures(folder: Path) -> list[Path]:
    for tool in ("pdftoppm", "soffice"):
        if shutil.which(tool) is None:
            sys.exit(f"make_doc_pictures: {tool} is missing; install poppler-utils and "
                     "libreoffice-writer-nogui libreoffice-calc-nogui")
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}  # a fixed date on the cover
        rolereport = Path(sys.executable).parent / "rolereport"
        _run(str(rolereport), "report", "--profile", str(PROFILE), "--out", str(work / "out"), cwd=work, env=env)
        bundle = next(p for p in (work / "out").iterdir() if p.is_dir())
        pdfs: dict[str, Path] = {}
        written = []
        for name, (output, pages) in PICTURES.items():
            if output not in pdfs:
                pdfs[output] = _as_pdf(bundle / output, work)
            picture = _side_by_side(_pages(pdfs[output], pages, work))
            target = folder / name
            picture.quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
                target, optimize=True)
            written.append(target)
    return written


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_doc_pictures.py FOLDER")
    for path in make_pictures(Path(sys.argv[1])):
        print(f"wrote {path} ({path.stat().st_size // 1024} KB)")
