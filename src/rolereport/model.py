"""Immutable data types that flow through the pipeline, and the JSON contract of `extract`.

No I/O happens here: readers build these, renderers read them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Subject(_Frozen):
    """The page's own role: the comparison-table row the title names."""

    name: str
    primary_focus: str
    key_responsibility: str
    tools: tuple[str, ...]
    deliverable: str


class Role(_Frozen):
    """One ranked alternative, merged from its list entry, its table row and its pick bullet."""

    rank: int = Field(ge=1)
    name: str
    tagline: str
    description: str
    best_for: tuple[str, ...]
    primary_focus: str
    key_responsibility: str
    tools: tuple[str, ...]
    deliverable: str
    pick_if: str | None
    pick_advice: str | None


class HowToPick(_Frozen):
    intro: str
    closing: tuple[str, ...]


class Guide(_Frozen):
    """Everything extracted from one source page. Its JSON is the `extract` contract."""

    title: str
    subject: Subject
    intro: tuple[str, ...]
    alternatives: tuple[Role, ...]
    how_to_pick: HowToPick

    def contract(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def guide_json_schema() -> dict[str, Any]:
    """JSON Schema of the `extract` output, generated from the model (committed as a file)."""
    schema = Guide.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "rolereport extract output"
    return schema


class SourceInfo(_Frozen):
    """Where a guide came from, for "About this guide" and reproducible dates."""

    name: str  # file name shown to readers
    date: dt.date
    sha256: str


class Profile(_Frozen):
    """A person the outputs are personalised for."""

    name: str
    id: str | None = None
    current_role: str | None = None
    interests: tuple[str, ...] = ()
    strengths: tuple[str, ...] = ()
    goals: str | None = None
    email: str | None = None  # for distribution only: shown in no document, not part of the digest


class Evidence(_Frozen):
    profile_text: str
    source_text: str
    field: str
    read_as: str = ""  # profile_text with misspellings corrected, when any were


class Fit(_Frozen):
    role: str
    rank: int
    score: int = Field(ge=0, le=100)
    band: str
    evidence: tuple[Evidence, ...]
    # what the person said they would rather leave behind, and where this role involves it
    cautions: tuple[Evidence, ...] = ()


class Report(_Frozen):
    """What every renderer receives: the guide, where it came from, and optionally a person."""

    guide: Guide
    source: SourceInfo
    profile: Profile | None = None
    fits: tuple[Fit, ...] = ()
    fit_notes: tuple[str, ...] = ()  # what the ranking cannot rest on (fit.limits), in sentences
    # The role on this page the person holds: the subject or an alternative, "" when neither;
    # None when not worked out (then the page's own role, as without a profile).
    current: str | None = None
    # Built from a library: which role names have a page of their own there (role -> page name).
    library: dict[str, str] | None = None
