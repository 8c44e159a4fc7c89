"""One profile phrase against one role: how much of the phrase's weight the role covers.

A unit's weight is its rarity across the page's roles (IDF) times the credit of the form that
matched (literal, thesaurus group, word of a phrase) times its generality share (common English
words weigh little). A phrase's score blends the best single passage with the whole role.
A match that rests on one ambiguous common word while the phrase's other words find nothing is
a weak sign ("looking after our build server") and keeps only a small share of its score.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rolereport.fit.passages import FIELD_WEIGHTS, Index, Passage
from rolereport.fit.profile_text import Phrase
from rolereport.fit.text import PART, Unit

UNKNOWN_SHARE = 0.5  # weight of a word the page never uses, as a share of a one-role word's weight
FLOOR = 1.0  # a phrase's weight counts for at least this many one-role words
UNSUPPORTED = 0.3  # share kept by a match resting on one ambiguous word alone, or on common words
MEANINGFUL = 0.4  # a word keeping less of its weight than this (zipf ≳ 5.6) carries no match alone


@dataclass(frozen=True)
class Match:
    score: float  # 0..1
    passage: Passage | None
    hits: tuple[Unit, ...]  # units of the passage that matched
    earned: float  # weight the best passage earned, in units of a one-role word
    matched: tuple[Unit, ...]  # units of the phrase that matched anywhere in the role
    supported: bool  # False when it rests on one ambiguous common word (or its quote would)


NO_MATCH = Match(0.0, None, (), 0.0, (), True)


def unit_weight(unit: Unit, index: Index) -> tuple[float, float]:
    """(weight it can earn, weight it counts for): rare words count more, unknown words dilute."""
    known = [index.idf(f) * c for f, c in unit.forms if index.df.get(f)]
    unknown = UNKNOWN_SHARE * index.one_role_idf * unit.generality
    if not known:
        return 0.0, unknown
    best = max(known) * unit.generality
    return best, max(best, unknown)


def earned(unit: Unit, passage: Passage, index: Index) -> float:
    best = max((index.idf(f) * c for f, c in unit.forms if f in passage.forms), default=0.0)
    return best * unit.generality


def _whole(unit: Unit, passages: tuple[Passage, ...]) -> bool:
    """Whether the unit matches some passage as itself or its thesaurus group, not only as a
    word of a longer term."""
    return any(f in p.whole for f, c in unit.forms if c > PART for p in passages)


def same_sense(unit: Unit, passages: tuple[Passage, ...]) -> bool:
    """Whether the role can use a common word in the phrase's sense. A word the person bound to
    the word before it, or by a hyphen ("model architectures", "push-button"), counts only where
    the role uses that word too: "data architecture" is another sense. A word the person set before
    a noun ("build server") does not count where the role only uses it as a verb ("building data
    infrastructure") without that noun."""
    if unit.partners and not any(f in p.forms for p in passages for f in unit.partners):
        return False
    if not unit.modifies or unit.word.endswith("ing") \
            or any(f in p.forms for p in passages for f in unit.modifies):
        return True
    uses = [u.word for p in passages for u in p.units if u.literal == unit.literal]
    return not uses or any(not w.endswith("ing") for w in uses)


def match(phrase: Phrase, passages: tuple[Passage, ...], index: Index) -> Match:
    # a word the role uses in another sense still weighs in the phrase, but earns nothing here as
    # itself (through its thesaurus group, a meaning, it still may)
    if any((u.partners or u.modifies) and not same_sense(u, passages) for u in phrase.units):
        phrase = replace(phrase, units=tuple(
            u if not (u.partners or u.modifies) or same_sense(u, passages)
            else replace(u, forms=((u.literal, 0.0), *u.forms[1:])) for u in phrase.units))
    weights = [unit_weight(u, index) for u in phrase.units]
    total = sum(d for _, d in weights)
    if total <= 0:
        return NO_MATCH
    # a phrase of weak words cannot score high by covering itself: its weight counts for at
    # least FLOOR one-role words ("planning" shared by three roles is a weak sign)
    total = max(total, FLOOR * index.one_role_idf)
    role_level = 0.0
    matched: list[Unit] = []
    per_passage = [0.0] * len(passages)  # what the phrase's units earn in each passage
    for unit, (cap, _) in zip(phrase.units, weights, strict=True):
        if cap <= 0:
            continue  # no form of the unit is on the page: it earns nothing anywhere
        got = [earned(unit, p, index) for p in passages]
        hits = sum(1 for e in got if e > 0)
        if hits:
            role_level += max(FIELD_WEIGHTS[p.field] * e for p, e in zip(passages, got, strict=True)) \
                * (1 - 0.5 ** (hits + 1))
            matched.append(unit)
            per_passage = [a + b for a, b in zip(per_passage, got, strict=True)]
    if not matched:
        return NO_MATCH
    best, best_passage, best_got = 0.0, None, 0.0
    for passage, got in zip(passages, per_passage, strict=True):
        value = FIELD_WEIGHTS[passage.field] * got / total
        if value > best:
            best, best_passage, best_got = value, passage, got
    score = min(1.0, 0.5 * best + 0.5 * role_level / total)
    # What carries the match: matched words that are not common English words. It stands if
    # the phrase has only one such word (the person wrote just that), or one of them is not an
    # ambiguous common word, or two ambiguous ones meet in the same passage ("difficult
    # conversations") or are both used as such by the role ("smooth … schedule"). An ambiguous
    # word found only inside a longer term of the page is another sense ("build server" against
    # "server-side logic").
    meaningful = [u for u in matched if u.generality >= MEANINGFUL]
    wanted_words = [u for u in phrase.units if u.generality >= MEANINGFUL]
    supported = bool(meaningful) and (
        len(wanted_words) == 1 or any(not u.ambiguous for u in meaningful)
        or any(sum(1 for u in meaningful if _whole(u, (p,))) >= 2 for p in passages)
        or sum(1 for u in meaningful if any(u.literal in p.whole for p in passages)) >= 2)
    if not supported:
        score *= UNSUPPORTED
    hits: tuple[Unit, ...] = ()
    shown = supported
    if best_passage is not None:
        wanted = {f for u in matched for f, _ in u.forms}
        hits = tuple(u for u in best_passage.units if any(f in wanted for f, _ in u.forms))
        # the passage quoted must itself carry the match, not only the role as a whole
        shown = supported and any(_whole(u, (best_passage,)) for u in meaningful)
    return Match(score, best_passage, hits, best_got / index.one_role_idf, tuple(matched), shown)
