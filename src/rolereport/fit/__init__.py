"""Profile × Guide → ranked fits: pure, deterministic and explainable.

`rank_fits(profile, guide) -> [Fit]` is the one door; `limits(...)` says in words what a
ranking cannot rest on (a profile that says too little, or is not in English). The pieces:

- `passages`: the page cut into labelled passages and indexed once per guide (masks for clauses
  about other roles and for contrasts; the page's tool names; the words typos are corrected to);
- `text`: tokens, stems and units (thesaurus phrases from `data/related-terms.txt`, content words);
- `weights`: page IDF times general-English rarity (`data/word-frequency.txt`, from wordfreq);
- `profile_text` and `aversions`: the profile as positive phrases and aversions, the current
  role masked;
- `typos`: small misspellings of page and thesaurus words, corrected and shown;
- `matching`: one phrase against one role; `evidence`: which matches are shown, and how.

How a role's score is made (README "Fit scores"): each positive phrase is scored against the
role; the role's raw score mixes the weighted mean over phrases with the mean of its best half.
Aversions that match the role lower it. A role linked to the profile by a single term, or
without one reason worth showing, cannot reach "Good fit". A fixed curve maps the raw score
onto 0–100, so scores compare across profiles.

A role with no reason of its own (its score rests on words other roles share) stays below
"Possible fit" and below every role that has one, and is listed after them: evidence, not the
page's order, settles a tie. `best_matches` are the first three roles with a reason of their own
and at least "Possible fit"; there may be none.
"""

from __future__ import annotations

import math
import re

from rolereport.fit.evidence import MAX_EVIDENCE, RELATIVE, caution_passage, excerpt, profile_quote, worth_showing
from rolereport.fit.matching import Match, match
from rolereport.fit.passages import Index, index
from rolereport.fit.profile_text import Phrase, phrases, pieces
from rolereport.fit.text import LEXICON_FILE, is_content, thesaurus_words, tokens
from rolereport.model import Evidence, Fit, Guide, Profile
from rolereport.text.labels import BANDS, band_for

__all__ = ["LEXICON_FILE", "best_matches", "limits", "rank_fits"]

CURVE = 2.6  # score = 100 · (1 − e^(−CURVE · raw))
AVERSION_SCALE, AVERSION_FLOOR = 0.7, 0.08  # raw · (1 − SCALE·m) − FLOOR·m for an aversion matching m
CAUTION_MIN = 0.2  # an aversion matching a role at least this well is shown on its card
GOOD = sorted(t for _, t in BANDS)[-2] if len(BANDS) >= 2 else 0  # the "Good fit" threshold
POSSIBLE = sorted(t for _, t in BANDS)[-3] if len(BANDS) >= 3 else 0  # the "Possible fit" threshold
BEST = 3  # at most this many best matches
ONE_TERM_CAP = GOOD - 10  # a role linked by a single term scores at most this
NO_REASON_CAP = POSSIBLE - 1  # a role without one reason worth showing stays below "Possible fit"
MIN_TERM = 0.25  # a term counts towards "more than one term" from this weight (one-role words)
MIN_TERMS = 1.5  # below this many terms (a common word counts half) a role is "linked by one term"

_index = index  # kept for callers that clear the cache


def _score(raw: float) -> int:
    return max(0, min(100, round(100 * (1 - math.exp(-CURVE * raw)))))


def _raw(matches: list[tuple[Match, Phrase]]) -> float:
    if not matches:
        return 0.0
    total = sum(p.weight for _, p in matches)
    mean = sum(m.score * p.weight for m, p in matches) / total
    top = sorted(matches, key=lambda mp: -mp[0].score * mp[1].weight)[: math.ceil(len(matches) / 2)]
    top_mean = sum(m.score * p.weight for m, p in top) / sum(p.weight for _, p in top)
    return 0.5 * mean + 0.5 * top_mean


def _terms(matches: list[tuple[Match, Phrase]], idx: Index) -> float:
    """How many distinct terms of the profile link it to the role (weighty ones only; one common
    word such as "plan" or "staff" counts half)."""
    found: dict[str, float] = {}
    for m, _ in matches:
        if not m.supported:
            continue
        for u in m.matched:
            if max((idx.idf(f) * c for f, c in u.forms if idx.df.get(f)), default=0) * u.generality \
                    >= MIN_TERM * idx.one_role_idf:
                found[u.literal] = 0.5 if u.ambiguous else 1.0
    return sum(found.values())


def best_matches(fits: list[Fit]) -> list[Fit]:
    """The roles to call a person's best matches: at most three, each with a reason of its own and
    at least "Possible fit" (`fits` as `rank_fits` orders them); none when nothing earns it."""
    return [f for f in fits if f.evidence and f.score >= POSSIBLE][:BEST]


