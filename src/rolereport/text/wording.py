"""Small wording rules the templates share, so every format phrases things alike.

Pure functions over text (registered as Jinja2 filters and tests in `templating.py`).
"""

from __future__ import annotations

import re

from rolereport.text.labels import LABELS

_LEADING_IF = re.compile(r"^\s*if\s+(?=\S)", re.I)
_BRACKETS = re.compile(r"\s*[\(\[][^)\]]*[\)\]]")
_END = re.compile(r"[.!?…:;]$")


def after_if(condition: str) -> str:
    """The condition without its leading "If", so "Pick this if" + condition reads once:
    "If you like X" → "you like X". A condition without one is left as it is."""
    return _LEADING_IF.sub("", condition, count=1)


def starts_with_if(condition: str) -> bool:
    return bool(_LEADING_IF.match(condition))


def sentence_end(text: str) -> str:
    """"." unless the text already ends a sentence (or a clause) itself."""
    return "" if _END.search(text.strip()) else "."


def mentions(text: str | None, name: str) -> bool:
    """Whether `text` names the role `name` (ignoring case, and the name's bracketed part)."""
    if not text:
        return False
    folded = text.casefold()
    plain = _BRACKETS.sub("", name).strip().casefold()
    return name.casefold() in folded or bool(plain and plain in folded)


def fit_spoken(band: str, score: int) -> str:
    """The badge as it is read aloud (the PDF's /ActualText for it)."""
    return LABELS["fit_spoken"].format(band=band, score=score)


def fit_badge(band: str, score: int) -> str:
    """A fit as every output shows it, in the best matches and in each role's section alike."""
    return LABELS["fit_badge"].format(band=band, score=score)
