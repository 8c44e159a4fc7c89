"""`rolereport report` and `rolereport batch`: their options as one BuildOptions, progress, the summary
line and the exit code; the work is `rolereport.jobs`'s."""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path
from typing import Any

from rolereport.errors import OutputError, UsageError
from rolereport.jobs.options import BuildOptions


def build_options(args: argparse.Namespace, kind: type[BuildOptions], **more: Any) -> BuildOptions:
    """The options every building command declares (`parser.page_options`, `render_options`,
    `writer_options`), from the parsed arguments."""
    from rolereport.render.formats import default_formats

    return kind(source=args.source, source_format=args.source_format, sources=args.sources,
                default_source=args.default_source, out=Path(args.out),
                formats=tuple(args.format or default_formats()), templates=args.templates, theme=args.theme,
                title=getattr(args, "title", None), subtitle=getattr(args, "subtitle", None),
                strict=getattr(args, "strict", False), force=args.force, wait=args.wait,
                replacing=tuple(args.replace or ()), prune=args.prune,
                allow_empty=getattr(args, "allow_empty", False), **more)


def _out_folder(out: str) -> None:
    """`--out notes.txt` where notes.txt is a file: say so before any work."""
    from rolereport.jobs.outputs import must_be_folder

    try:
        must_be_folder(Path(out), "give a folder (it is created if missing)")
    except OutputError:
        raise UsageError(f"--out {out} is a file, not a folder; give a folder (it is created if missing)") from None


def cmd_report(args: argparse.Namespace) -> int:
    from rolereport.render.pdf import sidecar

    _out_folder(args.out)
    opts = build_options(args, BuildOptions)
    formats = opts.formats
    # One report is short-lived and its garbage is almost all freed by reference counting: the
    # cyclic collector's passes over every imported object only cost time (about 5 %).
    collecting = gc.isenabled()
    gc.disable()
    # First thing: the PDF sidecar starts on WeasyPrint while this process imports the rest.
    side = sidecar.start() if "pdf" in formats else None
    try:
        from rolereport.jobs.report import build_report

        built = build_report(opts, args.profile, pdf_sidecar=side)
    finally:
        if side is not None:
            side.close()
        if collecting:
            gc.enable()
    if built.skipped:
        print(f"up to date: {built.folder}/ (nothing changed; --force rebuilds)")
    for path in built.files:
        if not built.skipped:
            print(f"wrote {path}")
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    from rolereport.cli.campaign import apply, roster_columns
    from rolereport.jobs.batch import build_batch
    from rolereport.jobs.options import BatchOptions

    apply(args)  # rolereport.toml fills what the command line leaves out
    columns = roster_columns(args)  # a bad map stops the batch before any work: exit 2
    _out_folder(args.out)
    opts = build_options(args, BatchOptions, jobs=args.jobs, sheet=args.sheet, columns=columns,
                         include_hidden=args.include_hidden, duplicates=args.duplicates,
                         cluster=args.cluster, scheduler=args.scheduler,
                         write_on=args.write_on, debug=args.debug)

    use_bar = sys.stderr.isatty() and not args.plain
    bar = task = None
    if use_bar:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        # refreshed by hand: no display thread may run when the batch forks its workers
        bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                       TimeRemainingColumn(), transient=True, auto_refresh=False)

    def progress(person, done, total):  # type: ignore[no-untyped-def]
        nonlocal task
        if person.status == "not-started":  # counted in the summary, not listed one by one
            if bar is not None and task is not None:
                bar.update(task, completed=done, refresh=True)
            return
        line = f"[{done}/{total}] {person.status:<7} {person.name}"
        if person.error:
            line += f" — {person.error}"
        if bar is not None:
            if task is None:
                task = bar.add_task("building", total=total)
            bar.update(task, completed=done, refresh=True)
            if person.status == "failed":
                bar.console.print(line, markup=False, highlight=False)
        else:
            print(line, flush=True)

    def notify(line: str) -> None:  # said at once, also from a signal handler
        if bar is not None:
            bar.console.print(line, markup=False, highlight=False)
        else:
            print(line, file=sys.stderr, flush=True)

    if bar is not None:
        bar.start()
    try:
        result = build_batch(args.inputs, opts, progress=progress, notify=notify)
    finally:
        if bar is not None:
            bar.stop()
    ok, skipped, failed, waiting = (result.count(s) for s in ("ok", "skipped", "failed", "not-started"))
    n = len(result.people)
    print(f"{n} {'person' if n == 1 else 'people'}: {ok} built, {skipped} up to date, {failed} failed"
          + (f", {waiting} not started" if waiting else "")
          + f" in {result.seconds:.1f} s; manifest: {result.manifest}"
          + (f" (also lists {result.others} bundles from other runs' inputs)" if result.others else ""))
    if result.interrupted:
        print("rolereport: interrupted; finished bundles are complete, run again to build the rest",
              file=sys.stderr)
        return 130
    return 1 if failed else 0
