"""The fit chart: one horizontal bar per role, as a small SVG built here (no plotting library).

Accessible twice over: the SVG carries `role="img"`, a `<title>` and a `<desc>` listing every
score, and the page embeds it as an `<img>` whose alt text says the same in one sentence.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from rolereport.labels import BANDS
from rolereport.model import Fit

WIDTH = 640
LABEL_W = 230
BAR_X = LABEL_W + 10
BAR_W = 300
ROW_H = 26
TOP = 8
MAX_LABEL = 38

# Stronger bands get stronger ink, so the chart reads in greyscale too.
_OPACITY = {name: op for (name, _), op in zip(BANDS, (1.0, 0.75, 0.5, 0.3), strict=False)}


def _clip(text: str, limit: int = MAX_LABEL) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def describe(fits: Sequence[Fit]) -> str:
    """The chart in one sentence, for alt text and `<desc>`."""
    parts = [f"{f.role}: {f.score} of 100 ({f.band})" for f in fits]
    return "Bar chart of fit scores, best first. " + "; ".join(parts) + "."


def fit_chart_svg(fits: Sequence[Fit], accent: str, track: str, font_family: str,
                  title: str) -> str:
    height = TOP * 2 + ROW_H * len(fits)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="fit-chart-title fit-chart-desc" '
        f'font-family={quoteattr(font_family + ", sans-serif")} font-size="13">',
        f'<title id="fit-chart-title">{escape(title)}</title>',
        f'<desc id="fit-chart-desc">{escape(describe(fits))}</desc>',
    ]
    for i, fit in enumerate(fits):
        y = TOP + i * ROW_H
        mid = y + ROW_H / 2
        bar = round(BAR_W * fit.score / 100, 1)
        opacity = _OPACITY.get(fit.band, 0.5)
        out += [
            "<g>",
            f"<title>{escape(f'{fit.role}: {fit.score} of 100, {fit.band}')}</title>",
            f'<text x="{LABEL_W}" y="{mid + 4.5}" text-anchor="end" fill="#222222">'
            f"{escape(_clip(fit.role))}</text>",
            f'<rect x="{BAR_X}" y="{y + 5}" width="{BAR_W}" height="{ROW_H - 10}" rx="3" fill="{track}"/>',
            f'<rect x="{BAR_X}" y="{y + 5}" width="{max(bar, 2)}" height="{ROW_H - 10}" rx="3" '
            f'fill="{accent}" fill-opacity="{opacity}"/>',
            f'<text x="{BAR_X + BAR_W + 8}" y="{mid + 4.5}" fill="#222222">'
            f'<tspan font-weight="bold">{fit.score}</tspan> {escape(fit.band)}</text>',
            "</g>",
        ]
    out.append("</svg>")
    return "\n".join(out)


def fit_chart_img(fits: Sequence[Fit], accent: str, track: str, font_family: str, title: str) -> str:
    """An `<img>` element (HTML) holding the chart as a data: URI, with alt text."""
    svg = fit_chart_svg(fits, accent, track, font_family, title)
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (f'<img class="fit-chart" src="data:image/svg+xml;base64,{data}" '
            f'alt={quoteattr(describe(fits))} width="{WIDTH}">')
