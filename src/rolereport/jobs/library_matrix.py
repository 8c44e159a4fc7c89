"""`rolereport matrix`: one workbook of every role across a library of pages, for people who want
to filter everything at once. A role that appears on several pages (as a page's own role or among
its alternatives) is one row, naming every page it appears on and the page that is its own guide;
its other fields come from the first page that describes it as an alternative (which has a tagline
and a best-for list), else from its own page's table row."""

from __future__ import annotations

from dataclasses import dataclass, field

from rolereport.jobs.manifest import workbook_bytes
from rolereport.sources.library import Library
from rolereport.sources.roles import normal

COLUMNS = ("role", "own guide", "appears on", "tagline", "primary focus", "key responsibility", "tools",
           "typical deliverable", "best for")
WIDTHS = {"role": 30, "own guide": 40, "appears on": 60, "tagline": 50, "primary focus": 30,
          "key responsibility": 36, "tools": 40, "typical deliverable": 30, "best for": 70}


@dataclass
class RoleRow:
    name: str
    fields: list[str] = field(default_factory=lambda: [""] * 6)  # tagline … best for
    described: bool = False  # the fields come from an alternative's full entry
    own: str = ""
    on: list[str] = field(default_factory=list)


def role_rows(lib: Library) -> list[RoleRow]:
    rows: dict[tuple[str, ...], RoleRow] = {}
    for page in lib.pages:
        s = page.guide.subject
        row = rows.setdefault(normal(s.name), RoleRow(s.name))
        if lib.page_of_role(s.name) is page:
            row.own = page.name
        row.on.append(f"{page.name} (its own role)")
        if not row.described and not any(row.fields):
            row.fields = ["", s.primary_focus, s.key_responsibility, ", ".join(s.tools), s.deliverable, ""]
        for alt in page.guide.alternatives:
            row = rows.setdefault(normal(alt.name), RoleRow(alt.name))
            row.on.append(f"{page.name} (alternative {alt.rank})")
            if not row.described:
                row.fields = [alt.tagline, alt.primary_focus, alt.key_responsibility, ", ".join(alt.tools),
                              alt.deliverable, "\n".join(alt.best_for)]
                row.described = True
    return sorted(rows.values(), key=lambda r: r.name.casefold())


def matrix_bytes(lib: Library) -> bytes:
    table = [[r.name, r.own, "\n".join(r.on), *r.fields] for r in role_rows(lib)]
    return workbook_bytes(COLUMNS, table, sheet="Roles", widths=WIDTHS,
                          properties={"title": f"Every role in {lib.root.name}",
                                      "keywords": ", ".join(r[0] for r in table)[:255]})
