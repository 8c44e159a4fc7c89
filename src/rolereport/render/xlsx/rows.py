"""The matrix's rows: the current role, then the alternatives, each with its fit in words.

Every sheet shows the roles in the same order: the current role first, then the alternatives
(by fit when a profile is given, else by the source's rank).
"""

from __future__ import annotations

from dataclasses import dataclass

from rolereport.model import Fit, Report
from rolereport.render.content import current_role, subject_marker
from rolereport.text.direction import isolate
from rolereport.text.labels import LABELS

MAX_EVIDENCE = 3  # "why" lines per role, as many as the guide shows; the rest are counted


@dataclass(frozen=True)
class MatrixRow:
    rank: int | None  # None for the current role
    name: str
    tagline: str
    primary_focus: str
    key_responsibility: str
    tools: tuple[str, ...]
    deliverable: str
    best_for: tuple[str, ...]
    pick_if: str
    fit: Fit | None
    marker: str = ""  # "Current role" (the person's), "This guide's role" (the page's, not theirs), or ""

    @property
    def current(self) -> bool:
        return self.rank is None

    @property
    def kind(self) -> str:
        return self.marker or LABELS["alternative_marker"]

    @property
    def band(self) -> str:
        """The fit in words; the current role says so (a text column, never a number)."""
        return self.fit.band if self.fit else self.marker


def matrix_rows(report: Report) -> list[MatrixRow]:
    """The current role, then the alternatives: best fit first with a profile, else by rank."""
    guide = report.guide
    s = guide.subject
    held = current_role(report)
    rows = [MatrixRow(None, s.name, "", s.primary_focus, s.key_responsibility, s.tools,
                      s.deliverable, (), "", None, subject_marker(report))]
    fit_by_name: dict[str, Fit] = {}
    for fit in report.fits:
        fit_by_name.setdefault(fit.role, fit)
    order = {fit.role: i for i, fit in reversed(list(enumerate(report.fits)))}
    alternatives = sorted(guide.alternatives,
                          key=lambda r: (order.get(r.name, len(order)), r.rank))
    rows += [MatrixRow(r.rank, r.name, r.tagline, r.primary_focus, r.key_responsibility, r.tools,
                       r.deliverable, r.best_for, r.pick_if or "", fit_by_name.get(r.name),
                       LABELS["current_role_marker"] if r.name == held else "")
             for r in alternatives]
    return rows


def _field_label(field: str) -> str:
    return LABELS.get(field, field.replace("_", " "))


def why_text(fit: Fit | None) -> str:
    """The evidence in words, worded as the PDF's "Your best matches" section words it."""
    if fit is None:
        return ""
    lines = [f"Your “{isolate(ev.profile_text)}”{f' (read as “{ev.read_as}”)' if ev.read_as else ''} matches "
             f"“{isolate(ev.source_text)}” ({_field_label(ev.field)})." for ev in fit.evidence[:MAX_EVIDENCE]]
    if not fit.evidence:
        lines.append(LABELS["fit_shared_only"] if fit.score else LABELS["fit_nothing"])
    more = len(fit.evidence) - MAX_EVIDENCE
    if more > 0:
        lines.append(f"…and {more} more.")
    return "\n".join(lines)


def caution_text(fit: Fit | None) -> str:
    """What the person said they would rather leave behind and this role involves, or ""."""
    if fit is None:
        return ""
    return "\n".join(f"You said you'd rather leave “{isolate(c.profile_text)}” behind; this role "
                     f"involves it (“{isolate(c.source_text)}”)." for c in fit.cautions[:1])
