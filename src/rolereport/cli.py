"""Command line: arguments, progress and exit codes. No business logic lives here."""

from __future__ import annotations

import argparse
import difflib
import gc
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from rolereport import __version__
from rolereport.errors import RoleReportError, UsageError

Command = Callable[[argparse.Namespace], int]
# The source formats (`rolereport.sources.FORMATS`, kept here so the parser needs no import).
SOURCE_FORMATS = ("text", "html", "markdown", "docx", "odt", "pdf", "mhtml", "rtf", "epub")


def _write_text(text: str, out: str | None) -> None:
    if out is None:
        sys.stdout.write(text)
        return
    from rolereport.outputs import write_atomic

    write_atomic(Path(out), text.encode("utf-8"))


def cmd_extract(args: argparse.Namespace) -> int:
    from rolereport.sources import read_source

    guide, _ = read_source(args.source, args.source_format, strict=args.strict)
    _write_text(json.dumps(guide.contract(), indent=2, ensure_ascii=False) + "\n", args.output)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from rolereport.model import guide_json_schema

    _write_text(json.dumps(guide_json_schema(), indent=2, ensure_ascii=False) + "\n", args.output)
    return 0


def _out_folder(out: str) -> None:
    """`--out notes.txt` where notes.txt is a file: say so before any work."""
    path = Path(out)
    if path.exists() and not path.is_dir():
        raise UsageError(f"--out {out} is a file, not a folder; give a folder (it is created if missing)")


def cmd_report(args: argparse.Namespace) -> int:
    from rolereport import sidecar

    _out_folder(args.out)
    from rolereport.render import DEFAULT_FORMATS

    formats = tuple(args.format or DEFAULT_FORMATS)
    # One report is short-lived and its garbage is almost all freed by reference counting: the
    # cyclic collector's passes over every imported object only cost time (about 5 %).
    collecting = gc.isenabled()
    gc.disable()
    # First thing: the PDF sidecar starts on WeasyPrint while this process imports the rest.
    side = sidecar.start() if "pdf" in formats else None
    try:
        from rolereport.pipeline import build_report

        built = build_report(
            source=args.source, source_format=args.source_format, profile=args.profile,
            out=args.out, formats=formats, templates=args.templates, theme=args.theme,
            force=args.force, pdf_sidecar=side, strict=args.strict, wait=args.wait,
            replacing=args.replace or (), prune=args.prune, title=args.title, subtitle=args.subtitle,
        )
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
    from rolereport.batch import build_batch
    from rolereport.render import DEFAULT_FORMATS
    from rolereport.roster import parse_columns

    columns = parse_columns(args.columns)  # a bad map stops the batch before any work: exit 2

    _out_folder(args.out)

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
        line = f"[{done}/{total}] {person.status:<7} {person.slug or person.entry.label}"
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
        result = build_batch(
            args.inputs, source=args.source, source_format=args.source_format, out=args.out,
            formats=tuple(args.format or DEFAULT_FORMATS), templates=args.templates, theme=args.theme,
            jobs=args.jobs, force=args.force, progress=progress,
            sheet=args.sheet, columns=columns, include_hidden=args.include_hidden, wait=args.wait,
            replacing=args.replace or (), prune=args.prune, notify=notify,
            cluster=args.cluster, scheduler=args.scheduler, write_on=args.write_on, debug=args.debug,
        )
    finally:
        if bar is not None:
            bar.stop()
    ok, skipped, failed, waiting = (result.count(s) for s in ("ok", "skipped", "failed", "not-started"))
    print(f"{len(result.people)} people: {ok} built, {skipped} up to date, {failed} failed"
          + (f", {waiting} not started" if waiting else "")
          + f" in {result.seconds:.1f} s; manifest: {result.manifest}"
          + (f" (also lists {result.others} bundles from other runs' inputs)" if result.others else ""))
    if result.interrupted:
        print("rolereport: interrupted; finished bundles are complete, run again to build the rest",
              file=sys.stderr)
        return 130
    return 1 if failed else 0


