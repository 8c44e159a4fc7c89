"""From inputs to files on disk: output paths, up-to-date checks, parallel renderers, atomic writes."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from rolereport import __version__, notices, sidecar
from rolereport.errors import OutputError, Problem, ProfileError
from rolereport.model import Fit, Guide, Profile, Report, SourceInfo
from rolereport.outputs import inside, remove_stale_parts, slugify, write_all, write_atomic
from rolereport.render import OUTPUT_NAMES, renderer
from rolereport.render.context import Context
from rolereport.stamps import STAMP, Identity, Stamp, different_person, new_run, read_stamp, top_of

__all__ = ["STAMP", "Built", "FileInfo", "inputs_base", "inputs_digest", "up_to_date", "write_outputs",
           "leftovers", "make_report", "render_all", "build_report", "check_owner", "top_fits"]


@dataclass(frozen=True)
class Built:
    folder: Path
    files: tuple[Path, ...]
    skipped: bool  # everything was already up to date


def _hash_files(paths: Iterable[Path], h: hashlib._Hash) -> None:
    for path in sorted(paths):
        h.update(str(path.name).encode() + b"\0" + path.read_bytes() + b"\0")


def inputs_base(source: SourceInfo, ctx: Context, theme_file: Path | None, formats: Sequence[str]) -> str:
    """Digest of what every person's outputs share: the source (its text, and the file name and
    date the guide prints), templates, theme, formats, version."""
    h = hashlib.sha256()
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


FileInfo = tuple[str, int, str]  # file name, size in bytes, SHA-256: what the batch manifest lists


def file_info(name: str, data: bytes) -> FileInfo:
    return name, len(data), hashlib.sha256(data).hexdigest()


def up_to_date(folder: Path, digest: str, formats: Sequence[str],
               stamp: Stamp | None = None) -> dict[str, FileInfo] | None:
    """The existing files, when they were built from these inputs and are intact; else None."""
    stamp = stamp if stamp is not None else read_stamp(folder)
    if stamp is None or stamp.digest != digest:
        return None
    infos = {}
    for fmt in formats:
        path = folder / OUTPUT_NAMES[fmt]
        try:
            infos[fmt] = file_info(path.name, path.read_bytes())
        except OSError:
            return None
        if infos[fmt][2] != stamp.files.get(path.name):
            return None
    return infos


def leftovers(folder: Path, formats: Sequence[str], *, prune: bool = False) -> list[str]:
    """Output files of other formats than `formats` in `folder` (older files a `--format` subset
    run left beside the new ones); with `prune`, they are removed."""
    names = [name for fmt, name in OUTPUT_NAMES.items() if fmt not in formats and (folder / name).is_file()]
    if prune:
        for name in names:
            (folder / name).unlink(missing_ok=True)
        return []
    return names


def leftover_warning(folder: Path, names: Sequence[str]) -> str:
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


def profile_folder(out: Path, profile: Profile, file: str = "") -> Path:
    slug = slugify(profile.id or profile.name)
    if not slug:
        raise ProfileError(Problem(file or profile.name, "the name or id has no letters or digits, "
                                   "even transliterated to ASCII, to name a folder with; set an 'id' "
                                   "(letters, digits and hyphens, such as 'jane-doe')", "field 'id'"))
    inside(out, slug)  # refuses anything that would leave the output folder
    return out / slug


def make_report(guide: Guide, source: SourceInfo, profile: Profile | None) -> Report:
    fits: tuple[Fit, ...] = ()
    notes: tuple[str, ...] = ()
    if profile is not None:
        from rolereport.fit import limits, rank_fits

        fits = tuple(rank_fits(profile, guide))
        notes = tuple(limits(profile, list(fits)))
    return Report(guide=guide, source=source, profile=profile, fits=fits, fit_notes=notes)


def render_all(report: Report, ctx: Context, formats: Sequence[str], *, threads: bool = True) -> dict[str, bytes]:
    """Render every format. With `threads`, the pandoc- and openpyxl-based ones run beside the
    PDF layout (pandoc is a subprocess, so a spare core takes it); batch workers that already
    fill every core render one after the other, which spares the threads' GIL hand-offs."""
    formats = list(dict.fromkeys(formats))
    if not threads or len(formats) == 1:
        return {fmt: renderer(fmt)(report, ctx) for fmt in formats}
    main = "pdf" if "pdf" in formats else formats[0]
    others = [f for f in formats if f != main]
    with ThreadPoolExecutor(max_workers=len(others)) as pool:
        futures = {f: pool.submit(renderer(f), report, ctx) for f in others}
        results = {main: renderer(main)(report, ctx)}
        for fmt, future in futures.items():
            results[fmt] = future.result()
    return {f: results[f] for f in formats}


def top_fits(report: Report) -> tuple[dict[str, object], ...]:
    from rolereport.fit import best_matches

    return top_of(best_matches(report.fits))


def write_outputs(folder: Path, stamp: Stamp, outputs: dict[str, bytes]) -> dict[str, FileInfo]:
    """All of a report's files or none: every file is staged before any is replaced, and the
    stamp (which lists them) is written last."""
    infos = {fmt: file_info(OUTPUT_NAMES[fmt], data) for fmt, data in outputs.items()}
    stamp = replace(stamp, files={name: sha for name, _, sha in infos.values()})
    files = {folder / OUTPUT_NAMES[fmt]: data for fmt, data in outputs.items()}
    write_all({**files, folder / STAMP: stamp.to_bytes()})
    return infos


