"""How to pick: the page's closing advice, each bullet matched to the role it names (a part of the
page parser, `parse.py`)."""

from __future__ import annotations

import re

from rolereport.sources.blocks import Block, Bullet, Para
from rolereport.sources.names import names_in

_NUMBERED = re.compile(r"^\d{1,3}[.)]\s+(?P<text>.+)$")


class PickReading:
    """The parser's how-to-pick methods; `problem`, `warn` and `names` are the parser's."""

    def _how_to_pick(self, tail: list[Block]) -> tuple[list[str], list[Bullet], list[str], list[Block]]:
        """Intro, pick bullets and closing, and the blocks they came from."""
        intro: list[Para] = []
        bullets: list[Bullet] = []
        closing: list[Para] = []
        source: list[Block] = []
        for b in tail:
            numbered = _NUMBERED.match(b.text) if isinstance(b, Para) and not closing else None
            if numbered and ":" in b.text:
                source.append(b)
                b = Bullet(numbered["text"], b.where)  # a numbered list of pick bullets
            elif isinstance(b, Bullet):
                source.append(b)
            if isinstance(b, Bullet):
                if closing:
                    source.pop()
                    break
                bullets.append(b)
            elif isinstance(b, Para):
                if b.looks_like_heading():
                    if bullets:
                        break
                    intro = []  # a note after the table belongs to the table, not to the picks
                    continue
                (closing if bullets else intro).append(b)
            elif bullets or intro:
                break
        if not bullets:
            intro, bullets, closing, source = self._plain_picks(intro)
        return ([p.text for p in intro], bullets, [p.text for p in closing],
                [*intro, *source, *closing])

    def _plain_picks(self, paras: list[Para]) -> tuple[list[Para], list[Bullet], list[Para], list[Block]]:
        """Pick bullets copied as text without their bullets: the run of "condition: advice"
        paragraphs that each name a ranked role."""
        def pick(p: Para) -> bool:
            condition, colon, advice = p.text.partition(":")
            return bool(colon and advice.strip() and len(condition) <= 160 and names_in(p.text, self.names))

        at = next((k for k, p in enumerate(paras) if pick(p)), None)
        if at is None:
            return paras, [], [], []
        end = at
        while end < len(paras) and pick(paras[end]):
            end += 1
        run = paras[at:end]
        return paras[:at], [Bullet(p.text, p.where) for p in run], paras[end:], list(run)

    @staticmethod
    def _picks(names: list[str], bullets: list[Bullet]) -> dict[str, tuple[str, str | None]]:
        """Which how-to-pick bullet belongs to which role.

        A bullet names roles in its advice (after the first colon) or its condition. First, a
        bullet naming a single role is that role's; then a bullet naming several goes to the
        first of them still without one; last, a role still without a bullet shares one whose
        advice names it.
        """
        parts = []
        for b in bullets:
            condition, colon, advice = b.text.partition(":")
            in_advice = names_in(advice, names) if colon else []
            named = in_advice + [n for n in names_in(condition, names) if n not in in_advice]
            value = (condition.strip(), (advice.strip() or None) if colon else None)
            parts.append((named, in_advice, value))
        picks: dict[str, tuple[str, str | None]] = {}
        used: set[int] = set()
        for k, (named, _, value) in enumerate(parts):
            if len(named) == 1 and named[0] not in picks:
                picks[named[0]] = value
                used.add(k)
        for k, (named, _, value) in enumerate(parts):
            if k not in used:
                for name in named:
                    if name not in picks:
                        picks[name] = value
                        used.add(k)
                        break
        for _named, in_advice, value in parts:
            for name in in_advice:
                picks.setdefault(name, value)
        return picks