def cmd_send(args: argparse.Namespace) -> int:
    import os

    from rolereport.errors import Problem, UsageError
    from rolereport.send import Options, distribute
    from rolereport.send.recipients import ATTACHABLE
    from rolereport.send.smtp import parse_server

    attach = tuple(dict.fromkeys(a.strip().lower() for a in args.attach.split(",") if a.strip()))
    bad = [a for a in attach if a not in ATTACHABLE]
    if bad or not attach:
        raise UsageError(Problem("--attach", f"'{args.attach}' is not a list of {', '.join(ATTACHABLE)} "
                                 "(such as pdf,docx)"))
    sender = args.sender or os.environ.get("ROLEREPORT_MAIL_FROM", "")
    if not sender:
        raise UsageError(Problem("--from", "give the address the guides come from, such as "
                                 "--from 'HR Team <hr@example.com>' (or set ROLEREPORT_MAIL_FROM)"))
    security = "ssl" if args.ssl else "starttls" if args.starttls else "plain"
    server = parse_server(args.smtp or os.environ.get("ROLEREPORT_SMTP", "localhost"), security, args.cafile)
    opts = Options(folder=Path(args.folder), attach=attach, sender=sender, subject=args.subject,
                   templates=args.templates, send=args.send, server=server, limit=args.limit,
                   interval=_rate(args.rate) if args.rate else 0.0, resend=tuple(args.resend or ()))

    def progress(o):  # type: ignore[no-untyped-def]
        who = f"{o.slug or o.name} <{o.email}>" if o.email else (o.slug or o.name)
        print(f"{o.status:<12} {who}" + (f" — {o.reason}" if o.reason else ""), flush=True)

    result = distribute(opts, progress)
    c = result.count
    done = (f"{c('sent')} sent" if args.send
            else f"{c('prepared')} prepared in {result.outbox}/ (nothing sent; --send sends them)")
    print(f"{len(result.outcomes)} people: {done}, {c('already sent')} already sent, {c('refused')} refused, "
          f"{c('failed') + c('unconfirmed')} failed, {c('not this run')} left for the next run "
          f"in {result.seconds:.1f} s" + (f"; ledger: {result.ledger}" if args.send else ""))
    if result.aborted:
        print(f"rolereport: {result.aborted}", file=sys.stderr)
    return 1 if result.failed else 0


def _rate(text: str) -> float:
    """'30/min', '2/s' or '600/h' as seconds between two messages."""
    from rolereport.errors import Problem, UsageError

    per = {"s": 1, "sec": 1, "min": 60, "m": 60, "h": 3600, "hour": 3600}
    count, _, unit = text.strip().partition("/")
    if not count.isdigit() or int(count) < 1 or (unit or "min") not in per:
        raise UsageError(Problem("--rate", f"'{text}' is not a rate such as 30/min, 2/s or 600/h"))
    return per[unit or "min"] / int(count)


def cmd_check_profile(args: argparse.Namespace) -> int:
    from rolereport.fit import limits
    from rolereport.profile import load_profile, summary

    person = load_profile(Path(args.file))
    print(f"ok: {summary(person)}")
    for note in limits(person):
        print(f"note: {note}")
    return 0


def cmd_fit(args: argparse.Namespace) -> int:
    from rolereport.fit import limits, rank_fits
    from rolereport.profile import load_profile
    from rolereport.sources import read_source

    person = load_profile(Path(args.profile))
    guide, _ = read_source(args.source, args.source_format)
    fits = rank_fits(person, guide)
    notes = limits(person, fits)
    if args.json:
        rows = [fit.model_dump(mode="json") for fit in fits]
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        for note in notes:
            print(f"note: {note}", file=sys.stderr)
        return 0
    from rolereport.labels import LABELS

    width = max([len(LABELS["role"])] + [len(f.role) for f in fits])
    print(f"Fit for {person.name}")
    rows = [(LABELS["role"], "Score", LABELS["fit_band"], LABELS["why"])]
    for fit in fits:
        why = "—"
        if fit.evidence:
            e = fit.evidence[0]
            read_as = f" (read as “{e.read_as}”)" if e.read_as else ""
            why = f"“{e.profile_text}”{read_as} ↔ “{e.source_text}” ({LABELS.get(e.field, e.field)})"
        rows.append((fit.role, str(fit.score), fit.band, why))
        for c in fit.cautions:
            rows.append(("", "", "", f"{LABELS['caution']}: you said you'd rather leave “{c.profile_text}” "
                                     f"behind; this role involves it (“{c.source_text}”)"))
    columns = _terminal_columns()
    for role, score, band, why in rows:
        lead = f"{role:<{width}}  {score:>5}  {band:<12}  "
        print(lead + _wrap(why, len(lead), columns))
    for note in notes:
        print(_wrap(f"note: {note}", 0, columns))
    return 0


