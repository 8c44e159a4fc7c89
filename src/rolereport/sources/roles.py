"""Job titles as rosters write them, matched with the roles pages name.

A title and a role are compared in one normal form: letter case, accents and punctuation aside,
seniority and level words dropped ("Senior", "Sr.", "Lead", "Staff", "Principal", "II", "III"),
and the common abbreviations of `data/role-abbreviations.txt` spelled out ("ML Engineer", "MLE" →
"machine learning engineer"). Equal normal forms score 100; a title holding every word of a role
and a few more ("RN, ICU" → "registered nurse icu" for "Registered Nurse") scores 95 less 3 a word
more; otherwise rapidfuzz's token-sort ratio. `THRESHOLD` was measured on titles as HR systems
write them (tools/measure_role_matching.py): see the README's "A library of pages".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rapidfuzz import fuzz

THRESHOLD = 80  # below: no match (tools/measure_role_matching.py)
AMBIGUOUS = 5  # a second role within this many points of the best: the match is ambiguous
WORD_MATCH = 88  # a word of a role found in a title when at least this alike (a typo)
SUBSET, SUBSET_STEP = 95, 3

LEVEL_WORDS = frozenset(
    "senior sr snr junior jr jnr lead staff principal associate entry mid level grade "
    "i ii iii iv v vi 1 2 3 4 5".split())
ABBREVIATIONS_FILE = Path(__file__).resolve().parent.parent / "data" / "role-abbreviations.txt"


@cache
def abbreviations() -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for raw in ABBREVIATIONS_FILE.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        short, sep, long = line.partition("=")
        if sep and short.strip() and long.strip():
            found[_fold(short).replace("&", "and").replace(" ", "")] = tuple(_words(long))
    return found


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", _fold(text).replace("&", " and "))


@cache
def normal(title: str) -> tuple[str, ...]:
    """The title's words in the form roles are compared in (level words out, abbreviations in)."""
    folded = _fold(title)
    short = abbreviations()
    # "FP&A", "Sr." and "R.N." are one word each before punctuation goes
    folded = re.sub(r"\b(\w)\.(?=\w\.)", r"\1", folded)
    words: list[str] = []
    for word in re.findall(r"[^\W_]+(?:&[^\W_]+)*", folded):
        key = word.replace("&", "and")
        if key in short:
            words.extend(short[key])
        elif "&" in word:
            words.extend(_words(word))
        else:
            words.append(word)
    kept = [w for w in words if w not in LEVEL_WORDS] or words
    return tuple(dict.fromkeys(kept))  # "Nurse Practitioner (NP)" says its words twice


def score(title: str, role: str) -> int:
    """0-100: how surely `title` (a person's) names `role` (a page's)."""
    a, b = normal(title), normal(role)
    if not a or not b:
        return 0
    if a == b or sorted(a) == sorted(b):
        return 100
    ratio = round(fuzz.token_sort_ratio(" ".join(a), " ".join(b)))
    rest = list(a)
    for word in b:  # every word of the role in the title, allowing a typo
        if not rest:
            return ratio
        best = max(rest, key=lambda w: fuzz.ratio(w, word))
        if fuzz.ratio(best, word) < WORD_MATCH:
            return ratio
        rest.remove(best)
    return max(ratio, SUBSET - SUBSET_STEP * len(rest))


@dataclass(frozen=True)
class Ranked:
    role: str
    score: int


def rank(title: str, roles: Iterable[str]) -> list[Ranked]:
    """Every role with its score, best first (ties in the order given)."""
    found = [Ranked(r, score(title, r)) for r in roles]
    return sorted(found, key=lambda r: -r.score)


def best(title: str, roles: Sequence[str]) -> str | None:
    """The role `title` names among `roles` when one clears the threshold, else None."""
    ranked = rank(title, roles)
    return ranked[0].role if ranked and ranked[0].score >= THRESHOLD else None
