"""What a run is asked to do, in one value: the page, the formats, the templates and theme, and how
to treat the output folder. The CLI makes one from its arguments; the single report and the batch
both take it, so an option is declared once and passed on as a whole, never as loose keywords."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rolereport.render.formats import default_formats


@dataclass(frozen=True)
class BuildOptions:
    source: str | Path | None = None  # the page (None: the bundled one)
    source_format: str | None = None  # None: from the file's name or content
    sources: str | Path | None = None  # a library: a folder of pages, each person gets their role's
    default_source: str | None = None  # the library's page for people whose role has none
    out: Path = Path("output")
    formats: tuple[str, ...] = field(default_factory=default_formats)
    templates: str | Path | None = None
    theme: str | Path | None = None
    title: str | None = None  # instead of the page's title
    subtitle: str | None = None
    strict: bool = False  # a warning about the page is an error
    force: bool = False  # rebuild what is up to date
    wait: bool = False  # wait for another run writing into `out`
    replacing: tuple[str, ...] = ()  # person folders whose bundle may be replaced by another person's
    prune: bool = False  # remove older files of formats not built now
    allow_empty: bool = False  # a profile with nothing to go on gets the plain guide instead of failing

    def __post_init__(self) -> None:
        object.__setattr__(self, "out", Path(self.out))
        object.__setattr__(self, "formats", tuple(dict.fromkeys(self.formats)))
        object.__setattr__(self, "replacing", tuple(self.replacing))

    @property
    def theme_file(self) -> Path | None:
        return Path(self.theme) if self.theme else None


@dataclass(frozen=True)
class BatchOptions(BuildOptions):
    """A batch's options besides what every build takes: how rosters are read and where people run."""

    out: Path = Path("output/batch")
    jobs: int | None = None  # worker processes (None: the CPUs)
    sheet: str | None = None  # of XLSX rosters
    columns: dict[str, list[str]] | str | None = None  # roster headings (or column letters) for fields
    include_hidden: bool = False  # also the rows hidden in XLSX rosters
    duplicates: str = "latest"  # one person's several rows: latest | first | fail
    cluster: str | None = None  # Dask: local[:N]
    scheduler: str | None = None  # Dask: a scheduler's address
    write_on: str = "client"  # who writes the files on Dask: client | workers
    debug: bool = False
