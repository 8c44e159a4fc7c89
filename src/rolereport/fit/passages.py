"""The page cut into labelled passages, and indexed once per guide.

Each role's text is cut into short passages labelled with the field they came from (tagline,
description sentences, best-for lines, table cells, how-to-pick condition and advice). Clauses
that talk about *another* role ("While <other role>s focus on …") and contrasts ("rather than …",
"less about …", "without …", "more than …", "drops the …", "away from …", "no …") are masked:
they describe what a role is not.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rolereport.fit.text import PART, Unit, lexicon, sentences, tokens, units
from rolereport.model import Guide, Role

# How much a passage from each field speaks for its role.
FIELD_WEIGHTS = {
    "tagline": 1.0, "best_for": 1.0, "primary_focus": 1.0, "key_responsibility": 1.0,
    "pick_if": 1.0, "description": 0.85, "pick_advice": 0.85, "tools": 0.9, "deliverable": 0.85,
}
TYPO_MIN_LENGTH = 5  # shorter words are never corrected

_BOUNDARY = re.compile(r"[,;:.!?()—–]|\s-\s|\band more\b|\bbut\b")
_CONTRAST = re.compile(
    r"\b(?:rather than|instead of|unlike|as opposed to|compared (?:to|with)|without|"
    r"less (?:about|on|focus on|focused on|of)|not (?:about|the|on)|no longer|beyond|more than|"
    r"(?:drop|leave|lose|skip)(?:s|ping|ing)?(?= the\b)|leaves? behind|leaving behind|"
    r"(?:away|free|freedom) from|fewer|no(?![\w-]))\b",
    re.IGNORECASE,
)
_RELATIVE = re.compile(r"^\s*,?\s*(?:who|which|whose)\b", re.IGNORECASE)
_TOOL_SPLIT = re.compile(r"[,/()]|\band\b|\bor\b")


@dataclass(frozen=True)
class Passage:
    field: str
    text: str
    units: tuple[Unit, ...]
    forms: frozenset[str]
    whole: frozenset[str]  # the forms not only a word inside a longer term ("server" of "server-side")


@dataclass(frozen=True)
class Index:
    roles: tuple[Role, ...]
    passages: tuple[tuple[Passage, ...], ...]  # per role
    df: dict[str, int]
    docs: int
    tools: frozenset[str]  # literal forms of every tool the page names
    vocabulary: tuple[str, ...]  # words a misspelling may be corrected to
    subject_names: tuple[re.Pattern[str], ...]  # the page's own role, as written and as initials

    def idf(self, form: str) -> float:
        return _idf(self.docs, self.df.get(form, 0))

    @property
    def one_role_idf(self) -> float:
        """The IDF of a form only one role uses: the unit of weight."""
        return math.log(1 + (self.docs - 0.5) / 1.5)


@lru_cache(maxsize=4096)
def _idf(docs: int, df: int) -> float:
    return math.log(1 + (docs - df + 0.5) / (df + 0.5))


def name_patterns(names: Iterable[str]) -> list[re.Pattern[str]]:
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


def _passages(role: Role, others: list[re.Pattern[str]], tools: frozenset[str]) -> list[Passage]:
    raw: list[tuple[str, str]] = [("tagline", role.tagline)]
    raw += [("description", s) for s in sentences(role.description)]
    raw += [("best_for", b) for b in role.best_for]
    raw += [("primary_focus", role.primary_focus), ("key_responsibility", role.key_responsibility)]
    if role.tools:
        raw.append(("tools", ", ".join(role.tools)))
    raw.append(("deliverable", role.deliverable))
    if role.pick_if:
        raw.append(("pick_if", role.pick_if))
    if role.pick_advice:
        raw += [("pick_advice", s) for s in sentences(role.pick_advice)]
    out = []
    for field, text in raw:
        if not text or not text.strip():
            continue
        found = tuple(units(text, _masks(text, others), tools=tools))
        forms = frozenset(f for u in found for f, _ in u.forms)
        whole = frozenset(f for u in found for f, c in u.forms if c > PART)
        out.append(Passage(field, text.strip(), found, forms, whole))
    return out


def _tool_forms(tool_lists: Iterable[Iterable[str]]) -> frozenset[str]:
    """Literal forms of the tools in the table: "Python (Pandas, Scikit-learn)" names three."""
    forms: set[str] = set()
    for tools in tool_lists:
        for tool in tools:
            for part in _TOOL_SPLIT.split(tool):
                found = units(part)
                if len(found) == 1:  # one word or one thesaurus phrase: a name, not a description
                    forms.add(found[0].literal)
                elif found and len(found) <= 2:
                    forms.update(u.literal for u in found if u.word not in {"library", "libraries"})
    return frozenset(forms)


@lru_cache(maxsize=16)
def index(guide: Guide) -> Index:
    roles = tuple(guide.alternatives)
    subject = guide.subject
    names = [r.name for r in roles] + [subject.name]
    tools = _tool_forms([subject.tools, *(r.tools for r in roles)])
    per_role = []
    for role in roles:
        others = name_patterns(n for n in names if n != role.name)
        per_role.append(tuple(_passages(role, others, tools)))
    df: dict[str, int] = {}
    docs = [frozenset().union(*(p.forms for p in ps)) for ps in per_role]
    subject_text = " ".join([subject.primary_focus, subject.key_responsibility, *subject.tools,
                             subject.deliverable])
    docs.append(frozenset(f for u in units(subject_text, tools=tools) for f, _ in u.forms))
    for doc in docs:
        for form in doc:
            df[form] = df.get(form, 0) + 1
    vocabulary: set[str] = set(lexicon().words)
    for ps in per_role:
        for p in ps:
            vocabulary.update(t for t, _, _ in tokens(p.text))
    vocabulary.update(t for t, _, _ in tokens(subject_text))
    vocab = tuple(sorted(w for w in vocabulary if len(w) >= TYPO_MIN_LENGTH - 1 and w.isalpha()))
    return Index(roles, tuple(per_role), df, len(docs), tools, vocab,
                 tuple(name_patterns([subject.name])))
