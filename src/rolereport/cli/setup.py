"""The commands that set things up: init (example files) and doctor (what this installation can do)."""

from __future__ import annotations

import argparse
from pathlib import Path


def cmd_init(args: argparse.Namespace) -> int:
    from rolereport.jobs.examples import write_examples

    folder = Path(args.folder)
    for path in write_examples(folder, force=args.force):
        print(f"wrote {path}")
    where = "" if folder == Path(".") else f"cd {args.folder} && "
    print(f"next: {where}rolereport report --profile profile.yaml  (README.md there says more)")
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from rolereport.cli.doctor import checks

    missing = False
    for check in checks():
        print(check.line())
        missing |= check.required and not check.ok
    print("the default report cannot be built: install what is MISSING" if missing
          else "everything the default report needs is here")
    return 1 if missing else 0
