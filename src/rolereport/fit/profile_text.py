"""A profile as phrases: what the person wants (positive) and what they do not (aversions).

Interests and strengths are one phrase each; goals are cut into sentences and clauses. Every
piece is split into its positive and negated clauses (`aversions.split`). The current role is
context, not evidence: it is never a phrase, and mentions of it (or of the page's own role) in
the other fields are masked so they cannot score another role.
"""

from __future__ import annotations

from dataclasses import dataclass

from rolereport.fit import aversions, typos
from rolereport.fit.passages import Index, name_patterns
from rolereport.fit.text import Unit, sentences, units
from rolereport.model import Profile

# How much each part of a profile speaks for the person.
PHRASE_WEIGHTS = {"interests": 1.0, "goals": 0.8, "strengths": 0.7}


@dataclass(frozen=True)
class Phrase:
    text: str
    weight: float
    units: tuple[Unit, ...]
    negative: bool

    @property
    def read_as(self) -> str:
        """The text with corrected misspellings, or "" when nothing was corrected."""
        fixes = [u for u in self.units if u.corrected_from]
        if not fixes:
            return ""
        out, cursor = [], 0
        for u in sorted(fixes, key=lambda u: u.start):
            original = self.text[u.start:u.end]
            word = u.word.capitalize() if original[:1].isupper() else u.word
            out += [self.text[cursor:u.start], word]
            cursor = u.end
        return "".join(out) + self.text[cursor:]


def pieces(profile: Profile) -> list[tuple[str, str]]:
    """(field, text) of every interest, strength and goal clause, in the profile's order."""
    raw = [("interests", t) for t in profile.interests]
    raw += [("strengths", t) for t in profile.strengths]
    if profile.goals:
        for sentence in sentences(" ".join(profile.goals.split())):
            # a dash is left to `aversions.split`: after a negation it spells out what is negated
            raw += [("goals", part.strip(" ,")) for part in sentence.split(";") if part.strip(" ,")]
    return raw


def phrases(profile: Profile, index: Index) -> list[Phrase]:
    context = list(index.subject_names)
    if profile.current_role:
        context += name_patterns([profile.current_role])
    out = []
    vocabulary = index.vocabulary
    for field, text in pieces(profile):
        for piece in aversions.split(text):
            masks = [m.span() for pat in context for m in pat.finditer(piece.text)]
            found = tuple(units(piece.text, masks, tools=index.tools, senses=True,
                                fix=lambda w: typos.correct(w, vocabulary)))
            if found:
                out.append(Phrase(piece.text, PHRASE_WEIGHTS[field], found, piece.negative))
    return out
