"""A toy output format that exists only in the tests: a plain-text summary of the roles. It shows
what adding a format takes: this module (`render`, and a title reader so `send` may attach it) and
one registry row (`test_format_registry.py` registers it)."""

from __future__ import annotations


def render(report, ctx) -> bytes:  # type: ignore[no-untyped-def]
    who = report.profile.name if report.profile else ""
    title = f"Role summary – {who}" if who else "Role summary"
    lines = [title, ""] + [f"{role.rank}. {role.name}" for role in report.guide.alternatives]
    return ("\n".join(lines) + "\n").encode("utf-8")


def read_title(data: bytes) -> str:
    return data.decode("utf-8").split("\n", 1)[0]