def _terminal_columns() -> int | None:
    """The width to fit: $COLUMNS, else the terminal's; None (no wrapping) when piped."""
    if os.environ.get("COLUMNS", "").isdigit():
        return int(os.environ["COLUMNS"])
    if sys.stdout.isatty():
        import shutil

        return shutil.get_terminal_size().columns
    return None


def _wrap(text: str, indent: int, columns: int | None) -> str:
    """`text` wrapped at words to end before `columns`, continuation lines under its first."""
    if columns is None or indent + len(text) < columns:
        return text
    import textwrap

    if columns - indent < 24:  # too narrow beside the other columns: its own lines below
        return "\n" + textwrap.fill(text, columns - 1, initial_indent="    ", subsequent_indent="    ",
                                     break_long_words=False, break_on_hyphens=False)
    lines = textwrap.wrap(text, columns - 1 - indent, break_long_words=False, break_on_hyphens=False)
    return ("\n" + " " * indent).join(lines)


FORMAT_CHOICES = ("pdf", "html", "docx", "xlsx")


def _formats(text: str) -> list[str]:
    """`--format PDF`, `--format pdf,docx`: case-insensitive, commas or repeats."""
    found = []
    for part in text.replace(";", ",").split(","):
        fmt = part.strip().lower().lstrip(".")
        if not fmt:
            continue
        if fmt not in FORMAT_CHOICES:
            guess = difflib.get_close_matches(fmt, FORMAT_CHOICES, n=1)
            hint = f"did you mean '{guess[0]}'? " if guess else ""
            raise argparse.ArgumentTypeError(f"unknown format '{part.strip()}'; {hint}"
                                             f"choose from {', '.join(FORMAT_CHOICES)}")
        found.append(fmt)
    if not found:
        raise argparse.ArgumentTypeError(f"no format given; choose from {', '.join(FORMAT_CHOICES)}")
    return found


_CHOICE = re.compile(r"invalid choice: '(?P<given>[^']*)' \(choose from (?P<choices>.*)\)")


class _Parser(argparse.ArgumentParser):
    """argparse with the house style for mistakes: one line, a 'did you mean', exit 2."""

    def error(self, message: str) -> NoReturn:
        match = _CHOICE.search(message)
        if match:
            given = match["given"]
            choices = re.findall(r"'([^']*)'", match["choices"])
            guess = difflib.get_close_matches(given, choices, n=1, cutoff=0.5)
            what = "command" if self.prog == "rolereport" else "choice"
            hint = f"did you mean '{guess[0]}'?" if guess else f"choose from {', '.join(choices)}"
            message = f"unknown {what} '{given}'; {hint}"
        self.exit(2, f"{self.prog}: {message} (see '{self.prog} --help')\n")


def cmd_init(args: argparse.Namespace) -> int:
    from rolereport.init import write_examples

    folder = Path(args.folder)
    for path in write_examples(folder, force=args.force):
        print(f"wrote {path}")
    where = "" if folder == Path(".") else f"cd {args.folder} && "
    print(f"next: {where}rolereport report --profile profile.yaml  (README.md there says more)")
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from rolereport.doctor import checks

    missing = False
    for check in checks():
        print(check.line())
        missing |= check.required and not check.ok
    print("the default report cannot be built: install what is MISSING" if missing
          else "everything the default report needs is here")
    return 1 if missing else 0


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of at least 1")
    return int(text)


def _writer_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--wait", action="store_true",
                   help="if another run is writing into --out, wait for it instead of stopping")
    p.add_argument("--replace", action="append", metavar="SLUG",
                   help="let this person's bundle replace the one of a different person in folder SLUG "
                   "(repeat for several); --force never does that")
    p.add_argument("--prune", action="store_true",
                   help="remove older files of formats not built in this run from the person folders")


