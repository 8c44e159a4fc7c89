"""Survey answers as people type them, made into a profile's lists: a paragraph typed into a text
box, a checkbox answer (the options joined with ", "), bullets pasted from a document.

A list cell is split at line breaks, `;` and bullets, and at ", " where every piece is a few words
(a checkbox answer, or a list typed with commas); an item longer than a profile allows is split
further at sentence ends, then at ", ", then between words, so every word is kept. Only a cell
beyond what a profile can hold at all (more items than allowed) is cut, and the caller warns.
"""

from __future__ import annotations

import re

from rolereport.inputs.profile import MAX_GOALS_CHARS, MAX_ITEM_CHARS, MAX_ITEMS

_LINES = re.compile(r"\s*(?:[\r\n;]+|\s[•◦▪‣·]\s)\s*")
_BULLET = re.compile(r"^\s*(?:[-*•◦▪‣·–]|\d{1,2}[.)])\s+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=\S)")
_COMMA = re.compile(r",\s+")
OPTION_WORDS = 4  # a checkbox option is a few words; a longer piece is part of a sentence


def _fit(text: str, limit: int) -> list[str]:
    """`text` in pieces of at most `limit` characters: at sentence ends, then commas, then words."""
    if len(text) <= limit:
        return [text]
    for splitter in (_SENTENCE, _COMMA):
        parts = [p.strip(" ,") for p in splitter.split(text) if p.strip(" ,")]
        if len(parts) > 1:
            return [piece for part in parts for piece in _fit(part, limit)]
    pieces, current = [], ""
    for word in text.split():
        while len(word) > limit:  # one "word" longer than an item (a pasted URL): cut it
            if current:
                pieces.append(current)
                current = ""
            pieces.append(word[:limit])
            word = word[limit:]
        if current and len(current) + 1 + len(word) > limit:
            pieces.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        pieces.append(current)
    return pieces


def _options(line: str) -> list[str]:
    """A checkbox answer ("Data engineering, Machine learning, Cloud") as its options: split at ", "
    when every piece is a few words and the line holds no sentence; else the line as it is."""
    pieces = [p.strip() for p in _COMMA.split(line)]
    if len(pieces) > 1 and not _SENTENCE.search(line) and all(0 < len(p.split()) <= OPTION_WORDS for p in pieces):
        return pieces
    return [line]


def items(texts: list[str]) -> tuple[list[str], int]:
    """The list items in these cells (one field's columns), and how many were left out because a
    profile holds at most MAX_ITEMS."""
    found: list[str] = []
    for text in texts:
        for line in _LINES.split(text):
            line = " ".join(_BULLET.sub("", line).split())
            for piece in _options(line) if line else ():
                found.extend(_fit(piece, MAX_ITEM_CHARS))
    found = list(dict.fromkeys(found))
    return found[:MAX_ITEMS], max(0, len(found) - MAX_ITEMS)


def goals(texts: list[str]) -> tuple[str, int]:
    """The goals text from these cells, and how many characters were cut (over MAX_GOALS_CHARS)."""
    text = "\n".join(t.strip() for t in texts if t.strip())
    if len(text) <= MAX_GOALS_CHARS:
        return text, 0
    cut = text[:MAX_GOALS_CHARS]
    end = max(cut.rfind(". "), cut.rfind("\n"))
    if end < MAX_GOALS_CHARS // 2:
        end = cut.rfind(" ")
    cut = cut[: end + 1].rstrip() if end > 0 else cut
    return cut, len(text) - len(cut)
