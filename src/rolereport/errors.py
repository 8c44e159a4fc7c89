"""One exception family. Every problem names the file and, where known, the line or field."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input, phrased for the person who has to fix it."""

    file: str
    message: str
    where: str | None = None  # "line 12", "field 'interests[2]'", "row 4"

    def __str__(self) -> str:
        loc = f"{self.file}: {self.where}" if self.where else self.file
        return f"{loc}: {self.message}" if loc else self.message  # a command-line slip names no file


class RoleReportError(Exception):
    """Base error: carries one or more problems; the CLI prints one line each."""

    exit_code = 2

    def __init__(self, problems: list[Problem] | Problem | str, file: str = "") -> None:
        if isinstance(problems, str):
            problems = [Problem(file, problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class SourceError(RoleReportError):
    """The source page cannot be read or does not have the family's structure."""


class ProfileError(RoleReportError):
    """A profile file or roster row is invalid."""


class ThemeError(RoleReportError):
    """A theme file is invalid."""


class TemplateError(RoleReportError):
    """A template is missing or fails to render."""


class TimeLimitError(RoleReportError):
    """Rendering or reading took longer than its time limit (ROLEREPORT_RENDER_TIMEOUT)."""


class OutputError(RoleReportError):
    """An output cannot be written where it was asked to go."""


class UsageError(RoleReportError):
    """The command line asks for something that cannot be done."""
