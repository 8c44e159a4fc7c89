"""A survey round's settings in one file: `rolereport.toml` in the working folder, as Quarto's
`_quarto.yml` and `mkdocs.yml` are found, so the next round is `rolereport batch new-export.xlsx`
and then `rolereport send`. Options on the command line override it.

    source = "pages/data-analyst.html"     # the page (or, later, a library of pages)
    from = "html"                          # its format, when the extension does not say
    templates = "templates"                # folder of template overrides
    theme = "theme/theme.toml"
    out = "guides"                         # the batch's output folder, also what send reads
    format = ["pdf", "docx"]

    [roster]
    sheet = "Form1"
    columns-file = "columns.txt"           # or the mapping itself:
    duplicates = "latest"                  # latest | first | fail
    allow-empty = false
    include-hidden = false

    [roster.columns]
    strengths = "What are you good at? A few words, or a list"
    interests = ["What would you like to learn more about?", "G"]

    [send]
    from = "HR Team <hr@example.com>"
    subject = "Your career guide, {{ name }}"
    attach = "pdf,docx"

Paths are relative to the file's folder. An unknown key or a value of the wrong kind is an error
naming the file and line.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rolereport.errors import Problem, UsageError

FILE_NAME = "rolereport.toml"
MAX_BYTES = 64 * 1024

# table -> key -> (kind, attribute name on the command line's arguments)
KEYS: dict[str, dict[str, tuple[str, str]]] = {
    "": {"source": ("path", "source"), "from": ("text", "source_format"), "templates": ("path", "templates"),
         "theme": ("path", "theme"), "out": ("path", "out"), "format": ("list", "format")},
    "roster": {"sheet": ("text", "sheet"), "columns-file": ("path", "columns_file"),
               "duplicates": ("text", "duplicates"), "allow-empty": ("bool", "allow_empty"),
               "include-hidden": ("bool", "include_hidden"), "columns": ("table", "columns")},
    "send": {"from": ("text", "sender"), "subject": ("text", "subject"), "attach": ("list", "attach")},
}
TABLES = {"roster", "send"}


@dataclass
class Campaign:
    path: Path
    settings: dict[str, dict[str, Any]] = field(default_factory=dict)  # table -> attribute -> value

    def get(self, table: str, attribute: str) -> Any:
        return self.settings.get(table, {}).get(attribute)


def find(folder: Path | None = None) -> Path | None:
    path = (folder or Path.cwd()) / FILE_NAME
    return path if path.is_file() else None


def _lines(text: str) -> dict[tuple[str, str], int]:
    """(table, key) -> line number, for messages (tomllib gives none)."""
    found: dict[tuple[str, str], int] = {}
    table = ""
    for n, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        head = re.match(r"^\[\s*([^\]]+?)\s*\]", stripped)
        if head:
            table = head[1].replace('"', "").replace(" ", "")
            found.setdefault((table.rsplit(".", 1)[0] if "." in table else "", table.rsplit(".", 1)[-1]), n)
            continue
        key = re.match(r'^"?([A-Za-z0-9_\-]+)"?\s*=', stripped)
        if key:
            found.setdefault((table, key[1]), n)
    return found


def load(path: Path) -> Campaign:
    file = str(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise UsageError(Problem(file, f"is larger than {MAX_BYTES // 1024} KB; it holds a few settings"))
        text = path.read_text(encoding="utf-8-sig")
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(Problem(file, f"is not valid TOML: {exc}")) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(Problem(file, f"cannot be read ({exc})")) from None
    lines = _lines(text)
    problems: list[Problem] = []
    campaign = Campaign(path)

    def at(table: str, key: str) -> str | None:
        n = lines.get((table, key))
        return f"line {n}" if n else None

    def walk(table: str, values: dict[str, Any]) -> None:
        allowed = KEYS[table]
        for raw_key, value in values.items():
            key = raw_key.replace("_", "-")
            if table == "" and key in TABLES:
                if not isinstance(value, dict):
                    problems.append(Problem(file, f"'{raw_key}' must be a table ([{key}])", at(table, raw_key)))
                else:
                    walk(key, value)
                continue
            if key not in allowed:
                choices = sorted(allowed) + (sorted(TABLES) if table == "" else [])
                guess = difflib.get_close_matches(key, choices, n=1)
                hint = f"did you mean '{guess[0]}'? " if guess else ""
                place = f"[{table}]" if table else "the top"
                problems.append(Problem(file, f"unknown key '{raw_key}' in {place}; {hint}the keys are "
                                        f"{', '.join(choices)}", at(table, raw_key)))
                continue
            kind, attribute = allowed[key]
            checked = _value(kind, value, path.parent)
            if checked is None:
                problems.append(Problem(file, f"'{raw_key}' must be {_KINDS[kind]}", at(table, raw_key)))
                continue
            campaign.settings.setdefault(table, {})[attribute] = checked

    walk("", data)
    if problems:
        raise UsageError(problems)
    columns = campaign.get("roster", "columns")
    if columns is not None:
        from rolereport.inputs.roster.mapping import parse_columns

        campaign.settings["roster"]["columns"] = parse_columns(columns, f"{file}: [roster.columns]")
    return campaign


_KINDS = {"path": "a path (text)", "text": "text", "list": "a list of names, or one text with commas",
          "bool": "true or false", "table": "a table of FIELD = \"Heading\" (or a list of headings)"}


def _value(kind: str, value: Any, base: Path) -> Any:
    if kind == "path":
        return str(base / value) if isinstance(value, str) and value.strip() else None
    if kind == "text":
        return value if isinstance(value, str) else None
    if kind == "bool":
        return value if isinstance(value, bool) else None
    if kind == "list":
        if isinstance(value, str):
            return [value]
        return value if isinstance(value, list) and all(isinstance(v, str) for v in value) else None
    if kind == "table":
        ok = isinstance(value, dict) and all(isinstance(v, str) or (isinstance(v, list) and all(
            isinstance(x, str) for x in v)) for v in value.values())
        return value if ok else None
    return None
