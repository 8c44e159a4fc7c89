"""Loading and validating a profile: the person the outputs are personalised for.

A profile is a YAML, TOML or JSON file (or a roster row) with `name` (required), `id`,
`current_role`, `interests`, `strengths` and `goals`. Every problem is collected before failing,
each naming the file and the field (and, for roster rows, the row). Scoring lives in `fit`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, field_validator

from rolereport.errors import Problem, ProfileError
from rolereport.inputs.loaders import load_mapping, validate
from rolereport.model import Profile

# Limits, stated in the README. Generous for a person, small enough to keep outputs readable.
MAX_FILE_BYTES = 64 * 1024
MAX_NAME_CHARS = 120
MAX_ROLE_CHARS = 200  # current_role
MAX_ITEMS = 30  # per list (interests, strengths)
MAX_ITEM_CHARS = 200  # per list item
MAX_GOALS_CHARS = 2000
SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,59}$")
MAX_EMAIL_CHARS = 254
EMAIL = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\".]+$")
LIST_SEPARATOR = ";"  # interests/strengths given as one text: "SQL; dashboards; mentoring"

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # C0, DEL and C1 (e.g. CSI)


def _split_text(value: Any) -> Any:
    """`interests: "SQL; dashboards"` is read as two items (rosters give lists that way)."""
    if isinstance(value, str):
        return [part.strip() for part in re.split(rf"{LIST_SEPARATOR}|\n", value) if part.strip()]
    return value


def email_address(text: str) -> str:
    """`Jane Display <jane@corp.test>` (as Outlook copies an address) -> `jane@corp.test`; other
    text as it is."""
    text = text.strip()
    if "<" in text and text.endswith(">"):
        from email.utils import parseaddr

        _, addr = parseaddr(text)
        if addr and "@" in addr:
            return addr
    if text.lower().startswith("mailto:"):
        return text[7:]
    return text


def _blank_to_none(value: Any) -> Any:
    """An empty optional cell or `id: ""` means "not given"."""
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _text(value: str, limit: int, what: str) -> str:
    value = " ".join(value.split()) if what != "goals" else value.strip()
    if _CONTROL.search(value):
        raise ValueError("contains a control character; remove it")
    if len(value) > limit:
        raise ValueError(f"is {len(value):,} characters; {what} may be at most {limit:,}")
    return value


def _item(value: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise ValueError("is empty; remove it or fill it in")
    return _text(value, MAX_ITEM_CHARS, "an item")


def _count(value: list[str]) -> list[str]:
    if len(value) > MAX_ITEMS:
        raise ValueError(f"has {len(value)} items; keep at most {MAX_ITEMS}")
    return value


Item = Annotated[str, AfterValidator(_item)]
TextList = Annotated[list[Item], BeforeValidator(_split_text), AfterValidator(_count)]
OptionalText = Annotated[str | None, BeforeValidator(_blank_to_none)]


class ProfileInput(BaseModel):
    """The profile file's schema: strict types, no unknown keys."""

    model_config = ConfigDict(extra="forbid", strict=True)

    name: str
    id: OptionalText = None
    current_role: OptionalText = None
    interests: TextList = []
    strengths: TextList = []
    goals: OptionalText = None
    email: OptionalText = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        value = _text(value, MAX_NAME_CHARS, "a name")
        if not value:
            raise ValueError("is empty; give the person's name")
        return value

    @field_validator("id")
    @classmethod
    def _id(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if not SLUG.match(value):
            raise ValueError(
                f"'{value[:70]}' cannot name files: use 1 to 60 letters, digits and hyphens, "
                "starting with a letter or digit (such as 'jane-doe')"
            )
        return value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = email_address(value)
        if len(value) > MAX_EMAIL_CHARS or not EMAIL.match(value):
            raise ValueError(f"'{value[:70]}' is not an e-mail address such as 'jane.doe@example.com'")
        return value

    @field_validator("current_role")
    @classmethod
    def _role(cls, value: str | None) -> str | None:
        return None if value is None else _text(value, MAX_ROLE_CHARS, "a current role") or None

    @field_validator("goals")
    @classmethod
    def _goals(cls, value: str | None) -> str | None:
        return None if value is None else _text(value, MAX_GOALS_CHARS, "goals") or None


def profile_from_mapping(data: dict[str, Any], file: str, where_prefix: str = "") -> Profile:
    """Validate one profile mapping (a file's contents or a roster row); all problems at once."""
    if not isinstance(data, dict):
        where = where_prefix.strip(", ") or None
        raise ProfileError(Problem(file, "a profile must be a mapping of keys to values", where))
    bad_keys = [k for k in data if not isinstance(k, str)]
    problems = [
        Problem(file, f"the key {k!r} is not text (YAML reads on/yes/no and numbers as such); "
                "use one of: " + ", ".join(ProfileInput.model_fields), f"{where_prefix}key {k!r}")
        for k in bad_keys
    ]
    clean = {k: v for k, v in data.items() if isinstance(k, str)}
    try:
        checked: ProfileInput = validate(ProfileInput, clean, file, ProfileError, where_prefix)
    except ProfileError as exc:
        raise ProfileError(problems + exc.problems) from None
    if problems:
        raise ProfileError(problems)
    return Profile(
        name=checked.name,
        id=checked.id,
        current_role=checked.current_role,
        interests=tuple(checked.interests),
        strengths=tuple(checked.strengths),
        goals=checked.goals,
        email=checked.email,
    )


def load_profile(path: Path) -> Profile:
    """Read and validate a profile file (.yaml, .yml, .toml or .json, at most 64 KiB)."""
    path = Path(path)
    data = load_mapping(path, ProfileError, "profile", MAX_FILE_BYTES)
    return profile_from_mapping(data, str(path))


def summary(profile: Profile) -> str:
    """One line for `check-profile`: `Jane Doe — 3 interests, 2 strengths`."""

    def count(n: int, word: str) -> str:
        return f"{n} {word}" if n == 1 else f"{n} {word}s"

    parts = [count(len(profile.interests), "interest"), count(len(profile.strengths), "strength")]
    if profile.goals:
        parts.append("goals")
    if profile.current_role:
        parts.append(f"currently {profile.current_role}")
    return f"{profile.name} — {', '.join(parts)}"
