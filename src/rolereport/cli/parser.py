"""The command line's parser: every command and option, declared once; argparse's mistakes in the
house style (one line, a 'did you mean', exit 2)."""

from __future__ import annotations

import argparse
import difflib
import re
from typing import NoReturn

from rolereport import __version__
from rolereport.cli.build import cmd_batch, cmd_report
from rolereport.cli.inspect import cmd_check_profile, cmd_extract, cmd_fit, cmd_schema
from rolereport.cli.library import cmd_matrix
from rolereport.cli.roster import cmd_check_roster
from rolereport.cli.send import cmd_send
from rolereport.cli.setup import cmd_doctor, cmd_init

# The source formats (`rolereport.sources.FORMATS`, kept here so the parser needs no import).
SOURCE_FORMATS = ("text", "html", "markdown", "docx", "odt", "pdf", "mhtml", "rtf", "epub")


def _formats(text: str) -> list[str]:
    """`--format PDF`, `--format pdf,docx`: case-insensitive, commas or repeats."""
    from rolereport.render.formats import names

    choices = names()
    found = []
    for part in text.replace(";", ",").split(","):
        fmt = part.strip().lower().lstrip(".")
        if not fmt:
            continue
        if fmt not in choices:
            guess = difflib.get_close_matches(fmt, choices, n=1)
            hint = f"did you mean '{guess[0]}'? " if guess else ""
            raise argparse.ArgumentTypeError(f"unknown format '{part.strip()}'; {hint}"
                                             f"choose from {', '.join(choices)}")
        found.append(fmt)
    if not found:
        raise argparse.ArgumentTypeError(f"no format given; choose from {', '.join(choices)}")
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


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of at least 1")
    return int(text)


def page_options(p: argparse.ArgumentParser, *, positional: bool = False, strict: bool = True,
                 default: bool = True) -> None:
    """Which page to read, and how: declared once for every command that reads one. `--sources`
    is a library: a folder of pages, each person getting the page of the role they hold."""
    if positional:
        p.add_argument("source", nargs="?", help="source page (default: the bundled page)")
    else:
        p.add_argument("--source", help="source page (default: the bundled page)")
    p.add_argument("--sources", metavar="DIR", help="a library: a folder of pages (subfolders too); each "
                   "person gets the page of their current role, or the one their roster's 'source' column names")
    if default:
        p.add_argument("--default-source", metavar="PAGE", help="with --sources: the page for people whose "
                       "role has none in the library (a warning in their manifest row)")
    p.add_argument("--from", dest="source_format", choices=SOURCE_FORMATS,
                   help="source format (default: from the file extension)")
    if strict:
        p.add_argument("--strict", action="store_true",
                       help="treat every warning about the source (a choice the reader made) as an error")


def render_options(p: argparse.ArgumentParser) -> None:
    """What to build and how it looks: the formats (from the format registry), templates, theme."""
    from rolereport.render.formats import default_formats, names

    p.add_argument("--format", action="extend", type=_formats, metavar="FORMAT",
                   help=f"formats to build: {', '.join(names())}; comma-separated or repeated "
                   f"(default: {','.join(default_formats())})")
    p.add_argument("--templates", help="folder of templates overriding the built-in ones by name")
    p.add_argument("--theme", help="theme file (TOML, YAML or JSON): organisation, logo, colours, font")


def writer_options(p: argparse.ArgumentParser) -> None:
    """How to treat what is already in the output folder."""
    p.add_argument("--wait", action="store_true",
                   help="if another run is writing into --out, wait for it instead of stopping")
    p.add_argument("--replace", action="append", metavar="SLUG",
                   help="let this person's bundle replace the one of a different person in folder SLUG "
                   "(repeat for several); --force never does that")
    p.add_argument("--prune", action="store_true",
                   help="remove older files of formats not built in this run from the person folders")


