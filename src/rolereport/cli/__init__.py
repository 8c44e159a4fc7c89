"""Command line: arguments, progress and exit codes, a module per group of commands. No business
logic lives here."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from rolereport.cli.parser import build_parser
from rolereport.errors import RoleReportError

__all__ = ["build_parser", "main", "run"]


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
