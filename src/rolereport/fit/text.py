"""Words and units: tokens with their spans, stems, and phrases of the general thesaurus.

A *unit* is what scoring compares: a thesaurus phrase ("one click", "continuous delivery") or a
remaining content word, each with the forms it can match ("w:<stem>", "p:<stems>", "g:<group>")
and the credit each form earns. Everything here is page-independent.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rolereport.fit import weights

LEXICON_FILE = Path(__file__).resolve().parent.parent / "data" / "related-terms.txt"
LITERAL, RELATED, PART = 1.0, 0.75, 0.4  # credit: same stem or phrase, related term, word of a phrase

STOP = frozenset("""
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
don't dont didn't doesn't won't wouldn't can't cannot anything anymore any less instead done
tired sick fed hate hated dislike avoid avoiding never again behind leave leaving stop stopping
bored finished enough nothing none
""".split())
_TOKEN = re.compile(r"c\+\+|c#|f#|\.net|[^\W\d_][\w]*(?:'[^\W\d_]+)?|\d+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'“(])")


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stemmer().stemWord(word)


def normalise(text: str) -> str:
    """Casefolded, with typographic apostrophes made plain; keeps every character's position."""
    text = unicodedata.normalize("NFKC", text)
    folded = text.casefold()
    if len(folded) != len(text):  # ß → ss and the like: keep positions, lose the fold
        folded = text.lower()
    return folded.replace("’", "'").replace("‘", "'")


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Lower-cased word tokens with their character spans; `a/b` and `one-click` split in two."""
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(normalise(text))]


def key(word: str) -> str:
    return stem(word.removesuffix("'s"))


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def is_content(word: str) -> bool:
    return word not in STOP and len(word) > 1 and not word.isdigit()


@dataclass(frozen=True)
class Lexicon:
    phrases: dict[tuple[str, ...], tuple[int, ...]]  # stemmed word sequence → group ids
    longest: int
    words: frozenset[str]  # every surface word of the thesaurus (for typo correction)


@lru_cache(maxsize=1)
def thesaurus_words() -> frozenset[str]:
    """Every surface word of the thesaurus, without stemming (cheap: for the language check)."""
    words: set[str] = set()
    for line in LEXICON_FILE.read_text(encoding="utf-8").splitlines():
        if not line.lstrip().startswith("#"):
            words.update(t for t, _, _ in tokens(line.replace("|", " ")))
    return frozenset(words)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    phrases: dict[tuple[str, ...], list[int]] = {}
    words: set[str] = set()
    for number, line in enumerate(LEXICON_FILE.read_text(encoding="utf-8").splitlines()):
        if line.lstrip().startswith("#"):
            continue
        for term in line.split("|"):
            toks = tokens(term)
            words.update(t for t, _, _ in toks)
            keys = tuple(key(w) for w, _, _ in toks)
            if keys:
                groups = phrases.setdefault(keys, [])
                if number not in groups:
                    groups.append(number)
    return Lexicon({k: tuple(v) for k, v in phrases.items()}, max((len(k) for k in phrases), default=1),
                   frozenset(words))


@dataclass(frozen=True)
class Unit:
    forms: tuple[tuple[str, float], ...]  # (form, credit); forms: "w:stem", "p:a b", "g:12"
    start: int
    end: int
    word: str  # the word (or phrase) as matched, after any typo correction
    generality: float = 1.0  # weight kept for being common in general English
    ambiguous: bool = False  # one common word, which alone is a weak sign
    tool: bool = False  # a tool the page names: it counts as that tool only
    corrected_from: str = ""  # the word as written, when a typo was corrected
    # a common word bound to a neighbour: the forms of the word before it ("model architectures")
    # or joined by a hyphen ("push-button"), one of which a role must use for the word to mean the
    # same there; and of the word after it ("build server"), which a role that uses the word only
    # as a verb ("building …") must use
    partners: tuple[str, ...] = field(default=(), compare=False)
    modifies: tuple[str, ...] = field(default=(), compare=False)
    literal: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "literal", self.forms[0][0])


def units(text: str, masked: Iterable[tuple[int, int]] = (), *,
          fix: Callable[[str], str | None] | None = None,
          tools: frozenset[str] = frozenset(), senses: bool = False) -> list[Unit]:
    """Units of a text: thesaurus phrases (longest first), then the remaining content words.

    `fix` corrects a misspelt word (profile text only); `tools` are the literal forms of the
    page's tool names: a tool is matched as itself, not through the thesaurus topic it sits in.
    `senses` (profile text only) records the neighbours a common word is bound to (`Unit.partners`).
    """
    lex = lexicon()
    masks = list(masked)
    toks = [(t, s, e) for t, s, e in tokens(text) if not any(a <= s < b for a, b in masks)]
    fixed: list[str] = []
    for t, _, _ in toks:
        better = fix(t) if fix is not None else None
        fixed.append(better or t)
    low = normalise(text)
    keys = [key(t) for t in fixed]
    out: list[Unit] = []
    i = 0
    while i < len(toks):
        for n in range(min(lex.longest, len(toks) - i), 0, -1):
            words = tuple(keys[i:i + n])
            groups = lex.phrases.get(words)
            if groups is None:
                continue
            if n == 1 and not is_content(fixed[i]):
                continue
            literal = "p:" + " ".join(words) if n > 1 else "w:" + words[0]
            forms: dict[str, float] = {literal: LITERAL}
            tool = literal in tools
            if not tool:
                for g in groups:
                    forms[f"g:{g}"] = RELATED
                if n > 1:
                    for w, t in zip(words, fixed[i:i + n], strict=True):
                        if is_content(t):
                            forms.setdefault("w:" + w, PART)
            out.append(_unit(forms, toks[i:i + n], fixed[i:i + n], tool,
                             _partners(low, toks, fixed, keys, i) if senses and n == 1 and not tool
                             else ((), ())))
            i += n
            break
        else:
            word = fixed[i]
            if is_content(word):
                literal = "w:" + keys[i]
                tool = literal in tools
                out.append(_unit({literal: LITERAL}, toks[i:i + 1], fixed[i:i + 1], tool,
                                 _partners(low, toks, fixed, keys, i) if senses and not tool else ((), ())))
            i += 1
    return out


SENSE_FROM = weights.AMBIGUOUS_FROM  # a word this common may mean several things
PARTNER_BELOW = 5.5  # a neighbour this common ("everyone", "new") does not fix a sense
_BOUND = re.compile(r"\s*-?\s*")
_VERB_LIKE = ("ing", "ed", "ly")


def _bound(low: str, toks: list[tuple[str, int, int]], i: int) -> bool:
    """Whether a token has a neighbour with nothing but a space or a hyphen between."""
    return any(0 <= j < len(toks) and _BOUND.fullmatch(low[toks[min(i, j)][2]:toks[max(i, j)][1]])
               for j in (i - 1, i + 1))
_NO_SENSE = frozenset("""one two three four five six seven eight nine ten eleven twelve twenty thirty
fifty hundred thousand million several many multiple various different whole entire""".split())


def _partners(low: str, toks: list[tuple[str, int, int]], fixed: list[str], keys: list[str],
              i: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The forms of the words a common word is bound to (see `Unit.partners`, `Unit.modifies`):
    neighbours with nothing but a space or a hyphen between that are content words, not verb
    forms, numbers or very common words. "model architectures" binds "architectures" to "model";
    "running experiments" binds nothing."""
    from rolereport.fit.typos import bases

    word = fixed[i]
    if not _bound(low, toks, i) or max(weights.zipf(w) for w in (word, keys[i], *bases(word))) < SENSE_FROM:
        return (), ()
    strict, after = [], []
    for j in (i - 1, i + 1):
        if not 0 <= j < len(toks):
            continue
        a, b = sorted((i, j))
        gap = low[toks[a][2]:toks[b][1]]
        other = fixed[j]
        if (not _BOUND.fullmatch(gap) or not is_content(other) or not other.isalpha()
                or other.endswith(_VERB_LIKE) or other in _NO_SENSE or weights.zipf(other) >= PARTNER_BELOW):
            continue
        (after if j > i and "-" not in gap else strict).append("w:" + keys[j])
    return tuple(strict), tuple(after)


def _unit(forms: dict[str, float], toks: list[tuple[str, int, int]], fixed: list[str], tool: bool,
          partners: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())) -> Unit:
    word = " ".join(fixed)
    single = len(fixed) == 1
    # a word is as common as its most common form: "uses" as "use", "building" as "build"
    common = max((word, key(word)), key=weights.zipf) if single else word
    general = weights.generality(common) if single and not tool else 1.0
    ambiguous = single and not tool and weights.is_ambiguous(common)
    corrected = " ".join(t for t, _, _ in toks) if fixed != [t for t, _, _ in toks] else ""
    return Unit(tuple(forms.items()), toks[0][1], toks[-1][2], word, general, ambiguous, tool, corrected,
                *partners)
