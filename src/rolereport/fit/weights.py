"""How much a word can say: the page's own document frequencies (BM25-style IDF) times how rare
the word is in general English, so that words such as "part", "way", "team" or "business" weigh
almost nothing however the page uses them.

The general-English frequencies come from wordfreq, written once into
`data/word-frequency.txt` by `tools/make_word_frequency.py` (importing wordfreq itself and
loading its list costs about 0.4 s; reading the file costs under 10 ms). The file is read on
first use, once per process, and only by commands that score.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

FREQUENCY_FILE = Path(__file__).resolve().parent.parent / "data" / "word-frequency.txt"

# A word up to COMMON_FROM (zipf) keeps its full weight; from there it loses weight linearly down
# to GENERIC_FLOOR at GENERIC_AT. (zipf 6 ≈ once per thousand words: "way", "make", "people".)
COMMON_FROM = 4.5
GENERIC_AT = 6.2
GENERIC_FLOOR = 0.05
# A single common word ("server", "keys", "plan", "staff") is ambiguous: a match resting on it
# alone needs support from another term of the same phrase.
AMBIGUOUS_FROM = 4.3
ENGLISH_FROM = 3.0  # words at least this common are English words for the language check


@dataclass(frozen=True)
class _Frequencies:
    zipf: dict[str, float]
    other: frozenset[str]  # everyday words of other languages, rare in English


@lru_cache(maxsize=1)
def _frequencies() -> _Frequencies:
    zipf: dict[str, float] = {}
    other: frozenset[str] = frozenset()
    with FREQUENCY_FILE.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#"):
                continue
            head, _, rest = line.partition(" ")
            if head == "other":
                other = frozenset(rest.split())
            else:
                zipf.update(dict.fromkeys(rest.split(), float(head)))
    return _Frequencies(zipf, other)


def zipf(word: str) -> float:
    """How common a word is in English on wordfreq's zipf scale (0 for a word rarer than 3)."""
    return _frequencies().zipf.get(word, 0.0)


def generality(word: str) -> float:
    """The share of its weight a word keeps for being common in general English (1 = all)."""
    z = zipf(word)
    if z <= COMMON_FROM:
        return 1.0
    share = 1.0 - (z - COMMON_FROM) / (GENERIC_AT - COMMON_FROM) * (1.0 - GENERIC_FLOOR)
    return max(GENERIC_FLOOR, share)


def is_ambiguous(word: str) -> bool:
    return zipf(word) >= AMBIGUOUS_FROM


def is_english(word: str) -> bool:
    return zipf(word) >= ENGLISH_FROM


def is_foreign(word: str) -> bool:
    return word in _frequencies().other
