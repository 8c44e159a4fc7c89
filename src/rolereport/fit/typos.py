"""Small misspellings of the page's and the thesaurus's words: "kubernets", "dokcer",
"terrafrom", "deploymnets".

A profile word is corrected only when it is long enough (5+ letters), is neither a word of the
page or the thesaurus nor an English word, and lies within a small edit distance of exactly one
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
    if word in known:
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


@lru_cache(maxsize=16)
def _known(vocabulary: tuple[str, ...]) -> frozenset[str]:
    return frozenset(vocabulary)


@lru_cache(maxsize=16)
def _by_letter(vocabulary: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    groups: dict[str, list[str]] = {}
    for w in vocabulary:
        groups.setdefault(w[0], []).append(w)
    return {k: tuple(v) for k, v in groups.items()}
