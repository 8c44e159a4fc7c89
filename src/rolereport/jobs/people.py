"""The people of a batch: each input file or roster row read into a profile and a job, or failed
alone with the reason; the same person answering twice kept once; two people who would share a
folder both fail, nothing written for them.

Who is who: an `id`, else (for roster rows) the e-mail address, which also names the folder (a
survey export's name column is typed anew each round), else the name."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rolereport import notices
from rolereport.errors import Problem, RoleReportError
from rolereport.inputs.roster import Entry
from rolereport.jobs.folders import FileInfo, person_slug
from rolereport.jobs.job import PersonJob
from rolereport.jobs.stamps import Identity
from rolereport.model import Profile
from rolereport.text.slugs import slugify

DUPLICATES = ("latest", "first", "fail")  # --duplicates: which of one person's rows is built


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
    guess: tuple[str, Identity] | None = None  # a failed row's folder and who, as far as its cells tell

    @property
    def profile(self) -> Profile | None:
        return self.job.profile if self.job else None

    @property
    def identity(self) -> Identity | None:
        return self.job.identity if self.job else self.guess[1] if self.guess else None

    @property
    def slug(self) -> str:
        return self.job.key if self.job else self.guess[0] if self.guess else ""

    @property
    def digest(self) -> str:
        return self.job.digest if self.job else ""

    @property
    def name(self) -> str:
        """The person's name as progress lines and messages show it (their input when unknown)."""
        return self.profile.name if self.profile else known(self.entry, "name") or self.entry.label


def known(entry: Entry, key: str) -> str:
    value = (entry.data or {}).get(key)
    return value.strip() if isinstance(value, str) else ""


def folder_name(profile: Profile, entry: Entry) -> str:
    """The id, else for a roster row the e-mail address's local part, else the name, as a slug."""
    if not profile.id and profile.email and entry.data is not None:
        slug = slugify(profile.email.rsplit("@", 1)[0])
        if slug:
            return slug
    return person_slug(profile, entry.file, entry.where)


def load_people(entries: list[Entry], out: Path, formats: tuple[str, ...], *, duplicates: str = "latest",
                allow_empty: bool = False) -> list[Person]:
    """Everyone in the inputs, each with their job (folder `out/<slug>`), or failed with the reason:
    a row that cannot be read, nothing to personalise with (with `allow_empty`: the plain guide),
    or a folder name two people would share. One person's several rows: see `resubmissions`."""
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
            slug = folder_name(profile, entry)
            person.job = PersonJob(out / slug, formats, profile, Identity.of(profile, entry.path or entry.file),
                                   source=source)
        except RoleReportError as exc:
            person.status, person.error = "failed", " | ".join(str(p) for p in exc.problems)
            person.guess = _guess(entry, out)
        people.append(person)
    people = resubmissions(people, duplicates)
    for p in people:
        if p.profile is not None and not p.status and not (p.profile.interests or p.profile.strengths
                                                           or p.profile.goals):
            _nothing_to_go_on(p, allow_empty)
    _shared_folders(people)
    return people


def _nothing_to_go_on(p: Person, allow_empty: bool) -> None:
    assert p.job is not None
    where = (p.entry.where.rstrip(", ") or None) if p.entry.data is not None else None
    if allow_empty:
        p.job.plain = True
        p.warnings.append(notices.line(Problem(p.entry.file, "no interests, strengths or goals to go on: "
                                               "built the plain guide, not a personalised one (--allow-empty); "
                                               "send will not mail it", where)))
        return
    p.status = "failed"
    p.error = (f"{p.entry.label}: no interests, strengths or goals to go on, so no personalised guide was "
               "built; map the survey's question columns (--columns interests=HEADING, strengths=…, goals=…), "
               "or build the plain guide for them with --allow-empty")


def _guess(entry: Entry, out: Path) -> tuple[str, Identity] | None:
    """Where a row that cannot be built would have gone, and who it names, from its readable cells:
    so the manifest lists their earlier bundle with their row, not as someone else's."""
    from rolereport.inputs.profile import email_address

    name, id_, email = known(entry, "name"), known(entry, "id"), email_address(known(entry, "email"))
    if not (name or id_ or email):
        return None
    slug = slugify(id_) if id_ else slugify(email.rsplit("@", 1)[0]) if "@" in email and entry.data is not None else ""
    slug = slug or slugify(name)
    where = str(Path(entry.path or entry.file).resolve()) if (entry.path or entry.file) else ""
    return (slug, Identity(name, id_, email, where)) if slug else None


def same_person_key(p: Person) -> tuple[str, str] | None:
    """What makes two rows one person: the same id, else the same e-mail address."""
    if p.profile is None:
        return None
    if p.profile.id:
        return "id", p.profile.id
    if p.profile.email:
        return "e-mail address", p.profile.email.casefold()
    return None


def resubmissions(people: list[Person], policy: str) -> list[Person]:
    """One person's several rows (a survey answered twice): the latest answer is kept (by the
    export's completion time or timestamp, else the later row; `first`: the earliest), with one
    warning naming both rows; `fail`: each of them fails."""
    from rolereport.inputs.roster.when import latest

    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, p in enumerate(people):
        key = same_person_key(p) if not p.status else None
        if key is not None:
            groups[key].append(i)
    dropped: set[int] = set()
    for (what, _value), members in groups.items():
        if len(members) < 2:
            continue
        rows = [people[i] for i in members]
        labels = " and ".join(p.entry.label for p in rows)
        shown = rows[0].profile.id if what == "id" else rows[0].profile.email  # type: ignore[union-attr]
        if policy == "fail":
            for p in rows:
                p.status = "failed"
                p.error = (f"{p.entry.label}: the same person (same {what} {shown}) is in {labels}; keep one "
                           "row, or build the latest with --duplicates latest")
            continue
        by_time = latest([p.entry.submitted for p in rows])
        if policy == "first":
            keep, how = 0, "the first row (--duplicates first)"
        elif by_time is not None:
            keep, how = by_time, "the latest answer, by the time it was sent"
        else:
            keep, how = len(rows) - 1, "the later row (the times they were sent do not tell)"
        kept = rows[keep]
        others = [p.entry.label for j, p in enumerate(rows) if j != keep]
        problem = Problem(kept.entry.file, f"the same person (same {what} {shown}) answered in {labels}; built "
                          f"{how}: {kept.entry.label}; left out {', '.join(others)}")
        notices.warn(problem.file, problem.message)
        kept.warnings.append(notices.line(problem))
        dropped.update(i for j, i in enumerate(members) if j != keep)
    return [p for i, p in enumerate(people) if i not in dropped]


def _shared_folders(people: list[Person]) -> None:
    counts = Counter(p.slug for p in people if p.slug and not p.status)
    for slug, n in counts.items():
        if n > 1:
            clash = [p for p in people if p.slug == slug and not p.status]
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
