"""Converting our own Markdown with pandoc: no raw HTML or TeX from the text (the runner, sandbox and
time limit are `rolereport.system.pandoc`). Conversions go to this process's long-lived pandoc
(`system.pandoc_session`, the same bytes without a new process each) where it can make them the
same way, else to the sandboxed command."""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from collections.abc import Sequence
from typing import Any

from rolereport.errors import Problem, TemplateError
from rolereport.system import pandoc_session
from rolereport.system.deadline import timeout_error
from rolereport.system.pandoc import run_pandoc

# Our Markdown dialect: pandoc's, without smart quotes (text stays as written) and without raw
# HTML/TeX (values are escaped anyway; only ```{=html} blocks written in templates pass).
READER = "markdown-smart-raw_html-raw_tex+fenced_divs+bracketed_spans+raw_attribute"


def convert(markdown: str, to: str, extra_args: Sequence[str] = (), epoch: int | None = None,
            outputfile: str | None = None, label: str | None = None) -> str:
    """pandoc `READER` → `to`, sandboxed (it reads no file and no URL it was not given) and
    stopped after the render timeout. The output comes back as text unless `outputfile` is set.
    Errors name `pandoc (label)`, by default the target format."""
    return _convert(READER, markdown, to, extra_args, epoch, outputfile, label)


def write_ast(document: dict[str, Any], to: str, extra_args: Sequence[str] = (), epoch: int | None = None) -> bytes:
    """A pandoc AST (as `parse_sections` returns it) written as `to` (a binary format: DOCX).
    `--metadata=key:value` arguments are merged into the AST as pandoc's command line does (its
    values win), so the text is made once for either way of running pandoc."""
    meta = {key: _meta_value(item) for key, _, item in
            (a.removeprefix("--metadata=").partition(":") for a in extra_args if a.startswith("--metadata="))}
    text = json.dumps({**document, "meta": {**document.get("meta", {}), **meta}}, ensure_ascii=False)
    # pandoc fetches a DOCX's images when it writes it: only the sandboxed command may do that
    if '"t": "Image"' not in text and '"t": "Figure"' not in text:
        try:
            done = _by_session("json", text, to, [a for a in extra_args if not a.startswith("--metadata=")], epoch)
        except subprocess.TimeoutExpired as exc:
            raise timeout_error(f"pandoc ({to})", exc.timeout) from None
        if done is not None:
            return done
    with tempfile.TemporaryDirectory(prefix="rolereport-pandoc-") as tmp:
        target = os.path.join(tmp, f"out.{to}")
        _convert("json", text, to, extra_args, epoch, target, None, session=False)
        with open(target, "rb") as fh:
            return fh.read()


def _meta_value(value: str) -> dict[str, Any]:
    """What pandoc's command line makes of the value of `--metadata=key:value`."""
    if value in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return {"t": "MetaBool", "c": value.lower() == "true"}
    return {"t": "MetaString", "c": value}


def _by_session(reader: str, text: str, to: str, extra_args: Sequence[str], epoch: int | None) -> bytes | None:
    """The conversion by this process's pandoc session, exactly as the command line would make it;
    None when the command must run (an option the session does not take, no session here)."""
    options: dict[str, Any] = {}
    for arg in extra_args:
        name, _, value = arg.partition("=")
        if arg == "--section-divs":
            options["section_divs"] = True
        elif name == "--reference-doc":
            options["reference_doc"] = value
        else:
            return None
    stamp = str(epoch) if epoch is not None else os.environ.get("SOURCE_DATE_EPOCH")
    return pandoc_session.convert(reader, to, text.encode("utf-8"), options,
                                  {"SOURCE_DATE_EPOCH": stamp} if stamp else {})


