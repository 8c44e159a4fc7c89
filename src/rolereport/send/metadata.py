"""Whose file is this? The title property a PDF, DOCX or XLSX carries, read without rendering.

The batch writes the person's name into each personalised file's title, so a file that left its
folder still says whose it is. Before a file is attached to someone's e-mail, its title must
name that person: a guide copied into the wrong folder is refused, not sent.
"""

from __future__ import annotations

import re
import unicodedata

from rolereport.render.formats import Unreadable, read_title

__all__ = ["Unreadable", "names", "title_of"]


title_of = read_title  # the document's title property ('' when it has none), by format


def names(title: str, name: str) -> bool:
    """Does the title name this person? Their whole name, not part of a longer one ('Ann' is not
    named by 'Anna Smith', 'José Müller' not by 'José Müller-Lüdenscheidt'), compared with Unicode
    composition, spacing and case folded away ('José' written decomposed still matches)."""
    folded = _fold(name)
    if not folded:
        return False
    pattern = rf"(?<!\w)(?<!\w[-'’]){re.escape(folded)}(?!\w)(?![-'’]\w)"
    return re.search(pattern, _fold(title)) is not None


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())