def render_beside(report: Report, ctx: Context, formats: Sequence[str],
                  pdf_sidecar: sidecar.PdfSidecar) -> dict[str, bytes]:
    """The PDF laid out by the sidecar from this process's HTML while this process renders the rest."""
    from rolereport.render.glyphs import check_report
    from rolereport.render.html import guide_css, print_page
    from rolereport.render.pdf import base_url

    formats = list(dict.fromkeys(formats))
    pdf_sidecar.style(guide_css(ctx), ctx.allowed_dirs(), base_url(ctx), ctx.theme.language)
    # the HTML is the critical path now, and the sidecar's core idles until it comes
    pdf_sidecar.layout(print_page(report, ctx, parallel=True), ctx.allowed_dirs(), base_url(ctx))
    check_report(report)  # characters the PDF cannot draw: worked out while the sidecar lays out
    results = {fmt: renderer(fmt)(report, ctx) for fmt in formats if fmt != "pdf"}
    results["pdf"] = pdf_sidecar.result()
    return {f: results[f] for f in formats}


def build_report(
    *,
    source: Path | str | None = None,
    source_format: str | None = None,
    profile: Path | str | None = None,
    out: Path | str = "output",
    formats: Sequence[str] = ("pdf", "docx", "xlsx"),
    templates: Path | str | None = None,
    theme: Path | str | None = None,
    force: bool = False,
    pdf_sidecar: sidecar.PdfSidecar | None = None,
    strict: bool = False,
    wait: bool = False,
    replacing: Sequence[str] = (),
    prune: bool = False,
    title: str | None = None,
    subtitle: str | None = None,
) -> Built:
    """Build one report. With the PDF asked for, a sidecar lays it out (`sidecar.py`): the CLI
    starts one before importing this module and passes it; otherwise one is started here.

    The output folder `out` is locked while its files are checked and written (`folderlock.py`),
    as a batch into the same folder locks it; with a profile, the person's folder `out/<slug>` is
    refused if it was built for someone else, unless its name is in `replacing`."""
    own = None
    if pdf_sidecar is None and "pdf" in formats:
        pdf_sidecar = own = sidecar.start()
    try:
        return _build(source, source_format, profile, Path(out), formats, templates, theme, force,
                      pdf_sidecar if "pdf" in formats else None, strict, wait, tuple(replacing), prune,
                      title, subtitle)
    finally:
        if own is not None:
            own.close()


def _build(source: Path | str | None, source_format: str | None, profile: Path | str | None,
           out: Path, formats: Sequence[str], templates: Path | str | None,
           theme: Path | str | None, force: bool, pdf_sidecar: sidecar.PdfSidecar | None,
           strict: bool, wait: bool, replacing: tuple[str, ...], prune: bool,
           title: str | None = None, subtitle: str | None = None) -> Built:
    from rolereport.folderlock import FolderLock
    from rolereport.sources import read_source

    ctx = Context.create(templates, theme, title=title, subtitle=subtitle)
    guide, info = read_source(source, source_format, strict=strict)
    person = identity = None
    folder = out
    if profile is not None:
        from rolereport.profile import load_profile

        person = load_profile(Path(profile))
        folder = profile_folder(out, person, str(profile))
        identity = Identity.of(person, profile)
    digest = inputs_digest(inputs_base(info, ctx, Path(theme) if theme else None, formats), person)
    if out.exists() and not out.is_dir():
        raise OutputError(Problem(str(out), "is a file, not a folder; choose another --out"))
    lock = FolderLock(out, "report", wait=wait)
    if out.is_dir():  # held from the first look at the folder to the last file written
        lock.acquire()
    try:
        if lock.fd >= 0:
            remove_stale_parts(folder)
        stamp = read_stamp(folder)
        _check_owner(folder, stamp, identity, replacing)
        if not force and folder.name not in replacing and up_to_date(folder, digest, formats, stamp) is not None:
            if identity is not None and stamp is not None and stamp.identity != identity and lock.fd >= 0:
                write_atomic(folder / STAMP, replace(stamp, identity=identity).to_bytes())  # a new email
            _say_leftovers(folder, formats, prune)
            return Built(folder, tuple(folder / OUTPUT_NAMES[f] for f in formats), skipped=True)
        report = make_report(guide, info, person)
        with notices.collect() as found:
            if pdf_sidecar is not None:
                outputs = render_beside(report, ctx, formats, pdf_sidecar)
            else:
                outputs = render_all(report, ctx, formats)
        for problem in found:  # said now, and kept in the stamp
            notices.warn(problem.file, problem.message, problem.where)
        if lock.fd < 0:  # the folder is made only now that there is something to write into it
            lock.acquire()
            remove_stale_parts(folder)
            _check_owner(folder, read_stamp(folder), identity, replacing)
        new = Stamp(digest, identity=identity, run=new_run(), warnings=tuple(notices.line(w) for w in found),
                    top=top_fits(report))
        written = write_outputs(folder, new, outputs)
        _say_leftovers(folder, formats, prune)
    finally:
        lock.release()
    return Built(folder, tuple(folder / name for name, _, _ in written.values()), skipped=False)


def _check_owner(folder: Path, stamp: Stamp | None, identity: Identity | None, replacing: tuple[str, ...]) -> None:
    if identity is not None:
        refused = check_owner(folder, stamp, identity, folder.name in replacing)
        if refused:
            raise OutputError(Problem(str(folder), refused))


def _say_leftovers(folder: Path, formats: Sequence[str], prune: bool) -> None:
    names = leftovers(folder, formats, prune=prune)
    if names:
        notices.warn(str(folder), leftover_warning(folder, names))
