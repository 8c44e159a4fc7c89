"""One report on two cores: a forked sidecar lays out the PDF while this process does the rest.

For a single report the PDF is the critical path: WeasyPrint's import, its font set-up and the
layout. `rolereport report` starts the sidecar first thing, before it even imports the pipeline.
The sidecar imports WeasyPrint, loads the fonts and, if the HTML is not there yet, warms the
layout up (font faces, hyphenation patterns, WeasyPrint's and the PDF writer's first-use code):
with the guide's stylesheet, which this process sends ahead of the HTML, else on a few unstyled
lines. Meanwhile this process reads the source, checks whether the outputs are up to date and
renders the guide's HTML (the sidecar needs nothing of the report, the templates or the theme to
get that far). The
sidecar then lays out that HTML and sends the PDF back while this process renders the DOCX and
XLSX. When everything is already up to date, or an input is bad, the sidecar is stopped
unused: a rerun and an error message are as quick as without it.

Errors in the sidecar come back as the same RoleReportError with the same problems, so the user
sees exactly what a serial run would show. Only used where `fork` exists and this process runs no
other thread; elsewhere, and in batch workers (which already fill every core), the PDF is laid out
in-process.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rolereport.errors import RoleReportError

if TYPE_CHECKING:
    from rolereport.render.html import PrintPage


def available() -> bool:
    """Forking is safe here: the platform forks, and no other thread could hold a lock (the
    import lock, say) that the sidecar would then wait on forever."""
    return (hasattr(os, "fork") and "fork" in multiprocessing.get_all_start_methods()
            and threading.active_count() == 1)


def _main(conn: Any, other_end: Any) -> None:
    other_end.close()  # so that this side sees EOF when the parent goes away
    try:
        from rolereport.render.pdf.engine import Engine

        engine = Engine()
        if not conn.poll():
            engine.warm_up()
        message = conn.recv()
        if message[0] == "style":  # the guide's stylesheet, ahead of its HTML
            if not conn.poll():
                engine.warm_up(message[1:])
            message = conn.recv()
        _, html, css, allowed, base_url = message
        conn.send(("pdf", engine.layout(html, allowed, base_url, css=css)))
    except (EOFError, KeyboardInterrupt, BrokenPipeError):
        pass  # stopped unused, or Ctrl-C (the parent reports that)
    except RoleReportError as exc:
        conn.send(("error", type(exc), exc.problems))
    except BaseException:  # a bug: report it in full rather than hang the parent
        conn.send(("crash", traceback.format_exc()))
    finally:
        conn.close()


class PdfSidecar:
    """A forked process that will lay out one guide: `layout(html)`, then `result()`."""

    def __init__(self) -> None:
        mp = multiprocessing.get_context("fork")
        self._conn, child_end = mp.Pipe(duplex=True)
        self._process = mp.Process(target=_main, args=(child_end, self._conn), daemon=True)
        self._process.start()
        child_end.close()

    def style(self, css: str, allowed: tuple[Path, ...], base_url: str, language: str) -> None:
        """The guide's stylesheet, sent while its HTML is still being made: the sidecar parses it
        and warms up with it if it has nothing else to do."""
        self._send(("style", css, allowed, base_url, language))

    def layout(self, page: PrintPage, allowed: tuple[Path, ...], base_url: str) -> None:
        """Lay out the guide, which may load files from the `allowed` folders."""
        # plain strings: unpickling a PrintPage would import the pipeline into the sidecar
        self._send(("page", page.html, page.css, allowed, base_url))

    def _send(self, message: tuple[Any, ...]) -> None:
        try:
            self._conn.send(message)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the sidecar ended early; result() says why

    def result(self) -> bytes:
        try:
            message = self._conn.recv()
        except (EOFError, ConnectionResetError):
            raise RuntimeError("the PDF sidecar ended without an answer") from None
        if message[0] == "error":
            raise message[1](message[2])
        if message[0] == "crash":
            raise RuntimeError("the PDF sidecar failed:\n" + message[1])
        assert message[0] == "pdf", message[0]
        return message[1]  # type: ignore[no-any-return]

    def close(self) -> None:
        """Stop the sidecar if it is still working (nothing to lay out, or an error here)."""
        self._conn.close()
        if self._process.is_alive():
            self._process.kill()
        self._process.join(timeout=5)

    def __enter__(self) -> PdfSidecar:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def start() -> PdfSidecar | None:
    """A PDF sidecar where processes can fork, else None (the PDF is then laid out in-process)."""
    return PdfSidecar() if available() else None
