"""The commands over a whole library of pages: `matrix`, and `extract --sources`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def cmd_matrix(args: argparse.Namespace) -> int:
    from rolereport.jobs.library_matrix import matrix_bytes, role_rows
    from rolereport.jobs.outputs import write_atomic
    from rolereport.sources.library import Library

    lib = Library.load(args.sources, args.source_format)
    out = Path(args.output)
    if out.is_dir():
        out = out / "roles.xlsx"
    write_atomic(out, matrix_bytes(lib))
    print(f"wrote {out}: {len(role_rows(lib))} roles from {len(lib.pages)} pages"
          + (f" ({len(lib.unreadable)} could not be read, see above)" if lib.unreadable else ""))
    return 0


def extract_library(args: argparse.Namespace) -> int:
    """One JSON per readable page, into the folder `-o` (default: extracted/), named after the page;
    the pages that failed are listed, exit 1 when any did."""
    from rolereport.errors import UsageError
    from rolereport.jobs.outputs import write_all
    from rolereport.sources.library import Library

    if args.source:
        raise UsageError("extract takes a page or --sources DIR, not both")
    lib = Library.load(args.sources, args.source_format)
    folder = Path(args.output or "extracted")
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"-o {folder} is a file; with --sources, -o is a folder for one JSON per page")
    files = {}
    for page in lib.pages:
        name = page.name.replace("/", "--")
        files[folder / f"{name}.json"] = (json.dumps(page.guide.contract(), indent=2, ensure_ascii=False)
                                          + "\n").encode("utf-8")
    write_all(files)
    for path in files:
        print(f"wrote {path}")
    for name, problems in lib.unreadable:
        first = problems[0].message if problems else "cannot be read"
        print(f"rolereport: {name}: failed: {first}", file=sys.stderr)
    print(f"{len(files)} pages extracted, {len(lib.unreadable)} failed", file=sys.stderr)
    return 1 if lib.unreadable else 0
