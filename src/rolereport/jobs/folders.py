"""A person's folder on disk, the same for one report and a batch: its name, whose it is, whether
its files are up to date with the inputs, and writing a bundle into it (all files or none, the
stamp last)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from rolereport import __version__
from rolereport.errors import OutputError, Problem, ProfileError
from rolereport.jobs.outputs import own_folder, read_own, write_all
from rolereport.jobs.stamps import STAMP, Identity, Stamp, different_person
from rolereport.model import Profile, SourceInfo
from rolereport.render.context import Context
from rolereport.render.formats import FORMATS, file_name
from rolereport.text.slugs import slugify

FileInfo = tuple[str, int, str]  # file name, size in bytes, SHA-256: what the stamp and manifest list


def file_info(name: str, data: bytes) -> FileInfo:
    return name, len(data), hashlib.sha256(data).hexdigest()


def person_slug(profile: Profile, file: str, where: str = "") -> str:
    """The person's folder name (their id, else their name), or one clear error."""
    slug = slugify(profile.id or profile.name)
    if not slug:
        raise ProfileError(Problem(file or profile.name, "the name or id has no letters or digits, even "
                                   "transliterated to ASCII, to name a folder with; set an 'id' (letters, "
                                   "digits and hyphens, such as 'jane-doe')", where + "field 'id'"))
    return slug


# ---- what the files were built from --------------------------------------------------------------

def _hash_files(paths: Iterable[Path], h: hashlib._Hash) -> None:
    for path in sorted(paths):
        h.update(str(path.name).encode() + b"\0" + path.read_bytes() + b"\0")


def inputs_base(source: SourceInfo, ctx: Context, theme_file: Path | None, formats: Sequence[str],
                library: dict[str, str] | None = None) -> str:
    """Digest of what every person's outputs of one page share: the page (its text, and the file
    name and date the guide prints), templates, theme, formats, version; with a library, which of
    the page's alternatives have a page there (the guide says so)."""
    h = hashlib.sha256()
    if library is not None:
        h.update(("library\0" + "\0".join(f"{k}={v}" for k, v in sorted(library.items())) + "\0").encode())
    h.update(f"{__version__}\0{source.sha256}\0{source.name}\0{source.date.isoformat()}\0"
             f"{','.join(sorted(formats))}\0".encode())
    for folder in ctx.templates.dirs:
        _hash_files((p for p in folder.rglob("*") if p.is_file()), h)
    h.update(f"{ctx.theme.title}\0{ctx.theme.subtitle}\0".encode())  # the theme's, or --title/--subtitle
    if theme_file is not None:
        _hash_files([Path(theme_file)], h)
        if ctx.theme.logo is not None:
            _hash_files([ctx.theme.logo], h)
    return h.hexdigest()


def inputs_digest(base: str, profile: Profile | None) -> str:
    """Everything one output folder depends on: the shared inputs and the person."""
    person = profile.model_dump_json(exclude={"email"}).encode() if profile else b"-"  # not shown anywhere
    return hashlib.sha256(base.encode() + b"\0" + person).hexdigest()


# ---- what is in the folder -----------------------------------------------------------------------

def bundle_on_disk(folder: Path, stamp: Stamp, formats: Sequence[str] | None = None) -> dict[str, FileInfo] | None:
    """The files of `formats` (default: every file the stamp lists), read and checked against the
    stamp; None when one is missing or differs."""
    wanted = list(formats) if formats is not None else [f.name for f in FORMATS.values()
                                                        if f.file_name in stamp.files]
    infos = {}
    for fmt in wanted:
        name = file_name(fmt)
        try:
            infos[fmt] = file_info(name, read_own(folder / name))
        except (OSError, OutputError):
            return None
        if infos[fmt][2] != stamp.files.get(name):
            return None
    return infos


def up_to_date(folder: Path, digest: str, formats: Sequence[str], stamp: Stamp | None) -> dict[str, FileInfo] | None:
    """The existing files, when they were built from these inputs and are intact; else None."""
    if stamp is None or stamp.digest != digest:
        return None
    return bundle_on_disk(folder, stamp, formats)


def leftovers(folder: Path, formats: Sequence[str], *, prune: bool = False) -> list[str]:
    """Output files of other formats than `formats` in `folder` (older files a `--format` subset
    run left beside the new ones); with `prune`, they are removed."""
    names = [f.file_name for f in FORMATS.values() if f.name not in formats and (folder / f.file_name).is_file()]
    if prune:
        for name in names:
            (folder / name).unlink(missing_ok=True)
        return []
    return names


def leftover_warning(names: Sequence[str]) -> str:
    return (f"older {', '.join(names)} from an earlier run with other formats {'is' if len(names) == 1 else 'are'} "
            "still beside the new files and may not match them; --prune removes them")


def check_owner(folder: Path, stamp: Stamp | None, identity: Identity, replace_ok: bool) -> str:
    """Why this person may not write into `folder` (built for someone else), or ""."""
    if stamp is None or stamp.identity is None or replace_ok:
        return ""
    why = different_person(stamp.identity, identity)
    if not why:
        return ""
    return (f"folder '{folder.name}' holds the bundle of {stamp.identity.describe()}, not of "
            f"{identity.describe()} ({why}); nothing was overwritten. Give the person a distinct "
            f"'id', or replace that bundle with --replace {folder.name}")


# ---- writing -------------------------------------------------------------------------------------

def write_outputs(folder: Path, stamp: Stamp, outputs: dict[str, bytes]) -> dict[str, FileInfo]:
    """All of a report's files or none: every file is staged before any is replaced, and the
    stamp (which lists them) is written last."""
    infos = {fmt: file_info(file_name(fmt), data) for fmt, data in outputs.items()}
    stamp = replace(stamp, files={name: sha for name, _, sha in infos.values()})
    own_folder(folder)
    files = {folder / file_name(fmt): data for fmt, data in outputs.items()}
    write_all({**files, folder / STAMP: stamp.to_bytes()})
    return infos
