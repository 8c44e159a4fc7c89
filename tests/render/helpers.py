"""Shared helpers for the render tests: build reports, read PDFs the way a reader would."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rolereport.model import Evidence, Fit, Profile, Report
from rolereport.render.context import Context
from rolereport.sources import read_source
from rolereport.text.labels import band_for

EPOCH = "1767225600"  # 2026-01-01


@contextmanager
def fixed_epoch() -> Iterator[None]:
    """SOURCE_DATE_EPOCH for module-scoped fixtures (the autouse fixture is per test)."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def synthetic_page(n: int) -> str:
    """A source page with `n` alternatives, in the page family's text layout."""
    lines = ["Why look beyond Chief Widget Officer Toolkit",
             "Widget officers look elsewhere for many reasons; this page compares the options.",
             "Top alternatives ranked"]
    for i in range(1, n + 1):
        lines += ["-", f"{i}. Role {i} / Ops & Co — Tagline number {i} for this role.",
                  f"Description {i}. " + "This role blends planning, building and review. " * (1 + i % 3),
                  "Best for:"]
        lines += [f"- Person {i}.{k} who enjoys kind {k} of work" for k in range(1 + i % 3)]
    lines += ["Side-by-side", "| Role | Primary Focus | Key Responsibility | Tools | Deliverable |",
              "|---|---|---|---|---|", "| Chief Widget Officer | Widgets | Widget roadmap | A, B | Plans |"]
    lines += [f"| Role {i} / Ops & Co | Focus {i} across several areas of work | Responsibility {i} for "
              f"outcomes shared by teams | Tool{i}, Kit (x, y), Board | Deliverable {i} for stakeholders |"
              for i in range(1, n + 1)]
    lines += ["How to pick", "Pick well."]
    lines += [f"- If you like thing {i}: Try Role {i} / Ops & Co." for i in range(1, n + 1)]
    return "\n".join(lines)


def report_for(source: Path | str | None = None, profile: Profile | None = None) -> Report:
    """A Report; with a profile, synthetic fits (best first, descending scores) stand in for fit.py."""
    guide, info = read_source(source)
    fits: tuple[Fit, ...] = ()
    if profile is not None:
        roles = list(guide.alternatives)
        roles = roles[1:] + roles[:1]  # a ranking that differs from the source order
        fits = tuple(
            Fit(role=r.name, rank=k + 1, score=max(0, 88 - 15 * k), band=band_for(max(0, 88 - 15 * k)),
                evidence=(Evidence(profile_text=profile.interests[0] if profile.interests else "x",
                                   source_text=r.best_for[0] if r.best_for else r.tagline, field="best_for"),
                          Evidence(profile_text="SQL", source_text=r.tools[0], field="tools")))
            for k, r in enumerate(roles)
        )
    return Report(guide=guide, source=info, profile=profile, fits=fits)


def render_pdf(report: Report, ctx: Context | None = None) -> bytes:
    from rolereport.render.pdf import document as pdf

    return pdf.render(report, ctx or Context.create())


def pdf_text(data: bytes) -> str:
    """All text of the PDF, whitespace collapsed (lines wrap anywhere)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return squash(" ".join(page.extract_text() or "" for page in reader.pages))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def outline_titles(data: bytes) -> list[str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    titles: list[str] = []

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(squash(item.title))

    walk(reader.outline)
    return titles


def figure_alts(data: bytes) -> list[str]:
    """The /Alt texts of the tagged PDF's structure tree (what a screen reader announces)."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject

    reader = PdfReader(io.BytesIO(data))
    alts: list[str] = []
    seen: set[int] = set()

    def walk(node: object) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, DictionaryObject):
            if "/Alt" in node:
                alts.append(str(node["/Alt"]))
            if "/K" in node:
                walk(node["/K"])
        elif isinstance(node, ArrayObject):
            for child in node:
                walk(child)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return alts
