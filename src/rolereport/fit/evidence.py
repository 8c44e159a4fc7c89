"""The lines a coach reads aloud: which matches are shown, and how their quotes are trimmed.

A match is shown only when its terms carry real weight (not one common word, not a match that
rests on an ambiguous word alone); at most three per role, each from a different profile phrase
and a different excerpt. Excerpts are cut at clause boundaries where possible and never end in
a full stop, so "…, which matches “…” in the role's description." reads as one sentence.
"""

from __future__ import annotations

import re

from rolereport.fit.matching import MEANINGFUL, Match
from rolereport.fit.passages import Passage
from rolereport.fit.text import Unit

MAX_EVIDENCE = 3
MAX_EXCERPT = 140
MAX_PROFILE_QUOTE = 90  # a longer profile clause is quoted around the words that matched
RELATIVE = 0.6  # a phrase is a reason for a role only if it matches it nearly as well as its best role
MIN_SCORE = 0.12  # a phrase's match score below this is not a reason
MIN_EARNED = 0.45  # nor is a passage sharing less than this many one-role words' weight

_CLAUSE = re.compile(r"[,;:]\s+|\s[—–]\s|\s-\s|\.\s+")
_END_PUNCT = " \t,;:.!"


def worth_showing(m: Match, best: float) -> bool:
    """Whether a match is a reason a coach would read out; `best` is the phrase's best score on
    any role of the page (a phrase that points elsewhere is no reason for this role)."""
    return (m.passage is not None and m.supported and m.score >= MIN_SCORE and m.earned >= MIN_EARNED
            and m.score >= RELATIVE * best and any(u.generality >= MEANINGFUL for u in m.matched))


def excerpt(passage: Passage, hits: tuple[Unit, ...]) -> str:
    """A short excerpt of the passage around the words that matched, cut at clause boundaries."""
    return trim(passage.text, hits, MAX_EXCERPT)


def profile_quote(text: str, matched: tuple[Unit, ...]) -> str:
    """The person's words as quoted: a long clause is cut around the words that matched."""
    return trim(text, matched, MAX_PROFILE_QUOTE)


def trim(text: str, hits: tuple[Unit, ...], limit: int) -> str:
    """`text` cut to at most `limit` characters around `hits`, at clause boundaries where it can."""
    if len(text) <= limit or not hits:
        if len(text) <= limit:
            return text.rstrip(_END_PUNCT)
        return text[: limit - 1].rsplit(" ", 1)[0].rstrip(_END_PUNCT) + "…"
    bounds = [0] + [m.end() for m in _CLAUSE.finditer(text)] + [len(text) + 1]
    clauses = [(bounds[i], bounds[i + 1] - 1) for i in range(len(bounds) - 1)]
    first, last = min(u.start for u in hits), max(u.end for u in hits)
    # the clauses holding the hits, widened while they fit; else the clause of the first hit
    inside = [c for c in clauses if c[1] >= first and c[0] <= last]
    start, end = inside[0][0], inside[-1][1]
    if end - start > limit:
        start, end = next(c for c in clauses if c[0] <= first <= c[1] + 1)
        if end - start > limit:
            return _window(text, first, last, limit)
    piece = text[start:end].strip().rstrip(_END_PUNCT)
    return ("…" if start > 0 else "") + piece + ("…" if end < len(text) - 1 else "")


def _window(text: str, first: int, last: int, limit: int) -> str:
    if last - first > limit - 10:
        last = first + limit - 10
    slack = limit - (last - first)
    start = max(0, first - slack // 3)
    end = min(len(text), last + slack - (first - start))
    if start > 0:
        start = text.find(" ", start) + 1 if text.find(" ", start) != -1 else start
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > last - 1 else end
    piece = text[start:end].strip(" ,;:").rstrip(_END_PUNCT)
    return ("…" if start > 0 else "") + piece + ("…" if end < len(text) else "")
