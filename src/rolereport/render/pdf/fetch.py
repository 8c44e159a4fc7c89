"""The only way WeasyPrint may load a file: from inside the allowed folders, or a data: URI.

Allowed folders are the template folders (the user's `--templates` first, then the built-ins),
the theme file's folder and the bundled font's folder. Anything else — http(s), ftp, `file://`
outside those folders, a symlink pointing out of them, a missing file — stops the build with a
`TemplateError` naming the URL, instead of leaving a silent blank in the PDF.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from rolereport.errors import Problem, TemplateError


class BlockedURL(Exception):
    """A URL the document asked for that it may not load."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"{url}: {reason}")


def _short(url: str) -> str:
    return url if len(url) <= 200 else url[:200] + "…"


def resolve_file_url(url: str, allowed: Iterable[Path]) -> Path:
    """The local file a `file:` URL names, if it lies inside one of the allowed folders."""
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise BlockedURL(url, "file URLs on another host are not allowed")
    path = Path(unquote(parts.path)).resolve()  # follows symlinks: a link cannot lead outside
    roots = [Path(d).resolve() for d in allowed]
    if not any(path.is_relative_to(root) for root in roots):
        raise BlockedURL(url, "is outside the template, theme and font folders; only files in "
                         "those folders may be used")
    if not path.is_file():
        raise BlockedURL(url, "no such file")
    return path


def make_fetcher(allowed: Iterable[Path]):  # noqa: ANN201 - a weasyprint.URLFetcher subclass
    """A WeasyPrint URL fetcher serving only data: URIs and files inside `allowed`."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    roots = tuple(Path(d).resolve() for d in allowed)

    class SafeFetcher(URLFetcher):
        def __init__(self) -> None:
            # fail_on_errors: every refusal becomes FatalURLFetchingError and stops the layout.
            super().__init__(allowed_protocols=("file", "data"), fail_on_errors=True,
                             allow_redirects=False)

        def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
            scheme = url.split(":", 1)[0].lower() if ":" in url else ""
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme != "file":
                raise BlockedURL(url, f"{scheme or 'relative'} URLs are not allowed; the guide may "
                                 "only use files inside the template, theme and font folders")
            path = resolve_file_url(url, roots)
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime})

    return SafeFetcher()


def fetch_error(exc: BaseException) -> TemplateError:
    """Turn WeasyPrint's fatal fetch error into our error naming the URL and the reason."""
    cause = exc.__cause__
    if isinstance(cause, BlockedURL):
        return TemplateError(Problem(_short(cause.url), f"refused to load: {cause.reason}"))
    return TemplateError(Problem("guide", f"could not load a resource: {exc} ({cause})"))
