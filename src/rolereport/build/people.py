"""The people of a batch: each input file or roster row read into a profile and a job, or failed
alone with the reason; two people who would share a folder both fail, nothing written for them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rolereport import notices
from rolereport.build.folders import FileInfo, person_slug
from rolereport.build.job import PersonJob
from rolereport.build.stamps import Identity
from rolereport.errors import RoleReportError
from rolereport.inputs.roster import Entry
from rolereport.model import Profile


@dataclass
class Person:
    """One input of the batch: its job once it could be read, and what became of it."""

    entry: Entry
    job: PersonJob | None = None
    status: str = ""  # ok | failed | skipped | not-started
    error: str = ""
    files: dict[str, FileInfo] = field(default_factory=dict)  # format -> (name, size, sha256)
    warnings: list[str] = field(default_factory=list)
    run: str = ""  # the run that built the files listed

    @property
    def profile(self) -> Profile | None:
        return self.job.profile if self.job else None

    @property
    def identity(self) -> Identity | None:
        return self.job.identity if self.job else None

    @property
    def slug(self) -> str:
        return self.job.key if self.job else ""

    @property
    def digest(self) -> str:
        return self.job.digest if self.job else ""


def known(entry: Entry, key: str) -> str:
    value = (entry.data or {}).get(key)
    return value.strip() if isinstance(value, str) else ""


def load_people(entries: list[Entry], out: Path, formats: tuple[str, ...]) -> list[Person]:
    """Everyone in the inputs, each with their job (folder `out/<slug>`), or failed with the reason:
    a row that cannot be read, or a folder name two people would share."""
    from rolereport.inputs.profile import load_profile, profile_from_mapping

    people, seen = [], set()
    for entry in entries:
        if entry.path is not None:
            key = entry.path.resolve()
            if key in seen:
                continue
            seen.add(key)
        person = Person(entry, warnings=[notices.line(w) for w in entry.warnings])  # the row's own (cells)
        try:
            if entry.problems:
                raise RoleReportError(list(entry.problems))
            data = dict(entry.data or {})
            source = str(data.pop("source", None) or "").strip()  # the person's page (a library run)
            if entry.path is not None:
                profile = load_profile(entry.path)
            else:
                profile = profile_from_mapping(data, entry.file, entry.where)
            slug = person_slug(profile, entry.file, entry.where)
            person.job = PersonJob(out / slug, formats, profile, Identity.of(profile, entry.path or entry.file),
                                   source=source)
        except RoleReportError as exc:
            person.status, person.error = "failed", " | ".join(str(p) for p in exc.problems)
        people.append(person)
    counts = Counter(p.slug for p in people if p.slug and not p.status)
    for slug, n in counts.items():
        if n > 1:
            clash = [p for p in people if p.slug == slug]
            labels = ", ".join(p.entry.label for p in clash)
            ids = {(p.profile.id or "") for p in clash if p.profile}
            names = {p.profile.name for p in clash if p.profile}
            why = ""
            for what, values in (("ids", ids), ("names", names)):
                if not why and len(values) > 1 and len({v.casefold() for v in values}) == 1:
                    why = (f" (their {what} {', '.join(repr(v) for v in sorted(values))} differ only in "
                           "letter case, and folder names ignore case)")
            for p in clash:
                p.status = "failed"
                p.error = (f"{p.entry.label}: folder name '{slug}' is shared by {labels}{why}; give each "
                           "person a distinct 'id' (nothing was written for them)")
    return people