def roster_options(p: argparse.ArgumentParser) -> None:
    """How rosters and survey exports are read: declared once for batch and check-roster."""
    g = p.add_argument_group("rosters and survey exports (also in rolereport.toml's [roster])")
    g.add_argument("--sheet", metavar="NAME",
                   help="read this sheet of XLSX rosters (default: the first with a name column)")
    g.add_argument("--columns", action="append", metavar="FIELD=HEADING",
                   help="read a field from another heading or a column letter: \"name=Full name,id=Employee ID\", "
                   "'strengths=\"A question, with commas\"', interests=F; repeatable (the list fields "
                   "interests, strengths and goals take several columns); also first_name, last_name, "
                   "preferred_name, submitted")
    g.add_argument("--columns-file", metavar="FILE",
                   help="a saved mapping: FIELD=HEADING lines (or a .toml file), reused each round")
    g.add_argument("--include-hidden", action="store_true",
                   help="also read the rows hidden in XLSX rosters (skipped with a warning by default)")
    g.add_argument("--duplicates", choices=("latest", "first", "fail"),
                   help="one person in several rows (same id, else same e-mail): build the latest answer "
                   "(default), the first, or fail them")
    g.add_argument("--allow-empty", action="store_true",
                   help="a person with no interests, strengths or goals gets the plain guide (not mailed by "
                   "send) instead of failing")


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
    p.add_argument("-o", "--output", help="write the JSON here instead of stdout (with --sources: a folder, "
                   "one JSON per page)")
    page_options(p, positional=True, default=False)
    p.set_defaults(func=cmd_extract)

    p = command("report", "build the PDF guide, DOCX handout and XLSX matrix of one source page",
                "rolereport report --source page.html --profile jane.yaml --out output  "
                "# writes output/jane-doe/")
    page_options(p)
    p.add_argument("--profile", help="personalise for this profile (YAML, TOML or JSON); the files then "
                   "go into OUT/<person>/ (the profile's id, else its name)")
    p.add_argument("--out", default="output", help="output folder, created if missing (default: output/)")
    render_options(p)
    p.add_argument("--title", help="the guide's title (cover, running header, metadata) instead of the "
                   "source's; the source's title stays in 'About this guide'")
    p.add_argument("--subtitle", help="the subtitle under the title (instead of the theme's or the default)")
    p.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    p.add_argument("--allow-empty", action="store_true",
                   help="a profile with no interests, strengths or goals gets the plain guide in its folder "
                   "(not mailed by send) instead of an error")
    writer_options(p)
    p.set_defaults(func=cmd_report)

    p = command("batch", "one guide, handout and matrix per person, in parallel",
                "rolereport batch staff.csv people/ --out output/batch --jobs 2")
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="profile files, folders of them, and CSV/XLSX rosters (one row per person)")
    page_options(p)
    p.add_argument("--out", help="output folder (default: rolereport.toml's out, else output/batch/)")
    p.add_argument("--jobs", type=_positive, help="worker processes (default: number of CPUs)")
    render_options(p)
    p.add_argument("--force", action="store_true", help="rebuild people whose inputs did not change")
    p.add_argument("--plain", action="store_true", help="log lines instead of a progress bar")
    roster_options(p)
    writer_options(p)
    _dask_options(p)
    p.set_defaults(func=cmd_batch)

    p = command("send", "e-mail each person of a batch their own files (a dry run into DIR/outbox/ unless --send)",
                "rolereport send output/batch --from 'HR <hr@example.com>' --smtp smtp.example.com --starttls --send")
    p.add_argument("folder", nargs="?", metavar="DIR", help="the --out folder of a batch (with manifest.csv; "
                   "default: rolereport.toml's out)")
    p.add_argument("--attach", metavar="pdf[,docx,xlsx]", help="files to attach (default: pdf)")
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

    p = command("check-roster", "read a roster or survey export as a batch would and show what it found, "
                "building nothing", "rolereport check-roster survey.xlsx --columns interests=F")
    p.add_argument("inputs", nargs="+", metavar="ROSTER", help="CSV/XLSX rosters (and profile files or folders)")
    roster_options(p)
    p.add_argument("--out", help="the batch's output folder, for the folder names shown (default: "
                   "rolereport.toml's out, else output/batch/)")
    p.set_defaults(func=cmd_check_roster)
    p = command("matrix", "one workbook of every role across a library of pages",
                "rolereport matrix --sources pages/ -o roles.xlsx")
    p.add_argument("--sources", metavar="DIR", required=True, help="the library: a folder of pages")
    p.add_argument("--from", dest="source_format", choices=SOURCE_FORMATS,
                   help="the pages' format (default: from each file's extension)")
    p.add_argument("-o", "--output", default="roles.xlsx", help="the workbook to write (default: roles.xlsx)")
    p.set_defaults(func=cmd_matrix)

    p = command("check-profile", "validate a profile file and summarise it",
                "rolereport check-profile jane.yaml")
    p.add_argument("file", help="profile file (YAML, TOML or JSON)")
    p.set_defaults(func=cmd_check_profile)

    p = command("fit", "rank every alternative of a source for a profile",
                "rolereport fit --profile jane.yaml --source page.html")
    p.add_argument("--profile", required=True, help="profile file (YAML, TOML or JSON)")
    page_options(p, strict=False)
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
