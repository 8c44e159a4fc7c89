"""Blocks → Guide: the structure shared by every page of the family, whatever its roles.

Every problem found is collected; the caller gets them all at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rolereport import notices
from rolereport.errors import Problem, SourceError
from rolereport.model import Guide, HowToPick, Role, Subject
from rolereport.sources.account import account
from rolereport.sources.blocks import Block, Bullet, Para, Table, clean
from rolereport.sources.entry import Entry
from rolereport.sources.guards import role_count
from rolereport.sources.names import _key, _loose, names_in
from rolereport.sources.picks import PickReading
from rolereport.sources.tables import TableReading

# "N. Name — tagline": an em dash (spaced or not), or a spaced en dash, "--" or "-".
_DASH = r"(?:\s*—\s*|\s+(?:–|--|-)\s+)"
ITEM = re.compile(r"^(?P<rank>\d{1,6})[.)]\s+(?P<name>.+?)" + _DASH + r"(?P<tagline>.+)$")
_SEP = re.compile(_DASH + r"|:\s+")
_RANK = re.compile(r"^(?P<rank>\d{1,6})[.)]\s+(?P<rest>.+)$")
# A site's footer, carried into a copy of the page (a DOCX saved from it, a pasted text).
FOOTER = re.compile(r"©|\(c\)\s*(?:19|20)\d\d|\bcopyright\b|\ball rights reserved\b", re.IGNORECASE)
BEST_FOR = re.compile(
    r"^best\s+(?:suited\s+)?for\s*(?::\s*(?P<rest>.*?))?\s*$", re.IGNORECASE | re.DOTALL
)
EXPLORE = re.compile(r"^explore\b.*\bprofile\b", re.IGNORECASE)

def split_tools(cell: str) -> tuple[str, ...]:
    """Split on commas outside brackets: `Python (Pandas, Scikit-learn), R` is two tools.

    A line break in the cell (`<br>`) separates tools too, unless a comma already does.
    """
    tools, depth, current = [], 0, []
    for ch in cell:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        if depth == 0 and (ch == "," or (ch == "\n" and "".join(current).strip())):
            tools.append("".join(current))
            current = []
        else:
            current.append(" " if ch == "\n" else ch)
    tools.append("".join(current))
    return tuple(t for t in (clean(t) for t in tools) if t)


@dataclass
class _Head:
    """Where an entry starts, and what its heading says (rank None: not written)."""

    at: int
    rank: int | None
    name: str
    tagline: str | None  # None: the tagline is the next paragraph
    listed: bool = False


class _Parser(TableReading, PickReading):
    def __init__(self, blocks: list[Block], file: str) -> None:
        self.blocks = blocks
        self.file = file
        self.problems: list[Problem] = []
        self.used: set[int] = set()  # ids of the blocks whose text is in the guide (or named)
        self.names: list[str] = []  # the ranked roles' names, once known

    def use(self, *blocks: Block) -> None:
        self.used.update(id(b) for b in blocks)

    def problem(self, message: str, where: str | None = None) -> None:
        self.problems.append(Problem(self.file, message, where))

    def warn(self, message: str, where: str | None = None) -> None:
        notices.warn(self.file, message, where)

    def parse(self) -> Guide:
        blocks = self.blocks
        if not blocks:
            raise SourceError(Problem(self.file, "the source has no text; give a page of the family"))
        starts = [i for i, b in enumerate(blocks) if isinstance(b, Para) and ITEM.match(b.text)]
        tables = [i for i, b in enumerate(blocks) if isinstance(b, Table)]
        comparison = [i for i in tables if self._columns(blocks[i]) is not None]  # type: ignore[arg-type]
        role_count(max([len(starts)] + [len(blocks[i].rows) - 1 for i in comparison]), self.file)  # type: ignore[union-attr]
        heads: list[_Head] = []
        if not starts and tables:
            table_at = (comparison or tables)[0]
            heads = self._entries(table_at)
            starts = [h.at for h in heads]
        role_tables = [i for i in tables if "name" in self._columns(blocks[i], partial=True)]  # type: ignore[arg-type,operator]
        if not comparison and (not starts or (tables and not role_tables)):
            # one line for a page that is not of the family at all
            raise SourceError(Problem(
                self.file, "not a page of this family: no ranked list of alternatives (entries like "
                "'1. Role name — one-line summary') and no comparison table (a 'Role | Primary Focus | "
                "Key Responsibility | Common Tools/Frameworks | Typical Deliverable' table)"))
        if not starts:
            self.problem(
                "no ranked list of alternatives found; expected entries like "
                "'1. Role name — one-line summary'"
            )
        after = [i for i in (comparison or tables) if not starts or i > starts[0]]
        table_at = (after or comparison or tables or [None])[0]
        if table_at is None:
            self.problem(
                "no comparison table found; expected a '| Role | Primary Focus | … |' table"
            )
        if self.problems:
            raise SourceError(self.problems)
        if table_at > starts[0]:
            # The ranked list ends at the table; numbered lines after it are not roles.
            starts = [s for s in starts if s < table_at]
            heads = [h for h in heads if h.at < table_at]

        rows = self._table(blocks[table_at])
        names = ({_key(r["name"]) for _, r in rows}, {_loose(r["name"]) for _, r in rows})
        if not heads:
            heads = [_Head(s, *self._head(blocks[s].text, *names), blocks[s].listed)  # type: ignore[union-attr]
                     for s in starts]
        title_at, title = self._title(starts[0], rows, heads)
        kept = [b for b in blocks[title_at : starts[0]] if isinstance(b, Para) and not b.looks_like_heading()]
        self.use(blocks[title_at], blocks[table_at], *kept)
        intro = [b.text for b in kept if b is not blocks[title_at]]
        end = table_at if table_at > starts[-1] else len(blocks)
        items = []
        for k, h in enumerate(heads):
            body_from = h.at + (2 if h.tagline is None else 1)
            tagline = h.tagline if h.tagline is not None else blocks[h.at + 1].text  # type: ignore[union-attr]
            item = Entry(h.rank or 0, h.name, tagline, blocks[h.at].where)
            self.use(*blocks[h.at : body_from])
            self._body(item, blocks[body_from : (heads[k + 1].at if k + 1 < len(heads) else end)])
            items.append(item)
        self._ranks(items, heads)
        split = [h for h in heads if h.tagline is None]
        if split:
            self.warn(f"{len(split)} of {len(heads)} entries have no tagline after a dash in their "
                      "heading; took the paragraph after each heading as its tagline",
                      blocks[split[0].at].where)
        tail = blocks[table_at + 1 :] if table_at > starts[-1] else []
        self.names = [i.name for i in items]
        pick_intro, bullets, closing = self._without_footer(tail)
        guide = self._assemble(title, intro, items, rows, pick_intro, bullets, closing)
        account(blocks, title_at + 1, len(blocks), self.used, self.warn)
        return guide

    def _entries(self, table_at: int) -> list[_Head]:
        """Entries that are not typed as 'N. Name — tagline': found by the names of the comparison
        table. An entry heading is 'N. Name: tagline', 'N. Name' or 'Name' with the tagline in the
        next paragraph, or 'Name — tagline' with the rank only in styling (a CSS counter)."""
        blocks = self.blocks
        table = blocks[table_at]
        assert isinstance(table, Table)
        columns = self._columns(table) or {"name": 0}
        known = {_key(r[columns["name"]]): r[columns["name"]] for r in table.rows[1:]
                 if len(r) > columns["name"] and r[columns["name"]]}
        loose = {_loose(k): k for k in known}

        # The row the title names is the page's own role, never an entry.
        first = next((b for b in blocks[:table_at] if isinstance(b, Para) and b.heading == 1), blocks[0])
        own = {_key(n) for n in names_in(first.text, list(known.values()))} if isinstance(first, Para) else set()

        def table_name(text: str) -> str | None:
            key = _key(text)
            found = key if key in known else loose.get(_loose(text))
            return None if found in own else found

        def next_is_text(i: int) -> bool:
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            return (isinstance(nxt, Para) and nxt.heading is None and not BEST_FOR.match(nxt.text)
                    and not EXPLORE.match(nxt.text))

        before = range(table_at)
        heads: list[_Head] = []
        for i in before:
            b = blocks[i]
            if not (isinstance(b, Para) or (isinstance(b, Bullet) and b.lead)):
                continue
            numbered = _RANK.match(b.text)
            rank = int(numbered["rank"]) if numbered else None
            body = numbered["rest"] if numbered else b.text
            heading = isinstance(b, Bullet) or (isinstance(b, Para) and (
                b.heading is not None or len(b.text) <= 120))
            for d in _SEP.finditer(body):  # "Name — tagline", "Name: tagline"
                name, tagline = body[: d.start()].strip(), body[d.end() :].strip()
                if tagline and table_name(name):
                    heads.append(_Head(i, rank, name, tagline, getattr(b, "listed", False)))
                    break
            else:
                if heading and table_name(body) and next_is_text(i):
                    heads.append(_Head(i, rank, body.strip(), None, getattr(b, "listed", False)))
        return heads

    def _ranks(self, items: list[Entry], heads: list[_Head]) -> None:
        """Ranks as written; from the page order (with a warning) where they are only styling or
        where a list's formatting numbers them otherwise than 1 to n."""
        ranks = [h.rank for h in heads]
        if all(r is not None for r in ranks):
            if all(h.listed for h in heads) and ranks != list(range(1, len(ranks) + 1)):
                shown = ", ".join(str(r) for r in ranks)
                self.warn(f"the list formatting numbers the entries {shown}, not 1 to {len(ranks)}; "
                          f"ranked them in page order (1 = '{items[0].name}')", items[0].where)
            else:
                return
        else:
            self.warn(f"the entries carry no rank numbers (a list's styling or a CSS counter "
                      f"numbers them); ranked them in page order (1 = '{items[0].name}')",
                      items[0].where)
        for n, item in enumerate(items, start=1):
            item.rank = n

    def _without_footer(self, tail: list[Block]) -> tuple[list[str], list[Bullet], list[str]]:
        """How to pick, read from the tail up to a site footer ('© 2025 … All rights reserved.');
        when the footer would have joined it, it is dropped with a warning."""
        whole = self._how_to_pick(tail)
        at = next((k for k, b in enumerate(tail) if isinstance(b, Para | Bullet) and FOOTER.search(b.text)),
                  None)
        if at is None:
            self.use(*whole[3])
            return whole[:3]
        cut = self._how_to_pick(tail[:at])
        self.use(*cut[3], *tail[at:])  # the site's footer ends the page
        if cut[:3] != whole[:3]:
            first = tail[at]
            assert isinstance(first, Para | Bullet)
            kept = sum(len(part) for part in cut[:3])
            dropped = sum(len(part) for part in whole[:3]) - kept
            snippet = first.text if len(first.text) <= 50 else first.text[:49] + "…"
            self.warn(f"dropped {dropped} paragraph(s) at the end that look like the site's footer "
                      f"(from '{snippet}')", first.where)
        return cut[:3]

    def _title(self, first_item: int, rows: list[tuple[str, dict[str, str]]],
               heads: list[_Head]) -> tuple[int, str]:
        blocks = self.blocks[:first_item]
        for i, b in enumerate(blocks):
            if isinstance(b, Para) and b.heading == 1:
                return i, b.text
        first = self.blocks[0]
        if not isinstance(first, Para) or first_item == 0:
            self.problem("the page must start with its title line", getattr(first, "where", None))
            raise SourceError(self.problems)
        entries = {_key(h.name) for h in heads}
        others = [r["name"] for _, r in rows if _key(r["name"]) not in entries]
        at = next((i for i, b in enumerate(blocks) if isinstance(b, Para) and b.looks_like_heading()
                   and names_in(b.text, others)), 0)
        title = blocks[at]
        assert isinstance(title, Para)
        structured = any(isinstance(b, Para) and b.heading is not None for b in self.blocks)
        if at:
            self.warn(f"took '{title.text}' as the title, the first line naming the page's own role; "
                      f"left out the {at} line(s) before it (site navigation)", title.where)
        elif structured:
            self.warn(f"no level-1 heading before the ranked list; took the first paragraph "
                      f"'{title.text}' as the title", title.where)
        return at, title.text

    @staticmethod
    def _head(text: str, keys: set[str], loose: set[str]) -> tuple[int, str, str]:
        """Rank, name and tagline of an item line; when the name itself holds a dash, the
        split that gives a name of the comparison table wins."""
        m = ITEM.match(text)
        assert m
        rank = int(m["rank"])
        body = text[m.start("name") :]
        splits = [(body[: d.start()].strip(), body[d.end() :].strip()) for d in _SEP.finditer(body)]
        splits = [(n, t) for n, t in splits if n and t]
        for test in (lambda n: _key(n) in keys, lambda n: _loose(n) in loose):
            # the longest name the table knows: "Nurse - Midwife" over "Nurse"
            for name, tagline in sorted(splits, key=lambda s: -len(s[0])):
                if test(name):
                    return rank, name, tagline
        return rank, m["name"].strip(), m["tagline"].strip()

    def _body(self, item: Entry, body: list[Block]) -> None:
        state = "description"
        # A copy as text keeps a list's items but not its bullets: after "Best for:", lines up to
        # the profile link are the list when the entry has no list items at all.
        plain_list = not any(isinstance(b, Bullet) for b in body) and any(
            isinstance(b, Para) and EXPLORE.match(b.text) for b in body)
        for b in body:
            marker = BEST_FOR.match(b.text) if isinstance(b, (Para, Bullet)) else None
            if isinstance(b, Bullet) and (not marker or marker["rest"]):
                marker = None  # a bullet is a marker only when it is "Best for:" alone
            if isinstance(b, Bullet) and EXPLORE.match(b.text):
                state = "after"
                self.use(b)  # the link to the role's own page: not text of the guide
            elif marker:
                state = "best_for"
                self.use(b)
                if marker["rest"]:
                    item.best_for.append(marker["rest"])
            elif isinstance(b, Bullet):
                if state != "after":
                    item.best_for.append(b.text)
                    self.use(b)
            elif isinstance(b, Para):
                if EXPLORE.match(b.text):
                    state = "after"
                    self.use(b)
                    continue
                if state == "best_for" and plain_list:
                    item.best_for.append(b.text)
                    self.use(b)
                    continue
                if state == "best_for" and item.best_for:
                    state = "after"
                if state == "description" and not b.looks_like_heading():
                    item.description.append(b.text)
                    self.use(b)

    def _assemble(
        self,
        title: str,
        intro: list[str],
        items: list[Entry],
        rows: list[tuple[str, dict[str, str]]],
        pick_intro: list[str],
        bullets: list[Bullet],
        closing: list[str],
    ) -> Guide:
        by_key: dict[str, Entry] = {}
        for item in items:
            if _key(item.name) in by_key:
                self.problem(f"role '{item.name}' is listed twice; give each role once", item.where)
            by_key.setdefault(_key(item.name), item)
        seen_ranks: dict[int, str] = {}
        for item in items:
            if item.rank in seen_ranks:
                self.problem(
                    f"rank {item.rank} is used twice (also at {seen_ranks[item.rank]}); "
                    "give each role its own rank",
                    item.where,
                )
            seen_ranks.setdefault(item.rank, item.where)
        if sorted(seen_ranks) != list(range(1, len(seen_ranks) + 1)):
            found = ", ".join(str(r) for r in sorted(seen_ranks))
            self.problem(
                f"ranks must run 1 to {len(items)} without gaps; found {found}", items[0].where
            )

        subject_row, row_by_key = self._match_rows(title, items, rows)
        if not rows and not self.problems:
            self.problem("the comparison table has no role rows; add one row per role")
        elif subject_row is None and rows:
            self.problem(
                "the comparison table has no row for the role the title names; add the page's "
                "own role as a table row",
                None,
            )
        for item in items:
            if _key(item.name) not in row_by_key and rows:
                self.problem(
                    f"ranked role '{item.name}' has no row in the comparison table; add one",
                    item.where,
                )
        if self.problems:
            raise SourceError(self.problems)
        assert subject_row is not None

        picks = self._picks([i.name for i in items], bullets)
        roles = []
        for item in sorted(items, key=lambda i: i.rank):
            row = row_by_key[_key(item.name)]
            pick_if, advice = picks.get(item.name, (None, None))
            roles.append(
                Role(
                    rank=item.rank,
                    name=item.name,
                    tagline=item.tagline,
                    description="\n\n".join(item.description),
                    best_for=tuple(item.best_for),
                    primary_focus=row["primary_focus"],
                    key_responsibility=row["key_responsibility"],
                    tools=split_tools(row["tools"]),
                    deliverable=row["deliverable"],
                    pick_if=pick_if,
                    pick_advice=advice,
                )
            )
        subject = Subject(
            name=subject_row["name"],
            primary_focus=subject_row["primary_focus"],
            key_responsibility=subject_row["key_responsibility"],
            tools=split_tools(subject_row["tools"]),
            deliverable=subject_row["deliverable"],
        )
        return Guide(
            title=title,
            subject=subject,
            intro=tuple(intro),
            alternatives=tuple(roles),
            how_to_pick=HowToPick(intro="\n\n".join(pick_intro), closing=tuple(closing)),
        )

def parse_blocks(blocks: list[Block], file: str) -> Guide:
    return _Parser(blocks, file).parse()
