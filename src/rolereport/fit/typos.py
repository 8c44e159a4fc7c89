"""Small misspellings of the page's and the thesaurus's words: "kubernets", "dokcer",
"terrafrom", "deploymnets".

A profile word is corrected only when it is long enough (5+ letters), is neither a word of the
page or the thesaurus nor an English word, nor a regular inflection of one ("deploys" beside the
page's "deploy", "containerised" beside "containerise": those match through their stem and are
no misspelling to point out), and lies within a small edit distance of exactly one
best candidate that starts with the same letter: one edit (a swap of two neighbours counts as one)
up to 7 letters, two from 8. rapidfuzz computes the distances (imported only when a profile has
such a word).
"""

from __future__ import annotations

from functools import lru_cache

from rolereport.fit import weights
from rolereport.fit.passages import TYPO_MIN_LENGTH
from rolereport.fit.text import key

LONG_WORD = 8


def _allowed(word: str) -> int:
    return 1 if len(word) < LONG_WORD else 2


@lru_cache(maxsize=8192)
def correct(word: str, vocabulary: tuple[str, ...]) -> str | None:
    """The word `word` was probably meant to be, or None to leave it as written."""
    if (len(word) < TYPO_MIN_LENGTH or not word.isalpha() or weights.is_english(word)
            or weights.is_foreign(word)):
        return None
    known = _known(vocabulary)
    if word in known or any(base in known or weights.is_english(base) for base in bases(word)):
        return None
    from rapidfuzz.distance import OSA
    from rapidfuzz.process import extract

    limit = _allowed(word)
    found = extract(word, _by_letter(vocabulary).get(word[0], ()), scorer=OSA.distance,
                    score_cutoff=limit, limit=3)
    if not found:
        return None
    best = min(d for _, d, _ in found)
    winners = sorted(w for w, d, _ in found if d == best)
    if len({key(w) for w in winners}) != 1:
        return None  # two equally close, different words: do not guess
    return winners[0]


_SUFFIXES = ("s", "es", "ed", "d", "ing", "er", "ers", "ly", "ment", "ments", "ness", "able", "al")


def bases(word: str) -> list[str]:
    """What `word` is a regular English inflection of: "deploys" → deploy, "automating" →
    automat, automate; "shipped" → shipp, ship. Candidates only; the caller checks they exist."""
    out = []
    for suffix in _SUFFIXES:
        stem = word.removesuffix(suffix)
        if stem == word or len(stem) < 3:
            continue
        out.append(stem)
        if suffix[0] in "aei":
            out.append(stem + "e")  # automat-ing → automate
        if len(stem) > 3 and stem[-1] == stem[-2]:
            out.append(stem[:-1])  # shipp-ed → ship
        if stem.endswith("i"):
            out.append(stem[:-1] + "y")  # appli-ed → apply
    return out


@lru_cache(maxsize=16)
def _known(vocabulary: tuple[str, ...]) -> frozenset[str]:
    return frozenset(vocabulary)


@lru_cache(maxsize=16)
def _by_letter(vocabulary: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    groups: dict[str, list[str]] = {}
    for w in vocabulary:
        groups.setdefault(w[0], []).append(w)
    return {k: tuple(v) for k, v in groups.items()}
