"""Text that spreadsheet programs might run: one rule for the XLSX matrix and the CSV manifest.

A cell whose text starts with one of `RISKY_START` is read as a formula (or DDE command) by
Excel, LibreOffice and Google Sheets when it arrives in a CSV file, and when such a cell of an
XLSX file is edited. The matrix marks such cells with Excel's quote prefix; a CSV cannot, so it
gets a leading apostrophe, which every spreadsheet program shows as "text follows".
"""

from __future__ import annotations

RISKY_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def risky(text: str) -> bool:
    return text.startswith(RISKY_START)


def _quoted_risky(text: str) -> bool:
    """Apostrophes, then what starts a formula: `'=1+4`, `''=x` (and `=1+4` itself)."""
    return risky(text.lstrip("'"))


def neutralise(text: str) -> str:
    """CSV form: `=HYPERLINK(…)` becomes `'=HYPERLINK(…)`; text that already looks neutralised
    (`'=1+4`, a name as written) gets its own apostrophe too, so that `restore` gives it back as
    it was; other text is unchanged."""
    return "'" + text if _quoted_risky(text) else text


def restore(text: str) -> str:
    """The inverse of `neutralise`, for programs that read our CSV back."""
    return text[1:] if text.startswith("'") and _quoted_risky(text) else text
