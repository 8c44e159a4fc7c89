"""The per-folder stamp: what a bundle was built from, whose it is, and which run built it.

Every output folder holds `.rolereport-inputs.json`, written last (after the files it lists), so
a stamp always describes complete files. Other commands read it (the batch manifest is rebuilt
from the stamps; sending the guides reads who a folder is for). Keys:

- `digest`: the inputs digest (`pipeline.inputs_digest`) — when it matches, the files are up to date;
- `files`: {file name: SHA-256} of the files this build wrote;
- `identity`: {name, id, email, input} of the person (null for a report without a profile);
  `input` is the absolute path of the roster or profile file the person came from;
- `run`: which run built the files (UTC start time, process id and host);
- `warnings`: the build's warnings, one line each;
- `personal`: true when the guide was personalised for the person's profile (its `top` may be empty:
  no role earned a best match);
- `plain`: true when a person's folder holds the plain guide (nothing to personalise with);
- `top`: the best three fits, best first, as {role, band, score, evidence} (evidence: how many
  reasons from the profile the guide shows for it; [] without a profile: the plain guide).
- `page`: the page the person got, as the manifest names it (only in a library's folders);
- `current`: the role on that page the person holds, as the page names it (absent when none).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rolereport.errors import OutputError
from rolereport.jobs.outputs import read_own
from rolereport.model import Profile

STAMP = ".rolereport-inputs.json"


def new_run() -> str:
    """This run's name as the stamps and the manifest show it: start time, process and host."""
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{now} pid {os.getpid()}@{socket.gethostname()}"


def _norm(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").split())


@dataclass(frozen=True)
class Identity:
    """Whose a folder is."""

    name: str
    id: str = ""
    email: str = ""
    input: str = ""  # the roster or profile file (absolute path)

    @classmethod
    def of(cls, profile: Profile, input_file: str | Path | None) -> Identity:
        where = str(Path(input_file).resolve()) if input_file else ""
        return cls(profile.name, profile.id or "", profile.email or "", where)

    @classmethod
    def load(cls, data: Any) -> Identity | None:
        if not isinstance(data, dict) or not isinstance(data.get("name"), str):
            return None
        return cls(**{k: str(data.get(k) or "") for k in ("name", "id", "email", "input")})

    def describe(self) -> str:
        text = f"'{self.name}'"
        if self.id:
            text += f" (id '{self.id}')"
        if self.input:
            text += f" from {self.input}"
        return text


def different_person(old: Identity, new: Identity) -> str:
    """Why `new` is not the person a folder built for `old` belongs to, or "" when it is.

    The same person is: the same id when both have one (ids that differ only in letter case are
    two people sharing one folder name), unless their names and e-mail addresses both differ (a
    survey's response number taken for an id: a new round numbers again from 1); otherwise the same
    e-mail address, or the same name from the same input file. An e-mail address alone may change."""
    if old.id and new.id:
        if old.id == new.id:
            if (old.email and new.email and old.email.casefold() != new.email.casefold()
                    and _norm(old.name).casefold() != _norm(new.name).casefold()):
                return (f"the ids are both '{new.id}', but the names and e-mail addresses differ, so they are "
                        "not the same person (an id that numbers a survey's responses starts again at 1 "
                        "each round)")
            return ""
        if old.id.casefold() == new.id.casefold():
            return (f"ids '{old.id}' and '{new.id}' differ only in letter case, and folder names "
                    "ignore case, so they would share one folder")
        return f"ids '{old.id}' and '{new.id}' differ"
    if old.email and new.email and old.email.casefold() == new.email.casefold():
        return ""  # the same address: the same person, however the name was typed this time
    if _norm(old.name) != _norm(new.name):
        if _norm(old.name).casefold() == _norm(new.name).casefold():
            return "the names differ only in letter case, and folder names ignore case"
        return "the names differ"
    if old.input != new.input:
        return "neither has an id and they come from different input files" if not (old.id or new.id) \
            else "only one has an id and they come from different input files"
    return ""


@dataclass
class Stamp:
    digest: str
    files: dict[str, str] = field(default_factory=dict)  # file name -> SHA-256
    identity: Identity | None = None
    run: str = ""
    warnings: tuple[str, ...] = ()
    top: tuple[dict[str, Any], ...] = ()
    has_identity_key: bool = True  # False for stamps written before folders recorded whose they are
    plain: bool = False  # the plain guide in a person's folder (their profile gave nothing to go on)
    page: str = ""  # the page the person got (a library run); "" when everyone had one page
    current: str = ""  # the role on the page the person holds ("" when none, or no profile)
    personal: bool = False  # built for a person's profile: `top` then holds their best matches, maybe none

    def to_bytes(self) -> bytes:
        data = {
            "digest": self.digest,
            "files": dict(sorted(self.files.items())),
            "identity": None if self.identity is None else self.identity.__dict__,
            "run": self.run,
            "warnings": list(self.warnings),
            "top": list(self.top),
        }
        if self.plain:
            data["plain"] = True
        if self.personal:
            data["personal"] = True
        if self.page:
            data["page"] = self.page
        if self.current:
            data["current"] = self.current
        return json.dumps(data, indent=1, ensure_ascii=False).encode("utf-8")


def read_stamp(folder: Path) -> Stamp | None:
    """The folder's stamp, or None when it has none (or an unreadable one)."""
    try:
        data = json.loads(read_own(folder / STAMP).decode("utf-8"))
    except (OSError, ValueError, OutputError):  # a planted link is no stamp
        return None
    if not isinstance(data, dict) or not isinstance(data.get("digest"), str):
        return None
    files = data.get("files") if isinstance(data.get("files"), dict) else {}
    return Stamp(
        digest=data["digest"],
        files={str(k): str(v) for k, v in files.items()},
        identity=Identity.load(data.get("identity")),
        run=str(data.get("run") or ""),
        warnings=tuple(str(w) for w in data.get("warnings") or () if isinstance(w, str)),
        top=tuple(t for t in data.get("top") or () if isinstance(t, dict)),
        has_identity_key="identity" in data,
        plain=data.get("plain") is True,
        personal=data.get("personal") is True,
        page=str(data.get("page") or ""),
        current=str(data.get("current") or ""),
    )


def top_of(fits: Sequence[Any]) -> tuple[dict[str, Any], ...]:
    """The best three fits, best first, as the stamp keeps them."""
    return tuple({"role": f.role, "band": f.band, "score": f.score, "evidence": len(f.evidence)}
                 for f in list(fits)[:3])
