"""The comparison table of a page: which column holds which field, its rows read, and each row
matched to a ranked role (a part of the page parser, `parse.py`)."""

from __future__ import annotations

from rolereport.sources.blocks import Block, Table, clean
from rolereport.sources.entry import Entry
from rolereport.sources.names import _key, _loose, names_in

# Which table column holds which field, by words in its heading (positional when there are 5).
COLUMNS = {
    "name": ("role", "title", "position", "job"),
    "primary_focus": ("focus",),
    "key_responsibility": ("responsib", "duty", "duties"),
    "tools": ("tool", "framework", "stack", "technolog"),
    "deliverable": ("deliverable", "output", "produce"),
}


class TableReading:
    """The parser's table methods; `problem`, `warn` and `names` are the parser's."""

    @staticmethod
    def _columns(table: Table, partial: bool = False) -> dict[str, int] | None:
        """Which column holds which field, or None when the header does not say (`partial`: the
        columns it does say)."""
        header = [_key(h) for h in table.rows[0]]
        columns: dict[str, int] = {}
        for fieldname, words in COLUMNS.items():
            for idx, h in enumerate(header):
                if idx not in columns.values() and any(w in h for w in words):
                    columns[fieldname] = idx
                    break
        if len(columns) < len(COLUMNS) and not partial:
            if len(header) != len(COLUMNS):
                return None
            columns = {f: i for i, f in enumerate(COLUMNS)}
        return columns

    def _table(self, table: Block) -> list[tuple[str, dict[str, str]]]:
        assert isinstance(table, Table)
        header = [_key(h) for h in table.rows[0]]
        columns = self._columns(table)
        if columns is None:
            missing = ", ".join(f for f in COLUMNS if f not in self._columns(table, partial=True))  # type: ignore[operator]
            self.problem(
                f"the comparison table lacks columns for: {missing}; expected Role, Primary "
                "Focus, Key Responsibility, Common Tools/Frameworks, Typical Deliverable",
                table.where,
            )
            return []
        needed = max(columns.values()) + 1
        for idx, head in enumerate(table.rows[0]):
            if idx not in columns.values() and any(len(r) > idx and r[idx] for r in table.rows):
                self.warn(f"table column '{head}' was not used: it is none of the comparison's columns "
                          "(Role, Primary Focus, Key Responsibility, Common Tools/Frameworks, Typical "
                          "Deliverable)", table.where)
        rows = []
        for row, where in zip(table.rows[1:], table.wheres[1:], strict=True):
            if len(row) < needed or not row[columns["name"]]:
                self.problem(
                    f"table row has {len(row)} cells where the header has {len(header)}; "
                    "fill every column" if len(row) < needed else
                    "table row has no role name; fill its role column",
                    where,
                )
                continue
            rows.append(
                (where, {f: row[i] if f == "tools" else clean(row[i]) for f, i in columns.items()})
            )
        return rows

    def _match_rows(
        self, title: str, items: list[Entry], rows: list[tuple[str, dict[str, str]]]
    ) -> tuple[dict[str, str] | None, dict[str, dict[str, str]]]:
        """The subject row, and each ranked role's row: same name, else the one loose match."""
        item_keys = {_key(i.name) for i in items}
        item_loose = {_loose(i.name) for i in items}
        named = names_in(title, [r["name"] for _, r in rows])
        in_title = sorted(
            (r for _, r in rows if r["name"] in named), key=lambda r: named.index(r["name"])
        )
        subject = next(
            (r for r in in_title
             if _key(r["name"]) not in item_keys and _loose(r["name"]) not in item_loose),
            in_title[0] if in_title else None,
        )
        matched: dict[str, dict[str, str]] = {}
        leftover: list[tuple[str, dict[str, str]]] = []
        for where, r in rows:
            if r is subject:
                continue
            k = _key(r["name"])
            if k in matched:
                self.problem(f"table row '{r['name']}' appears twice; keep one", where)
            elif k in item_keys:
                matched[k] = r
            else:
                leftover.append((where, r))
        unmatched = [i for i in items if _key(i.name) not in matched]
        for where, r in leftover:
            fits = [i for i in unmatched if _loose(i.name) == _loose(r["name"])]
            if len(fits) == 1 and sum(
                _loose(o["name"]) == _loose(r["name"]) for _, o in leftover
            ) == 1:
                matched[_key(fits[0].name)] = r
                unmatched.remove(fits[0])
            else:
                self.problem(
                    f"table row '{r['name']}' matches no ranked role; rename it to match the "
                    "ranked list or remove it",
                    where,
                )
        return subject, matched
