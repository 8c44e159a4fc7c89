"""One report on two cores: a forked sidecar does everything but the PDF layout.

For a single report the PDF's WeasyPrint import and layout are the critical path. Right after
the up-to-date check, this process forks: the sidecar scores the profile, renders the guide's
HTML (Jinja + pandoc) and sends it back at once, then renders the other formats (DOCX, XLSX,
HTML) and sends those. Meanwhile this process imports WeasyPrint and loads the fonts, then lays
out the HTML it receives. Errors in the sidecar come back as the same RoleReportError with the
same problems, so the user sees exactly what a serial run would show.

Only used where `fork` exists and nothing has started threads yet; elsewhere, and in batch
workers (which already fill every core), rendering stays in one process.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections.abc import Callable, Sequence
from typing import Any

from rolereport.errors import RoleReportError
from rolereport.model import Report
from rolereport.render.context import Context


def available() -> bool:
    return hasattr(os, "fork") and "fork" in multiprocessing.get_all_start_methods()


def _sidecar(conn: Any, make_report: Callable[[], Report], ctx: Context, formats: Sequence[str]) -> None:
    from rolereport.render import renderer
    from rolereport.render.html import guide_html

    try:
        report = make_report()
        if "pdf" in formats:
            conn.send(("html", guide_html(report, ctx, for_pdf=True)))
        outputs = {fmt: renderer(fmt)(report, ctx) for fmt in formats if fmt != "pdf"}
        conn.send(("outputs", outputs))
    except RoleReportError as exc:
        conn.send(("error", type(exc), exc.problems))
    except BaseException:  # a bug: report it in full rather than hang the parent
        conn.send(("crash", traceback.format_exc()))
    finally:
        conn.close()


def _receive(conn: Any, kind: str) -> Any:
    try:
        message = conn.recv()
    except EOFError:
        raise RuntimeError("the rendering sidecar ended without an answer") from None
    if message[0] == "error":
        raise message[1](message[2])
    if message[0] == "crash":
        raise RuntimeError("the rendering sidecar failed:\n" + message[1])
    assert message[0] == kind, message[0]
    return message[1]


def render_split(make_report: Callable[[], Report], ctx: Context, formats: Sequence[str]) -> dict[str, bytes]:
    """Build the report with `make_report()` and render every format; the PDF is laid out here."""
    from rolereport.render import pdf

    mp = multiprocessing.get_context("fork")
    receiver, sender = mp.Pipe(duplex=False)
    child = mp.Process(target=_sidecar, args=(sender, make_report, ctx, tuple(formats)), daemon=True)
    child.start()
    sender.close()
    try:
        if "pdf" in formats:
            pdf.prepare(ctx)  # WeasyPrint import and fonts, while the sidecar works
        outputs: dict[str, bytes] = {}
        if "pdf" in formats:
            outputs["pdf"] = pdf.pdf_from_html(_receive(receiver, "html"), ctx)
        outputs.update(_receive(receiver, "outputs"))
    finally:
        receiver.close()
        child.join(timeout=5)
        if child.is_alive():
            child.kill()
    return {fmt: outputs[fmt] for fmt in formats}
