"""From inputs to files on disk: output paths, up-to-date checks, parallel renderers, atomic writes."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from rolereport import __version__, sidecar
from rolereport.errors import Problem, ProfileError
from rolereport.model import Fit, Guide, Profile, Report, SourceInfo
from rolereport.outputs import inside, slugify, write_all
from rolereport.render import OUTPUT_NAMES, renderer
from rolereport.render.context import Context

STAMP = ".rolereport-inputs.json"


@dataclass(frozen=True)
class Built:
    folder: Path
    files: tuple[Path, ...]
    skipped: bool  # everything was already up to date


def _hash_files(paths: Iterable[Path], h: hashlib._Hash) -> None:
    for path in sorted(paths):
        h.update(str(path.name).encode() + b"\0" + path.read_bytes() + b"\0")


def inputs_base(source_sha: str, ctx: Context, theme_file: Path | None, formats: Sequence[str]) -> str:
    """Digest of what every person's outputs share: source, templates, theme, formats, version."""
    h = hashlib.sha256()
    h.update(f"{__version__}\0{source_sha}\0{','.join(sorted(formats))}\0".encode())
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


def up_to_date(folder: Path, digest: str, formats: Sequence[str]) -> dict[str, FileInfo] | None:
    """The existing files, when they were built from these inputs and are intact; else None."""
    try:
        stamp = json.loads((folder / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if stamp.get("digest") != digest:
        return None
    infos = {}
    for fmt in formats:
        path = folder / OUTPUT_NAMES[fmt]
        if not path.is_file():
            return None
        infos[fmt] = file_info(path.name, path.read_bytes())
        if infos[fmt][2] != stamp.get("files", {}).get(path.name):
            return None
    return infos


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


def write_outputs(folder: Path, digest: str, outputs: dict[str, bytes]) -> dict[str, FileInfo]:
    """All of a report's files or none: every file is staged before any is replaced."""
    infos = {fmt: file_info(OUTPUT_NAMES[fmt], data) for fmt, data in outputs.items()}
    stamp = json.dumps({"digest": digest, "files": {name: sha for name, _, sha in infos.values()}},
                       indent=1, sort_keys=True)
    files = {folder / OUTPUT_NAMES[fmt]: data for fmt, data in outputs.items()}
    write_all({**files, folder / STAMP: stamp.encode()})  # the stamp last
    return infos


def render_beside(report: Report, ctx: Context, formats: Sequence[str],
                  pdf_sidecar: sidecar.PdfSidecar) -> dict[str, bytes]:
    """The PDF laid out by the sidecar from this process's HTML while this process renders the rest."""
    from rolereport.render.glyphs import check_report
    from rolereport.render.html import print_page
    from rolereport.render.pdf import base_url

    formats = list(dict.fromkeys(formats))
    pdf_sidecar.layout(print_page(report, ctx), ctx.allowed_dirs(), base_url(ctx))
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
    title: str | None = None,
    subtitle: str | None = None,
) -> Built:
    """Build one report. With the PDF asked for, a sidecar lays it out (`sidecar.py`): the CLI
    starts one before importing this module and passes it; otherwise one is started here."""
    own = None
    if pdf_sidecar is None and "pdf" in formats:
        pdf_sidecar = own = sidecar.start()
    try:
        return _build(source, source_format, profile, Path(out), formats, templates, theme, force,
                      pdf_sidecar if "pdf" in formats else None, strict, title, subtitle)
    finally:
        if own is not None:
            own.close()


def _build(source: Path | str | None, source_format: str | None, profile: Path | str | None,
           folder: Path, formats: Sequence[str], templates: Path | str | None,
           theme: Path | str | None, force: bool, pdf_sidecar: sidecar.PdfSidecar | None,
           strict: bool = False, title: str | None = None, subtitle: str | None = None) -> Built:
    from rolereport.sources import read_source

    ctx = Context.create(templates, theme, title=title, subtitle=subtitle)
    guide, info = read_source(source, source_format, strict=strict)
    person = None
    if profile is not None:
        from rolereport.profile import load_profile

        person = load_profile(Path(profile))
        folder = profile_folder(folder, person, str(profile))
    digest = inputs_digest(inputs_base(info.sha256, ctx, Path(theme) if theme else None, formats), person)
    if not force and up_to_date(folder, digest, formats) is not None:
        return Built(folder, tuple(folder / OUTPUT_NAMES[f] for f in formats), skipped=True)
    report = make_report(guide, info, person)
    if pdf_sidecar is not None:
        outputs = render_beside(report, ctx, formats, pdf_sidecar)
    else:
        outputs = render_all(report, ctx, formats)
    written = write_outputs(folder, digest, outputs)
    return Built(folder, tuple(folder / name for name, _, _ in written.values()), skipped=False)
