"""Running pandoc on our own Markdown: sandboxed, no raw HTML or TeX from the text, time-limited."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from functools import cache

from rolereport.deadline import render_timeout, timeout_error
from rolereport.errors import Problem, TemplateError

# Our Markdown dialect: pandoc's, without smart quotes (text stays as written) and without raw
# HTML/TeX (values are escaped anyway; only ```{=html} blocks written in templates pass).
READER = "markdown-smart-raw_html-raw_tex+fenced_divs+bracketed_spans+raw_attribute"


@cache
def pandoc_path() -> str:
    """The pandoc binary pypandoc ships (or finds); looked up once per process."""
    import pypandoc

    return str(pypandoc.get_pandoc_path())


def run_pandoc(args: Sequence[str], data: bytes | None = None,
               env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run pandoc sandboxed, feeding `data` on stdin, stopped after the render timeout.

    Raises subprocess.TimeoutExpired (pandoc was killed) or OSError (it could not start)."""
    return subprocess.run([pandoc_path(), "--sandbox", *args], input=data, capture_output=True,
                          env=env, timeout=render_timeout(), check=False)


def convert(markdown: str, to: str, extra_args: Sequence[str] = (), epoch: int | None = None,
            outputfile: str | None = None) -> str:
    """pandoc `READER` → `to`, sandboxed (it reads no file and no URL it was not given) and
    stopped after the render timeout. The output comes back as text unless `outputfile` is set."""
    args = [f"--from={READER}", f"--to={to}", *extra_args]
    if outputfile is not None:
        args.append(f"--output={outputfile}")
    env = dict(os.environ)
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(epoch)  # pandoc stamps DOCX parts with it
    what = f"pandoc ({to})"
    try:
        done = run_pandoc(args, markdown.encode("utf-8"), env)
    except subprocess.TimeoutExpired as exc:
        raise timeout_error(what, exc.timeout) from None
    except OSError as exc:
        raise TemplateError(Problem(what, f"could not run pandoc: {exc.strerror}")) from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip() or f"exit code {done.returncode}"
        raise TemplateError(Problem(what, f"conversion to {to} failed: {message}"))
    return done.stdout.decode("utf-8", "replace")
