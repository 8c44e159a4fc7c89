"""Check that a change of code changes no output: build the same inputs with the code of a given
commit and with the working tree, and compare the PDF, DOCX and XLSX byte for byte.

    .venv/bin/python tools/compare_outputs.py HEAD~3        # that commit against the working tree
    .venv/bin/python tools/compare_outputs.py A B           # two commits

The inputs: the default report, the bundled example profile of Jane Doe, and a batch of every
example profile (two workers). Both sides run with this venv's Python and packages (so the same
WeasyPrint, pandoc and openpyxl), each with its own `src/` first on the path, and a fixed
SOURCE_DATE_EPOCH. Exits 0 when every file is identical, 1 otherwise (naming each file that differs).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUFFIXES = (".pdf", ".docx", ".xlsx")


def _checkout(rev: str, where: Path) -> Path:
    """The tree of `rev` (or the working tree for '.') as a folder."""
    if rev == ".":
        return ROOT
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-f", str(where), rev],
                   check=True, capture_output=True)
    return where


def _examples(tree: Path) -> Path:
    """The example profiles' folder, wherever that commit kept it."""
    for rel in ("examples/profiles", "sources/profiles"):
        if (tree / rel).is_dir():
            return tree / rel
    raise SystemExit(f"{tree}: no example profiles folder")


def _build(tree: Path, out: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(tree / "src"), SOURCE_DATE_EPOCH="1765152000", PYTHONHASHSEED="0")
    profiles = _examples(tree)
    rr = [sys.executable, "-m", "rolereport"]
    runs = [rr + ["report", "--out", str(out / "default")],
            rr + ["report", "--profile", str(profiles / "jane-doe.yaml"), "--out", str(out / "jane")],
            rr + ["batch", str(profiles), "--out", str(out / "batch"), "--jobs", "2", "--plain"]]
    for cmd in runs:
        done = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"{tree}: {' '.join(cmd[2:4])} failed ({done.returncode}):\n{done.stderr}")


def _files(out: Path) -> dict[str, bytes]:
    """Every bundle file (the batch's manifest records the run itself, so it is left out)."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.suffix in SUFFIXES and not p.name.startswith("manifest.")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", help="a commit (or '.' for the working tree)")
    parser.add_argument("after", nargs="?", default=".", help="a commit, or '.' (default) for the working tree")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rolereport-compare-") as tmp:
        tmp_path = Path(tmp)
        sides = {}
        try:
            for label, rev in (("before", args.before), ("after", args.after)):
                tree = _checkout(rev, tmp_path / f"tree-{label}")
                _build(tree, tmp_path / label)
                sides[label] = _files(tmp_path / label)
        finally:
            for label in ("before", "after"):
                if (tmp_path / f"tree-{label}").exists():
                    subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force",
                                    str(tmp_path / f"tree-{label}")], capture_output=True)
        before, after = sides["before"], sides["after"]
        differ = [name for name in sorted(set(before) | set(after)) if before.get(name) != after.get(name)]
        for name in differ:
            state = "missing before" if name not in before else "missing after" if name not in after else "differs"
            print(f"{name}: {state}")
        print(f"{len(before)} files before, {len(after)} after: "
              + ("byte-identical" if not differ else f"{len(differ)} differ"))
        return 1 if differ or not before else 0


if __name__ == "__main__":
    sys.exit(main())
