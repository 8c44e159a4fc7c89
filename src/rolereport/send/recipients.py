"""Who gets which files: the batch manifest read back, and every check made before a message exists.

`candidates()` works from the manifest alone (who was built, with which address, no address
shared); `attachments()` then opens one person's files and proves they are theirs: the bytes
are the ones the batch wrote (SHA-256 from the manifest) and each file's title names them.
Anything that fails is a `Refusal` with a reason, never a silent skip.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rolereport.errors import OutputError, Problem, UsageError
from rolereport.jobs.manifest import MANIFEST, read_manifest
from rolereport.jobs.outputs import own_folder, read_own
from rolereport.render.formats import FORMATS
from rolereport.send.metadata import Unreadable, names, title_of

SENDABLE = ("ok", "skipped")  # built now, or found up to date on disk
STAMP = ".rolereport-inputs.json"  # the per-person stamp the batch writes (pipeline.STAMP)
_EMAIL = re.compile(r"^[^@\s<>,;\"()\[\]\\]+@[^@\s<>,;\"()\[\]\\]+\.[^@\s<>,;\"()\[\]\\.]+$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_NOT_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f-\x9f]+')
MAX_ATTACHMENT_NAME = 120


@dataclass(frozen=True)
class Match:
    role: str
    band: str
    score: int


@dataclass
class Candidate:
    """A manifest row that is to get an e-mail."""

    slug: str
    name: str
    email: str
    id: str
    row: int  # 1-based data row in manifest.csv (header is line 1), for messages
    files: dict[str, tuple[str, str]] = field(default_factory=dict)  # format -> (relative path, sha256)
    matches: tuple[Match, ...] = ()
    current_role: str = ""  # the role the person holds, as their guide names it (never among the matches)

    @property
    def label(self) -> str:
        return f"{self.slug} ({self.name})" if self.name else self.slug


@dataclass(frozen=True)
class Refusal:
    slug: str  # may be "" for a row that names no folder
    name: str
    email: str
    reason: str


@dataclass(frozen=True)
class Attachment:
    fmt: str
    filename: str  # what the reader sees: "Career guide – Jane Doe.pdf"
    data: bytes
    sha256: str


def readable_name(fmt: str, person: str, file_name: str) -> str:
    """'Career guide – Jane Doe.pdf': the kind of document and whose, safe on every file system."""
    clean = " ".join(_NOT_IN_FILE_NAMES.sub(" ", person).split()).strip(". ")
    clean = clean[:MAX_ATTACHMENT_NAME].strip()
    suffix = Path(file_name).suffix or f".{fmt}"
    title = FORMATS[fmt].label if fmt in FORMATS else Path(file_name).stem
    return f"{title} – {clean}{suffix}" if clean else f"{title}{suffix}"


def manifest_formats(rows: list[dict[str, str]]) -> tuple[str, ...]:
    if not rows:
        return ()
    return tuple(col[: -len("_sha256")] for col in rows[0] if col.endswith("_sha256"))


def load_manifest(folder: Path) -> list[dict[str, str]]:
    path = folder / MANIFEST
    if not path.is_file():
        raise UsageError(Problem(str(path), "no batch manifest here; give the folder a batch wrote "
                                 "(rolereport batch … --out DIR)"))
    try:
        rows = read_manifest(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(Problem(str(path), f"cannot be read ({exc}); rerun the batch to rewrite it")) from None
    if rows and not {"slug", "status", "email", "name"} <= rows[0].keys():
        missing = sorted({"slug", "status", "email", "name"} - rows[0].keys())
        raise UsageError(Problem(str(path), f"has no column {', '.join(missing)}; it was not written by "
                                 "this version's batch (rerun the batch)", "line 1"))
    return rows


def candidates(folder: Path, rows: list[dict[str, str]],
               formats: tuple[str, ...]) -> tuple[list[Candidate], list[Refusal]]:
    """Everyone the manifest says was built, with the checks that need only the manifest."""
    have = manifest_formats(rows)
    missing = [f for f in formats if f not in have]
    if missing:
        raise UsageError(Problem(str(folder / MANIFEST), f"the batch built no {', '.join(missing)} "
                                 f"(it has {', '.join(have) or 'no files'}); attach only those, or rerun "
                                 f"the batch with --format {' --format '.join(missing)}"))
    chosen: list[Candidate] = []
    refused: list[Refusal] = []
    sharing: dict[str, list[str]] = defaultdict(list)  # every row with the address, built or not
    for row in rows:
        if row.get("email", "").strip():
            label = row.get("slug") or row.get("input") or "?"
            sharing[row["email"].strip().casefold()].append(f"{label} ({row.get('name', '')})")
    for n, row in enumerate(rows, start=2):
        slug, name, email = row.get("slug", ""), row.get("name", ""), row.get("email", "").strip()
        where = f"{MANIFEST} line {n}"
        status = row.get("status", "")

        def refuse(reason: str, slug: str = slug, name: str = name, email: str = email) -> None:
            refused.append(Refusal(slug, name, email, reason))

        if status not in SENDABLE:
            why = row.get("error") or "it was not built"
            refuse(f"not built in the batch (status '{status}': {why}); rerun the batch for them")
            continue
        if not email:
            refuse("has no e-mail address in the manifest; add an 'email' to their profile, or an e-mail "
                   "column to the roster (or map yours: --columns email=HEADING), and rerun the batch")
            continue
        if not _EMAIL.match(email) or len(email) > 254:
            refuse(f"{where}: '{email[:70]}' is not a single e-mail address such as 'jane.doe@example.com'")
            continue
        if not email.isascii():
            refuse(f"{where}: '{email[:70]}' has characters outside ASCII; such addresses are not supported "
                   "yet, give an ASCII address")
            continue
        if len(sharing[email.casefold()]) > 1:
            refuse(f"the address {email} is shared by {', '.join(sharing[email.casefold()])}; give each "
                   "person their own address and rerun the batch")
            continue
        if _CONTROL.search(name) or not name.strip():
            refuse(f"{where}: the name is empty or holds a control character")
            continue
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9-]{0,59}", slug):
            refuse(f"{where}: '{slug[:70]}' is not a folder name this tool writes")
            continue
        person = Candidate(slug, name, email, row.get("id", ""), n)
        bad = ""
        for fmt in formats:
            rel, sha = row.get(f"{fmt}_file", ""), row.get(f"{fmt}_sha256", "")
            if not rel or not re.fullmatch(r"[0-9a-f]{64}", sha):
                bad = f"the batch recorded no {fmt} file for them; rerun the batch with --format {fmt}"
                break
            if Path(rel).parent != Path(slug) or Path(rel).name in ("", ".", ".."):
                bad = f"{where}: '{rel[:70]}' is not a file in their own folder '{slug}/'"
                break
            person.files[fmt] = (rel, sha)
        if bad:
            refuse(bad)
            continue
        chosen.append(person)
    return chosen, refused


def stamp_of(folder: Path, person: Candidate) -> tuple[dict[str, Any], str]:
    """The folder's stamp, `DIR/<slug>/.rolereport-inputs.json` (whose it is: `identity`; the best
    matches: `top`), or the reason it is not this person's.

    A folder whose stamp has no identity (built before stamps recorded whose a folder is) is sent
    without matches; the files' titles still have to name the person."""
    try:
        stamp = json.loads(read_own(own_folder(folder / person.slug) / STAMP).decode("utf-8"))
    except FileNotFoundError:
        return {}, ""
    except OutputError as exc:
        return {}, exc.problems[0].message
    except (OSError, ValueError) as exc:
        return {}, f"{person.slug}/{STAMP} cannot be read ({type(exc).__name__}); rerun the batch"
    if not isinstance(stamp, dict):
        return {}, f"{person.slug}/{STAMP} is not a stamp this tool writes; rerun the batch"
    ident = stamp.get("identity")
    if not isinstance(ident, dict):
        return stamp, ""
    name, id_, email = (str(ident.get(k) or "") for k in ("name", "id", "email"))
    if (name and _fold(name) != _fold(person.name)) or (person.id and id_ and id_ != person.id):
        return {}, (f"the folder '{person.slug}/' now holds the bundle of '{name}'{f' (id {id_})' if id_ else ''}, "
                    f"not of '{person.name}' as the manifest says; rerun the batch to bring the manifest up to date")
    if email and email.casefold() != person.email.casefold():
        return {}, (f"the folder '{person.slug}/' was built for the address {email}, the manifest says "
                    f"{person.email}; rerun the batch so both agree")
    return stamp, ""


