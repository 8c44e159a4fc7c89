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
from rolereport.fit.text import PART, Unit

MAX_EVIDENCE = 3
MAX_EXCERPT = 140
MAX_PROFILE_QUOTE = 90  # a longer profile clause is quoted around the words that matched
RELATIVE = 0.6  # a phrase is a reason for a role only if it matches it nearly as well as its best role
MIN_SCORE = 0.12  # a phrase's match score below this is not a reason
MIN_EARNED = 0.45  # nor is a passage sharing less than this many one-role words' weight
NAMED_SHARE = 0.5  # a passage names a thing of several words when it has more than this share of them

_LIST_GAP = re.compile(r"[,;/&]|\b(?:and|or|nor|then|plus)\b")
_CLAUSE = re.compile(r"[,;:]\s+|\s[—–]\s|\s-\s|\.\s+")
_END_PUNCT = " \t,;:.!"


def worth_showing(m: Match, best: float) -> bool:
    """Whether a match is a reason a coach would read out; `best` is the phrase's best score on
    any role of the page (a phrase that points elsewhere is no reason for this role)."""
    return (m.passage is not None and m.supported and m.score >= MIN_SCORE and m.earned >= MIN_EARNED
            and m.score >= RELATIVE * best and any(u.generality >= MEANINGFUL for u in m.matched))


def averted_items(text: str, units: tuple[Unit, ...]) -> list[tuple[Unit, ...]]:
    """An aversion's things, each as the run of units that names it: "on-call, Kubernetes or
    Docker" is three things, "tuning models" one (two words that mean it only together)."""
    items: list[list[Unit]] = []
    for u in sorted(units, key=lambda u: u.start):
        if items and not _LIST_GAP.search(text[items[-1][-1].end:u.start].casefold()):
            items[-1].append(u)
        else:
            items.append([u])
    return [tuple(i) for i in items if any(u.generality >= MEANINGFUL for u in i)]


def names_whole(item: tuple[Unit, ...], passage: Passage) -> bool:
    """Whether the passage names the averted thing itself. A one-term thing is named by its own
    word, or through the thesaurus by a term of several words ("firefighting" by "incident
    response"), not by one word of the same topic ("reliable", "resilient systems"); a thing of
    several words by most of
    those words themselves (weighed by how telling each is), since one of them alone, or a sense of
    it, may mean something else: "tuning models" is not named by "automation and efficiency", nor
    by "integrate ML models"; "chasing sales figures" is by "follow sales figures"."""
    weighty = [u for u in item if u.generality >= MEANINGFUL]
    if len(weighty) == 1:
        unit = weighty[0]
        if unit.literal in passage.whole:
            return True
        groups = {f for f, c in unit.forms if c > PART and f.startswith("g:")}
        return any(u.literal.startswith("p:") and any(f in groups for f, _ in u.forms) for u in passage.units)
    literal = sum(u.generality for u in weighty if u.literal in passage.whole)
    return literal > NAMED_SHARE * sum(u.generality for u in weighty)


def caution_passage(text: str, units: tuple[Unit, ...], passages: tuple[Passage, ...],
                    first: Passage | None) -> tuple[Passage, tuple[Unit, ...], tuple[Unit, ...]] | None:
    """The passage a caution quotes (the aversion's best passage first), with its hits and the
    averted words it names; None when no passage of the role names one averted thing whole."""
    items = averted_items(text, units)
    for passage in ([first] if first is not None else []) + [p for p in passages if p is not first]:
        named = [i for i in items if names_whole(i, passage)]
        if named:
            said = tuple(u for i in named for u in i)
            wanted = {f for u in said for f, c in u.forms if c > PART}
            return passage, tuple(u for u in passage.units if any(f in wanted for f, _ in u.forms)), said
    return None


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
