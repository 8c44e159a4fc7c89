"""`rolereport init`: example files for a newcomer, copied from the installed package."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from rolereport.errors import OutputError, Problem
from rolereport.jobs.outputs import must_be_folder, write_all


def example_files() -> dict[str, bytes]:
    """Relative path → content of every shipped example (profile, roster, theme, README)."""
    root = resources.files("rolereport") / "data" / "examples"
    found: dict[str, bytes] = {}

    def walk(folder, prefix: str) -> None:  # type: ignore[no-untyped-def]
        for item in sorted(folder.iterdir(), key=lambda i: i.name):
            if item.is_dir():
                walk(item, f"{prefix}{item.name}/")
            elif not item.name.startswith("."):
                found[prefix + item.name] = item.read_bytes()

    walk(root, "")
    return found


def write_examples(folder: Path, force: bool = False) -> list[Path]:
    """Write the examples into `folder`; refuse (naming them) to replace existing files."""
    files = {folder / rel: data for rel, data in example_files().items()}
    must_be_folder(folder, "give a folder for the examples")
    clash = [p for p in files if p.exists()]
    if clash and not force:
        raise OutputError([Problem(str(p), "already exists; nothing was written (--force replaces "
                                   "the example files)") for p in clash])
    write_all(files)
    return list(files)
