"""Running pandoc on our own Markdown: sandboxed, no raw HTML or TeX from the text."""

from __future__ import annotations

import os
from collections.abc import Sequence

from rolereport.errors import Problem, TemplateError

# Our Markdown dialect: pandoc's, without smart quotes (text stays as written) and without raw
# HTML/TeX (values are escaped anyway; only ```{=html} blocks written in templates pass).
READER = "markdown-smart-raw_html-raw_tex+fenced_divs+bracketed_spans+raw_attribute"


def convert(markdown: str, to: str, extra_args: Sequence[str] = (), epoch: int | None = None,
            outputfile: str | None = None) -> str:
    import pypandoc

    args = ["--sandbox", *extra_args]
    old = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)  # pandoc stamps DOCX parts with it
    try:
        return pypandoc.convert_text(markdown, to, format=READER, extra_args=args,
                                     outputfile=outputfile)
    except (RuntimeError, OSError) as exc:
        raise TemplateError(Problem("pandoc", f"conversion to {to} failed: {exc}")) from None
    finally:
        if epoch is not None:
            if old is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = old
