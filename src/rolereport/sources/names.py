"""Role names as a page writes them: matched loosely (case, brackets, `&`, accents) and found
in running text (plurals and possessives count; a longer name wins over one inside it)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def _loose(name: str) -> str:
    """A looser key: no brackets, `&` as `and`, punctuation and accents ignored."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", text).replace("&", " and ")
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def _words(name: str) -> str:
    words = [r"(?:&|and)" if w in ("&", "and") else re.escape(w) for w in name.split()]
    return r"\s+".join(words)


def _variants(name: str) -> list[str]:
    """The name as written, and without its bracketed part (`Nurse Practitioner (NP)` is also
    named as `Nurse Practitioner`)."""
    short = " ".join(re.sub(r"\([^)]*\)", " ", name).split())
    return [name] + ([short] if short and short != name and len(short) >= 3 else [])


def _fold(text: str) -> str:
    return " ".join(text.casefold().replace("&", " and ").split())


@lru_cache(maxsize=4096)
def name_pattern(name: str) -> re.Pattern[str]:
    """A mention of the name (either variant); plurals and possessives count."""
    alts = "|".join(f"(?:{_words(v)})" for v in _variants(name))
    return re.compile(r"(?<!\w)(?:" + alts + r")(?:s|'s|’s)?(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _probes(name: str) -> tuple[str, ...]:
    return tuple(_fold(v) for v in _variants(name))


def names_in(text: str, names: list[str]) -> list[str]:
    """Names mentioned in text, in order of first mention; a longer name wins over one inside it."""
    hits = []
    folded = _fold(text)
    for name in names:
        if not any(p in folded for p in _probes(name)):
            continue  # cheap pre-check: most names are not in most texts
        for m in name_pattern(name).finditer(text):
            hits.append((m.start(), -(m.end() - m.start()), m.end(), name))
    hits.sort()
    taken_until, found = -1, []
    for start, _neg_len, end, name in hits:
        if start < taken_until:
            continue
        taken_until = end
        if name not in found:
            found.append(name)
    return found
