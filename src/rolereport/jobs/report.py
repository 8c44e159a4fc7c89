"""One report: the page read, the person's job planned in the output folder, the formats rendered
(the PDF laid out by a sidecar process meanwhile), the files written all or none."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rolereport import notices
from rolereport.errors import Problem, ProfileError
from rolereport.jobs.folderlock import FolderLock
from rolereport.jobs.folders import (
    inputs_digest,
    leftover_warning,
    leftovers,
    person_slug,
    write_outputs,
)
from rolereport.jobs.job import PersonJob, plan
from rolereport.jobs.options import BuildOptions
from rolereport.jobs.outputs import inside, must_be_folder, remove_stale_parts
from rolereport.jobs.pages import RunPages, fail_or_warn
from rolereport.jobs.stamps import Identity, Stamp, new_run, read_stamp, top_of
from rolereport.model import Fit, Guide, Profile, Report, SourceInfo
from rolereport.render.bundle import render_all, render_beside
from rolereport.render.context import Context
from rolereport.render.formats import file_name
from rolereport.render.pdf import sidecar


@dataclass(frozen=True)
class Built:
    folder: Path
    files: tuple[Path, ...]
    skipped: bool  # everything was already up to date


def current_on_page(guide: Guide, profile: Profile | None) -> str:
    """The role on the page the person holds: the page's own role, one of its alternatives, or ""
    (their role is on neither). Without a profile or a current role: the page's own role."""
    if profile is None or not (profile.current_role or "").strip():
        return guide.subject.name
    from rolereport.sources.roles import best

    return best(profile.current_role or "", [guide.subject.name, *(r.name for r in guide.alternatives)]) or ""


def make_report(guide: Guide, source: SourceInfo, profile: Profile | None,
                library: dict[str, str] | None = None) -> Report:
    """The report of `guide` for `profile`. The person's own role is never among their fits; with a
    library, `library` maps role names to the pages the library has for them."""
    fits: tuple[Fit, ...] = ()
    notes: tuple[str, ...] = ()
    current = current_on_page(guide, profile)
    if profile is not None:
        from rolereport.fit import limits, rank_fits

        fits = tuple(f for f in rank_fits(profile, guide) if f.role != current)
        notes = tuple(limits(profile, list(fits), advice=False))  # the reader's guide: no advice to HR
    return Report(guide=guide, source=source, profile=profile, fits=fits, fit_notes=notes, current=current,
                  library=library)


def top_fits(report: Report) -> tuple[dict[str, object], ...]:
    from rolereport.fit import best_matches

    return top_of(best_matches(report.fits))


def build_report(opts: BuildOptions, profile: Path | str | None = None,
                 pdf_sidecar: sidecar.PdfSidecar | None = None) -> Built:
    """Build one report. With the PDF asked for, a sidecar lays it out (`render/pdf/sidecar.py`):
    the CLI starts one before importing this module and passes it; otherwise one is started here.

    The output folder is locked while its files are checked and written (`folderlock.py`), as a
    batch into the same folder locks it; with a profile, the person's folder `out/<slug>` is
    refused if it was built for someone else, unless its name is in `opts.replacing`."""
    own = None
    if pdf_sidecar is None and "pdf" in opts.formats:
        pdf_sidecar = own = sidecar.start()
    try:
        return _build(opts, profile, pdf_sidecar if "pdf" in opts.formats else None)
    finally:
        if own is not None:
            own.close()


def person_job(opts: BuildOptions, pages: RunPages, ctx: Context, profile: Path | str | None) -> PersonJob:
    """The job of the person in `profile` (None: the plain guide, written into `opts.out` itself),
    with their page: the one page, or the library's page of their role."""
    job = PersonJob(opts.out, opts.formats)
    if profile is not None:
        from rolereport.inputs.profile import load_profile

        person = load_profile(Path(profile))
        slug = person_slug(person, str(profile))
        plain = not (person.interests or person.strengths or person.goals)
        if plain and not opts.allow_empty:
            raise ProfileError(Problem(str(profile), "has no interests, strengths or goals to go on, so no "
                                       "personalised guide was built; add a few in the person's own words, or "
                                       "build the plain guide in their folder with --allow-empty"))
        if plain:
            notices.warn(str(profile), "no interests, strengths or goals to go on: built the plain guide, not "
                         "a personalised one (--allow-empty); send will not mail it")
        inside(opts.out, slug)  # refuses anything that would leave the output folder
        job = PersonJob(opts.out / slug, opts.formats, person, Identity.of(person, profile), plain=plain)
    elif pages.library is not None and pages.default is None:
        from rolereport.errors import UsageError

        raise UsageError("--sources picks each person's page by their current role: give --profile, "
                         "or --default-source PAGE for the plain guide of one page")
    if job.profile is None and pages.default is not None:
        job.page = pages.default  # the plain guide of the page asked for
    else:
        job.page = fail_or_warn(pages.choose(job.profile), str(profile or "--default-source"))
    job.digest = inputs_digest(pages.base(job.page, ctx, opts), None if job.plain else job.profile)
    return job


def _build(opts: BuildOptions, profile: Path | str | None, pdf_sidecar: sidecar.PdfSidecar | None) -> Built:
    ctx = Context.create(opts.templates, opts.theme, title=opts.title, subtitle=opts.subtitle)
    pages = RunPages.load(opts)
    job = person_job(opts, pages, ctx, profile)
    assert job.page is not None
    guide, info = job.page.guide, job.page.info
    out, folder = opts.out, job.folder
    must_be_folder(out)
    lock = FolderLock(out, "report", wait=opts.wait)
    if out.is_dir():  # held from the first look at the folder to the last file written
        lock.acquire()
    try:
        if lock.fd >= 0:
            remove_stale_parts(folder)
        if plan(job, read_stamp(folder), force=opts.force, replacing=opts.replacing) is not None:
            _say_leftovers(folder, opts.formats, opts.prune)
            return Built(folder, tuple(folder / file_name(f) for f in opts.formats), skipped=True)
        report = make_report(guide, info, None if job.plain else job.profile, pages.mapping_for(job.page))
        with notices.collect() as found:
            if pdf_sidecar is not None:
                outputs = render_beside(report, ctx, opts.formats, pdf_sidecar)
            else:
                outputs = render_all(report, ctx, opts.formats)
        for problem in found:  # said now, and kept in the stamp
            notices.warn(problem.file, problem.message, problem.where)
        if lock.fd < 0:  # the folder is made only now that there is something to write into it
            lock.acquire()
            remove_stale_parts(folder)
            plan(job, read_stamp(folder), force=True, replacing=opts.replacing)  # someone else's since?
        new = Stamp(job.digest, identity=job.identity, run=new_run(), warnings=tuple(notices.line(w) for w in found),
                    top=top_fits(report), plain=job.plain, page=job.page.name if pages.library is not None else "",
                    current=report.current or "" if job.profile is not None and not job.plain else "",
                    personal=job.profile is not None and not job.plain)
        written = write_outputs(folder, new, outputs)
        _say_leftovers(folder, opts.formats, opts.prune)
    finally:
        lock.release()
    return Built(folder, tuple(folder / name for name, _, _ in written.values()), skipped=False)


def _say_leftovers(folder: Path, formats: Sequence[str], prune: bool) -> None:
    names = leftovers(folder, formats, prune=prune)
    if names:
        notices.warn(str(folder), leftover_warning(names))
