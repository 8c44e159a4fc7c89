"""A library of pages: a folder (subfolders included) of pages in any format the reader takes,
each indexed by its own role (the subject: the page's title and the first row of its table).

`Library.load(folder)` reads every page once (an unchanged page comes from the index cache,
`library_cache.py`); a page that cannot be read, or two pages for one role, are named in
`problems` and the other pages still serve. `Library.choose(...)` says which page a person gets:
the one their `source` names, else the one their current role matches (`roles.py`), else the
`--default-source` page with a warning, else none, with one line naming the closest pages.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rolereport import notices
from rolereport.errors import Problem, SourceError
from rolereport.model import Guide, SourceInfo
from rolereport.sources import EXTENSIONS, source_date
from rolereport.sources.library_cache import Entry, IndexCache
from rolereport.sources.roles import AMBIGUOUS, THRESHOLD, normal, rank

PARALLEL_FROM = 6  # pages to read before a pool of processes is worth its start


@dataclass(frozen=True)
class Page:
    """One readable page of the library."""

    path: Path  # absolute
    name: str  # as people and the manifest name it: the path inside the library folder
    guide: Guide
    info: SourceInfo
    fmt: str | None = None  # --from, when given

    @property
    def role(self) -> str:
        return self.guide.subject.name


@dataclass(frozen=True)
class Choice:
    """The page a person gets, or why none: `error` fails them alone; `warning` goes with them."""

    page: Page | None
    warning: str = ""
    error: str = ""


def guides_for(guide: Guide, roles: dict[str, str]) -> dict[str, str]:
    """Which of `guide`'s alternatives have a page of their own among `roles` (a library's role ->
    page name), by their names on `guide`."""
    own = {normal(role): page for role, page in roles.items()}
    return {r.name: own[normal(r.name)] for r in guide.alternatives if normal(r.name) in own}


def _read_one(path: Path, fmt: str | None) -> Entry:
    """Read one page (in this process or a pool's), keeping its warnings or its problems."""
    from rolereport.sources import read_source

    st = path.stat()
    guide, warnings, problems, sha = None, (), (), ""
    with notices.collect() as found:
        try:
            guide, info = read_source(path, fmt)
            sha = info.sha256
        except SourceError as exc:
            problems = tuple(exc.problems)
    if not sha:
        try:
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            sha = ""
    warnings = tuple(found)
    return Entry(st.st_size, st.st_mtime_ns, sha, guide, warnings, problems)


def _pool_read(args: tuple[str, str | None]) -> Entry:
    return _read_one(Path(args[0]), args[1])


def page_files(folder: Path) -> tuple[list[Path], list[Path]]:
    """The page files under `folder` (hidden files and folders left out), and the other files."""
    pages, others = [], []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or name.startswith("~$"):  # hidden, or an office lock file
                continue
            path = Path(dirpath) / name
            (pages if path.suffix.lower() in EXTENSIONS else others).append(path)
    return pages, others


@dataclass
class Library:
    root: Path
    pages: list[Page] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # said as warnings; the rest still serve
    unreadable: list[tuple[str, list[Problem]]] = field(default_factory=list)  # name, why
    duplicates: dict[tuple[str, ...], list[Page]] = field(default_factory=dict)  # role -> its pages

    @classmethod
    def load(cls, folder: str | Path, fmt: str | None = None, *, say: bool = True) -> Library:
        """Every page under `folder`. No readable page at all is a SourceError (exit 2)."""
        root = Path(folder)
        if not root.is_dir():
            what = "no such folder" if not root.exists() else "is a file, not a folder"
            raise SourceError(Problem(str(root), f"{what}; --sources takes a folder of pages "
                                      "(--source takes one page)"))
        lib = cls(root.resolve())
        files, others = page_files(lib.root)
        if others:
            shown = ", ".join(lib.rel(p) for p in others[:5]) + (", …" if len(others) > 5 else "")
            lib.problems.append(Problem(str(root), f"{len(others)} file{'s are' if len(others) != 1 else ' is'} "
                                        f"not in a page format and left out ({shown}); pages are "
                                        f"{', '.join(sorted(set(EXTENSIONS)))}"))
        entries = lib._entries(files, fmt)
        for path, entry in zip(files, entries, strict=True):
            lib._add(path, entry, fmt)
        lib._find_duplicates()
        if say:
            for problem in lib.problems:
                notices.warn(problem.file, problem.message, problem.where)
        if not lib.pages:
            raise SourceError(Problem(str(root), "holds no readable page" + (
                f" ({len(files)} could not be read, see above)" if files else " (no file of a page format)")
                + "; put the pages people should get in this folder"))
        return lib

    def _entries(self, files: Sequence[Path], fmt: str | None) -> list[Entry]:
        cache = IndexCache()
        found: list[Entry | None] = []
        for path in files:
            st = path.stat()
            entry = cache.get(path, st.st_size, st.st_mtime_ns)
            if entry is None:  # the time changed: the same bytes still count
                try:
                    entry = cache.get(path, st.st_size, st.st_mtime_ns, path.read_bytes())
                except OSError:
                    entry = None
            found.append(entry)
        todo = [i for i, e in enumerate(found) if e is None]
        if len(todo) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
                fresh = list(pool.map(_pool_read, [(str(files[i]), fmt) for i in todo]))
        else:
            fresh = [_read_one(files[i], fmt) for i in todo]
        for i, entry in zip(todo, fresh, strict=True):
            found[i] = entry
            cache.put(files[i], entry)
        cache.save()
        return [e for e in found if e is not None]

    def rel(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def _add(self, path: Path, entry: Entry, fmt: str | None) -> None:
        name = self.rel(path)
        for w in entry.warnings:
            self.problems.append(Problem(w.file, w.message, w.where))
        if entry.guide is None:
            self.unreadable.append((name, list(entry.problems)))
            first = entry.problems[0] if entry.problems else Problem(str(path), "cannot be read")
            more = f" (and {len(entry.problems) - 1} more problems)" if len(entry.problems) > 1 else ""
            self.problems.append(Problem(str(path), f"this page cannot be read and serves no one: "
                                         f"{first.message}{more}; `rolereport extract {path}` lists "
                                         "every problem", first.where))
            return
        info = SourceInfo(name=path.name, date=source_date(path), sha256=entry.sha256)
        self.pages.append(Page(path.resolve(), name, entry.guide, info, fmt))

    def _find_duplicates(self) -> None:
        by_role: dict[tuple[str, ...], list[Page]] = {}
        for page in self.pages:
            by_role.setdefault(normal(page.role), []).append(page)
        for key, pages in by_role.items():
            if len(pages) > 1:
                self.duplicates[key] = pages
                names = " and ".join(f"{p.name} ('{p.role}')" for p in pages)
                self.problems.append(Problem(str(self.root), f"{len(pages)} pages are for one role: {names}; "
                                             "people in this role get neither until one is removed, "
                                             "or their 'source' column names one"))

    # ---- which page a person gets ---------------------------------------------------------------

    def roles(self) -> list[str]:
        return list(dict.fromkeys(p.role for p in self.pages))

    def page_of_role(self, role: str) -> Page | None:
        """The one page whose own role is `role` (after normalising), else None."""
        key = normal(role)
        found = [p for p in self.pages if normal(p.role) == key]
        return found[0] if len(found) == 1 else None

    def find(self, ref: str) -> Page | None:
        """The page `ref` names: its path in the library, its file name or stem (when only one page
        has it), or a path to one of the library's files."""
        ref = ref.strip()
        for page in self.pages:
            if page.name == ref.replace("\\", "/"):
                return page
        for part in (lambda p: p.path.name, lambda p: p.path.stem):
            hits = [p for p in self.pages if part(p).casefold() == ref.casefold()]
            if len(hits) == 1:
                return hits[0]
        path = Path(ref)
        candidates = [path] if path.is_absolute() else [Path.cwd() / path, self.root / path]
        for cand in candidates:
            if cand.is_file():
                resolved = cand.resolve()
                for page in self.pages:
                    if page.path == resolved:
                        return page
        return None

    def outside(self, ref: str) -> Page:
        """A page given by a path outside the library (a person's `source`), read as any page."""
        from rolereport.sources import read_source

        path = Path(ref)
        guide, info = read_source(path)
        return Page(path.resolve(), str(path), guide, info)

    def closest(self, title: str, n: int = 3) -> str:
        ranked = rank(title, self.roles())[:n]
        return ", ".join(f"'{r.role}' ({self.page_of_role(r.role).name if self.page_of_role(r.role) else '…'}, "
                         f"{r.score}/100)" for r in ranked)

    def choose(self, current_role: str | None, ref: str | None = None, default: Page | None = None,
               label: str = "") -> Choice:
        """The page for a person whose current role is `current_role` and whose `source` is `ref`."""
        if ref:
            page = self.find(ref)
            if page is None and Path(ref).is_file():
                try:
                    page = self.outside(ref)
                except SourceError as exc:
                    return Choice(None, error=f"its 'source' {ref} cannot be read: {exc.problems[0].message}")
            if page is None:
                return Choice(None, error=f"its 'source' '{ref}' is no page of the library {self.root} and no "
                              f"file; give a page's file name (such as '{self.pages[0].name}') or a path")
            return Choice(page)
        role = (current_role or "").strip()
        what = "has no current role" if not role else f"current role '{role}' matches no page of the library"
        advice = ("add a page for this role to the library, name a page in the person's 'source' column, "
                  "or pass --default-source PAGE")
        if role:
            ranked = rank(role, self.roles())
            top = ranked[0] if ranked else None
            if top is not None and top.score >= THRESHOLD:
                key = normal(top.role)
                if key in self.duplicates:
                    names = " and ".join(p.name for p in self.duplicates[key])
                    return Choice(None, error=f"current role '{role}' is the role of {names}; remove one "
                                  "from the library or name one in the person's 'source' column")
                page = self.page_of_role(top.role)
                assert page is not None
                warning = ""
                near = [r for r in ranked[1:] if r.score >= THRESHOLD and top.score - r.score <= AMBIGUOUS]
                if near:
                    other = self.page_of_role(near[0].role)
                    warning = (f"current role '{role}' matches two pages alike: {page.name} ('{top.role}', "
                               f"{top.score}/100) and {other.name if other else '…'} ('{near[0].role}', "
                               f"{near[0].score}/100); gave {page.name}. Name the right one in the "
                               "person's 'source' column")
                return Choice(page, warning=warning)
            what += f" (closest: {self.closest(role)})" if ranked else ""
        else:
            what += " to choose a page by"
            advice = "fill their current_role, name a page in their 'source' column, or pass --default-source PAGE"
        if default is not None:
            return Choice(default, warning=f"{what}; given the --default-source page {default.name}")
        return Choice(None, error=f"{what}; {advice}")
