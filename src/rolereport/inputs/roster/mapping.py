"""`--columns` and `--columns-file`: which headings (or column letters) give which field.

    --columns "name=Full name,id=Employee ID"          several maps, comma-separated
    --columns 'strengths="What are you good at? A few words, or a list"'   a heading with commas, quoted
    --columns "strengths=What are you good at? A few words, or a list"     ... or not: a piece with
                                                        no '=' continues the heading before it
    --columns interests=F --columns interests=G        a column letter; a list field from several columns

The option may be repeated; maps add up (the list fields interests, strengths and goals take several
columns, the others one). A columns file holds one FIELD=HEADING a line (`#` starts a comment), or,
as a `.toml` file, `FIELD = "Heading"` / `FIELD = ["Heading", "F"]` under an optional `[columns]`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from rolereport.errors import Problem, UsageError
from rolereport.inputs.roster.columns import MAPPABLE, MULTI, field_of

Columns = dict[str, list[str]]  # field -> headings or column letters, in the order given
MAX_FILE_BYTES = 64 * 1024


def _pieces(text: str) -> list[str]:
    """Split at commas outside double or single quotes, the quotes removed from quoted headings."""
    pieces, current, quote = [], "", ""
    for ch in text:
        if quote:
            if ch == quote:
                quote = ""
            else:
                current += ch
        elif ch in "\"'" and (current.rstrip().endswith("=") or not current.strip()):
            quote = ch
        elif ch == ",":
            pieces.append(current)
            current = ""
        else:
            current += ch
    if quote:
        raise ValueError(f"a quote ({quote}) is not closed")
    pieces.append(current)
    return pieces


def parse_columns(values: str | Sequence[str] | Mapping[str, str | Sequence[str]] | None,
                  where: str = "--columns") -> Columns:
    """`--columns` values (one text or several) as {field: [heading, …]}; bad maps are a UsageError
    naming every problem."""
    if not values:
        return {}
    if isinstance(values, Mapping):
        return _checked(((k, [v] if isinstance(v, str) else list(v)) for k, v in values.items()), where)
    texts = [values] if isinstance(values, str) else list(values)
    pairs: list[tuple[str, list[str]]] = []
    problems = []
    for text in texts:
        try:
            pieces = _pieces(text)
        except ValueError as exc:
            problems.append(Problem(where, f"'{text}': {exc}"))
            continue
        for piece in pieces:
            key, sep, heading = piece.partition("=")
            if not sep:
                if pairs and piece.strip():  # "A few words, or a list": the heading went on
                    pairs[-1][1][-1] += "," + piece
                elif piece.strip():
                    problems.append(Problem(where, f"'{piece.strip()}' is not FIELD=HEADING (such as name=Full name)"))
                continue
            pairs.append((key, [heading]))
    if problems:
        raise UsageError(problems)
    return _checked(pairs, where)


def _checked(pairs: Iterable[tuple[str, list[str]]], where: str) -> Columns:
    mapping: Columns = {}
    problems = []
    for key, headings in pairs:
        fld = field_of(key)
        for heading in headings:
            heading = heading.strip()
            if fld is None:
                problems.append(f"'{key.strip()}' is not a roster field; use one of: {', '.join(MAPPABLE)}")
                break
            if not heading:
                problems.append(f"'{key.strip()}=' names no heading (such as {fld}=Heading, or {fld}=F for column F)")
                continue
            given = mapping.setdefault(fld, [])
            if heading in given:
                continue
            if given and fld not in MULTI:
                problems.append(f"'{fld}' is mapped twice ('{given[0]}' and '{heading}'); only "
                                f"{', '.join(MULTI)} take several columns")
                continue
            given.append(heading)
    if problems:
        raise UsageError([Problem(where, p) for p in dict.fromkeys(problems)])
    return mapping


def merge(*mappings: Mapping[str, Sequence[str]]) -> Columns:
    """Later mappings override earlier ones field by field (the command line over a file)."""
    out: Columns = {}
    for m in mappings:
        for fld, headings in m.items():
            out[fld] = list(headings)
    return out


def read_columns_file(path: str | Path) -> Columns:
    """A saved mapping: FIELD=HEADING lines, or a TOML file (`.toml`)."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise UsageError(Problem(str(path), f"is larger than {MAX_FILE_BYTES // 1024} KB; a columns file "
                                     "holds a few FIELD=HEADING lines"))
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(Problem(str(path), "no such file (--columns-file)")) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(Problem(str(path), f"cannot be read ({exc}); save it as UTF-8 text")) from None
    if path.suffix.lower() == ".toml":
        import tomllib

        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise UsageError(Problem(str(path), f"is not valid TOML ({exc})")) from None
        table = data.get("columns", data)
        bad = [k for k, v in table.items() if not isinstance(v, str | list)]
        if bad or not isinstance(table, dict):
            raise UsageError(Problem(str(path), f"'{bad[0] if bad else 'columns'}' must be a heading "
                                     "(\"Heading\") or a list of them"))
        return parse_columns(table, str(path))
    pairs: list[tuple[str, list[str]]] = []
    problems = []
    for n, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, heading = line.partition("=")
        heading = heading.strip()
        if len(heading) > 1 and heading[0] == heading[-1] and heading[0] in "\"'":
            heading = heading[1:-1]
        if not sep:
            problems.append(Problem(str(path), f"'{line[:70]}' is not FIELD=HEADING", f"line {n}"))
            continue
        pairs.append((key, [heading]))
    if problems:
        raise UsageError(problems)
    return _checked(pairs, str(path))
