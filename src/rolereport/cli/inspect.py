"""The commands that read and print: extract, schema, check-profile, fit."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path


def _write_text(text: str, out: str | None) -> None:
    """To stdout, to a character device or pipe named by -o (/dev/stdout, /dev/null) as it is, else to
    a file replaced atomically."""
    if out is None:
        sys.stdout.write(text)
        return
    import stat

    try:
        mode = os.stat(out).st_mode
    except OSError:
        mode = 0
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        with open(out, "w", encoding="utf-8") as fh:
            fh.write(text)
        return
    from rolereport.jobs.outputs import write_atomic

    write_atomic(Path(out), text.encode("utf-8"))


def cmd_extract(args: argparse.Namespace) -> int:
    from rolereport.sources import read_source

    if args.sources:
        from rolereport.cli.library import extract_library

        return extract_library(args)
    guide, _ = read_source(args.source, args.source_format, strict=args.strict)
    _write_text(json.dumps(guide.contract(), indent=2, ensure_ascii=False) + "\n", args.output)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from rolereport.model import guide_json_schema

    _write_text(json.dumps(guide_json_schema(), indent=2, ensure_ascii=False) + "\n", args.output)
    return 0


def cmd_check_profile(args: argparse.Namespace) -> int:
    from rolereport.errors import Problem, UsageError
    from rolereport.fit import limits
    from rolereport.inputs.profile import load_profile, summary
    from rolereport.inputs.roster import ROSTER_SUFFIXES

    if Path(args.file).suffix.lower() in ROSTER_SUFFIXES:
        raise UsageError(Problem(args.file, f"is a roster, not a profile; check it with: rolereport check-roster "
                                 f"{args.file}"))
    person = load_profile(Path(args.file))
    print(f"ok: {summary(person)}")
    for note in limits(person):
        print(f"note: {note}")
    return 0


def cmd_fit(args: argparse.Namespace) -> int:
    from rolereport.fit import limits, rank_fits
    from rolereport.inputs.profile import load_profile
    from rolereport.sources import read_source

    person = load_profile(Path(args.profile))
    if args.sources:
        from rolereport.jobs.options import BuildOptions
        from rolereport.jobs.pages import RunPages, fail_or_warn

        pages = RunPages.load(BuildOptions(source=args.source, source_format=args.source_format,
                                           sources=args.sources, default_source=args.default_source))
        page = fail_or_warn(pages.choose(person), args.profile)
        guide, on = page.guide, f" (page {page.name}: {page.role})"
    else:
        guide, _ = read_source(args.source, args.source_format)
        on = ""
    from rolereport.jobs.report import current_on_page

    held = current_on_page(guide, person)
    fits = [f for f in rank_fits(person, guide) if f.role != held]
    notes = limits(person, fits)
    if args.json:
        rows = [fit.model_dump(mode="json") for fit in fits]
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        for note in notes:
            print(f"note: {note}", file=sys.stderr)
        return 0
    from rolereport.text.labels import LABELS

    width = max([len(LABELS["role"])] + [len(f.role) for f in fits])
    print(f"Fit for {person.name}{on}")
    rows = [(LABELS["role"], "Score", LABELS["fit_band"], LABELS["why"])]
    for fit in fits:
        why = "—"
        if fit.evidence:
            e = fit.evidence[0]
            read_as = f" (read as “{e.read_as}”)" if e.read_as else ""
            why = f"“{e.profile_text}”{read_as} ↔ “{e.source_text}” ({LABELS.get(e.field, e.field)})"
        rows.append((fit.role, str(fit.score), fit.band, why))
        for c in fit.cautions:
            rows.append(("", "", "", f"{LABELS['caution']}: you said you'd rather leave “{c.profile_text}” "
                                     f"behind; this role involves it (“{c.source_text}”)"))
    columns = _terminal_columns()
    for role, score, band, why in rows:
        lead = f"{role:<{width}}  {score:>5}  {band:<12}  "
        print(lead + _wrap(why, len(lead), columns))
    for note in notes:
        print(_wrap(f"note: {note}", 0, columns))
    return 0


def _terminal_columns() -> int | None:
    """The width to fit: $COLUMNS, else the terminal's; None (no wrapping) when piped."""
    if os.environ.get("COLUMNS", "").isdigit():
        return int(os.environ["COLUMNS"])
    if sys.stdout.isatty():
        import shutil

        return shutil.get_terminal_size().columns
    return None


def _wrap(text: str, indent: int, columns: int | None) -> str:
    """`text` wrapped at words to end before `columns`, continuation lines under its first."""
    if columns is None or indent + len(text) < columns:
        return text
    import textwrap

    if columns - indent < 24:  # too narrow beside the other columns: its own lines below
        return "\n" + textwrap.fill(text, columns - 1, initial_indent="    ", subsequent_indent="    ",
                                     break_long_words=False, break_on_hyphens=False)
    lines = textwrap.wrap(text, columns - 1 - indent, break_long_words=False, break_on_hyphens=False)
    return ("\n" + " " * indent).join(lines)


