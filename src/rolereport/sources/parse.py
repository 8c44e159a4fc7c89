"""Blocks → Guide: the structure shared by every page of the family, whatever its roles.

Every problem found is collected; the caller gets them all at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rolereport.errors import Problem, SourceError
from rolereport.model import Guide, HowToPick, Role, Subject
from rolereport.sources.blocks import Block, Bullet, Para, Table

ITEM = re.compile(r"^(?P<rank>\d{1,6})[.)]\s+(?P<name>.+?)\s+(?:—|–|--|-)\s+(?P<tagline>.+)$")
_BEST_FOR = re.compile(r"^best\s+for\b\s*:?\s*$", re.IGNORECASE)
_EXPLORE = re.compile(r"^explore\b.*\bprofile\b", re.IGNORECASE)

# Which table column holds which field, by words in its heading (positional when there are 5).
_COLUMNS = {
    "name": ("role", "title", "position", "job"),
    "primary_focus": ("focus",),
    "key_responsibility": ("responsib", "duty", "duties"),
    "tools": ("tool", "framework", "stack", "technolog"),
    "deliverable": ("deliverable", "output", "produce"),
}


def split_tools(cell: str) -> tuple[str, ...]:
    """Split on commas outside brackets: `Python (Pandas, Scikit-learn), R` is two tools."""
    tools, depth, current = [], 0, []
    for ch in cell:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        if ch == "," and depth == 0:
            tools.append("".join(current))
            current = []
        else:
            current.append(ch)
    tools.append("".join(current))
    return tuple(t.strip() for t in tools if t.strip())


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def name_pattern(name: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in name.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?:s|'s|’s)?(?!\w)", re.IGNORECASE)


def names_in(text: str, names: list[str]) -> list[str]:
    """Names mentioned in text, in order of first mention; a longer name wins over one inside it."""
    hits = []
    for name in names:
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


@dataclass
class _Item:
    rank: int
    name: str
    tagline: str
    where: str
    description: list[str] = field(default_factory=list)
    best_for: list[str] = field(default_factory=list)


class _Parser:
    def __init__(self, blocks: list[Block], file: str) -> None:
        self.blocks = blocks
        self.file = file
        self.problems: list[Problem] = []

    def problem(self, message: str, where: str | None = None) -> None:
        self.problems.append(Problem(self.file, message, where))

    def parse(self) -> Guide:
        blocks = self.blocks
        if not blocks:
            raise SourceError(Problem(self.file, "the source has no text; give a page of the family"))
        starts = [i for i, b in enumerate(blocks) if isinstance(b, Para) and ITEM.match(b.text)]
        if not starts:
            self.problem(
                "no ranked list of alternatives found; expected entries like "
                "'1. Role name — one-line summary'"
            )
        tables = [i for i, b in enumerate(blocks) if isinstance(b, Table)]
        after = [i for i in tables if not starts or i > starts[-1]]
        table_at = (after or tables or [None])[0]
        if table_at is None:
            self.problem(
                "no comparison table found; expected a '| Role | Primary Focus | … |' table"
            )
        if self.problems:
            raise SourceError(self.problems)

        title_at, title = self._title(starts[0])
        intro = [
            b.text
            for b in blocks[title_at + 1 : starts[0]]
            if isinstance(b, Para) and not b.looks_like_heading()
        ]
        end = table_at if table_at > starts[-1] else len(blocks)
        items = [
            self._item(blocks[s], blocks[s + 1 : (starts[k + 1] if k + 1 < len(starts) else end)])
            for k, s in enumerate(starts)
        ]
        rows = self._table(blocks[table_at])
        tail = blocks[table_at + 1 :] if table_at > starts[-1] else []
        pick_intro, bullets, closing = self._how_to_pick(tail)
        return self._assemble(title, intro, items, rows, pick_intro, bullets, closing)

    def _title(self, first_item: int) -> tuple[int, str]:
        for i, b in enumerate(self.blocks[:first_item]):
            if isinstance(b, Para) and b.heading == 1:
                return i, b.text
        first = self.blocks[0]
        if not isinstance(first, Para) or first_item == 0:
            self.problem("the page must start with its title line", getattr(first, "where", None))
            raise SourceError(self.problems)
        return 0, first.text

    def _item(self, head: Block, body: list[Block]) -> _Item:
        assert isinstance(head, Para)
        m = ITEM.match(head.text)
        assert m
        item = _Item(int(m["rank"]), m["name"].strip(), m["tagline"].strip(), head.where)
        state = "description"
        for b in body:
            if isinstance(b, Para) and _BEST_FOR.match(b.text):
                state = "best_for"
            elif isinstance(b, Bullet):
                if state != "after":
                    item.best_for.append(b.text)
            elif isinstance(b, Para):
                if state == "best_for" and item.best_for:
                    state = "after"
                if state == "description" and not b.looks_like_heading() and not _EXPLORE.match(
                    b.text
                ):
                    item.description.append(b.text)
        return item

    def _table(self, table: Block) -> list[tuple[str, dict[str, str]]]:
        assert isinstance(table, Table)
        header = [_key(h) for h in table.rows[0]]
        columns: dict[str, int] = {}
        for fieldname, words in _COLUMNS.items():
            for idx, h in enumerate(header):
                if idx not in columns.values() and any(w in h for w in words):
                    columns[fieldname] = idx
                    break
        if len(columns) < len(_COLUMNS):
            if len(header) == len(_COLUMNS):
                columns = {f: i for i, f in enumerate(_COLUMNS)}
            else:
                missing = ", ".join(f for f in _COLUMNS if f not in columns)
                self.problem(
                    f"the comparison table lacks columns for: {missing}; expected Role, Primary "
                    "Focus, Key Responsibility, Common Tools/Frameworks, Typical Deliverable",
                    table.where,
                )
                return []
        rows = []
        for row, where in zip(table.rows[1:], table.wheres[1:], strict=True):
            if len(row) < len(header) or not row[columns["name"]]:
                self.problem(
                    f"table row has {len(row)} cells where the header has {len(header)}; "
                    "fill every column",
                    where,
                )
                continue
            rows.append((where, {f: row[i] for f, i in columns.items()}))
        return rows

    def _how_to_pick(self, tail: list[Block]) -> tuple[list[str], list[Bullet], list[str]]:
        intro: list[str] = []
        bullets: list[Bullet] = []
        closing: list[str] = []
        for b in tail:
            if isinstance(b, Bullet):
                if closing:
                    break
                bullets.append(b)
            elif isinstance(b, Para):
                if b.looks_like_heading():
                    if intro or bullets:
                        break
                    continue
                (closing if bullets else intro).append(b.text)
            elif bullets or intro:
                break
        return intro, bullets, closing

    def _assemble(
        self,
        title: str,
        intro: list[str],
        items: list[_Item],
        rows: list[tuple[str, dict[str, str]]],
        pick_intro: list[str],
        bullets: list[Bullet],
        closing: list[str],
    ) -> Guide:
        by_key: dict[str, _Item] = {}
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

        row_names = [r["name"] for _, r in rows]
        title_names = names_in(title, row_names)
        subject_row = next(
            (r for _, r in rows if title_names and _key(r["name"]) == _key(title_names[0])), None
        )
        if not rows and not self.problems:
            self.problem("the comparison table has no role rows; add one row per role")
        elif subject_row is None and rows:
            self.problem(
                "the comparison table has no row for the role the title names; add the page's "
                "own role as a table row",
                None,
            )
        row_by_key: dict[str, dict[str, str]] = {}
        for where, r in rows:
            k = _key(r["name"])
            if r is subject_row:
                continue
            if k in row_by_key:
                self.problem(f"table row '{r['name']}' appears twice; keep one", where)
            elif k not in by_key:
                self.problem(
                    f"table row '{r['name']}' matches no ranked role; rename it to match the "
                    "ranked list or remove it",
                    where,
                )
            row_by_key[k] = r
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

    @staticmethod
    def _picks(names: list[str], bullets: list[Bullet]) -> dict[str, tuple[str, str | None]]:
        """Each bullet belongs to the first role it names that no earlier bullet claimed."""
        picks: dict[str, tuple[str, str | None]] = {}
        for b in bullets:
            condition, colon, advice = b.text.partition(":")
            named = names_in(advice, names) + names_in(condition, names)
            for name in named:
                if name not in picks:
                    picks[name] = (condition.strip(), advice.strip() or None if colon else None)
                    break
        return picks


def parse_blocks(blocks: list[Block], file: str) -> Guide:
    return _Parser(blocks, file).parse()
