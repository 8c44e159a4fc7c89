"""Profile × Guide → ranked fits: pure, deterministic and explainable.

How a score is made (README: "How fit scoring works"):

1. The page is cut into short passages, each labelled with the field it came from (tagline,
   description sentences, best-for lines, table cells, how-to-pick condition and advice).
   Clauses that talk about *another* role ("While <other role>s focus on …") and contrasts
   ("rather than …", "less about …", "without …") are masked: they describe what a role is not.
2. Text becomes *units*: stemmed words ("deploys" = "deployment"), and phrases from a small
   general thesaurus (`data/related-terms.txt`) so that "one-click deploys" meets "continuous
   delivery" and "A/B tests" meet "experiments". Literal matches earn full credit, related
   terms a little less. The thesaurus holds activities and tools, never role names.
3. Each unit is weighted by how rare it is across the roles (BM25-style IDF; the page's own
   subject counts as one more document, so words the whole page shares weigh little).
4. Each profile phrase (an interest, a strength, a goal sentence, the current role) is scored
   against each role: how much of the phrase's weight the role's best passage covers, blended
   with how much the role covers anywhere (repeated mentions count a little more).
5. A role's score mixes the mean over phrases with the mean of its best half, mapped onto
   0–100 by a fixed curve, so scores compare across profiles. Ties keep the page's order.

The evidence of a fit is the profile phrases that scored highest, each with the short source
excerpt that matched and the field it came from.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rolereport.labels import band_for
from rolereport.model import Evidence, Fit, Guide, Profile, Role

LEXICON_FILE = Path(__file__).resolve().parent / "data" / "related-terms.txt"

# How much each part of a profile speaks for the person.
PHRASE_WEIGHTS = {"interests": 1.0, "goals": 0.8, "strengths": 0.7, "current_role": 0.3}
# How much a passage from each field speaks for its role.
FIELD_WEIGHTS = {
    "tagline": 1.0, "best_for": 1.0, "primary_focus": 1.0, "key_responsibility": 1.0,
    "pick_if": 1.0, "description": 0.85, "pick_advice": 0.85, "tools": 0.9, "deliverable": 0.85,
}
LITERAL, RELATED, PART = 1.0, 0.75, 0.4  # credit: same stem or phrase, related term, word of a phrase
UNKNOWN_SHARE = 0.5  # weight of a word the page never uses, as a share of a one-role word's weight
CURVE = 2.6  # score = 100 · (1 − e^(−CURVE · raw))
MAX_EVIDENCE = 3
MAX_EXCERPT = 140

_STOP = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each either etc every few for
from further get gets getting go had has have having he her here hers him his how i i'd i'm i've if
in into is it its itself just let me more most much my myself no nor not now of off on once only
or other our ours out over own per quite rather really same she should so some such than that the
their theirs them then there these they thing things this those through to too under until up upon
us very via was we were what when where which while who whom why will with within would you your
yours yourself
like likes love loves loved enjoy enjoys enjoyed enjoying interest interests interested want wants
wanted wanting prefer prefers preferred keen passion passionate passionately eager hope hoping
goal goals aim aiming would-like someday one day eventually lot lots kind sort stuff something
somewhere maybe perhaps especially particularly mostly mainly currently current today now next
role roles job jobs career careers position field area areas move moving become becoming towards
toward time years year work working works worked good great strong well better best able ability
skill skills suit suits suited
""".split())
_TOKEN = re.compile(r"c\+\+|c#|f#|\.net|[a-z0-9]+(?:'[a-z]+)?")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'“(])")
_BOUNDARY = re.compile(r"[,;:.!?()—–]|\s-\s|\band more\b|\bbut\b")
_CONTRAST = re.compile(
    r"\b(?:rather than|instead of|unlike|as opposed to|compared (?:to|with)|without|"
    r"less (?:about|on|focus on|focused on|of)|not (?:about|the|on)|no longer|beyond)\b",
    re.IGNORECASE,
)
_RELATIVE = re.compile(r"^\s*,?\s*(?:who|which|whose)\b", re.IGNORECASE)


# --- words and units -----------------------------------------------------------------------

@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _stemmer().stemWord(word)


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return text.replace("’", "'").replace("‘", "'")


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """Lower-cased word tokens with their character spans; `a/b` and `one-click` split in two."""
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(_normalise(text))]


