"""What a PDF source may cost to read: its pages, the content each page draws, and pypdf's own
log lines kept off the user's terminal (a damaged file is said once, in our words).

pypdf reads content streams in Python, about a megabyte a second: one 10 MB stream shown on
2,000 pages would take hours. A page printed from a browser draws tens of kilobytes.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rolereport.errors import Problem, SourceError

MAX_PDF_PAGES = 200
MAX_PAGE_CONTENT = 128 * 1024  # decoded content-stream bytes one page draws (printed pages: 10-25 KB)
MAX_PDF_CONTENT = 512 * 1024  # … and all pages together (a stream shown on many pages counts each time)


@contextmanager
def quiet_pypdf() -> Iterator[None]:
    """pypdf's logger and warnings silenced for the block (they would print to stderr)."""
    logger = logging.getLogger("pypdf")
    old = logger.propagate, logger.level
    handler = logging.NullHandler()
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.removeHandler(handler)
        logger.propagate, logger.level = old


def check_pages(count: int, file: str) -> None:
    if count > MAX_PDF_PAGES:
        raise SourceError(Problem(file, f"the PDF has {count:,} pages; a printed page of this family has a "
                                  f"few dozen at most (the limit is {MAX_PDF_PAGES}); give the page itself"))


class ContentBudget:
    """Counts what each page draws before pypdf reads it, refusing past the limits."""

    def __init__(self, file: str) -> None:
        self.file, self.total = file, 0

    def charge(self, page: Any, number: int) -> None:
        contents = page.get("/Contents")
        streams = contents.get_object() if contents is not None else None
        if streams is None:
            return
        if not isinstance(streams, list):
            streams = [streams]
        size = 0
        for stream in streams:
            obj = stream.get_object()
            size += len(obj.get_data()) if hasattr(obj, "get_data") else 0
            if size > MAX_PAGE_CONTENT:
                raise SourceError(Problem(self.file, f"page {number} draws more than {MAX_PAGE_CONTENT:,} bytes of "
                                          "content (a printed page draws tens of kilobytes); it is not a page "
                                          "this tool reads"))
        self.total += size
        if self.total > MAX_PDF_CONTENT:
            raise SourceError(Problem(self.file, f"its pages draw more than {MAX_PDF_CONTENT:,} bytes of content "
                                      f"in all (reached on page {number}); it is not a page this tool reads"))