def no_evidence(stamp: dict[str, Any]) -> str:
    """Why this person's guide is not to be mailed as a personal one: the plain guide (their row
    gave nothing to go on, built with --allow-empty), or matches with no reason from their own
    words; "" otherwise (and for stamps that do not say)."""
    top = stamp.get("top")
    if stamp.get("plain") is True:
        return ("their guide is the plain one, not personalised: their row gave no interests, strengths or "
                "goals (built with --allow-empty); add their answers and rerun the batch")
    none_earned = stamp.get("personal") is True and top == []  # no role earned a best match
    if none_earned or isinstance(top, list) and top and all(isinstance(t, dict) and t.get("evidence") == 0
                                                            for t in top):
        return ("nothing in their answers points to any role (their guide shows no evidence for its matches), "
                "so the message would rank roles on nothing; check their answers and the column mapping "
                "(rolereport check-roster), then rerun the batch")
    return ""


def top_matches(stamp: dict[str, Any]) -> tuple[Match, ...]:
    out = []
    top = stamp.get("top")
    for item in top if isinstance(top, list) else ():
        try:
            out.append(Match(str(item["role"]), str(item["band"]), int(item["score"])))
        except (KeyError, TypeError, ValueError):
            continue  # a match we cannot read is left out of the message, not guessed
    return tuple(out)


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def attachments(folder: Path, person: Candidate) -> tuple[list[Attachment], str]:
    """The person's files, each proved to be the batch's and theirs; or the reason one is not."""
    found = []
    base = folder.resolve()
    for fmt, (rel, sha) in person.files.items():
        path = (base / rel).resolve()
        if path.parent != base / person.slug:
            return [], f"'{rel}' leads outside their folder"
        try:
            data = path.read_bytes()
        except OSError as exc:
            return [], f"{rel} cannot be read ({exc.strerror}); rerun the batch"
        digest = hashlib.sha256(data).hexdigest()
        if digest != sha:
            return [], (f"{rel} changed since the batch wrote it (its SHA-256 no longer matches the "
                        "manifest); rerun the batch, or check who edited it")
        try:
            title = title_of(fmt, data)
        except Unreadable as exc:
            return [], f"{rel} {exc}"
        if not names(title, person.name):
            shown = f"'{title[:80]}'" if title else "no title"
            return [], (f"{rel} has {shown}, which does not name {person.name}: it may be someone "
                        "else's file, or from a version that did not put names in titles (rerun the batch)")
        found.append(Attachment(fmt, readable_name(fmt, person.name, rel), data, digest))
    return found, ""
