"""WeasyPrint, loaded once per process and kept ready: fonts loaded, URL access fenced in.

An `Engine` imports WeasyPrint (with its C declarations from `ffi_cache`), loads the bundled
@font-face rules into its own font configuration, and then lays out any number of documents,
each with a URL fetcher that serves only the folders that document may use. It needs nothing of
the report, the templates or the theme, so the single-report sidecar can create one before this
process's other half has even read the source. Kept light on imports for that reason.
"""

from __future__ import annotations

import html as html_lib
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rolereport.render.fonts import FAMILY, font_dir, font_face_css, package_font_dirs
from rolereport.render.pdf import actualtext, ffi_cache
from rolereport.render.pdf import tags as pdf_tags
from rolereport.render.pdf.fetch import fetch_error, make_fetcher
from rolereport.system.deadline import deadline

PDF_VARIANT = "pdf/ua-1"
_SHEETS_KEPT = 8
_LOCK = threading.Lock()  # Pango and a shared FontConfiguration are not thread-safe

# A few narrow lines in every face of the bundled family, hyphenated: laying them out loads the
# font faces, the hyphenation patterns and WeasyPrint's first-use code before the real document.
_WARM_UP = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>-</title>
<style>body {{ font-family: "{FAMILY}"; hyphens: auto; width: 25mm; }}</style></head><body>
<h1>Operationalizing</h1><p>Characteristically <b>comprehensive</b> <i>infrastructure</i>
<strong style="font-weight: 600">responsibilities</strong> <span style="font-weight: 300">and
<b><i>deployment</i></b></span>.</p><table><tr><td>Automation</td></tr></table></body></html>"""


_STYLED_WARM_UP = """<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>-</title></head>
<body><section class="level1"><h1>Operationalizing</h1><h2>Responsibilities</h2><p>Characteristically
<strong>comprehensive</strong> <em>infrastructure</em> and deployment.</p><ul><li>Orchestration</li></ul>
<table><thead><tr><th>Automation</th></tr></thead><tbody><tr><td>Monitoring</td></tr></tbody></table>
</section></body></html>"""


def add_font_dirs(font_config: Any) -> None:
    """Add the font packages' folders (requirements-fonts.lock) to WeasyPrint's fontconfig set-up, so
    Pango falls back to them like to installed fonts. fontconfig caches what it scanned there."""
    folders = package_font_dirs()
    if not folders:
        return
    import ctypes
    import ctypes.util

    from weasyprint.text.ffi import ffi, pangoft2

    config = getattr(font_config, "_config", None)
    if config is None:
        return
    fc = ctypes.CDLL(ctypes.util.find_library("fontconfig") or "libfontconfig.so.1")
    fc.FcConfigAppFontAddDir.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    address = int(ffi.cast("uintptr_t", config))
    for folder in folders:
        fc.FcConfigAppFontAddDir(address, str(folder).encode())
    pangoft2.pango_fc_font_map_config_changed(ffi.cast("PangoFcFontMap *", font_config.font_map))


class Engine:
    """WeasyPrint with the bundled fonts loaded; `layout()` turns HTML into PDF bytes."""

    def __init__(self) -> None:
        ffi_cache.install()  # before WeasyPrint's first import
        actualtext.install()  # the text layer of reordered scripts, and spoken forms
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration
        from weasyprint.urls import FatalURLFetchingError

        self.font_config = FontConfiguration()
        add_font_dirs(self.font_config)
        try:
            self.fonts = CSS(string=font_face_css(), font_config=self.font_config,
                             url_fetcher=make_fetcher((font_dir(),)))
        except FatalURLFetchingError as exc:
            raise fetch_error(exc) from None
        ffi_cache.remember()
        self.images: dict[str, Any] = {}  # WeasyPrint's image cache: the logo, kept across a batch
        self._fetchers: dict[tuple[Path, ...], Any] = {}
        self._sheets: dict[tuple[str, str, tuple[Path, ...]], Any] = {}

    def layout(self, html: str, allowed: Iterable[Path], base_url: str, *, css: str = "",
               write: bool = True) -> bytes:
        """The PDF of `html` styled by `css` (parsed once and kept), which may load files from the
        `allowed` folders (and the fonts)."""
        from weasyprint import HTML
        from weasyprint.urls import FatalURLFetchingError

        allowed = tuple(allowed)
        with _LOCK:
            fetcher = self._fetchers.get(allowed)
            if fetcher is None:
                fetcher = self._fetchers[allowed] = make_fetcher((*allowed, font_dir()))
            try:
                with deadline("career-guide.pdf"):  # ROLEREPORT_RENDER_TIMEOUT, main thread only
                    sheets = [self.fonts]
                    if css:
                        sheets.append(self._stylesheet(css, base_url, allowed, fetcher))
                    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
                        stylesheets=sheets, font_config=self.font_config,
                        pdf_variant=PDF_VARIANT, cache=self.images,
                    )
                    if not write:
                        return b""
                    # pdf_tags: page furniture as artifacts, links and table headers described
                    return document.write_pdf(  # type: ignore[no-any-return]
                        pdf_variant=PDF_VARIANT, pdf_identifier=True, finisher=pdf_tags.finisher(html))
            except FatalURLFetchingError as exc:
                raise fetch_error(exc) from None
            finally:
                self._forget_inline_images()

    def _stylesheet(self, css: str, base_url: str, allowed: tuple[Path, ...], fetcher: Any) -> Any:
        """`css` parsed, from the cache when this process has parsed it before.

        Handed to WeasyPrint as its only stylesheet besides the fonts' (the page has no <style>),
        it cascades exactly as it would inline: user-agent rules below, nothing else beside it."""
        from weasyprint import CSS

        key = (css, base_url, allowed)
        sheet = self._sheets.get(key)
        if sheet is None:
            sheet = CSS(string=css, base_url=base_url, url_fetcher=fetcher, font_config=self.font_config)
            if len(self._sheets) >= _SHEETS_KEPT:
                del self._sheets[next(iter(self._sheets))]
            self._sheets[key] = sheet
        return sheet

    def warm_up(self, style: tuple[str, tuple[Path, ...], str, str] | None = None) -> None:
        """Lay out a few lines, so that the next layout starts warm. Only worth it where something
        else goes on meanwhile (the single-report sidecar); any problem is the real layout's.

        With `style` (the guide's stylesheet, allowed folders, base URL and language), the lines
        are set with that stylesheet, which is parsed and kept for the guide, on a page with its
        running header and footer, and written, so the PDF writer's first use is done too."""
        try:
            if style is None:
                self.layout(_WARM_UP, (), font_dir().as_uri() + "/", write=False)
                return
            css, allowed, base_url, language = style
            self.layout(_STYLED_WARM_UP.format(lang=html_lib.escape(language)), allowed, base_url, css=css)
        except Exception:
            pass

    def _forget_inline_images(self) -> None:
        """Keep the logo cached across a batch, not every person's own chart (memory must not grow)."""
        for key in [k for k in self.images if str(k).startswith("data:")]:
            del self.images[key]
