"""One person's job: who they are, their folder and formats, and what their files are built from.
The single report is a batch of one: both plan a job the same way (`plan`) and write it the same way
(`folders.write_outputs`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from rolereport.errors import OutputError, Problem
from rolereport.jobs.folders import FileInfo, check_owner, up_to_date
from rolereport.jobs.outputs import write_atomic
from rolereport.jobs.stamps import STAMP, Identity, Stamp
from rolereport.model import Profile
from rolereport.sources.library import Page


@dataclass
class PersonJob:
    """A person's bundle to build (with no profile: the plain guide, written into the output folder)."""

    folder: Path
    formats: tuple[str, ...]
    profile: Profile | None = None
    identity: Identity | None = None
    digest: str = ""  # of everything the files depend on (folders.inputs_digest)
    plain: bool = False  # the plain guide in the person's folder: their profile gives nothing to go on
    source: str = ""  # the person's own choice of page (a roster's `source` column), "" for none
    page: Page | None = None  # the page they get (build/pages.py), once chosen

    @property
    def key(self) -> str:
        return self.folder.name


def refusal(job: PersonJob, stamp: Stamp | None, replacing: tuple[str, ...] | set[str]) -> str:
    """Why this person may not write into their folder (it holds someone else's bundle), or ""."""
    if job.identity is None:
        return ""
    return check_owner(job.folder, stamp, job.identity, job.key in replacing)


def plan(job: PersonJob, stamp: Stamp | None, *, force: bool,
         replacing: tuple[str, ...] | set[str]) -> dict[str, FileInfo] | None:
    """Refuse a folder that holds someone else's bundle (OutputError); else the files already there
    when they are up to date with the job (None: build it). A bundle kept as it is takes the
    person's current address and input into its stamp."""
    refused = refusal(job, stamp, replacing)
    if refused:
        raise OutputError(Problem(str(job.folder), refused))
    if force or job.key in replacing:
        return None
    existing = up_to_date(job.folder, job.digest, job.formats, stamp)
    if existing is not None and stamp is not None and job.identity is not None and stamp.identity != job.identity:
        restamp(job.folder, stamp, job.identity)  # a new e-mail address, or the roster moved
    return existing


def restamp(folder: Path, stamp: Stamp, identity: Identity) -> None:
    try:
        write_atomic(folder / STAMP, replace(stamp, identity=identity).to_bytes())
    except OutputError:
        pass  # the old identity stays; the bundle itself is fine