def _key(word: str) -> str:
    word = word.removesuffix("'s")
    return _stem(word)


@dataclass(frozen=True)
class _Lexicon:
    phrases: dict[tuple[str, ...], tuple[int, ...]]  # stemmed word sequence → group ids
    longest: int


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    phrases: dict[tuple[str, ...], list[int]] = {}
    for number, line in enumerate(LEXICON_FILE.read_text(encoding="utf-8").splitlines()):
        if line.lstrip().startswith("#"):
            continue
        for term in line.split("|"):
            words = tuple(_key(w) for w, _, _ in _tokens(term))
            if words:
                groups = phrases.setdefault(words, [])
                if number not in groups:
                    groups.append(number)
    return _Lexicon({k: tuple(v) for k, v in phrases.items()}, max((len(k) for k in phrases), default=1))


@dataclass(frozen=True)
class _Unit:
    forms: tuple[tuple[str, float], ...]  # (form, credit); forms: "w:stem", "p:a b", "g:12"
    start: int
    end: int


def _units(text: str, masked: Iterable[tuple[int, int]] = ()) -> list[_Unit]:
    """Units of a text: thesaurus phrases (longest first), then the remaining content words."""
    lex = _lexicon()
    masks = list(masked)
    toks = [(t, s, e) for t, s, e in _tokens(text) if not any(a <= s < b for a, b in masks)]
    keys = [_key(t) for t, _, _ in toks]
    out: list[_Unit] = []
    i = 0
    while i < len(toks):
        for n in range(min(lex.longest, len(toks) - i), 0, -1):
            words = tuple(keys[i:i + n])
            groups = lex.phrases.get(words)
            if groups is None:
                continue
            if n == 1 and (toks[i][0] in _STOP or len(toks[i][0]) < 2):
                continue
            forms: dict[str, float] = {}
            forms["p:" + " ".join(words) if n > 1 else "w:" + words[0]] = LITERAL
            for g in groups:
                forms[f"g:{g}"] = RELATED
            if n > 1:
                for w, (t, _, _) in zip(words, toks[i:i + n], strict=True):
                    if t not in _STOP and len(t) > 1:
                        forms.setdefault("w:" + w, PART)
            out.append(_Unit(tuple(forms.items()), toks[i][1], toks[i + n - 1][2]))
            i += n
            break
        else:
            word, start, end = toks[i]
            if word not in _STOP and len(word) > 1 and not word.isdigit():
                out.append(_Unit((("w:" + keys[i], LITERAL),), start, end))
            i += 1
    return out


# --- the page, indexed -----------------------------------------------------------------------

@dataclass(frozen=True)
class _Passage:
    field: str
    text: str
    units: tuple[_Unit, ...]
    forms: frozenset[str]


@dataclass(frozen=True)
class _Index:
    roles: tuple[Role, ...]
    passages: tuple[tuple[_Passage, ...], ...]  # per role
    df: dict[str, int]
    docs: int

    def idf(self, form: str) -> float:
        df = self.df.get(form, 0)
        return math.log(1 + (self.docs - df + 0.5) / (df + 0.5))