def _convert(reader: str, text: str, to: str, extra_args: Sequence[str], epoch: int | None,
             outputfile: str | None, label: str | None, *, session: bool = True) -> str:
    try:
        done = _by_session(reader, text, to, extra_args, epoch) if session and outputfile is None else None
    except subprocess.TimeoutExpired as exc:
        raise timeout_error(f"pandoc ({label or to})", exc.timeout) from None
    if done is not None:
        return done.decode("utf-8", "replace")
    args = [f"--from={reader}", f"--to={to}", *extra_args]
    if outputfile is not None:
        args.append(f"--output={outputfile}")
    env = dict(os.environ)
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(epoch)  # pandoc stamps DOCX parts with it
    what = f"pandoc ({label or to})"
    try:
        done = run_pandoc(args, text.encode("utf-8"), env)
    except subprocess.TimeoutExpired as exc:
        raise timeout_error(what, exc.timeout) from None
    except OSError as exc:
        raise TemplateError(Problem(what, f"could not run pandoc: {exc.strerror}")) from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip() or f"exit code {done.returncode}"
        raise TemplateError(Problem(what, f"conversion to {to} failed: {message}"))
    return done.stdout.decode("utf-8", "replace")


_FENCE = re.compile(r"^(`{3,}|~{3,})")
_NOT_LOCAL = re.compile(r"^\s{0,3}\[[^\]]+\]:|\[\^", re.M)  # reference links, footnotes
_CHUNKS_KEPT = 256


def split_sections(markdown: str) -> list[str]:
    """Split before each level-1 ATX heading that starts a block outside fenced code."""
    chunks: list[str] = []
    current: list[str] = []
    fence = ""
    previous_blank = True
    for line in markdown.splitlines(keepends=True):
        marker = _FENCE.match(line)
        if fence:
            if marker and marker.group(1).startswith(fence) and not line.strip().strip(fence[0]):
                fence = ""
        elif marker:
            fence = marker.group(1)
        elif line.startswith("# ") and previous_blank and current:
            chunks.append("".join(current))
            current = []
        current.append(line)
        previous_blank = not line.strip()
    if current:
        chunks.append("".join(current))
    return chunks


def _by_section(markdown: str, cache: dict[str, Any], key: str, one: Any, parallel: bool = False) -> list[Any]:
    """`one(chunk)` for each top-level section, reusing results kept in `cache[key]`. With
    `parallel`, the sections not kept yet are converted side by side, one pandoc per core."""
    memo: dict[str, Any] = cache.setdefault(key, {})
    chunks = split_sections(markdown)
    missing = list(dict.fromkeys(c for c in chunks if c not in memo))
    workers = min(len(missing), os.cpu_count() or 1) if parallel else 1
    if workers > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=workers) as pool:
            done = dict(zip(missing, pool.map(one, missing), strict=True))
    else:
        done = {c: one(c) for c in missing}
    results = []
    for chunk in chunks:
        result = memo.get(chunk)
        if result is None:
            result = memo[chunk] = done[chunk]
            while len(memo) > _CHUNKS_KEPT:
                del memo[next(iter(memo))]
        results.append(result)
    return results


def convert_sections(markdown: str, to: str, extra_args: Sequence[str], cache: dict[str, Any], *,
                     parallel: bool = False) -> str:
    """`convert`, one top-level section at a time, reusing sections converted before.

    In a batch most of a guide is the same for everyone; only the personal sections go to pandoc
    again. The result is what converting the whole text gives (a test holds it to that). Texts
    with reference links or footnotes, which can span sections, are converted whole. `parallel`
    (one report, whose other core is idle meanwhile) runs the sections' pandocs side by side.
    """
    if _NOT_LOCAL.search(markdown):
        return convert(markdown, to, extra_args)
    key = f"pandoc.sections.{to}.{' '.join(extra_args)}"
    return "".join(_by_section(markdown, cache, key,
                               lambda chunk: convert(chunk, to, extra_args) if chunk.strip() else "", parallel))


def parse_sections(markdown: str, cache: dict[str, Any], label: str) -> dict[str, Any]:
    """The pandoc AST of `markdown`, parsed one top-level section at a time (reused like above).

    The caller may change the returned AST; the cached sections are not shared with it. Errors
    name `pandoc (label)`: the output the AST is for.
    """
    if _NOT_LOCAL.search(markdown):
        return json.loads(convert(markdown, "json", label=label))
    parts = _by_section(markdown, cache, "pandoc.ast",
                        lambda chunk: convert(chunk, "json", label=label) if chunk.strip() else "")
    docs = [json.loads(part) for part in parts if part]
    first = docs[0] if docs else json.loads(convert("", "json", label=label))
    return {**first, "blocks": [block for doc in docs for block in doc["blocks"]]}