def _dask_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("Dask distributed (pip install 'rolereport[dask]')")
    where = g.add_mutually_exclusive_group()
    where.add_argument("--cluster", metavar="local[:N]",
                       help="run on a Dask cluster of N worker processes started here (default N: --jobs or the CPUs)")
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help="run on the Dask cluster at ADDRESS, e.g. tcp://host:8786 "
                       "(default: $DASK_SCHEDULER_ADDRESS)")
    g.add_argument("--write-on", choices=("client", "workers"), default="client",
                   help="who writes the files: this process (default) or the workers, into an --out they all see")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="rolereport",
        description="Turn a career-transition source page into a PDF guide, a DOCX handout and "
        "an Excel matrix, optionally personalised by a profile.",
        epilog="Start with 'rolereport report' (the bundled page into output/), or 'rolereport init' "
        "for example files to edit. 'rolereport COMMAND --help' shows a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"rolereport {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    common = argparse.ArgumentParser(add_help=False)  # options every command takes, before or after it
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, summary: str, example: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=summary, description=summary[0].upper() + summary[1:] + ".",
                              epilog=f"example:\n  {example}", parents=[common],
                              formatter_class=argparse.RawDescriptionHelpFormatter)

    p = command("extract", "print the structured role data of a source as JSON",
                "rolereport extract saved-page.html -o roles.json")
    p.add_argument("source", nargs="?", help="source page (default: the bundled page)")
    p.add_argument("-o", "--output", help="write the JSON here instead of stdout")
    p.add_argument("--from", dest="source_format", choices=SOURCE_FORMATS,
                   help="source format (default: from the file extension)")
    p.add_argument("--strict", action="store_true",
                   help="treat every warning about the source (a choice the reader made) as an error")
    p.set_defaults(func=cmd_extract)

    p = command("report", "build the PDF guide, DOCX handout and XLSX matrix of one source page",
                "rolereport report --source page.html --profile jane.yaml --out output  "
                "# writes output/jane-doe/")
    p.add_argument("--source", help="source page (default: the bundled page)")
    p.add_argument("--from", dest="source_format", choices=SOURCE_FORMATS,
                   help="source format (default: from the file extension)")
    p.add_argument("--profile", help="personalise for this profile (YAML, TOML or JSON); the files then "
                   "go into OUT/<person>/ (the profile's id, else its name)")
    p.add_argument("--out", default="output", help="output folder, created if missing (default: output/)")
    p.add_argument("--format", action="extend", type=_formats, metavar="FORMAT",
                   help="formats to build: pdf, html, docx, xlsx; comma-separated or repeated "
                   "(default: pdf,docx,xlsx)")
    p.add_argument("--templates", help="folder of templates overriding the built-in ones by name")
    p.add_argument("--theme", help="theme file (TOML, YAML or JSON): organisation, logo, colours, font")
    p.add_argument("--title", help="the guide's title (cover, running header, metadata) instead of the "
                   "source's; the source's title stays in 'About this guide'")
    p.add_argument("--subtitle", help="the subtitle under the title (instead of the theme's or the default)")
    p.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    p.add_argument("--strict", action="store_true",
                   help="treat every warning about the source (a choice the reader made) as an error")
    _writer_options(p)
    p.set_defaults(func=cmd_report)

    p = command("batch", "one guide, handout and matrix per person, in parallel",
                "rolereport batch staff.csv people/ --out output/batch --jobs 2")
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="profile files, folders of them, and CSV/XLSX rosters (one row per person)")
    p.add_argument("--source", help="source page (default: the bundled page)")
    p.add_argument("--from", dest="source_format", choices=SOURCE_FORMATS,
                   help="source format (default: from the file extension)")
    p.add_argument("--out", default="output/batch", help="output folder (default: output/batch/)")
    p.add_argument("--jobs", type=_positive, help="worker processes (default: number of CPUs)")
    p.add_argument("--format", action="extend", type=_formats, metavar="FORMAT",
                   help="formats to build: pdf, html, docx, xlsx; comma-separated or repeated "
                   "(default: pdf,docx,xlsx)")
    p.add_argument("--templates", help="folder of templates overriding the built-in ones by name")
    p.add_argument("--theme", help="theme file (TOML, YAML or JSON)")
    p.add_argument("--force", action="store_true", help="rebuild people whose inputs did not change")
    p.add_argument("--plain", action="store_true", help="log lines instead of a progress bar")
    p.add_argument("--sheet", metavar="NAME",
                   help="read this sheet of XLSX rosters (default: the first with a 'name' column)")
    p.add_argument("--columns", metavar="MAP",
                   help="roster headings for fields, such as \"name=Full name,id=Employee ID\"")
    p.add_argument("--include-hidden", action="store_true",
                   help="also build the rows hidden in XLSX rosters (skipped with a warning by default)")
    _writer_options(p)
    _dask_options(p)
    p.set_defaults(func=cmd_batch)

    p = command("send", "e-mail each person of a batch their own files (a dry run into DIR/outbox/ unless --send)",
                "rolereport send output/batch --from 'HR <hr@example.com>' --smtp smtp.example.com --starttls --send")
    p.add_argument("folder", metavar="DIR", help="the --out folder of a batch (with manifest.csv)")
    p.add_argument("--attach", default="pdf", metavar="pdf[,docx,xlsx]", help="files to attach (default: pdf)")
    p.add_argument("--subject", help="subject line, a Jinja2 template such as 'Your guide, {{ name }}'")
    p.add_argument("--templates", help="folder with mail/subject.txt.j2, mail/body.md.j2 overriding the built-ins")
    p.add_argument("--from", dest="sender", metavar="ADDRESS",
                   help="sender, such as 'HR Team <hr@example.com>' (default: $ROLEREPORT_MAIL_FROM)")
    p.add_argument("--send", action="store_true", help="send through SMTP (default: write DIR/outbox/*.eml only)")
    p.add_argument("--smtp", metavar="HOST:PORT", help="SMTP server (default: $ROLEREPORT_SMTP or localhost; "
                   "port 25, 587 with --starttls, 465 with --ssl); the login comes from $ROLEREPORT_SMTP_USER "
                   "and $ROLEREPORT_SMTP_PASSWORD or ~/.netrc, never from the command line")
    tls = p.add_mutually_exclusive_group()
    tls.add_argument("--starttls", action="store_true", help="upgrade the connection with STARTTLS")
    tls.add_argument("--ssl", action="store_true", help="TLS from the start (SMTPS)")
    p.add_argument("--cafile", help="trust this CA file (PEM) for the server's certificate "
                   "(default: the system's, or $ROLEREPORT_SMTP_CAFILE)")
    p.add_argument("--limit", type=_positive, metavar="N", help="send to at most N people this run")
    p.add_argument("--rate", metavar="N/min", help="at most N messages a minute (also N/s, N/h)")
    p.add_argument("--resend", action="append", metavar="SLUG",
                   help="send to this person again although sent.csv says they were sent; repeatable")
    p.set_defaults(func=cmd_send)

    p = command("check-profile", "validate a profile file and summarise it",
                "rolereport check-profile jane.yaml")
    p.add_argument("file", help="profile file (YAML, TOML or JSON)")
    p.set_defaults(func=cmd_check_profile)

    p = command("fit", "rank every alternative of a source for a profile",
                "rolereport fit --profile jane.yaml --source page.html")
    p.add_argument("--profile", required=True, help="profile file (YAML, TOML or JSON)")
    p.add_argument("--source", help="source page (default: the bundled page)")
    p.add_argument("--from", dest="source_format", choices=SOURCE_FORMATS,
                   help="source format (default: from the file extension)")
    p.add_argument("--json", action="store_true", help="print the ranking as JSON")
    p.set_defaults(func=cmd_fit)

    p = command("init", "write an example profile, roster, theme and README to start from",
                "rolereport init my-first-guide")
    p.add_argument("folder", nargs="?", default=".", metavar="DIR", help="where to write them (default: here)")
    p.add_argument("--force", action="store_true", help="replace example files that already exist")
    p.set_defaults(func=cmd_init)

    p = command("doctor", "show what this installation can do and what to install", "rolereport doctor")
    p.set_defaults(func=cmd_doctor)

    p = command("schema", "print the JSON Schema of the extract output", "rolereport schema -o guide.schema.json")
    p.add_argument("-o", "--output", help="write the schema here instead of stdout")
    p.set_defaults(func=cmd_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:  # a bare `rolereport`: what it can do, not a complaint
        parser.print_help()
        return 0
    try:
        return int(args.func(args))
    except BrokenPipeError:  # `rolereport fit … | head` closed the pipe: stop quietly
        _quiet_stdout()
        return 141
    except RoleReportError as exc:
        if args.debug:
            raise
        for problem in exc.problems:
            print(f"rolereport: {problem}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("rolereport: interrupted; no partial file was left behind", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug or an unforeseen system error: still one line, files intact
        if args.debug:
            raise
        first = (str(exc).strip().splitlines() or [""])[0]
        print(f"rolereport: unexpected error ({type(exc).__name__}: {first}); "
              "run again with --debug for the details", file=sys.stderr)
        return 1


def _quiet_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the exit's own flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def run() -> None:
    """The `rolereport` command: `main`, then exit without tearing down every object the run
    created (WeasyPrint's, pandoc's output, the fonts): Python's own teardown costs about 0.2 s of a
    2 s report. By then every file is written and closed, every thread and child process joined;
    stdout and stderr are flushed here. `main()` itself returns normally for in-process callers."""
    code = main()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_stdout()
        code = 141
    try:
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass
    os._exit(code)
