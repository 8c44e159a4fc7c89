"""The one way rolereport runs pandoc: sandboxed, fed on stdin, stopped after the time limit.

Both reading (HTML, Markdown, DOCX, ODT sources → pandoc's AST) and rendering (our Markdown →
HTML, DOCX) go through `run_pandoc`, so neither stage imports the other.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from functools import cache

from rolereport.system.deadline import render_timeout


@cache
def pandoc_path() -> str:
    """The pandoc binary pypandoc ships (or finds); looked up once per process."""
    import pypandoc

    return str(pypandoc.get_pandoc_path())


def run_pandoc(args: Sequence[str], data: bytes | None = None,
               env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run pandoc sandboxed, feeding `data` on stdin, stopped after the render timeout.

    pandoc runs in a session of its own, out of the terminal's process group: a Ctrl-C that asks a
    batch to finish the people in progress must not kill the pandoc one of them is waiting for
    (this process still kills it when it is interrupted itself, or at the time limit).

    Raises subprocess.TimeoutExpired (pandoc was killed) or OSError (it could not start)."""
    return subprocess.run([pandoc_path(), "--sandbox", *args], input=data, capture_output=True,
                          env=env, timeout=render_timeout(), check=False, start_new_session=True)
