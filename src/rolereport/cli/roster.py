"""`rolereport check-roster`: a roster read and validated as a batch would, before anyone builds:
the mapping used, the people, resubmissions, empty profiles and every warning."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def cmd_check_roster(args: argparse.Namespace) -> int:
    from rolereport import notices
    from rolereport.cli.campaign import apply, roster_columns
    from rolereport.inputs.roster import expand
    from rolereport.inputs.roster.columns import MAPPABLE
    from rolereport.jobs.people import load_people

    apply(args)
    columns = roster_columns(args)
    mappings: list[tuple[str, list[tuple[str, str]]]] = []
    with notices.collect() as found:
        entries = expand(args.inputs, sheet=args.sheet, columns=columns, include_hidden=args.include_hidden,
                         headers=mappings)
        people = load_people(entries, Path(args.out), (), duplicates=args.duplicates,
                             allow_empty=args.allow_empty)
    for file, used in mappings:
        print(f"{file}: columns read")
        for fld in MAPPABLE:
            for f, heading in used:
                if f == fld:
                    print(f"  {fld:<15} {heading}")
    _owners(people, Path(args.out))
    ok = [p for p in people if not p.status]
    failed = [p for p in people if p.status]
    print(f"{_count(len(people), 'person', 'people')}: {len(ok)} ready, {len(failed)} with problems")
    for p in ok:
        prof = p.profile
        assert prof is not None
        who = prof.email or prof.id or ""
        what = (f"{_count(len(prof.interests), 'interest', 'interests')}, "
                f"{_count(len(prof.strengths), 'strength', 'strengths')}" + (", goals" if prof.goals else ""))
        if p.job is not None and p.job.plain:
            what = "nothing to go on: the plain guide (--allow-empty)"
        print(f"  ok      {prof.name}" + (f" <{who}>" if who and "@" in who else f" ({who})" if who else "")
              + f" → {p.slug}/  {what}  [{p.entry.label}]")
    for p in failed:
        print(f"  failed  {p.name} — {p.error}")
    for w in found:
        print(f"rolereport: {notices.line(w)}", file=sys.stderr)
    rows = {line for p in people for line in p.warnings} - {notices.line(w) for w in found}
    for line in sorted(rows):
        print(f"rolereport: {line}", file=sys.stderr)
    return 1 if failed else 0


def _owners(people: list, out: Path) -> None:
    """A person whose folder in `out` holds someone else's bundle: failed now, as the batch would."""
    from rolereport.jobs.job import refusal
    from rolereport.jobs.stamps import read_stamp

    if not out.is_dir():
        return
    for p in people:
        if not p.status and p.job is not None:
            why = refusal(p.job, read_stamp(p.job.folder), ())
            if why:
                p.status, p.error = "failed", f"{p.entry.label}: {why}"


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
