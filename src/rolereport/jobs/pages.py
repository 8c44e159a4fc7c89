"""The pages of a run: one page for everyone (`--source`), or a library (`--sources DIR`) from
which each person gets the page of the role they hold (`sources/library.py`).

`RunPages.load(opts)` reads them up front (a bad page or an empty library stops the run: exit 2);
`choose` gives a person's page or the one line that fails them alone; `ref` is what a worker is
sent to load the page itself (its path and hash, never the parsed guide); `base` is the digest of
what every person of one page shares (`folders.inputs_base`), so a person whose page changed is
rebuilt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rolereport import notices
from rolereport.errors import Problem, UsageError
from rolereport.jobs.executors import PageRef
from rolereport.jobs.folders import inputs_base
from rolereport.jobs.options import BuildOptions
from rolereport.model import Profile
from rolereport.render.context import Context
from rolereport.sources.library import Choice, Library, Page, guides_for


@dataclass
class RunPages:
    single: Page | None = None  # --source (or the bundled page)
    library: Library | None = None
    default: Page | None = None  # --default-source, with a library
    _bases: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, opts: BuildOptions) -> RunPages:
        if opts.sources is None:
            if opts.default_source:
                raise UsageError("--default-source goes with --sources DIR (a library); with one page, "
                                 "--source is everyone's page")
            from rolereport.sources import read_source

            guide, info = read_source(opts.source, opts.source_format, strict=opts.strict)
            path = Path(opts.source) if opts.source else None
            return cls(single=Page(path.resolve() if path else Path(), info.name, guide, info, opts.source_format))
        if opts.source:
            raise UsageError("--source and --sources both given: --source is one page for everyone, "
                             "--sources a folder of pages each person's role picks from; give one")
        library = Library.load(opts.sources, opts.source_format)
        default = None
        if opts.default_source:
            default = library.find(opts.default_source)
            if default is None:
                if not Path(opts.default_source).is_file():
                    raise UsageError(f"--default-source {opts.default_source} is no page of the library "
                                     f"{opts.sources} and no file; give a page's file name or a path")
                default = library.outside(opts.default_source)
        return cls(library=library, default=default)

    def choose(self, profile: Profile | None, ref: str = "") -> Choice:
        """The page for this person (everyone gets the one page without a library)."""
        if self.library is None:
            assert self.single is not None
            if ref:
                return Choice(self.single, warning=f"its 'source' '{ref}' is not used: the run gives everyone "
                              f"the page {self.single.name} (--source); use --sources DIR for a library")
            return Choice(self.single)
        return self.library.choose(profile.current_role if profile else None, ref, self.default)

    def roles(self) -> dict[str, str] | None:
        """Role -> page name, for the library's own roles (None without a library)."""
        if self.library is None:
            return None
        return {p.role: p.name for p in self.library.pages
                if self.library.page_of_role(p.role) is p}

    def mapping_for(self, page: Page) -> dict[str, str] | None:
        """The roles of `page`'s alternatives that the library has a page for, by their names
        on `page`. None without a library."""
        roles = self.roles()
        return None if roles is None else guides_for(page.guide, roles)

    def base(self, page: Page, ctx: Context, opts: BuildOptions) -> str:
        """Digest of what every person of `page` shares (the page's hash is in it)."""
        if page.info.sha256 not in self._bases:
            self._bases[page.info.sha256] = inputs_base(page.info, ctx, opts.theme_file, opts.formats,
                                                        library=self.mapping_for(page))
        return self._bases[page.info.sha256]

    @staticmethod
    def ref(page: Page) -> PageRef:
        return PageRef(str(page.path), page.fmt, page.info)


def fail_or_warn(choice: Choice, file: str, where: str | None = None) -> Page:
    """One report's page: the choice's warning said, its error raised (exit 2)."""
    from rolereport.errors import SourceError

    if choice.error or choice.page is None:
        raise SourceError(Problem(file, choice.error or "no page for this person", where))
    if choice.warning:
        notices.warn(file, choice.warning, where)
    return choice.page
