"""`rolereport doctor`: what this installation can do, one line per part, each ok or what to do."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass

FONT_HINT = ("`make fonts` installs them (Debian's Noto packages as root, else the same fonts from "
             "PyPI into the venv)")


@dataclass(frozen=True)
class Check:
    part: str
    ok: bool
    detail: str
    required: bool = True  # the default report needs it

    def line(self) -> str:
        mark = "ok  " if self.ok else ("MISSING" if self.required else "note")
        return f"{mark:<7} {self.part}: {self.detail}"


def _version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def _package(part: str, dist: str, fix: str, required: bool = True) -> Check:
    found = _version(dist)
    return Check(part, found is not None, found or fix, required)


def _pandoc() -> Check:
    try:
        from rolereport.system.pandoc import pandoc_path

        out = subprocess.run([pandoc_path(), "--version"], capture_output=True, text=True, timeout=20)
        first = out.stdout.splitlines()[0] if out.returncode == 0 and out.stdout else ""
        return Check("pandoc", bool(first), first or "pandoc does not run; reinstall pypandoc-binary")
    except Exception as exc:  # not installed, not executable, …
        return Check("pandoc", False, f"not usable ({exc}); reinstall pypandoc-binary")


def _subsetter() -> Check:
    import ctypes.util

    found = ctypes.util.find_library("harfbuzz-subset")
    return Check("HarfBuzz font subsetter", found is not None,
                 found or "not found: PDFs still build, a little slower (Debian: libharfbuzz-subset0)",
                 required=False)


def _bundled_font() -> Check:
    try:
        from rolereport.render.fonts import font_dir

        return Check("Source Sans Pro (bundled font)", True, str(font_dir()))
    except Exception as exc:
        return Check("Source Sans Pro (bundled font)", False, f"{exc}; reinstall font-source-sans-pro")


def _scripts() -> Check:
    from rolereport.render.pdf.glyphs import SCRIPT_SAMPLES, missing_scripts

    missing = missing_scripts()  # the same coverage check that warns while building a PDF
    if not missing:
        return Check("fonts for other scripts", True, f"all {len(SCRIPT_SAMPLES)} scripts checked "
                     f"({', '.join(SCRIPT_SAMPLES)})", required=False)
    return Check("fonts for other scripts", False, f"no font for {', '.join(missing)}: such text "
                 f"prints as empty boxes (with a warning); {FONT_HINT}", required=False)


def _cache() -> Check:
    from rolereport.render.pdf.ffi_cache import cache_dir

    folder = cache_dir()
    if folder is None:
        return Check("cache folder", True, "off (ROLEREPORT_CACHE_DIR is empty or no home folder)",
                     required=False)
    state = "ready" if folder.is_dir() else "made on the first PDF"
    return Check("cache folder", True, f"{folder} ({state})", required=False)


def checks() -> Iterator[Check]:
    from rolereport import __version__

    yield Check("rolereport", True, __version__)
    yield _package("WeasyPrint (PDF)", "weasyprint", "not installed; pip install weasyprint")
    yield _pandoc()
    yield _package("openpyxl (XLSX)", "openpyxl", "not installed; pip install openpyxl")
    yield _bundled_font()
    yield _subsetter()
    yield _scripts()
    yield _cache()
    dask = importlib.util.find_spec("distributed") is not None
    yield Check("Dask (batch --cluster/--scheduler)", dask,
                _version("distributed") or "not installed: pip install 'rolereport[dask]'", required=False)