def _name_patterns(names: Iterable[str]) -> list[re.Pattern[str]]:
    """A role's name as written ("<Role Name>s") and as its initials ("RN", "RNs")."""
    pats = []
    for name in names:
        words = [re.escape(w) for w in name.split()]
        if not words:
            continue
        pats.append(re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?:s|'s|’s)?(?!\w)", re.IGNORECASE))
        initials = "".join(w[0] for w in name.split() if w[:1].isalpha())
        if len(initials) >= 2 and len(name.split()) >= 2:
            pats.append(re.compile(r"(?<!\w)" + re.escape(initials.upper()) + r"(?:s|'s)?(?!\w)"))
    return pats


def _clause(text: str, pos: int) -> tuple[int, int]:
    starts = [m.end() for m in _BOUNDARY.finditer(text, 0, pos)]
    start = starts[-1] if starts else 0
    m = _BOUNDARY.search(text, pos)
    end = m.start() if m else len(text)
    return start, end


def _masks(text: str, others: list[re.Pattern[str]]) -> list[tuple[int, int]]:
    """Spans that describe something else: clauses naming another role, and contrasts."""
    spans = []
    for pat in others:
        for m in pat.finditer(text):
            start, end = _clause(text, m.start())
            spans.append((start, end))
            # "Unlike X, who focus on …," — the relative clause that follows is about X too
            rest = text[end:]
            if _RELATIVE.match(rest):
                nxt = _BOUNDARY.search(text, end + 1 + len(rest) - len(rest.lstrip(" ,")))
                spans.append((end, nxt.start() if nxt else len(text)))
    for m in _CONTRAST.finditer(text):
        nxt = _BOUNDARY.search(text, m.end())
        spans.append((m.start(), nxt.start() if nxt else len(text)))
    return spans


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def _passages(role: Role, others: list[re.Pattern[str]]) -> list[_Passage]:
    raw: list[tuple[str, str]] = [("tagline", role.tagline)]
    raw += [("description", s) for s in _sentences(role.description)]
    raw += [("best_for", b) for b in role.best_for]
    raw += [("primary_focus", role.primary_focus), ("key_responsibility", role.key_responsibility)]
    if role.tools:
        raw.append(("tools", ", ".join(role.tools)))
    raw.append(("deliverable", role.deliverable))
    if role.pick_if:
        raw.append(("pick_if", role.pick_if))
    if role.pick_advice:
        raw += [("pick_advice", s) for s in _sentences(role.pick_advice)]
    out = []
    for field, text in raw:
        if not text or not text.strip():
            continue
        units = tuple(_units(text, _masks(text, others)))
        forms = frozenset(f for u in units for f, _ in u.forms)
        out.append(_Passage(field, text.strip(), units, forms))
    return out


@lru_cache(maxsize=16)
def _index(guide: Guide) -> _Index:
    roles = tuple(guide.alternatives)
    names = [r.name for r in roles] + [guide.subject.name]
    per_role = []
    for role in roles:
        others = _name_patterns(n for n in names if n != role.name)
        per_role.append(tuple(_passages(role, others)))
    df: dict[str, int] = {}
    docs = [frozenset().union(*(p.forms for p in ps)) for ps in per_role]
    subject = guide.subject
    subject_text = " ".join([subject.primary_focus, subject.key_responsibility, *subject.tools,
                             subject.deliverable])
    docs.append(frozenset(f for u in _units(subject_text) for f, _ in u.forms))
    for doc in docs:
        for form in doc:
            df[form] = df.get(form, 0) + 1
    return _Index(roles, tuple(per_role), df, len(docs))


# --- the person, scored ----------------------------------------------------------------------

@dataclass(frozen=True)
class _Phrase:
    text: str
    weight: float
    units: tuple[_Unit, ...]


def _phrases(profile: Profile, subject: list[re.Pattern[str]] | None = None) -> list[_Phrase]:
    raw: list[tuple[str, float]] = []
    raw += [(t, PHRASE_WEIGHTS["interests"]) for t in profile.interests]
    raw += [(t, PHRASE_WEIGHTS["strengths"]) for t in profile.strengths]
    if profile.goals:
        for sentence in _sentences(" ".join(profile.goals.split())):
            raw += [(part.strip(" ,"), PHRASE_WEIGHTS["goals"])
                    for part in re.split(r";|\s+-\s+", sentence) if part.strip(" ,")]
    if profile.current_role and not (subject and any(p.search(profile.current_role) for p in subject)):
        # the page's own subject is where everyone starts from: it says nothing about where to go
        raw.append((profile.current_role, PHRASE_WEIGHTS["current_role"]))
    out = []
    for text, weight in raw:
        units = tuple(_units(text))
        if units:
            out.append(_Phrase(text, weight, units))
    return out


@dataclass(frozen=True)
class _Match:
    score: float  # 0..1
    passage: _Passage | None
    hits: tuple[_Unit, ...]  # units of the passage that matched


def _unit_weight(unit: _Unit, index: _Index) -> tuple[float, float]:
    """(weight it can earn, weight it counts for): rare words count more, unknown words dilute."""
    one_role = math.log(1 + (index.docs - 0.5) / 1.5)  # the IDF of a word only one role uses
    known = [index.idf(f) * c for f, c in unit.forms if index.df.get(f)]
    if not known:
        return 0.0, UNKNOWN_SHARE * one_role
    best = max(known)
    return best, max(best, UNKNOWN_SHARE * one_role)


def _earned(unit: _Unit, passage: _Passage, index: _Index) -> float:
    return max((index.idf(f) * c for f, c in unit.forms if f in passage.forms), default=0.0)


def _match(phrase: _Phrase, passages: tuple[_Passage, ...], index: _Index) -> _Match:
    weights = [_unit_weight(u, index) for u in phrase.units]
    total = sum(d for _, d in weights)
    if total <= 0:
        return _Match(0.0, None, ())
    best, best_passage = 0.0, None
    role_level = 0.0
    for unit, (cap, _) in zip(phrase.units, weights, strict=True):
        if cap <= 0:
            continue
        earned = [FIELD_WEIGHTS[p.field] * _earned(unit, p, index) for p in passages]
        hits = sum(1 for e in earned if e > 0)
        if hits:
            role_level += max(earned) * (1 - 0.5 ** (hits + 1))
    for passage in passages:
        got = sum(_earned(u, passage, index) for u in phrase.units)
        value = FIELD_WEIGHTS[passage.field] * got / total
        if value > best:
            best, best_passage = value, passage
    score = 0.5 * best + 0.5 * role_level / total
    hits: tuple[_Unit, ...] = ()
    if best_passage is not None:
        wanted = {f for u in phrase.units for f, _ in u.forms}
        hits = tuple(u for u in best_passage.units if any(f in wanted for f, _ in u.forms))
    return _Match(min(score, 1.0), best_passage, hits)


def _excerpt(passage: _Passage, hits: tuple[_Unit, ...]) -> str:
    """A short excerpt of the passage around the words that matched, cut at word boundaries."""
    text = passage.text
    if len(text) <= MAX_EXCERPT or not hits:
        return text if len(text) <= MAX_EXCERPT else text[: MAX_EXCERPT - 1].rsplit(" ", 1)[0] + "…"
    first, last = min(u.start for u in hits), max(u.end for u in hits)
    if last - first > MAX_EXCERPT - 10:
        last = first + MAX_EXCERPT - 10
    slack = MAX_EXCERPT - (last - first)
    start = max(0, first - slack // 3)
    end = min(len(text), last + slack - (first - start))
    if start > 0:
        start = text.find(" ", start) + 1 if text.find(" ", start) != -1 else start
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > last - 1 else end
    piece = text[start:end].strip(" ,;:")
    return ("…" if start > 0 else "") + piece + ("…" if end < len(text) else "")


def _score(raw: float) -> int:
    return max(0, min(100, round(100 * (1 - math.exp(-CURVE * raw)))))


def rank_fits(profile: Profile, guide: Guide) -> list[Fit]:
    """Every alternative of the guide, best fit first; equal scores keep the page's order."""
    index = _index(guide)
    phrases = _phrases(profile, _name_patterns([guide.subject.name]))
    fits = []
    for role, passages in zip(index.roles, index.passages, strict=True):
        matches = [(_match(p, passages, index), p) for p in phrases]
        raw = 0.0
        if matches:
            total = sum(p.weight for p in phrases)
            mean = sum(m.score * p.weight for m, p in matches) / total
            top = sorted(matches, key=lambda mp: -mp[0].score * mp[1].weight)[: math.ceil(len(matches) / 2)]
            top_mean = sum(m.score * p.weight for m, p in top) / sum(p.weight for _, p in top)
            raw = 0.5 * mean + 0.5 * top_mean
        score = _score(raw)
        evidence: list[Evidence] = []
        seen: set[str] = set()
        for match, phrase in sorted(matches, key=lambda mp: -mp[0].score * mp[1].weight):
            if match.passage is None or match.score < 0.05 or len(evidence) >= MAX_EVIDENCE:
                continue
            excerpt = _excerpt(match.passage, match.hits)
            if excerpt in seen:
                continue
            seen.add(excerpt)
            evidence.append(Evidence(profile_text=phrase.text, source_text=excerpt, field=match.passage.field))
        fits.append(Fit(role=role.name, rank=role.rank, score=score, band=band_for(score),
                        evidence=tuple(evidence)))
    fits.sort(key=lambda f: (-f.score, f.rank))
    return fits
