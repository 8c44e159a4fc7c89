"""What a profile says the person does *not* want: negated and contrasted clauses.

"I don't want anything to do with on-call, Kubernetes or Docker any more", "not interested in
sales", "no more night shifts", "I'm done with marking", "tired of firefighting", "less X, more
Y", "X rather than Y", "instead of Y", "without Y", "Y isn't for me". Each becomes an *aversion*
scoped to its clause, not to the sentence or the paragraph: the positive part of the same
sentence ("…, more time on the platform") still counts for the person. The clause runs on into
what spells out its object: a bracket ("infrastructure work (Kubernetes, Docker)"), a list after a
colon or a dash ("done with: on-call, Kubernetes"; "the analytics side - dashboards, SQL"), unless
that opens with a turn ("(but I love coaching)", ": I want…"). "never", "happy never to" and
"not … anymore" negate too; "never miss", "never afraid of" do not.

`split(text)` returns the pieces of a text in order, each marked positive or negative; the words
that only carry the negation ("don't want", "tired of") belong to neither.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rolereport.fit.text import key, lexicon, normalise, tokens

_VERB = (r"(?:want|wish|like|enjoy|love|care\s+(?:for|about)|fancy|see\s+myself|need|plan|intend|"
         r"stand|bear|face|miss)")
_AUX_NOT = (r"(?:(?:do|does|did|would|could|will|can|am|i'm)\s+not|"
            r"don't|dont|doesn't|didn't|won't|wouldn't|can't|cannot)")
_FILLER = (r"(?:\s+(?:really|particularly|much|ever|at\s+all|want\s+to|to|be|doing|do|being|go\s+back\s+to|"
           r"keep|continue|spend\s+(?:my\s+)?(?:time|days|life)\s+(?:on|doing)?|work(?:ing)?\s+(?:on|with|in)|"
           r"anything\s+to\s+do\s+with|any\s+more|anymore|more|with|on|in|of|the|a|an)(?![\w'-]))*")
# A negation whose object follows it.
_AFTER = [
    _AUX_NOT + r"\s+(?:really\s+)?" + _VERB,
    r"not\s+(?:really\s+|very\s+|at\s+all\s+|particularly\s+|that\s+)?(?:interested|keen|into|a\s+fan|excited|"
    r"motivated|drawn|attracted|looking)(?:\s+(?:in|on|of|by|to|for))?",
    r"no\s+(?:real\s+|great\s+)?(?:interest|desire|wish|appetite)\s+(?:in|to|for)",
    r"(?:no\s+more|no\s+longer|never\s+again|not\s+any\s+more|not\s+anymore|never\s+want\s+to)",
    r"(?:i'm\s+|i\s+am\s+|am\s+)?(?:done|finished|through)\s+with",
    r"(?:tired|sick|weary|bored|wary)\s+(?:of|with|by)",
    r"fed\s+up(?:\s+with)?",
    r"burn(?:ed|t)\s+out\s+(?:on|from|by)",
    r"(?<!never\s)(?<!n't\s)(?:hate|hated|dislike|disliked|loathe|detest|dread|avoid|avoiding|escape|escaping|quit|quitting|"
    r"(?:get|getting|move|moving|step|stepping|stay|staying)\s+away\s+from|away\s+from|"
    r"leave|leaving|stop|stopping|give\s+up|giving\s+up|put\s+behind\s+me)",
    r"rather\s+not",
    r"(?:(?:happy|glad|fine|content|pleased)\s+)?never(?!\s+(?:miss|fail|forget|give\s+up|stop|tire|lose|"
    r"hesitate|say\s+no|let|shy|back\s+down|turn\s+down|quit|(?:been\s+)?(?:afraid|scared|shy)|"
    r"(?:get|got|grow|grew)\s+(?:tired|bored)))",
    r"(?<!more\s)(?<!or\s)less(?:\s+(?:time|of|focus|focused))?(?:\s+(?:on|with|in|doing|about))?",
    r"(?:without|instead\s+of|rather\s+than|as\s+opposed\s+to|anything\s+but|other\s+than)",
    r"not(?!\s+(?:only|just|sure|yet|always|necessarily|too|so|least|much|many|bad|afraid|everyone))",
]
# A negation whose object comes before it: "on-call isn't for me", "sales bores me".
_BEFORE = [
    r"(?:is|are|was|were)(?:n't|\s+not)\s+(?:really\s+)?(?:for\s+me|my\s+thing|my\s+cup\s+of\s+tea|what\s+i\s+want)",
    r"(?:doesn't|does\s+not|don't|do\s+not)\s+(?:really\s+)?(?:interest|excite|appeal\s+to|suit|motivate)\s+me",
    r"(?:bores?|drains?|exhausts?|frustrates?|wears?\s+me\s+(?:out|down)|burns?\s+me\s+out)(?:\s+me)?",
    r"(?:is|are)\s+(?:something|what)\s+i(?:'d|\s+would)\s+(?:rather|like\s+to)\s+(?:leave|avoid|stop)(?:\s+behind)?",
]
_TRIGGER = re.compile(
    "|".join([rf"(?P<a{i}>\b{p})(?![\w'])" for i, p in enumerate(_AFTER)]
             + [rf"(?P<b{i}>\b{p})(?![\w'])" for i, p in enumerate(_BEFORE)]
             + [r"(?P<than>(?<!more\s)(?<!less\s)(?<!rather\s)\bthan\b)"]),
    re.IGNORECASE,
)
_FILLED = re.compile(_FILLER + r"(?![\w'])", re.IGNORECASE)  # the words a negation carries along
_THAN_NEEDS = re.compile(r"\b(?:rather|prefer|more|better|over)\b", re.IGNORECASE)
# Where an aversion's clause ends.
_END = re.compile(
    r"[.!?;:()]|\s[—–-]\s|—|\b(?:but|however|though|although|yet|instead|whereas|while|rather|so\s+i|"
    r"because|since|as\s+long\s+as)\b|,?\s*\band\s+(?:more|i|i'd|i'm|would|want|to|then|now|so|focus|spend)\b"
    r"|,\s*(?:more|i|i'd|i'm|so|because|as|which|my|we|and\s+i|but|then|now|with|focusing|spending)\b",
    re.IGNORECASE,
)
_MORE = re.compile(r"\bmore\b", re.IGNORECASE)
# What turns a bracket, or the words after a colon or a dash, away from the negation before it.
_TURN = re.compile(
    r"\s*(?:but|however|though|although|except|apart|instead|rather|i|i'd|i'm|i'll|i've|what|give|more|"
    r"my|we|so|now|just|only|yes|love|like|prefer|would|which|that's\s+(?:fine|ok|what)|and\s+i)\b",
    re.IGNORECASE)
_DASH = re.compile(r"\s[—–-]\s|—\s*|–\s*")
_START = re.compile(r"[.!?;:()]|\s[—–-]\s|—|\b(?:but|and|so|because)\b|,", re.IGNORECASE)
_TRIM = " \t\n,;:.!?-—–"  # brackets and quotes are kept: "my subject (history)"
_TRAILING_FILLER = re.compile(
    r"(?:\s+(?:any\s+more|anymore|again|at\s+all|ever|please|either|day\s+in\s+day\s+out|behind|"
    r"every\s+day|all\s+day|too|as\s+well))+$", re.IGNORECASE)


@dataclass(frozen=True)
class Piece:
    text: str
    start: int
    end: int
    negative: bool


def split(text: str) -> list[Piece]:
    """The text cut into positive and negative pieces, in order (the negation words dropped)."""
    low = normalise(text)
    spans: list[tuple[int, int, int, int]] = []  # trigger start/end, aversion start/end
    pos = 0
    for m in _TRIGGER.finditer(low):
        if m.start() < pos:
            continue
        kind = m.lastgroup or ""
        if kind == "than" and not _THAN_NEEDS.search(low, _clause_start(low, m.start()), m.start()):
            continue
        if kind.startswith("b"):
            start = _clause_start(low, m.start())
            spans.append((m.start(), m.end(), start, m.start()))
            pos = m.end()
            continue
        first_comma = kind in _FIRST_COMMA_KINDS and _at_clause_start(low, m.start())
        carried = _FILLED.match(low, m.end())
        t_end = _unfill(low, m.end(), carried.end()) if carried else m.end()
        end = _clause_end(low, t_end, less=kind == _LESS_KIND, first_comma=first_comma)
        spans.append((m.start(), t_end, t_end, end))
        pos = end
    if not spans:  # the text as written (only outer spaces trimmed)
        return [Piece(text.strip(), 0, len(text), False)] if text.strip() else []
    cuts: list[tuple[int, int, bool]] = []  # pieces: start, end, negative
    cursor = 0
    for t_start, t_end, a_start, a_end in spans:
        lo = min(t_start, a_start)
        if lo > cursor:
            cuts.append((cursor, lo, False))
        cuts.append((a_start, a_end, True))
        cursor = max(t_end, a_end)
    if cursor < len(text):
        cuts.append((cursor, len(text), False))
    out = []
    for start, end, negative in cuts:
        piece = _clean(text[start:end], negative)
        if piece:
            offset = text.find(piece, start)
            out.append(Piece(piece, offset, offset + len(piece), negative))
    return out


_LESS_KIND = f"a{next(i for i, p in enumerate(_AFTER) if p.startswith('(?<!more'))}"
_FIRST_COMMA_KINDS = {_LESS_KIND, f"a{next(i for i, p in enumerate(_AFTER) if p.startswith('(?:without'))}"}


def _clause_start(low: str, pos: int) -> int:
    starts = [m.end() for m in _START.finditer(low, 0, pos)]
    return starts[-1] if starts else 0


def _at_clause_start(low: str, pos: int) -> bool:
    return not low[_clause_start(low, pos):pos].strip(_TRIM)


def _unfill(low: str, start: int, end: int) -> int:
    """Where the carried filler words end, given back where one starts a phrase of the thesaurus
    running past them: "not on call" averts "on call", not "call"."""
    found = tokens(low[start:end + 40])
    keys = [key(t) for t, _, _ in found]
    phrases, longest = lexicon().phrases, lexicon().longest
    for i, (_, s, _) in enumerate(found):
        if start + s >= end:
            break
        for n in range(min(longest, len(found) - i), 1, -1):
            if tuple(keys[i:i + n]) in phrases and start + found[i + n - 1][2] > end:
                return start + s
    return end


def _clause_end(low: str, pos: int, *, less: bool, first_comma: bool) -> int:
    ends = [m.start() for m in _END.finditer(low, pos)]
    if less:
        ends += [m.start() for m in _MORE.finditer(low, pos)]
    if first_comma and "," in low[pos:]:
        ends.append(low.index(",", pos))
    end = min(ends, default=len(low))
    carried = _carried_on(low, pos, end)
    return _clause_end(low, carried, less=less, first_comma=False) if carried is not None else end


def _carried_on(low: str, pos: int, end: int) -> int | None:
    """Where the negation carries on past `end`, or None where it stops. It carries into what
    spells out its object: a bracket ("infrastructure work (Kubernetes, Docker)"), a list after a
    colon or a dash ("done with: on-call, Kubernetes"; "the analytics side - dashboards, SQL"),
    unless it opens with a turn ("(but I love coaching)", ": I want…")."""
    if end >= len(low):
        return None
    mark = low[end]
    if mark == "(":
        close = low.find(")", end)
        if close == -1 or _TURN.match(low, end + 1):
            return None
        return close + 1
    if mark == ":" or _DASH.match(low, end):
        after = _DASH.match(low, end)
        nxt = after.end() if after else end + 1
        if _TURN.match(low, nxt):
            return None
        return nxt
    return None


def _clean(piece: str, negative: bool) -> str:
    piece = piece.strip(_TRIM)
    piece = re.sub(r"^(?:and|or|but|so|then|also|,)\s+", "", piece, flags=re.IGNORECASE).strip(_TRIM)
    if negative:
        piece = _TRAILING_FILLER.sub("", piece).strip(_TRIM)
    return piece
