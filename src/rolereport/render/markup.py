"""The guide's HTML (pandoc's output) in the shapes a screen reader reads well, for the page and
for the PDF's tag tree alike (WeasyPrint tags each element by its HTML name).

- a definition list (the role's facts, "What this ranking is based on") is a two-column table
  whose label cells are row headers (`<th scope="row">`): read as "Primary focus: Data
  infrastructure", not as a flat list alternating labels and values;
- a run of tool badges is a list, each badge followed by a separator that takes no room on the
  page ("Apache Spark, SQL, Kafka", not "Apache Spark SQL Kafka", where "Spark SQL" is a product);
- the comparison table's first cell in each body row names the role: a row header;
- the comparison table's box, which scrolls sideways on a narrow screen, is a labelled region
  that takes keyboard focus.
"""

from __future__ import annotations

import re

from rolereport.text.labels import LABELS

_DL = re.compile(r"<dl>(.*?)</dl>", re.S)
_PAIR = re.compile(r"<dt>(.*?)</dt>\s*((?:<dd>.*?</dd>\s*)+)", re.S)
_DD = re.compile(r"<dd>(.*?)</dd>", re.S)
_TOOLS = re.compile(r'<span\s+class="tool"[^>]*>.*?</span>(?:\s*<span\s+class="tool"[^>]*>.*?</span>)*', re.S)
_TOOL = re.compile(r'<span\s+class="tool"[^>]*>(.*?)</span>', re.S)
_COMPARISON = re.compile(r'<div class="comparison">(.*?)</div>', re.S)
_FIRST_CELL = re.compile(r"(<tr[^>]*>\s*)<td([^>]*)>(.*?)</td>", re.S)


def _pairs(match: re.Match[str]) -> str:
    rows = []
    for label, values in _PAIR.findall(match[1]):
        cells = "; ".join(v.strip() for v in _DD.findall(values))
        rows.append(f'<tr><th scope="row">{label.strip()}</th><td>{cells}</td></tr>')
    return '<table class="pairs">\n<tbody>\n' + "\n".join(rows) + "\n</tbody>\n</table>"


def pairs_as_tables(body: str) -> str:
    return _DL.sub(_pairs, body)


_SEP = '<span class="sep">, </span>'


def _tool_list(match: re.Match[str]) -> str:
    tools = _TOOL.findall(match[0])
    items = [f'<li><span class="tool">{t}</span>{_SEP if i < len(tools) - 1 else ""}</li>'
             for i, t in enumerate(tools)]
    return '<ul class="tool-list">' + "".join(items) + "</ul>"


def tools_as_lists(body: str) -> str:
    return _TOOLS.sub(_tool_list, body)


def _comparison(match: re.Match[str]) -> str:
    inner = match[1]
    head, sep, rest = inner.partition("<tbody>")
    if sep:
        rest = _FIRST_CELL.sub(lambda m: f'{m[1]}<th scope="row"{m[2]}>{m[3]}</th>', rest)
    label = f"{LABELS['comparison']} ({LABELS['scrolls_sideways']})"
    cue = f'<p class="scroll-cue" aria-hidden="true">{LABELS["scroll_cue"]}</p>'
    return (f'<div class="comparison" role="region" tabindex="0" aria-label="{label}">'
            f"{cue}{head}{sep}{rest}</div>")


def comparison_for_readers(body: str) -> str:
    return _COMPARISON.sub(_comparison, body)


def for_readers(body: str) -> str:
    """All of the above, in one pass each."""
    return comparison_for_readers(tools_as_lists(pairs_as_tables(body)))
