"""The fit chart: one horizontal bar per role, as a small SVG built here (no plotting library).

Accessible twice over: the SVG carries `role="img"`, a `<title>` and a `<desc>` listing every
score, and the page embeds it as an `<img>` whose alt text says the same in one sentence.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from rolereport.inputs.theme import _luminance
from rolereport.model import Fit
from rolereport.text.labels import BANDS

WIDTH = 640
LABEL_W = 230
BAR_X = LABEL_W + 10
BAR_W = 300
ROW_H = 26
TOP = 8
MAX_LABEL = 38

TRACK = "#FFFFFF"  # the bar's 0–100 track: white, outlined
TRACK_LINE = "#9CA3AF"
# Stronger bands get darker ink in the accent's hue: each band at its own lightness (relative
# luminance), so the bars stay apart in greyscale print and every bar keeps at least 3:1 (WCAG
# non-text contrast) against its white track: 11.8, 8.4, 5.8 and 4.0 to 1, best band first.
_BAND_LUMINANCE = (0.035, 0.075, 0.13, 0.21)


def _mix(hex_colour: str, toward: int, amount: float) -> str:
    rgb = [int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (toward - c) * amount):02X}" for c in rgb)


def shade(accent: str, luminance: float) -> str:
    """The accent mixed with black or white until its relative luminance is `luminance`."""
    toward = 0 if _luminance(accent) > luminance else 255
    low, high = 0.0, 1.0
    for _ in range(24):
        mid = (low + high) / 2
        got = _luminance(_mix(accent, toward, mid))
        if (got > luminance) == (toward == 0):
            low = mid
        else:
            high = mid
    return _mix(accent, toward, (low + high) / 2)


def band_colours(accent: str) -> dict[str, str]:
    """The bar colour of each band, best band darkest."""
    return {name: shade(accent, lum) for (name, _), lum in zip(BANDS, _BAND_LUMINANCE, strict=False)}


def _clip(text: str, limit: int = MAX_LABEL) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def describe(fits: Sequence[Fit]) -> str:
    """The chart in one sentence, for alt text and `<desc>`."""
    parts = [f"{f.role}: {f.score} of 100 ({f.band})" for f in fits]
    return "Bar chart of fit scores, best first. " + "; ".join(parts) + "."


def fit_chart_svg(fits: Sequence[Fit], accent: str, font_family: str,
                  title: str) -> str:
    height = TOP * 2 + ROW_H * len(fits)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="fit-chart-title fit-chart-desc" '
        f'font-family={quoteattr(font_family + ", sans-serif")} font-size="13">',
        f'<title id="fit-chart-title">{escape(title)}</title>',
        f'<desc id="fit-chart-desc">{escape(describe(fits))}</desc>',
    ]
    colours = band_colours(accent)
    for i, fit in enumerate(fits):
        y = TOP + i * ROW_H
        mid = y + ROW_H / 2
        bar = round(BAR_W * fit.score / 100, 1)
        colour = colours.get(fit.band, accent)
        out += [
            "<g>",
            f"<title>{escape(f'{fit.role}: {fit.score} of 100, {fit.band}')}</title>",
            f'<text x="{LABEL_W}" y="{mid + 4.5}" text-anchor="end" fill="#222222">'
            f"{escape(_clip(fit.role))}</text>",
            f'<rect x="{BAR_X}" y="{y + 5}" width="{BAR_W}" height="{ROW_H - 10}" rx="3" fill="{TRACK}" '
            f'stroke="{TRACK_LINE}" stroke-width="0.75"/>',
            f'<rect x="{BAR_X}" y="{y + 5}" width="{max(bar, 2)}" height="{ROW_H - 10}" rx="3" '
            f'fill="{colour}"/>',
            f'<text x="{BAR_X + BAR_W + 8}" y="{mid + 4.5}" fill="#222222">'
            f'<tspan font-weight="bold">{fit.score}</tspan> {escape(fit.band)}</text>',
            "</g>",
        ]
    out.append("</svg>")
    return "\n".join(out)


def fit_chart_list(fits: Sequence[Fit], accent: str) -> str:
    """The chart as a list, for a phone's width (the drawing's labels would shrink below 12 px):
    each role, its score and band in words and a bar drawn by CSS. print.css shows it on narrow
    screens only, in place of the drawing."""
    colours = band_colours(accent)
    items = [f'<li><span class="fit-role">{escape(f.role)}</span> '
             f'<span class="fit-score"><strong>{f.score}</strong> {escape(f.band)}</span>'
             f'<span class="fit-bar" aria-hidden="true" style="--score: {max(0, min(f.score, 100))}%; '
             f'--bar: {colours.get(f.band, accent)}"></span></li>' for f in fits]
    return '<ol class="fit-list">\n' + "\n".join(items) + "\n</ol>"


def fit_chart_img(fits: Sequence[Fit], accent: str, font_family: str, title: str) -> str:
    """An `<img>` element (HTML) holding the chart as a data: URI, with alt text, followed by the
    same as a list for narrow screens (`fit_chart_list`)."""
    svg = fit_chart_svg(fits, accent, font_family, title)
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (f'<img class="fit-chart" src="data:image/svg+xml;base64,{data}" '
            f'alt={quoteattr(describe(fits))} width="{WIDTH}">\n' + fit_chart_list(fits, accent))