def rank_fits(profile: Profile, guide: Guide) -> list[Fit]:
    """Every alternative of the guide, best fit first: roles with a reason of their own before
    roles without one; equal scores keep the page's order."""
    idx = index(guide)
    found = phrases(profile, idx)
    wanted = [p for p in found if not p.negative]
    averse = [p for p in found if p.negative]
    table = [[match(p, passages, idx) for p in wanted] for passages in idx.passages]
    against = [[match(p, passages, idx) for p in averse] for passages in idx.passages]
    best = [max((row[i].score for row in table), default=0.0) for i in range(len(wanted))]
    worst = [max((row[i].score for row in against), default=0.0) for i in range(len(averse))]
    fits: list[tuple[Fit, float]] = []
    for role, passages, row, row_against in zip(idx.roles, idx.passages, table, against, strict=True):
        matches = list(zip(row, wanted, strict=True))
        raw = _raw(matches)
        if _terms(matches, idx) < MIN_TERMS:
            raw = min(raw, _raw_for(ONE_TERM_CAP))
        # an aversion weighs on the roles it points to: fully on its best match, less on others
        hit = max((m.score * m.score / top for m, top in zip(row_against, worst, strict=True) if top > 0),
                  default=0.0)
        raw = max(0.0, raw * (1 - AVERSION_SCALE * hit) - AVERSION_FLOOR * hit)
        cautions: list[Evidence] = []
        for m, p, top in sorted(zip(row_against, averse, worst, strict=True), key=lambda t: -t[0].score):
            if cautions or m.score < CAUTION_MIN or m.score < RELATIVE * top or not m.supported:
                continue
            # only where the role names the averted thing itself, not one word or sense of it
            found = caution_passage(p.text, p.units, passages, m.passage)
            if found is not None:
                passage, hits, said = found
                cautions.append(Evidence(profile_text=profile_quote(p.text, said),
                                         source_text=excerpt(passage, hits), field=passage.field,
                                         read_as=profile_quote(p.read_as, said) if p.read_as else ""))
        evidence: list[Evidence] = []
        seen: set[str] = set()
        order = sorted(range(len(matches)), key=lambda i: -matches[i][0].score * matches[i][1].weight)
        for i in order:
            m, p = matches[i]
            if len(evidence) >= MAX_EVIDENCE or not worth_showing(m, best[i]) or m.passage is None:
                continue
            quote = excerpt(m.passage, m.hits)
            if quote in seen:
                continue
            seen.add(quote)
            evidence.append(Evidence(profile_text=profile_quote(p.text, m.matched), source_text=quote,
                                     field=m.passage.field, read_as=profile_quote(p.read_as, m.matched)
                                     if p.read_as else ""))
        fits.append((Fit(role=role.name, rank=role.rank, score=_score(raw), band=band_for(_score(raw)),
                         evidence=tuple(evidence), cautions=tuple(cautions)), raw))
    return _ordered(fits)


def _ordered(fits: list[tuple[Fit, float]]) -> list[Fit]:
    """Roles with a reason first, by score; a role without one scores no more than any role with
    one, and below "Possible fit". Equal scores: the role with more reasons first, then the higher
    raw score; the page's order only where the evidence is the same."""
    floor = min((f.score for f, _ in fits if f.evidence), default=100)
    out = []
    for f, raw in fits:
        if not f.evidence and f.score > min(NO_REASON_CAP, floor):
            score = min(NO_REASON_CAP, floor)
            f = f.model_copy(update={"score": score, "band": band_for(score)})
        out.append((f, raw))
    out.sort(key=lambda fr: (not fr[0].evidence, -fr[0].score, -len(fr[0].evidence), -round(fr[1], 9), fr[0].rank))
    return [f for f, _ in out]


def _raw_for(score: int) -> float:
    """The raw value the curve maps onto `score` (inverse of `_score`)."""
    return -math.log(1 - min(score, 99) / 100) / CURVE


# --- what a ranking cannot rest on ------------------------------------------------------------

MIN_WORDS = 3  # fewer content words than this is too little to rank by
FOREIGN_SHARE = 0.25  # this share of a profile's words from other languages: not English


def limits(profile: Profile, fits: list[Fit] | None = None, *, advice: bool = True) -> list[str]:
    """Plain sentences on what this ranking cannot rest on; empty when the profile is usable.
    `advice=False` leaves out what to add to the profile (": add …"), which is for whoever
    prepares it, not for the person reading their own guide."""
    notes = _limits(profile, fits)
    return notes if advice else [_ADVICE.sub(".", n) for n in notes]


_ADVICE = re.compile(r": add [^.]*\.$")


def _limits(profile: Profile, fits: list[Fit] | None) -> list[str]:
    from rolereport.fit import weights

    texts = [t for _, t in pieces(profile)]
    if not texts:
        return ["The profile gives no interests, strengths or goals, so there is nothing to rank the "
                "roles by: add a few in the person's own words."]
    words = [t for text in texts for t, _, _ in tokens(text) if not t.isdigit()]
    known = thesaurus_words()
    foreign = sum(1 for w in words if weights.is_foreign(w) and w not in known)
    english = sum(1 for w in words if (weights.is_english(w) and not weights.is_foreign(w)) or w in known)
    matched = fits is not None and any(f.evidence or f.score > 0 for f in fits)
    if words and foreign >= max(2, FOREIGN_SHARE * len(words)) and english < 0.6 * len(words):
        if fits is None:
            return ["The interests, strengths and goals do not seem to be in English: the fit scoring "
                    "reads English only, so at most tool names will match."]
        if matched:
            return ["Only tool names and a few shared words could be matched: the interests, strengths "
                    "and goals do not seem to be in English, and the scoring reads English only."]
        return ["Nothing could be matched: the interests, strengths and goals do not seem to be in "
                "English, and the scoring reads English only."]
    content = {w for w in words if is_content(w)}
    if len(content) < MIN_WORDS:
        return [f"The profile says too little to rank by ({len(content)} word{'s' if len(content) != 1 else ''} "
                "to go on): add a few interests, strengths or goals in full phrases."]
    from rolereport.fit import aversions

    positive = [w for text in texts for piece in aversions.split(text) if not piece.negative
                for w, _, _ in tokens(piece.text) if is_content(w)]
    if not positive:
        return ["The profile only says what the person would rather leave behind, so the ranking "
                "can only move roles down: add what they would like to do."]
    if fits is not None and not matched:
        return ["Nothing in the profile matches the words of these roles, so they are listed in the "
                "page's own order."]
    return []
